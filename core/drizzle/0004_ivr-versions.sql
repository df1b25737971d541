ALTER TABLE "ivr_flow_versions" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "ivr_flow_versions" ADD COLUMN "base_version" integer;--> statement-breakpoint
ALTER TABLE "ivr_flow_versions" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ivr_flow_versions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "ivr_flow_versions_flow_label_uq" ON "ivr_flow_versions" USING btree ("flow_id","label") WHERE "ivr_flow_versions"."label" is not null;--> statement-breakpoint
ALTER TABLE "ivr_flows" ADD CONSTRAINT "ivr_flows_tenant_name_uq" UNIQUE("tenant_id","name");