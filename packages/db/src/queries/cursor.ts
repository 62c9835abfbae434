/*
 * Keyset cursors for list queries: (timestamp as PostgreSQL text, tie-breaker), opaque to
 * clients (base64url JSON). The timestamp keeps PostgreSQL's microseconds, so no row is skipped
 * or repeated between pages.
 */

export interface Cursor {
  readonly at: string;
  readonly key: string | number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.key])).toString('base64url');
}

/** Undefined for anything that is not a cursor this module made (callers report a bad input). */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return undefined;
    const [at, key] = v as [unknown, unknown];
    if (typeof at !== 'string' || !/^\d{4}-\d\d-\d\d[ T][\d:.]+([+-]\d\d(:?\d\d)?|Z)?$/.test(at)) return undefined;
    if (typeof key === 'string' ? key.length > 500 || key.includes('\u0000') : !Number.isSafeInteger(key)) return undefined;
    return { at, key: key as string | number };
  } catch {
    return undefined;
  }
}

/** Escapes LIKE wildcards so a search matches literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
