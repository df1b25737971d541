CREATE TABLE "routing_memory" (
	"tenant_id" uuid NOT NULL,
	"customer_number" text NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"served_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_memory_tenant_id_customer_number_pk" PRIMARY KEY("tenant_id","customer_number")
);
--> statement-breakpoint
ALTER TABLE "skill_group_members" ALTER COLUMN "priority" SET DEFAULT 3;--> statement-breakpoint
ALTER TABLE "agent_state_log" ADD COLUMN "actor" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_state_log" ADD COLUMN "actor_id" uuid;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "missed_offers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_memory" ADD CONSTRAINT "routing_memory_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_memory" ADD CONSTRAINT "routing_memory_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Member priorities become 1–5 (ADM-07); the old default 100 and anything else out of range becomes the new default 3.
UPDATE "skill_group_members" SET "priority" = 3 WHERE "priority" NOT BETWEEN 1 AND 5;--> statement-breakpoint
ALTER TABLE "skill_group_members" ADD CONSTRAINT "skill_group_members_priority_range" CHECK (priority between 1 and 5);