CREATE TABLE "plugin_records" (
	"tenant_id" uuid NOT NULL,
	"plugin" text NOT NULL,
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "plugin_records_tenant_id_plugin_kind_id_pk" PRIMARY KEY("tenant_id","plugin","kind","id")
);
--> statement-breakpoint
ALTER TABLE "plugin_records" ADD CONSTRAINT "plugin_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plugin_records_created_idx" ON "plugin_records" USING btree ("tenant_id","plugin","kind","created_at");