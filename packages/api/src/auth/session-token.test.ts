import { describe, expect, it } from 'vitest';

import { clearedSessionCookie, newSessionToken, readCookie, sameSecret, sessionCookie, sessionIdOf } from './session-token.js';

describe('session tokens and cookies', () => {
  it('stores only the sha256 of the token', () => {
    const s = newSessionToken();
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.id).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdOf(s.token)).toBe(s.id);
    expect(s.csrfToken).not.toBe(s.token);
  });

  it('reads one cookie among others', () => {
    expect(readCookie('a=1; atomflow_session=tok; b=2', 'atomflow_session')).toBe('tok');
    expect(readCookie('atomflow_sessionx=1', 'atomflow_session')).toBeUndefined();
    expect(readCookie(undefined, 'atomflow_session')).toBeUndefined();
  });

  it('writes http-only SameSite=Lax cookies, Secure when asked, and clears them', () => {
    expect(sessionCookie('t', { secure: false, maxAgeMs: 60_000 })).toBe('atomflow_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(sessionCookie('t', { secure: true, maxAgeMs: 1000 })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toBe('atomflow_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });

  it('compares secrets without leaking their length through an exception', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});
