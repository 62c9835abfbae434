import { fileURLToPath } from 'node:url';

/**
 * The committed drizzle-kit migrations (packages/db/drizzle). This file sits one level below the
 * package root both as src/migrations.ts (vitest) and as dist/migrations.js (run time), so one
 * relative URL serves both. Bundlers that move the code can pass `migrationsFolder` instead.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

/** Session-level advisory lock key serialising migrations of processes sharing one PostgreSQL. */
export const MIGRATION_LOCK_KEY = 0x61746f6d; // "atom"
