CREATE TABLE "atom_details" (
	"run_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"intention" text NOT NULL,
	"result" jsonb,
	"failure" jsonb,
	"revert_result" jsonb,
	"revert_failure" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"history" jsonb,
	"wake_at" timestamp with time zone,
	"wait_reason" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"inputs" jsonb,
	CONSTRAINT "atom_details_run_id_name_pk" PRIMARY KEY("run_id","name"),
	CONSTRAINT "atom_details_kind_check" CHECK ("atom_details"."kind" in ('task', 'retry')),
	CONSTRAINT "atom_details_attempts_check" CHECK ("atom_details"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "events" (
	"run_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"atom" text,
	"from_state" text,
	"to_state" text,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "events_run_id_seq_pk" PRIMARY KEY("run_id","seq"),
	CONSTRAINT "events_seq_positive" CHECK ("events"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "flow_revisions" (
	"flow_id" text NOT NULL,
	"revision" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "flow_revisions_flow_id_revision_pk" PRIMARY KEY("flow_id","revision"),
	CONSTRAINT "flow_revisions_revision_positive" CHECK ("flow_revisions"."revision" >= 1)
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"latest_revision" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "logbooks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"logbook_id" text NOT NULL,
	"flow_id" text NOT NULL,
	"revision" integer NOT NULL,
	"root_name" text NOT NULL,
	"state" text NOT NULL,
	"inputs" jsonb NOT NULL,
	"failure" jsonb,
	"meta" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sub_steps" (
	"run_id" text NOT NULL,
	"atom" text NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"failure" jsonb,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sub_steps_run_id_atom_name_pk" PRIMARY KEY("run_id","atom","name"),
	CONSTRAINT "sub_steps_attempts_check" CHECK ("sub_steps"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"run_id" text NOT NULL,
	"atom" text NOT NULL,
	"wake_at" timestamp with time zone NOT NULL,
	CONSTRAINT "timers_run_id_atom_pk" PRIMARY KEY("run_id","atom")
);
--> statement-breakpoint
ALTER TABLE "atom_details" ADD CONSTRAINT "atom_details_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_revisions" ADD CONSTRAINT "flow_revisions_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_logbook_id_logbooks_id_fk" FOREIGN KEY ("logbook_id") REFERENCES "public"."logbooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_steps" ADD CONSTRAINT "sub_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timers" ADD CONSTRAINT "timers_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_created_at_idx" ON "runs" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_state_idx" ON "runs" USING btree ("state");--> statement-breakpoint
CREATE INDEX "runs_flow_id_idx" ON "runs" USING btree ("flow_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "timers_wake_at_idx" ON "timers" USING btree ("wake_at");