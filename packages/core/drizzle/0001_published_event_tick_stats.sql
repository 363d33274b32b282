CREATE TABLE `published_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`received_at` integer NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `published_event_type_name` ON `published_event` (`type`,`name`,`id`);--> statement-breakpoint
ALTER TABLE `meta` ADD `tick_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `meta` ADD `last_tick_ms` real;--> statement-breakpoint
ALTER TABLE `meta` ADD `caught_up_at` integer;