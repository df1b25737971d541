ALTER TABLE "call_sessions" ADD COLUMN "customer_alias" text;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "customer_alias" text;