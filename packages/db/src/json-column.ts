import { customType } from 'drizzle-orm/pg-core';

/**
 * A jsonb column that trusts the driver's parsing. drizzle's own `jsonb()` JSON.parses any string
 * the driver hands back, but both PGlite and node-postgres already parse jsonb: a stored string
 * result such as "123" or "true" would come back as a number or a boolean. Atom results must
 * round-trip exactly, so values are stringified on the way in and left alone on the way out.
 */
export const jsonb = <T = unknown>(name: string) =>
  customType<{ data: T; driverData: unknown }>({
    dataType: () => 'jsonb',
    toDriver: (value: T): string => JSON.stringify(value),
    fromDriver: (value: unknown): T => value as T,
  })(name);
