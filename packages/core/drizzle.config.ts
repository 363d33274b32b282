// drizzle-kit generates the migrations in ./drizzle from the schema (`bun run db:generate` here).
// They are applied at start by openDatabase() with the bun-sqlite migrator (drizzle-kit's own
// `migrate` cannot drive bun:sqlite).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
