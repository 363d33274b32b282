// drizzle-kit generates the PostgreSQL migrations in ./drizzle/postgres from the pg-core schema
// (`bun run db:generate:postgres` here). The PostgreSQL adapter applies them when it opens a
// database, under an advisory lock (storage/postgres/migrate.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle/postgres',
});
