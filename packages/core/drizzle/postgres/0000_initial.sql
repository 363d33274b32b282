CREATE TABLE "cursor" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_event_time" bigint,
	"last_source_id" text,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "distance_cache" (
	"pair_key" text PRIMARY KEY NOT NULL,
	"distance" integer NOT NULL,
	"stored_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "episode" (
	"student_id" text NOT NULL,
	"episode_index" integer NOT NULL,
	"start" bigint NOT NULL,
	"end" bigint NOT NULL,
	"project" text,
	"end_reason" text NOT NULL,
	"counts" text NOT NULL,
	"state_mix" text NOT NULL,
	"longest_stuck_streak" integer NOT NULL,
	"net_change" integer,
	"version" bigint NOT NULL,
	CONSTRAINT "episode_student_id_episode_index_pk" PRIMARY KEY("student_id","episode_index")
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"epoch" integer DEFAULT 0 NOT NULL,
	"reset_requested_at" bigint,
	"health" text DEFAULT 'unknown' NOT NULL,
	"health_changed_at" bigint,
	"last_error" text,
	"heartbeat_at" bigint,
	"tick_count" bigint DEFAULT 0 NOT NULL,
	"last_tick_ms" double precision,
	"caught_up_at" bigint,
	"model_hash" text
);
--> statement-breakpoint
CREATE TABLE "published_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"received_at" bigint NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run" (
	"student_id" text NOT NULL,
	"run_index" integer NOT NULL,
	"source_event_id" text NOT NULL,
	"ts" bigint NOT NULL,
	"project" text,
	"ast_size" integer,
	"tree_hash" text,
	"distance" integer,
	"score" double precision,
	"bucket" integer,
	"state" integer NOT NULL,
	"posterior" text NOT NULL,
	"parse_error" text,
	"version" bigint NOT NULL,
	CONSTRAINT "run_student_id_run_index_pk" PRIMARY KEY("student_id","run_index")
);
--> statement-breakpoint
CREATE TABLE "student_directory" (
	"student_id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"classroom" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "student_state" (
	"student_id" text PRIMARY KEY NOT NULL,
	"state" integer,
	"state_since" bigint,
	"last_event_at" bigint,
	"last_run_at" bigint,
	"run_count" integer DEFAULT 0 NOT NULL,
	"session_open" boolean DEFAULT false NOT NULL,
	"stuck_streak_runs" integer DEFAULT 0 NOT NULL,
	"stuck_streak_started_at" bigint,
	"platform" text,
	"project" text,
	"pseudocode" text,
	"prompt" text,
	"recent_scores" text DEFAULT '[]' NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracked_student" (
	"student_id" text PRIMARY KEY NOT NULL,
	"added_at" bigint NOT NULL,
	"backfilled_at" bigint
);
--> statement-breakpoint
CREATE TABLE "trigger_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"student_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_at" bigint NOT NULL,
	"opened_at" bigint NOT NULL,
	"acked_at" bigint,
	"ack_note" text,
	"resolved_at" bigint,
	"run_index" integer,
	"reopened_from" bigint,
	"detail" text DEFAULT '{}' NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vex_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_event_id" text NOT NULL,
	"student_id" text NOT NULL,
	"type" text NOT NULL,
	"ts" bigint NOT NULL,
	"data" text NOT NULL,
	"ingested_at" bigint NOT NULL,
	CONSTRAINT "vex_log_source_event_id_unique" UNIQUE("source_event_id")
);
--> statement-breakpoint
CREATE INDEX "distance_cache_age" ON "distance_cache" USING btree ("stored_at","pair_key");--> statement-breakpoint
CREATE INDEX "episode_version" ON "episode" USING btree ("version");--> statement-breakpoint
CREATE INDEX "published_event_type_name" ON "published_event" USING btree ("type","name","id");--> statement-breakpoint
CREATE INDEX "run_version" ON "run" USING btree ("version");--> statement-breakpoint
CREATE INDEX "student_directory_name" ON "student_directory" USING btree ("display_name");--> statement-breakpoint
CREATE INDEX "trigger_status" ON "trigger_event" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "trigger_student" ON "trigger_event" USING btree ("student_id","kind","status");--> statement-breakpoint
CREATE INDEX "trigger_version" ON "trigger_event" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "trigger_once_per_run" ON "trigger_event" USING btree ("student_id","kind","run_index") WHERE "trigger_event"."run_index" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "vex_log_student_ts" ON "vex_log" USING btree ("student_id","ts","id");