import { defineConfig } from 'drizzle-kit';

// `npm run generate -w @atomflow/db` writes a new migration into drizzle/ after a schema change;
// commit it: openDatabase applies the folder on start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
