CREATE TABLE `program_summary` (
	`program_key` text PRIMARY KEY NOT NULL,
	`summary` text NOT NULL,
	`stored_at` integer NOT NULL
);
