CREATE TABLE "skill_group_numbers" (
	"tenant_id" uuid NOT NULL,
	"skill_group_id" uuid NOT NULL,
	"number_id" uuid NOT NULL,
	CONSTRAINT "skill_group_numbers_skill_group_id_number_id_pk" PRIMARY KEY("skill_group_id","number_id")
);
--> statement-breakpoint
CREATE TABLE "im_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "im_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"body" text,
	"image_key" text,
	"image_type" text,
	"image_bytes" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "im_messages_not_self" CHECK ("im_messages"."sender_id" <> "im_messages"."recipient_id"),
	CONSTRAINT "im_messages_content" CHECK (("im_messages"."kind" = 'text' and "im_messages"."body" is not null) or ("im_messages"."kind" = 'image' and "im_messages"."image_key" is not null and "im_messages"."image_type" is not null))
);
--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "type" text DEFAULT 'inbound' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "resume_state" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "resume_reason" text;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_skill_group_id_skill_groups_id_fk" FOREIGN KEY ("skill_group_id") REFERENCES "public"."skill_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "im_messages" ADD CONSTRAINT "im_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "im_messages" ADD CONSTRAINT "im_messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "im_messages" ADD CONSTRAINT "im_messages_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "im_messages_conversation_idx" ON "im_messages" USING btree ("tenant_id",least("sender_id", "recipient_id"),greatest("sender_id", "recipient_id"),"seq");--> statement-breakpoint
CREATE INDEX "im_messages_sender_idx" ON "im_messages" USING btree ("tenant_id","sender_id","seq");--> statement-breakpoint
CREATE INDEX "im_messages_unread_idx" ON "im_messages" USING btree ("tenant_id","recipient_id","sender_id") WHERE "im_messages"."read_at" is null;