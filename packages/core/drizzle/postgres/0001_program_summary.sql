CREATE TABLE "program_summary" (
	"program_key" text PRIMARY KEY NOT NULL,
	"summary" text NOT NULL,
	"stored_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "program_summary_age" ON "program_summary" USING btree ("stored_at","program_key");