CREATE TABLE "skill_group_numbers" (
	"tenant_id" uuid NOT NULL,
	"skill_group_id" uuid NOT NULL,
	"number_id" uuid NOT NULL,
	CONSTRAINT "skill_group_numbers_skill_group_id_number_id_pk" PRIMARY KEY("skill_group_id","number_id")
);
--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "type" text DEFAULT 'inbound' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "resume_state" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "resume_reason" text;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_skill_group_id_skill_groups_id_fk" FOREIGN KEY ("skill_group_id") REFERENCES "public"."skill_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_group_numbers" ADD CONSTRAINT "skill_group_numbers_number_id_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."numbers"("id") ON DELETE cascade ON UPDATE no action;