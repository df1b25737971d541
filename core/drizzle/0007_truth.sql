ALTER TABLE "skill_groups" ADD COLUMN "ring_timeout_transfer" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "max_ring_seconds" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "collect_templates" ADD COLUMN "failure_prompt" text;--> statement-breakpoint
ALTER TABLE "collect_templates" ADD COLUMN "max_tries" integer DEFAULT 3 NOT NULL;