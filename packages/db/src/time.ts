/**
 * Both drivers hand timestamptz back as PostgreSQL text ("2024-05-01 12:00:00.123456+00"), as
 * drizzle configures them; the model speaks ISO 8601 (millisecond precision).
 */
export function toIso(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a timestamp: ${String(value)}`);
  return d.toISOString();
}

export function toIsoOrNull(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : toIso(value);
}
