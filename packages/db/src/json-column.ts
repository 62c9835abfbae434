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

/**
 * A json column: PostgreSQL keeps json as the text written, so an object's keys come back in the
 * order they were written. jsonb does not (it orders keys by length, then bytes): a column whose
 * key order means something to users — a flow definition, where a `test.steps` atom's steps run
 * in the order written and an approval form shows its properties in that order — must be json.
 * Compare such a column with `::jsonb` where equality (whatever the key order) is meant.
 */
export const json = <T = unknown>(name: string) =>
  customType<{ data: T; driverData: unknown }>({
    dataType: () => 'json',
    toDriver: (value: T): string => JSON.stringify(value),
    fromDriver: (value: unknown): T => value as T,
  })(name);
