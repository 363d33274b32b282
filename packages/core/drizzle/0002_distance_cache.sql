CREATE TABLE `distance_cache` (
	`pair_key` text PRIMARY KEY NOT NULL,
	`distance` integer NOT NULL,
	`stored_at` integer NOT NULL
);
