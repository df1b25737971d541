CREATE TABLE "sign_in_throttle" (
	"scope" text NOT NULL,
	"account" text NOT NULL,
	"address" text NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone,
	CONSTRAINT "sign_in_throttle_scope_account_address_pk" PRIMARY KEY("scope","account","address")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "tokens_valid_after" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "ring_timeout_transfer" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD COLUMN "max_ring_seconds" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "announce_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "collect_templates" ADD COLUMN "failure_prompt" text;--> statement-breakpoint
ALTER TABLE "collect_templates" ADD COLUMN "max_tries" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
CREATE INDEX "sign_in_throttle_account_idx" ON "sign_in_throttle" USING btree ("account");--> statement-breakpoint
CREATE INDEX "recordings_announce_pending_idx" ON "recordings" USING btree ("ended_at") WHERE "recordings"."announce_pending";