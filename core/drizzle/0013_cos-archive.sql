ALTER TABLE "recordings" ADD COLUMN "archive_object_key" text;--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "archived_url" text;--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "archived_at" timestamp with time zone;