CREATE TABLE `cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_time` integer,
	`last_source_id` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `episode` (
	`student_id` text NOT NULL,
	`episode_index` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`project` text,
	`end_reason` text NOT NULL,
	`counts` text NOT NULL,
	`state_mix` text NOT NULL,
	`longest_stuck_streak` integer NOT NULL,
	`net_change` integer,
	`version` integer NOT NULL,
	PRIMARY KEY(`student_id`, `episode_index`)
);
--> statement-breakpoint
CREATE INDEX `episode_version` ON `episode` (`version`);--> statement-breakpoint
CREATE TABLE `meta` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`epoch` integer DEFAULT 0 NOT NULL,
	`reset_requested_at` integer,
	`health` text DEFAULT 'unknown' NOT NULL,
	`health_changed_at` integer,
	`last_error` text,
	`heartbeat_at` integer,
	`model_hash` text
);
--> statement-breakpoint
CREATE TABLE `run` (
	`student_id` text NOT NULL,
	`run_index` integer NOT NULL,
	`source_event_id` text NOT NULL,
	`ts` integer NOT NULL,
	`project` text,
	`ast_size` integer,
	`tree_hash` text,
	`distance` integer,
	`score` real,
	`bucket` integer,
	`state` integer NOT NULL,
	`posterior` text NOT NULL,
	`parse_error` text,
	`version` integer NOT NULL,
	PRIMARY KEY(`student_id`, `run_index`)
);
--> statement-breakpoint
CREATE INDEX `run_version` ON `run` (`version`);--> statement-breakpoint
CREATE TABLE `student_directory` (
	`student_id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`classroom` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `student_directory_name` ON `student_directory` (`display_name`);--> statement-breakpoint
CREATE TABLE `student_state` (
	`student_id` text PRIMARY KEY NOT NULL,
	`state` integer,
	`state_since` integer,
	`last_event_at` integer,
	`last_run_at` integer,
	`run_count` integer DEFAULT 0 NOT NULL,
	`session_open` integer DEFAULT false NOT NULL,
	`stuck_streak_runs` integer DEFAULT 0 NOT NULL,
	`stuck_streak_started_at` integer,
	`platform` text,
	`project` text,
	`pseudocode` text,
	`prompt` text,
	`recent_scores` text DEFAULT '[]' NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tracked_student` (
	`student_id` text PRIMARY KEY NOT NULL,
	`added_at` integer NOT NULL,
	`backfilled_at` integer
);
--> statement-breakpoint
CREATE TABLE `trigger_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`student_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`acked_at` integer,
	`ack_note` text,
	`resolved_at` integer,
	`run_index` integer,
	`reopened_from` integer,
	`detail` text DEFAULT '{}' NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `trigger_status` ON `trigger_event` (`status`,`kind`);--> statement-breakpoint
CREATE INDEX `trigger_student` ON `trigger_event` (`student_id`,`kind`,`status`);--> statement-breakpoint
CREATE INDEX `trigger_version` ON `trigger_event` (`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `trigger_once_per_run` ON `trigger_event` (`student_id`,`kind`,`run_index`) WHERE "trigger_event"."run_index" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `vex_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_event_id` text NOT NULL,
	`student_id` text NOT NULL,
	`type` text NOT NULL,
	`ts` integer NOT NULL,
	`data` text NOT NULL,
	`ingested_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vex_log_source_event_id_unique` ON `vex_log` (`source_event_id`);--> statement-breakpoint
CREATE INDEX `vex_log_student_ts` ON `vex_log` (`student_id`,`ts`,`id`);