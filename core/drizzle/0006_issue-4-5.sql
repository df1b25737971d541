CREATE TABLE "preferred_agents" (
	"tenant_id" uuid NOT NULL,
	"caller_number" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preferred_agents_tenant_id_caller_number_pk" PRIMARY KEY("tenant_id","caller_number")
);
--> statement-breakpoint
CREATE TABLE "audio_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_legs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"role" text NOT NULL,
	"purpose" text NOT NULL,
	"agent_id" uuid,
	"number" text,
	"call_sid" text,
	"state" text DEFAULT 'ringing' NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text
);
--> statement-breakpoint
CREATE TABLE "collect_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prompt" text NOT NULL,
	"min_digits" integer DEFAULT 1 NOT NULL,
	"max_digits" integer NOT NULL,
	"finish_on_key" text,
	"timeout_seconds" integer DEFAULT 10 NOT NULL,
	"variable" text NOT NULL,
	"mask" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collect_templates_tenant_name_uq" UNIQUE("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "session_controls" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_held" boolean DEFAULT false NOT NULL,
	"agent_muted" boolean DEFAULT false NOT NULL,
	"notes" text,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"customer_mode" text,
	"collect" jsonb,
	"self_service" jsonb,
	"room" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"from_agent_id" uuid,
	"from_offer_id" uuid,
	"target" jsonb NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "call_offers" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp();--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "ivr_flow_version" integer;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "agent_mobile" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "numbers" ADD COLUMN "agent_mobile_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "answer_mode" text DEFAULT 'webrtc' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "auto_answer" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sip_password_enc" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sip_client_sid" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sip_provisioned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "overflow_skill_group_id" uuid;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "preferred_agent" text;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "preferred_agent_id" uuid;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "preferred_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "variables" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "survey_result" jsonb;--> statement-breakpoint
ALTER TABLE "call_sessions" ADD COLUMN "ivr_event" jsonb;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "variables" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "survey_result" jsonb;--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "voicemail_id" uuid;--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "kind" text DEFAULT 'call' NOT NULL;--> statement-breakpoint
ALTER TABLE "preferred_agents" ADD CONSTRAINT "preferred_agents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preferred_agents" ADD CONSTRAINT "preferred_agents_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audio_files" ADD CONSTRAINT "audio_files_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_legs" ADD CONSTRAINT "call_legs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_legs" ADD CONSTRAINT "call_legs_session_id_call_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_legs" ADD CONSTRAINT "call_legs_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_legs" ADD CONSTRAINT "call_legs_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collect_templates" ADD CONSTRAINT "collect_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_controls" ADD CONSTRAINT "session_controls_session_id_call_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_controls" ADD CONSTRAINT "session_controls_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_transfers" ADD CONSTRAINT "session_transfers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_transfers" ADD CONSTRAINT "session_transfers_session_id_call_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."call_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "preferred_agents_expiry_idx" ON "preferred_agents" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "audio_files_tenant_name_uq" ON "audio_files" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "audio_files_tenant_created_idx" ON "audio_files" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "call_legs_session_idx" ON "call_legs" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "call_legs_call_sid_idx" ON "call_legs" USING btree ("call_sid");--> statement-breakpoint
CREATE INDEX "session_transfers_session_idx" ON "session_transfers" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "recordings_tenant_kind_time_idx" ON "recordings" USING btree ("tenant_id","kind","started_at");