ALTER TABLE "skill_groups" ADD COLUMN "overflow_skill_group_id" uuid;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "wrap_up_seconds" integer;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "wrap_up_auto_end" boolean;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD CONSTRAINT "skill_groups_overflow_skill_group_id_skill_groups_id_fk" FOREIGN KEY ("overflow_skill_group_id") REFERENCES "public"."skill_groups"("id") ON DELETE set null ON UPDATE no action;