CREATE TABLE "plugin_tenant_settings" (
	"tenant_id" uuid NOT NULL,
	"plugin" text NOT NULL,
	"enabled" boolean NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "plugin_tenant_settings_tenant_id_plugin_pk" PRIMARY KEY("tenant_id","plugin")
);
--> statement-breakpoint
ALTER TABLE "plugin_tenant_settings" ADD CONSTRAINT "plugin_tenant_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plugin_tenant_settings" ADD CONSTRAINT "plugin_tenant_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;