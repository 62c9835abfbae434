import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie holding the session token (the database holds only its hash). */
export const SESSION_COOKIE = 'atomflow_session';
/** Mutations must carry the session's CSRF token in this header (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-atomflow-csrf';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface NewSessionToken {
  /** Goes to the browser, in the cookie. */
  readonly token: string;
  /** Goes to the database. */
  readonly id: string;
  readonly csrfToken: string;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSessionToken(): NewSessionToken {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token), csrfToken: randomBytes(24).toString('base64url') };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for the session: http-only (scripts cannot read it), SameSite=Lax, whole site. */
export function sessionCookie(token: string, opts: { secure: boolean; maxAgeMs: number }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.floor(opts.maxAgeMs / 1000)}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(opts: { secure: boolean }): string {
  return sessionCookie('', { ...opts, maxAgeMs: 0 });
}
