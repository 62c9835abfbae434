import { appRouter, type Role } from '@atomflow/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN_EMAIL } from './bootstrap-admin.js';
import type { RunningServer } from './server.js';
import { ADMIN_PASSWORD, codeOf, echoFlow, makeClient, signedIn, startTestServer, type TestClient } from './testing/harness.js';
import { errorOf, rawCall } from './testing/raw.js';
import { sseStatus } from './testing/sse.js';

let server: RunningServer;
let admin: TestClient;
const PASSWORD = 'a-long-enough-password';

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedIn(server.url);
  for (const role of ['viewer', 'operator', 'editor'] as const)
    await admin.trpc.users.create.mutate({ email: `${role}@example.com`, name: role, role, password: PASSWORD });
  await admin.trpc.flows.create.mutate({ definition: echoFlow('auth-flow') });
});
afterAll(() => server?.close());

/** The tRPC code a call ended with ('OK' when it succeeded). */
const codeOnly = async (p: Promise<unknown>): Promise<string> => (await codeOf(p)).code;

describe('the HTTP surface', () => {
  it('answers /api/health with 200 {ok: true}', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves a placeholder page at / when there is no web app, and 404 for unknown API paths', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/health');
    expect((await fetch(`${server.url}/api/nope`)).status).toBe(404);
    expect((await rawCall(server.url, 'flows.nope', {})).status).toBe(404);
  });
});

describe('sign-in', () => {
  it('sets an http-only SameSite=Lax session cookie and returns the CSRF token', async () => {
    const res = await rawCall(server.url, 'auth.login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { type: 'mutation', csrf: 'x' });
    expect(res.status).toBe(200);
    const raw = await fetch(`${server.url}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-atomflow-csrf': 'x' },
      body: JSON.stringify({ email: 'ADMIN@localhost ', password: ADMIN_PASSWORD }),
    });
    const cookie = raw.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^atomflow_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    // behind a TLS-terminating proxy the cookie is Secure
    const proxied = await fetch(`${server.url}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-atomflow-csrf': 'x', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(proxied.headers.getSetCookie()[0]).toMatch(/; Secure$/);
  });

  it('refuses a wrong password and an unknown email alike (401)', async () => {
    const wrong = await rawCall(
      server.url,
      'auth.login',
      { email: ADMIN_EMAIL, password: 'nope-nope-nope' },
      { type: 'mutation', csrf: 'x' },
    );
    const unknown = await rawCall(
      server.url,
      'auth.login',
      { email: 'ghost@example.com', password: 'nope-nope-nope' },
      { type: 'mutation', csrf: 'x' },
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(errorOf(wrong.body).message).toBe('wrong email or password');
    expect(errorOf(unknown.body).message).toBe('wrong email or password');
  });

  it('after 10 failed sign-ins an email is refused for a while (429), even with the right password', async () => {
    await admin.trpc.users.create.mutate({ email: 'guessed@example.com', name: 'G', role: 'viewer', password: PASSWORD });
    const attempt = (password: string) =>
      rawCall(server.url, 'auth.login', { email: 'guessed@example.com', password }, { type: 'mutation', csrf: 'x' });
    for (let i = 0; i < 10; i++) expect((await attempt(`guess-number-${i}`)).status).toBe(401);
    const refused = await attempt(PASSWORD);
    expect(refused.status).toBe(429);
    expect(errorOf(refused.body).message).toMatch(/^too many failed sign-ins: try again in \d+ s$/);
  });

  it('me tells who is signed in; logout ends the session for good', async () => {
    const c = await signedIn(server.url, 'viewer@example.com', PASSWORD);
    const me = await c.trpc.auth.me.query();
    expect(me?.user).toMatchObject({ email: 'viewer@example.com', role: 'viewer' });
    expect(me?.user).not.toHaveProperty('passwordHash');
    expect(me?.csrfToken).toBe(c.jar.csrf);
    const stolen = c.jar.cookie;
    await c.trpc.auth.logout.mutate();
    expect(c.jar.cookie).toBe('');
    expect(await c.trpc.auth.me.query()).toBeNull();
    expect((await rawCall(server.url, 'flows.list', undefined, { cookie: stolen })).status).toBe(401);
  });
});

describe('roles', () => {
  const calls = (c: TestClient) => ({
    read: () => c.trpc.flows.list.query(),
    run: () => c.trpc.runs.start.mutate({ flowId: 'auth-flow' }),
    edit: () => c.trpc.flows.saveRevision.mutate({ flowId: 'auth-flow', baseRevision: 999, definition: echoFlow('auth-flow') }),
    admin: () => c.trpc.users.list.query(),
  });

  it('answers 401 to every procedure but login/me/logout when signed out', async () => {
    const anon = makeClient(server.url);
    const c = calls(anon);
    expect(await Promise.all([codeOnly(c.read()), codeOnly(c.run()), codeOnly(c.edit()), codeOnly(c.admin())])).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
    ]);
    expect((await rawCall(server.url, 'runs.list', {})).status).toBe(401);
    expect((await rawCall(server.url, 'flows.create', { definition: {} }, { type: 'mutation', csrf: 'x' })).status).toBe(401);
  });

  it.each([
    ['viewer', ['OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']],
    ['operator', ['OK', 'OK', 'FORBIDDEN', 'FORBIDDEN']],
    // the editor passes the role check; the stale base revision is then a CONFLICT
    ['editor', ['OK', 'OK', 'CONFLICT', 'FORBIDDEN']],
  ])('%s: read, run, edit, admin → %j', async (role, expected) => {
    const c = calls(await signedIn(server.url, `${role}@example.com`, PASSWORD));
    expect(await Promise.all([codeOnly(c.read()), codeOnly(c.run()), codeOnly(c.edit()), codeOnly(c.admin())])).toEqual(expected);
  });

  it('every procedure checks its role: 401 signed out, 403 one role below the one it needs', async () => {
    const needs: Record<string, 'public' | Role> = {
      'auth.login': 'public',
      'auth.me': 'public',
      'auth.logout': 'public',
      'auth.changePassword': 'viewer',
      'flows.validate': 'viewer',
      'runs.start': 'operator',
      'runs.operate': 'operator',
      'runs.approve': 'operator',
      'runs.reject': 'operator',
      'runs.migrate': 'operator',
      'runs.operateMany': 'operator',
      'flows.create': 'editor',
      'flows.saveRevision': 'editor',
      'flows.import': 'editor',
      'flows.delete': 'editor',
      'users.list': 'admin',
      'users.create': 'admin',
      'users.update': 'admin',
    };
    const below: Record<Role, string | undefined> = { viewer: undefined, operator: 'viewer', editor: 'operator', admin: 'editor' };
    const sessions = new Map<string, TestClient>();
    for (const r of ['viewer', 'operator', 'editor']) sessions.set(r, await signedIn(server.url, `${r}@example.com`, PASSWORD));
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);
    expect(procedures.length).toBeGreaterThan(25);
    const status = async (path: string, type: string, c: TestClient | undefined): Promise<number> => {
      const headers: Record<string, string> = c ? { cookie: c.jar.cookie } : {};
      if (type === 'subscription') return (await sseStatus(`${server.url}/api/trpc/${path}?input=%7B%7D`, headers)).streamStatus ?? 200;
      const res = await rawCall(
        server.url,
        path,
        {},
        { type: type as 'query' | 'mutation', ...(c ? { cookie: c.jar.cookie, csrf: c.jar.csrf } : { csrf: 'x' }) },
      );
      return res.status;
    };
    for (const [path, p] of procedures) {
      // reads need a viewer unless listed
      const role = needs[path] ?? 'viewer';
      if (role === 'public') continue;
      expect([path, await status(path, p._def.type, undefined)]).toEqual([path, 401]);
      const lower = below[role];
      if (lower) expect([path, await status(path, p._def.type, sessions.get(lower))]).toEqual([path, 403]);
    }
  });

  it('answers 403 over HTTP for a role that is too low', async () => {
    const viewer = await signedIn(server.url, 'viewer@example.com', PASSWORD);
    const res = await rawCall(
      server.url,
      'runs.start',
      { flowId: 'auth-flow' },
      { type: 'mutation', cookie: viewer.jar.cookie, csrf: viewer.jar.csrf },
    );
    expect(res.status).toBe(403);
    expect(errorOf(res.body).message).toBe('needs the operator role (you are viewer)');
  });
});

describe('CSRF', () => {
  it('refuses a mutation without the header, with another session’s token, or from another origin (403); queries need none', async () => {
    const op = await signedIn(server.url, 'operator@example.com', PASSWORD);
    const other = await signedIn(server.url, 'viewer@example.com', PASSWORD);
    const start = (o: { csrf?: string; headers?: Record<string, string> }) =>
      rawCall(server.url, 'runs.start', { flowId: 'auth-flow' }, { type: 'mutation', cookie: op.jar.cookie, ...o });
    const before = (await op.trpc.runs.list.query({ flowId: 'auth-flow' })).items.length;

    const missing = await start({});
    expect(missing.status).toBe(403);
    expect(errorOf(missing.body).message).toBe('missing x-atomflow-csrf header');
    const foreign = await start({ csrf: other.jar.csrf });
    expect(foreign.status).toBe(403);
    const crossOrigin = await start({ csrf: op.jar.csrf, headers: { origin: 'http://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect(errorOf(crossOrigin.body).message).toContain('cross-origin request refused');
    expect((await start({ csrf: op.jar.csrf, headers: { origin: 'null' } })).status).toBe(403);
    expect((await op.trpc.runs.list.query({ flowId: 'auth-flow' })).items.length).toBe(before);

    const sameOrigin = await start({ csrf: op.jar.csrf, headers: { origin: server.url } });
    expect(sameOrigin.status).toBe(200);
    expect((await rawCall(server.url, 'runs.list', {}, { cookie: op.jar.cookie })).status).toBe(200);
  });

  it('refuses a login without the header (login CSRF)', async () => {
    const res = await rawCall(server.url, 'auth.login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { type: 'mutation' });
    expect(res.status).toBe(403);
  });
});

describe('users (admin)', () => {
  it('creates users with unique emails, lists them without hashes', async () => {
    const dup = await codeOnly(
      admin.trpc.users.create.mutate({ email: 'VIEWER@example.com', name: 'again', role: 'viewer', password: PASSWORD }),
    );
    expect(dup).toBe('CONFLICT');
    const users = await admin.trpc.users.list.query();
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining([ADMIN_EMAIL, 'viewer@example.com', 'operator@example.com', 'editor@example.com']),
    );
    expect(users.every((u) => !('passwordHash' in u))).toBe(true);
    expect(
      await codeOnly(admin.trpc.users.create.mutate({ email: 'short@example.com', name: 's', role: 'viewer', password: 'short' })),
    ).toBe('BAD_REQUEST');
  });

  it('disabling a user ends their sessions and stops their sign-in', async () => {
    const u = await admin.trpc.users.create.mutate({ email: 'leaver@example.com', name: 'Leaver', role: 'operator', password: PASSWORD });
    const c = await signedIn(server.url, 'leaver@example.com', PASSWORD);
    await admin.trpc.users.update.mutate({ id: u.id, disabled: true });
    expect(await codeOnly(c.trpc.flows.list.query())).toBe('UNAUTHORIZED');
    expect(await codeOnly(signedIn(server.url, 'leaver@example.com', PASSWORD))).toBe('UNAUTHORIZED');
  });

  it('a role change takes effect at the next sign-in; the last admin cannot be demoted', async () => {
    const u = await admin.trpc.users.create.mutate({ email: 'promoted@example.com', name: 'P', role: 'viewer', password: PASSWORD });
    await admin.trpc.users.update.mutate({ id: u.id, role: 'editor' });
    const c = await signedIn(server.url, 'promoted@example.com', PASSWORD);
    expect((await c.trpc.auth.me.query())?.user.role).toBe('editor');
    const me = (await admin.trpc.auth.me.query())!.user;
    expect(await codeOnly(admin.trpc.users.update.mutate({ id: me.id, role: 'viewer' }))).toBe('PRECONDITION_FAILED');
    expect(await codeOnly(admin.trpc.users.update.mutate({ id: me.id, disabled: true }))).toBe('PRECONDITION_FAILED');
  });

  it('changePassword needs the current password and keeps the current session', async () => {
    await admin.trpc.users.create.mutate({ email: 'changer@example.com', name: 'C', role: 'viewer', password: PASSWORD });
    const c = await signedIn(server.url, 'changer@example.com', PASSWORD);
    const elsewhere = await signedIn(server.url, 'changer@example.com', PASSWORD);
    expect(
      await codeOnly(c.trpc.auth.changePassword.mutate({ currentPassword: 'wrong-password', newPassword: 'another-long-password' })),
    ).toBe('BAD_REQUEST');
    await c.trpc.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'another-long-password' });
    expect(await codeOnly(c.trpc.flows.list.query())).toBe('OK');
    expect(await codeOnly(elsewhere.trpc.flows.list.query())).toBe('UNAUTHORIZED');
    expect(await codeOnly(signedIn(server.url, 'changer@example.com', PASSWORD))).toBe('UNAUTHORIZED');
    expect(await codeOnly(signedIn(server.url, 'changer@example.com', 'another-long-password'))).toBe('OK');
  });
});
