import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { builtinAtoms, createRegistry } from '@atomflow/atoms';
import { AtomRegistry, InMemoryStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, validateFlow } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type RunningServer } from '../server.js';
import { ADMIN_PASSWORD, signedIn, startTestServer, waitForRunState, type TestClient } from '../testing/harness.js';
import { APPROVAL_ID, HTTP_PIPELINE_ID, ORDER_SAGA_ID } from './example-flows.js';
import { exampleFlows, seedExamples, selfOrigin } from './seed-examples.js';

const registry = createRegistry();

/** A port free on 127.0.0.1 other than `not`. */
async function freePort(not: number): Promise<number> {
  for (;;) {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (port !== not) return port;
  }
}
const EXPECTED = [ORDER_SAGA_ID, HTTP_PIPELINE_ID, APPROVAL_ID];

describe('example flows on a fresh server', () => {
  let server: RunningServer;
  let c: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    c = await signedIn(server.url);
  });
  afterAll(() => server?.close());

  it('are seeded on the first start, listed, and valid (no problems, no inputs to give)', async () => {
    expect(server.examples).toEqual(EXPECTED);
    const listed = await c.trpc.flows.list.query({ search: 'example-' });
    expect(listed.items.map((f) => f.id).sort()).toEqual([...EXPECTED].sort());
    for (const id of EXPECTED) {
      const got = await c.trpc.flows.get.query({ flowId: id });
      expect(got.revision.revision).toBe(1);
      expect(got.problems).toEqual([]);
      expect(got.flow.name).toMatch(/^Example: /);
      // runnable as it is: validating with no inputs at all finds nothing missing
      expect(validateFlow(got.revision.definition, registry, { inputs: [] })).toEqual([]);
    }
  });

  it('the order saga fails at shipping and compensates the earlier steps, newest first', async () => {
    const run = await c.trpc.runs.start.mutate({ flowId: ORDER_SAGA_ID });
    expect(await waitForRunState(c.trpc, run.id, ['REVERTED', 'FAILURE', 'SUCCESS'])).toBe('REVERTED');
    const got = await c.trpc.runs.get.query({ runId: run.id });
    expect(Object.fromEntries(got.atoms.map((a) => [a.name, a.state]))).toEqual({
      'receive-order': 'REVERTED',
      'reserve-stock': 'REVERTED',
      'charge-card': 'REVERTED',
      ship: 'REVERTED',
    });
    expect(got.run.failure?.message).toContain('ship failed');
    const events = await c.trpc.runs.events.query({ runId: run.id });
    const reverted = events.filter((e) => e.kind === 'atom' && e.to === 'REVERTED').map((e) => e.atom);
    expect(reverted).toEqual(['ship', 'charge-card', 'reserve-stock', 'receive-order']);
  });

  it('the HTTP pipeline retries the flaky call with backoff and succeeds on the third attempt', async () => {
    const started = Date.now();
    const run = await c.trpc.runs.start.mutate({ flowId: HTTP_PIPELINE_ID });
    expect(await waitForRunState(c.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'], 30_000)).toBe('SUCCESS');
    // two failed attempts waited 300 ms, then 600 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const got = await c.trpc.runs.get.query({ runId: run.id });
    const byName = new Map(got.atoms.map((a) => [a.name, a]));
    expect(byName.get('fetch-quote')).toMatchObject({
      state: 'SUCCESS',
      attempts: 3,
      result: { status: 200, body: { ok: true, attempt: 3 } },
    });
    const retry = byName.get('fetch-with-retry-retry')!;
    expect(retry.kind).toBe('retry');
    expect(retry.history?.length).toBe(3);
    expect(Object.values(retry.history![0]!.failures)[0]?.message).toContain('503');
    expect(byName.get('post-result')).toMatchObject({
      state: 'SUCCESS',
      result: { status: 200, body: { method: 'POST', body: { event: 'quote-fetched', source: HTTP_PIPELINE_ID } } },
    });
    expect(byName.get('log-quote')?.state).toBe('SUCCESS');
    // a second run sees the same failures again (the demo endpoint starts over after a success)
    const again = await c.trpc.runs.start.mutate({ flowId: HTTP_PIPELINE_ID });
    expect(await waitForRunState(c.trpc, again.id, ['SUCCESS', 'FAILURE', 'REVERTED'], 30_000)).toBe('SUCCESS');
    const second = await c.trpc.runs.get.query({ runId: again.id });
    expect(second.atoms.find((a) => a.name === 'fetch-quote')?.attempts).toBe(3);
  });

  it('the refund approval waits for a person, then issues the approved amount', async () => {
    const run = await c.trpc.runs.start.mutate({ flowId: APPROVAL_ID });
    await waitForRunState(c.trpc, run.id, ['WAITING', 'SUCCESS', 'FAILURE', 'REVERTED']);
    const waiting = await c.trpc.runs.get.query({ runId: run.id });
    expect(waiting.atoms.find((a) => a.name === 'approve-refund')).toMatchObject({ state: 'WAITING', waitReason: 'approval' });
    await c.trpc.runs.approve.mutate({ runId: run.id, atom: 'approve-refund', value: { amount: 50, note: 'sorry about that' } });
    expect(await waitForRunState(c.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    const done = await c.trpc.runs.get.query({ runId: run.id });
    expect(done.atoms.find((a) => a.name === 'issue-refund')?.result).toMatchObject({
      message: 'Refunding 50 EUR for order A-1001: sorry about that',
    });
  });
});

describe('seeding', () => {
  it('happens once per database: a deleted example is not re-created on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atomflow-examples-'));
    const start = (): Promise<RunningServer> =>
      startServer({
        config: {
          port: 0,
          host: '127.0.0.1',
          dataDir,
          databaseUrl: undefined,
          adminPassword: ADMIN_PASSWORD,
          secret: undefined,
          workerCapacity: 1,
          livePollMs: 3000,
        },
        logError: () => undefined,
        registry,
        webDir: join(tmpdir(), 'atomflow-tests-no-web-app'),
      });
    try {
      const first = await start();
      try {
        expect(first.examples).toEqual(EXPECTED);
        const c = await signedIn(first.url);
        await c.trpc.flows.delete.mutate({ flowId: ORDER_SAGA_ID });
      } finally {
        await first.close();
      }
      const second = await start();
      try {
        expect(second.examples).toEqual([]);
        const c = await signedIn(second.url);
        const ids = (await c.trpc.flows.list.query({ search: 'example-' })).items.map((f) => f.id);
        expect(ids).not.toContain(ORDER_SAGA_ID);
        expect(ids).toContain(HTTP_PIPELINE_ID);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('skips an example this registry cannot run (and says why)', async () => {
    const store = new InMemoryStore();
    const logged: string[] = [];
    const withoutApproval = new AtomRegistry(builtinAtoms.filter((a) => a.type !== 'approval'));
    const r = await seedExamples(store, withoutApproval, (m) => logged.push(m));
    expect(r).toEqual({ created: [ORDER_SAGA_ID, HTTP_PIPELINE_ID], skipped: [APPROVAL_ID] });
    expect(logged.join('\n')).toContain(`example flow ${APPROVAL_ID} not seeded`);
    expect(await store.latestRevision(APPROVAL_ID)).toBeUndefined();
  });

  it('never overwrites a flow that already has an example id', async () => {
    const store = new InMemoryStore();
    const mine = parseFlowDefinitionOrThrow({
      id: ORDER_SAGA_ID,
      name: 'my own saga',
      root: { kind: 'linear', name: 'root', children: [{ name: 'a', type: 'log', config: { message: 'hi' } }] },
    });
    await store.saveRevision(mine);
    const r = await seedExamples(store, registry);
    expect(r.skipped).toEqual([ORDER_SAGA_ID]);
    expect(r.created).toEqual(EXPECTED.filter((id) => id !== ORDER_SAGA_ID));
    expect((await store.latestRevision(ORDER_SAGA_ID))?.definition.name).toBe('my own saga');
  });

  it('the HTTP example stores paths on the server, no address; the server is its own base URL', () => {
    expect(selfOrigin('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(selfOrigin('::', 3000)).toBe('http://[::1]:3000');
    expect(selfOrigin('::1', 8080)).toBe('http://[::1]:8080');
    expect(selfOrigin('127.0.0.1', 1234)).toBe('http://127.0.0.1:1234');
    const http = JSON.stringify(exampleFlows().find((f) => f.id === HTTP_PIPELINE_ID)!.root);
    expect(http).toContain('"url":"/api/demo/flaky?');
    expect(http).toContain('"url":"/api/demo/echo?');
    expect(http).not.toContain('http://');
  });

  it('the HTTP example still succeeds when the server starts again on another port (same data)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'atomflow-examples-port-'));
    const start = (port: number): Promise<RunningServer> =>
      startServer({
        config: {
          port,
          host: '127.0.0.1',
          dataDir,
          databaseUrl: undefined,
          adminPassword: ADMIN_PASSWORD,
          secret: undefined,
          workerCapacity: 4,
          livePollMs: 3000,
        },
        logError: () => undefined,
        registry,
        workerPollMs: 100,
        webDir: join(tmpdir(), 'atomflow-tests-no-web-app'),
      });
    try {
      const first = await start(0);
      const seededOn = first.port;
      try {
        expect(first.examples).toContain(HTTP_PIPELINE_ID);
      } finally {
        await first.close();
      }
      const second = await start(await freePort(seededOn));
      try {
        expect(second.port).not.toBe(seededOn);
        const c = await signedIn(second.url);
        const run = await c.trpc.runs.start.mutate({ flowId: HTTP_PIPELINE_ID });
        expect(await waitForRunState(c.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'], 30_000)).toBe('SUCCESS');
        const got = await c.trpc.runs.get.query({ runId: run.id });
        expect(got.atoms.find((a) => a.name === 'post-result')).toMatchObject({
          state: 'SUCCESS',
          result: { status: 200, body: { method: 'POST', body: { source: HTTP_PIPELINE_ID } } },
        });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
