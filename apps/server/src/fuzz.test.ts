import { appRouter } from '@atomflow/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN_EMAIL } from './bootstrap-admin.js';
import type { RunningServer } from './server.js';
import { fingerprint } from './testing/fingerprint.js';
import { sseStatus } from './testing/sse.js';
import { malformedInputs, rng, type FieldRules } from './testing/fuzz-inputs.js';
import { echoFlow, signedIn, startTestServer, waitForRunState, type TestClient } from './testing/harness.js';

const PER_PROCEDURE = 200;
const errors: string[] = [];
let server: RunningServer;
let c: TestClient;
let runId = '';
let adminId = '';

beforeAll(async () => {
  server = await startTestServer({ errors });
  c = await signedIn(server.url);
  await c.trpc.flows.create.mutate({ definition: echoFlow('fz') });
  runId = (await c.trpc.runs.start.mutate({ flowId: 'fz' })).id;
  await waitForRunState(c.trpc, runId, ['SUCCESS']);
  adminId = (await c.trpc.auth.me.query())!.user.id;
});
afterAll(() => server?.close());

type Kind = 'query' | 'mutation' | 'subscription';

/** A valid input per procedure, and which of its fields hold free JSON. */
function bases(): Record<string, { input: unknown; rules?: FieldRules }> {
  const definition = echoFlow('fz-new');
  const opaque = new Set(['definition', 'json', 'inputs']);
  return {
    'atoms.list': { input: undefined },
    'atoms.inputNames': { input: { atoms: [{ type: 'transform', version: 1, config: { expression: 'a', requires: ['a'] } }] } },
    'auth.login': { input: { email: ADMIN_EMAIL, password: 'not-the-password' } },
    'auth.me': { input: undefined },
    'auth.logout': { input: undefined },
    'auth.changePassword': { input: { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' } },
    'users.list': { input: undefined },
    'users.create': { input: { email: 'fz@example.com', name: 'Fz', role: 'viewer', password: 'long-enough-pass' } },
    'users.update': { input: { id: adminId, name: 'Administrator' } },
    'flows.list': { input: { search: 'x', limit: 10 } },
    'flows.get': { input: { flowId: 'fz', revision: 1 } },
    'flows.revisions': { input: { flowId: 'fz' } },
    'flows.validate': { input: { definition, inputs: ['a'] }, rules: { opaque } },
    'flows.create': { input: { definition }, rules: { opaque } },
    'flows.saveRevision': { input: { flowId: 'fz', baseRevision: 1, definition: echoFlow('fz') }, rules: { opaque } },
    'flows.diff': { input: { flowId: 'fz', from: 1, to: 1 } },
    'flows.export': { input: { flowId: 'fz', revision: 1 } },
    'flows.import': { input: { json: JSON.stringify(echoFlow('fz-imported')) }, rules: { opaque } },
    'flows.delete': { input: { flowId: 'fz' } },
    'runs.start': { input: { flowId: 'fz', revision: 1, inputs: {} }, rules: { opaque } },
    'runs.list': { input: { states: ['SUCCESS'], flowId: 'fz', limit: 10, createdAfter: '2020-01-01T00:00:00Z' } },
    'runs.get': { input: { runId } },
    'runs.events': { input: { runId, afterSeq: 0, limit: 10 } },
    'runs.preview': { input: { runId, op: { type: 'retryAtom', atom: 'a' } } },
    'runs.operate': { input: { runId, op: { type: 'markSuccess', atom: 'a', result: 1 } }, rules: { skip: new Set(['result']) } },
    'runs.approve': { input: { runId, atom: 'a', value: { amount: 1, note: 'ok' } }, rules: { skip: new Set(['value']) } },
    'runs.reject': { input: { runId, atom: 'a', reason: 'no budget' } },
    'runs.command': { input: { id: 1 } },
    'runs.operateMany': { input: { runIds: [runId], op: { type: 'cancel' } } },
    'runs.migrateTargets': { input: { runId } },
    'runs.migratePreview': { input: { runId, revision: 1, source: false } },
    'runs.migrate': { input: { runId, revision: 1, source: false } },
    'live.run': { input: { runId, lastEventId: '1' } },
    'live.runs': { input: { flowId: 'fz', lastEventId: null } },
  };
}

interface Outcome {
  readonly status: number;
  /** tRPC's httpStatus of the error inside an SSE stream, when there is one. */
  readonly streamStatus?: number;
}

/** `anonymous`: without the session cookie (logout would end the test's own session). */
async function call(path: string, kind: Kind, input: unknown, anonymous = false): Promise<Outcome> {
  const headers: Record<string, string> = anonymous ? { 'x-atomflow-csrf': 'x' } : { cookie: c.jar.cookie, 'x-atomflow-csrf': c.jar.csrf };
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  if (kind === 'mutation') {
    const res = await fetch(`${server.url}/api/trpc/${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(input) ?? '',
    });
    await res.arrayBuffer();
    return { status: res.status };
  }
  if (kind === 'query') {
    const res = await fetch(`${server.url}/api/trpc/${path}${query}`, { headers });
    await res.arrayBuffer();
    return { status: res.status };
  }
  // a subscription: its first event (an error, or data), or nothing for a moment (it stays open)
  const o = await sseStatus(`${server.url}/api/trpc/${path}${query}`, headers, 300);
  return { status: o.status, ...(o.streamStatus !== undefined ? { streamStatus: o.streamStatus } : {}) };
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('fuzz', () => {
  it(`answers ${PER_PROCEDURE} malformed inputs to every procedure with 4xx, never 5xx, and writes nothing`, async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: Kind } }>).map(
      ([path, p]) => ({ path, kind: p._def.type }),
    );
    const table = bases();
    // every procedure is fuzzed (a new one without a base input fails here)
    expect(procedures.map((p) => p.path).sort()).toEqual(Object.keys(table).sort());
    const before = await fingerprint(server);
    const r = rng(20_240_501);
    const statuses = new Map<string, number>();
    const fives: string[] = [];
    for (const { path, kind } of procedures) {
      const base = table[path]!;
      const inputs = malformedInputs(r, base.input, PER_PROCEDURE, base.rules);
      const t0 = Date.now();
      await pool(inputs, 8, async (input) => {
        const o = await call(path, kind, input, path === 'auth.logout');
        const status = o.streamStatus ?? o.status;
        statuses.set(`${path} ${status}`, (statuses.get(`${path} ${status}`) ?? 0) + 1);
        if (o.status >= 500 || (o.streamStatus ?? 0) >= 500) fives.push(`${path} ${status} ${JSON.stringify(input).slice(0, 200)}`);
      });
      if (process.env['FUZZ_TIMES']) console.log(path, Date.now() - t0);
    }
    expect(fives).toEqual([]);
    expect(errors).toEqual([]);
    expect(await fingerprint(server)).toEqual(before);
    // inputs of procedures that take one are refused as bad input (some reach a 404/409/412 check first)
    const badInput = [...statuses].filter(([k]) => / 400$/.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(badInput).toBeGreaterThan(procedures.length * PER_PROCEDURE * 0.6);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 180_000);

  it('answers malformed HTTP (bad JSON, wrong method, oversized body, bad batch) with 4xx', async () => {
    const before = await fingerprint(server);
    const h = { cookie: c.jar.cookie, 'x-atomflow-csrf': c.jar.csrf, 'content-type': 'application/json' };
    const post = (path: string, body: string | Uint8Array) => fetch(`${server.url}/api/trpc/${path}`, { method: 'POST', headers: h, body });
    const get = (pathAndQuery: string) => fetch(`${server.url}/api/trpc/${pathAndQuery}`, { headers: h });
    const results = await Promise.all([
      post('flows.create', '{"definition": '),
      post('flows.create', 'not json at all'),
      post('flows.create', new Uint8Array([0xff, 0xfe, 0x00, 0x01])),
      post('flows.create', JSON.stringify({ definition: { id: 'big', padding: 'x'.repeat(9 * 1024 * 1024) } })),
      get('flows.get?input=%7Bnot-json'),
      get('flows.create?input=%7B%7D'),
      post('flows.list', '{}'),
      get('flows.nope,flows.nada?batch=1&input=%7B%7D'),
      get('flows.list?batch=1&input=%5B1%2C2%5D'),
      get('..%2F..%2Fetc%2Fpasswd'),
    ]);
    const statuses = await Promise.all(
      results.map(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    expect(statuses.filter((s) => s < 400 || s >= 500)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await fingerprint(server)).toEqual(before);
  });
});
