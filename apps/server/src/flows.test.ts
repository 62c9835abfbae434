import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { echoFlow, signedIn, startTestServer, waitForRunState, type TestClient } from './testing/harness.js';
import { errorOf, rawCall } from './testing/raw.js';

let server: RunningServer;
let c: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  c = await signedIn(server.url);
});
afterAll(() => server?.close());

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError)
      return { code: (e.data as { code: string }).code, message: e.message, data: e.data as Record<string, unknown> };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('atoms', () => {
  it('lists the registry with JSON Schemas of config, inputs and outputs', async () => {
    const atoms = await c.trpc.atoms.list.query();
    const http = atoms.find((a) => a.type === 'http.request')!;
    expect(http.version).toBe(1);
    expect(http.config).toMatchObject({ type: 'object', properties: { url: expect.any(Object) } });
    expect(atoms.map((a) => a.type)).toEqual(expect.arrayContaining(['test.echo', 'test.fail', 'delay', 'log']));
  });
});

describe('flows', () => {
  it('creates a flow at revision 1 and refuses the same id twice', async () => {
    const { revision, problems } = await c.trpc.flows.create.mutate({ definition: echoFlow('orders', { name: 'Orders', revision: 7 }) });
    expect(revision).toMatchObject({ flowId: 'orders', revision: 1 });
    expect(problems).toEqual([]);
    expect((await failure(c.trpc.flows.create.mutate({ definition: echoFlow('orders') }))).code).toBe('CONFLICT');
    const got = await c.trpc.flows.get.query({ flowId: 'orders' });
    expect(got.flow).toMatchObject({ id: 'orders', name: 'Orders', latestRevision: 1, lastRun: null });
    expect(got.revision.definition.root.children).toHaveLength(2);
  });

  it('saves immutable numbered revisions and refuses a save based on a stale revision', async () => {
    await c.trpc.flows.create.mutate({ definition: echoFlow('revs') });
    const changed = echoFlow('revs', { name: 'second' });
    const r2 = await c.trpc.flows.saveRevision.mutate({ flowId: 'revs', baseRevision: 1, definition: changed });
    expect(r2.revision.revision).toBe(2);
    const stale = await failure(
      c.trpc.flows.saveRevision.mutate({ flowId: 'revs', baseRevision: 1, definition: echoFlow('revs', { name: 'lost update' }) }),
    );
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toContain('is at revision 2 now');
    // revision 1 is still exactly what it was
    expect((await c.trpc.flows.get.query({ flowId: 'revs', revision: 1 })).revision.definition.name).toBeUndefined();
    expect((await c.trpc.flows.revisions.query({ flowId: 'revs' })).map((r) => [r.revision, r.name, r.atomCount])).toEqual([
      [2, 'second', 2],
      [1, null, 2],
    ]);
    expect((await failure(c.trpc.flows.get.query({ flowId: 'revs', revision: 3 }))).code).toBe('NOT_FOUND');
  });

  it('validate returns every problem with its path, for shape and semantics', async () => {
    const shape = await failure(
      c.trpc.flows.validate.mutate({
        definition: { id: 'bad id!', root: { kind: 'linear', name: 'root', children: [{ name: 'a' }, { kind: 'sideways', name: 'f' }] } },
      }),
    );
    expect(shape.code).toBe('BAD_REQUEST');
    expect((shape.data['problems'] as Array<{ path: string }>).map((p) => p.path)).toEqual(
      expect.arrayContaining(['id', 'root.children.0.type', 'root.children.1.kind']),
    );

    const semantic = await c.trpc.flows.validate.mutate({
      definition: {
        id: 'sem',
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'a', type: 'no.such.atom' },
            { name: 'a', type: 'test.echo' },
            { name: 'c', type: 'http.request', config: { url: 42 } },
          ],
        },
      },
    });
    expect(semantic.valid).toBe(false);
    expect(semantic.problems.map((p) => [p.code, p.path])).toEqual(
      expect.arrayContaining([
        ['unknown-atom-type', 'root.children.0.type'],
        ['duplicate-name', 'root.children.1.name'],
        ['invalid-config', expect.stringMatching(/^root\.children\.2\.config\.url/)],
      ]),
    );
    expect(await c.trpc.flows.validate.mutate({ definition: echoFlow('fine') })).toEqual({ valid: true, problems: [], inputs: [] });
  });

  it('reports input errors as field paths (zodError) with HTTP 400', async () => {
    const res = await rawCall(
      server.url,
      'flows.saveRevision',
      { flowId: 'revs', baseRevision: 'two' },
      { type: 'mutation', cookie: c.jar.cookie, csrf: c.jar.csrf },
    );
    expect(res.status).toBe(400);
    const e = errorOf(res.body);
    expect(e.zodError?.map((z) => z.path)).toEqual(expect.arrayContaining(['baseRevision', 'definition']));
  });

  it('diffs two revisions', async () => {
    await c.trpc.flows.create.mutate({ definition: echoFlow('diffed') });
    const next = echoFlow('diffed');
    const root = next.root as { children: Array<Record<string, unknown>> };
    root.children = [
      { ...root.children[0], version: 1, config: { value: 2 } },
      { name: 'c', type: 'test.echo' },
    ];
    await c.trpc.flows.saveRevision.mutate({ flowId: 'diffed', baseRevision: 1, definition: next });
    const diff = await c.trpc.flows.diff.query({ flowId: 'diffed', from: 1, to: 2 });
    expect(diff.added.map((a) => a.name)).toEqual(['c']);
    expect(diff.removed.map((a) => a.name)).toEqual(['b']);
    expect(diff.configChanged).toEqual(['a']);
  });

  it('exports a revision as JSON and imports it back (new flow, then as the next revision only when changed)', async () => {
    await c.trpc.flows.create.mutate({ definition: echoFlow('shipped', { name: 'Shipped' }) });
    const file = await c.trpc.flows.export.query({ flowId: 'shipped' });
    expect(file.fileName).toBe('shipped.r1.json');
    const parsed = JSON.parse(file.json) as { id: string; name: string };
    expect(parsed).toMatchObject({ id: 'shipped', name: 'Shipped', revision: 1 });

    const again = await c.trpc.flows.import.mutate({ json: file.json });
    expect(again).toMatchObject({ created: false, changed: false, revision: { revision: 1 } });
    const changed = await c.trpc.flows.import.mutate({ json: { ...parsed, name: 'Shipped v2' } });
    expect(changed).toMatchObject({ created: false, changed: true, revision: { revision: 2 } });
    const fresh = await c.trpc.flows.import.mutate({ json: JSON.stringify({ ...parsed, id: 'imported', revision: 4 }) });
    expect(fresh).toMatchObject({ created: true, revision: { flowId: 'imported', revision: 4 } });

    const broken = await failure(c.trpc.flows.import.mutate({ json: '{"id": "x", ' }));
    expect(broken.code).toBe('BAD_REQUEST');
    expect(broken.message).toMatch(/^not valid JSON/);
  });

  it('lists flows with search and cursor pagination, with each flow’s last run', async () => {
    for (const id of ['page-a', 'page-b', 'page-c'])
      await c.trpc.flows.create.mutate({ definition: echoFlow(id, { name: `Paged ${id}` }) });
    const run = await c.trpc.runs.start.mutate({ flowId: 'page-b' });
    const first = await c.trpc.flows.list.query({ search: 'PAGED', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await c.trpc.flows.list.query({ search: 'paged', limit: 2, cursor: first.nextCursor! });
    const ids = [...first.items, ...second.items].map((f) => f.id);
    expect(ids.sort()).toEqual(['page-a', 'page-b', 'page-c']);
    expect(second.nextCursor).toBeNull();
    const b = [...first.items, ...second.items].find((f) => f.id === 'page-b')!;
    expect(b.lastRun?.id).toBe(run.id);
    expect((await c.trpc.flows.list.query({ search: '%' })).items).toEqual([]);
    expect((await failure(c.trpc.flows.list.query({ cursor: 'garbage' }))).code).toBe('BAD_REQUEST');
  });

  it('delete is refused while a run is unfinished, then removes the flow with its revisions and runs', async () => {
    await c.trpc.flows.create.mutate({
      definition: {
        id: 'doomed',
        root: { kind: 'linear', name: 'root', children: [{ name: 's', type: 'test.sleep', config: { ms: 60_000 } }] },
      },
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'doomed' });
    const refused = await failure(c.trpc.flows.delete.mutate({ flowId: 'doomed' }));
    expect(refused.code).toBe('PRECONDITION_FAILED');
    expect(refused.message).toContain('1 unfinished run');
    await waitForRunState(c.trpc, run.id, ['RUNNING']);
    await c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'cancel' } });
    await waitForRunState(c.trpc, run.id, ['CANCELLED']);
    expect(await c.trpc.flows.delete.mutate({ flowId: 'doomed' })).toEqual({ deleted: true, runs: 1 });
    expect((await failure(c.trpc.flows.get.query({ flowId: 'doomed' }))).code).toBe('NOT_FOUND');
    expect((await failure(c.trpc.runs.get.query({ runId: run.id }))).code).toBe('NOT_FOUND');
    expect((await failure(c.trpc.flows.delete.mutate({ flowId: 'doomed' }))).code).toBe('NOT_FOUND');
  });
});
