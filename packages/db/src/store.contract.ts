import { randomUUID } from 'node:crypto';

import { LeaseLostError, RevisionConflictError, RunNotFoundError, type NewRun, type RunChange, type WorkStore } from '@atomflow/engine';
import type { AtomDetail, FlowDefinition, NewRunEvent, SubStep } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

/*
 * The behaviour every durable Store must have, run against each backend (PGlite, PostgreSQL).
 * Backends share one database per test file, so every test works under its own ids (`uid`), and
 * timers (the only cross-run query) use dates no other test uses.
 */

const uid = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function atom(name: string, over: Partial<AtomDetail> = {}): AtomDetail {
  return { name, type: 'test.echo', version: 1, kind: 'task', state: 'PENDING', intention: 'EXECUTE', attempts: 0, ...over };
}

export function newRun(over: Partial<NewRun> = {}): NewRun {
  return {
    id: uid('run'),
    logbookId: 'lb-contract',
    flowId: uid('flow'),
    revision: 1,
    rootName: 'root',
    inputs: {},
    meta: {},
    atoms: [atom('a'), atom('b')],
    ...over,
  };
}

export function atomEvent(name: string, from: string, to: string, data: Record<string, unknown> | null = null): NewRunEvent {
  return { kind: 'atom', atom: name, from, to, data };
}

function definition(id: string, revision: number, over: Partial<FlowDefinition> = {}): FlowDefinition {
  return {
    id,
    revision,
    root: {
      kind: 'linear',
      name: 'root',
      edges: [],
      children: [{ name: 'a', type: 'test.echo', version: 1, config: { value: 1 }, requires: [], rebind: {}, inject: {} }],
    },
    ...over,
  };
}

/** `getStore` returns the store under test (the same instance for the whole file is fine). */
export function storeContract(label: string, getStore: () => WorkStore): void {
  describe(`Store contract (${label})`, () => {
    describe('logbooks and revisions', () => {
      it('ensureLogBook creates once and then returns the existing book', async () => {
        const store = getStore();
        const id = uid('lb');
        const first = await store.ensureLogBook(id, 'Orders');
        expect(first).toMatchObject({ id, name: 'Orders' });
        expect(Number.isNaN(Date.parse(first.createdAt))).toBe(false);
        const again = await store.ensureLogBook(id, 'Another name');
        expect(again).toEqual(first);
      });

      it('saveRevision stores a revision, is idempotent for the same body and refuses another body', async () => {
        const store = getStore();
        const flowId = uid('flow');
        const def = definition(flowId, 1, { name: 'Orders', options: { deferReverts: false } });
        const saved = await store.saveRevision(def);
        expect(saved).toMatchObject({ flowId, revision: 1, definition: def });

        // The schema's own fields in another order: the same definition (only the author's key order counts).
        const reordered = JSON.parse(
          JSON.stringify({ options: def.options, root: def.root, revision: 1, name: 'Orders', id: flowId }),
        ) as FlowDefinition;
        expect(await store.saveRevision(reordered)).toEqual(saved);

        const changed = definition(flowId, 1, { name: 'Orders', description: 'changed' });
        await expect(store.saveRevision(changed)).rejects.toBeInstanceOf(RevisionConflictError);
        expect((await store.getRevision(flowId, 1))?.definition).toEqual(def);
      });

      it("a definition comes back with every object's keys in the order written (steps run, form fields show in it)", async () => {
        const store = getStore();
        const flowId = uid('flow');
        // Neither alphabetical nor by length (jsonb's order): only a store keeping the text keeps it.
        const steps = { zeta: 1, a: 2, mid: 1, bb: 3 };
        const form = { type: 'object', properties: { zip: { type: 'string' }, a: { type: 'number' }, name: { type: 'string' } } };
        const def = definition(flowId, 1, {
          name: 'Order',
          root: {
            kind: 'linear',
            name: 'root',
            edges: [],
            children: [
              { name: 'kopf', type: 'test.steps', version: 1, config: { steps, delayMs: 0 }, requires: [], rebind: {}, inject: {} },
              { name: 'gate', type: 'approval', version: 1, config: { title: 'Go?', form }, requires: [], rebind: {}, inject: {} },
            ],
          },
        });
        const keysOf = (d: FlowDefinition | undefined) => {
          const [kopf, gate] = (d?.root.kind === 'linear' ? d.root.children : []) as { config?: Record<string, unknown> }[];
          const p = (gate?.config?.['form'] as { properties: object } | undefined)?.properties ?? {};
          return { top: Object.keys(d ?? {}), steps: Object.keys(kopf?.config?.['steps'] ?? {}), form: Object.keys(p) };
        };
        const written = { top: Object.keys(def), steps: ['zeta', 'a', 'mid', 'bb'], form: ['zip', 'a', 'name'] };
        expect(keysOf((await store.saveRevision(def)).definition)).toEqual(written);
        expect(keysOf((await store.getRevision(flowId, 1))?.definition)).toEqual(written);
        expect(keysOf((await store.latestRevision(flowId))?.definition)).toEqual(written);
        // saving it again is idempotent (a retried save, a run started from it): the same revision
        expect(keysOf((await store.saveRevision(def)).definition)).toEqual(written);
        expect(keysOf((await store.saveRevision(JSON.parse(JSON.stringify(def)) as FlowDefinition)).definition)).toEqual(written);
        // the steps in another order are another definition (they would run in that order): refused
        // as this revision, still as first written; saved as the next revision, kept in its order
        const reordered = JSON.parse(
          JSON.stringify(def).replace('"zeta":1,"a":2,"mid":1,"bb":3', '"bb":3,"mid":1,"a":2,"zeta":1'),
        ) as FlowDefinition;
        expect(keysOf(reordered).steps).toEqual(['bb', 'mid', 'a', 'zeta']);
        await expect(store.saveRevision(reordered)).rejects.toBeInstanceOf(RevisionConflictError);
        expect(keysOf((await store.getRevision(flowId, 1))?.definition)).toEqual(written);
        const next = await store.saveRevision({ ...reordered, revision: 2 });
        expect(keysOf(next.definition).steps).toEqual(['bb', 'mid', 'a', 'zeta']);
        expect(keysOf((await store.latestRevision(flowId))?.definition).steps).toEqual(['bb', 'mid', 'a', 'zeta']);
      });

      it('getRevision and latestRevision find revisions by number', async () => {
        const store = getStore();
        const flowId = uid('flow');
        expect(await store.latestRevision(flowId)).toBeUndefined();
        await store.saveRevision(definition(flowId, 2));
        await store.saveRevision(definition(flowId, 10, { description: 'ten' }));
        await store.saveRevision(definition(flowId, 3));
        expect((await store.latestRevision(flowId))?.revision).toBe(10);
        expect((await store.latestRevision(flowId))?.definition.description).toBe('ten');
        expect((await store.getRevision(flowId, 3))?.revision).toBe(3);
        expect(await store.getRevision(flowId, 4)).toBeUndefined();
        expect(await store.getRevision(uid('nope'), 1)).toBeUndefined();
      });
    });

    describe('runs', () => {
      it('createRun then loadRun round-trips the run and its atoms, JSON values exactly', async () => {
        const store = getStore();
        const failure = { type: 'Boom', message: 'it broke', cause: { type: 'Inner', message: 'deeper' }, details: { status: 503 } };
        const atoms: AtomDetail[] = [
          atom('zero', { result: 0 }),
          atom('false', { result: false }),
          atom('empty', { result: '' }),
          atom('list', { result: [] }),
          atom('numeric-string', { result: '123' }),
          atom('bool-string', { result: 'true' }),
          atom('nested', { result: { a: [1, { b: null, c: 'x' }], d: { e: {} } } }),
          atom('absent'),
          atom('failed', {
            state: 'FAILURE',
            attempts: 2,
            failure,
            revertResult: 0,
            revertFailure: failure,
            wakeAt: '2100-01-02T03:04:05.678Z',
            waitReason: 'timer',
            startedAt: '2100-01-01T00:00:00.001Z',
            finishedAt: '2100-01-01T00:00:01.999Z',
            inputs: { x: 0, y: [false] },
          }),
          atom('retry', { kind: 'retry', type: 'retry.times', version: 3, history: [{ result: 1, failures: { a: failure } }] }),
        ];
        const run = newRun({
          inputs: { n: 0, s: '', flag: false, list: [], obj: { deep: [1] } },
          meta: { by: 'test', stopAfter: 'b' },
          atoms,
        });
        const created = await store.createRun(run);
        expect(created).toMatchObject({
          id: run.id,
          logbookId: run.logbookId,
          flowId: run.flowId,
          revision: 1,
          rootName: 'root',
          state: 'PENDING',
          inputs: run.inputs,
          meta: run.meta,
        });
        expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

        const loaded = await store.loadRun(run.id);
        expect(loaded).toBeDefined();
        expect(loaded!.flow).toEqual(created);
        expect(loaded!.lastSeq).toBe(0);
        expect(loaded!.subSteps).toEqual([]);
        const byName = new Map(loaded!.atoms.map((a) => [a.name, a]));
        expect(byName.size).toBe(atoms.length);
        for (const a of atoms) expect(byName.get(a.name)).toEqual(expect.objectContaining(a));
        expect(byName.get('zero')!.result).toBe(0);
        expect(byName.get('false')!.result).toBe(false);
        expect(byName.get('empty')!.result).toBe('');
        expect(byName.get('numeric-string')!.result).toBe('123');
        expect(byName.get('bool-string')!.result).toBe('true');
        expect(byName.get('absent')!.result).toBeUndefined();
        expect('result' in byName.get('absent')!).toBe(false);
        expect(byName.get('failed')!.revertResult).toBe(0);
      });

      it('createRun refuses an existing run id and leaves the first run alone', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        await expect(store.createRun({ ...run, atoms: [atom('other')] })).rejects.toThrow(/already exists/);
        expect((await store.loadRun(run.id))!.atoms.map((a) => a.name).sort()).toEqual(['a', 'b']);
      });

      it('ids and texts with quotes, backslashes and SQL round-trip verbatim', async () => {
        const store = getStore();
        const nasty = `it's a \\ "run"'); drop table runs; -- ${uid('q')}`;
        const run = newRun({ id: nasty, rootName: "root's", atoms: [atom("a'b", { result: "x'); --" })] });
        await store.createRun(run);
        const events = await store.commit(nasty, {
          atoms: [atom("a'b", { state: 'SUCCESS', result: "\\'" })],
          flow: { state: 'RUNNING', startedAt: '2100-01-01T00:00:00.000Z' },
          events: [atomEvent("a'b", 'PENDING', "RUN'NING", { s: "''" })],
        });
        expect(events[0]).toMatchObject({ runId: nasty, atom: "a'b", to: "RUN'NING", data: { s: "''" } });
        const loaded = (await store.loadRun(nasty))!;
        expect(loaded.flow).toMatchObject({ id: nasty, rootName: "root's", state: 'RUNNING' });
        expect(loaded.atoms[0]).toMatchObject({ name: "a'b", result: "\\'" });
        expect(await store.events(nasty)).toEqual(events);
      });

      it('loadRun of an unknown run is undefined', async () => {
        expect(await getStore().loadRun(uid('missing'))).toBeUndefined();
      });

      it('listRuns: newest first, filtered by flow and states, limited', async () => {
        const store = getStore();
        const flowId = uid('flow');
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          const run = newRun({ flowId });
          ids.push(run.id);
          await store.createRun(run);
        }
        await store.commit(ids[1]!, { flow: { state: 'RUNNING' }, events: [] });
        await store.commit(ids[2]!, { flow: { state: 'SUCCESS' }, events: [] });

        expect((await store.listRuns({ flowId })).map((r) => r.id)).toEqual([...ids].reverse());
        expect((await store.listRuns({ flowId, limit: 2 })).map((r) => r.id)).toEqual([ids[3], ids[2]]);
        expect((await store.listRuns({ flowId, states: ['RUNNING', 'SUCCESS'] })).map((r) => r.id)).toEqual([ids[2], ids[1]]);
        expect(await store.listRuns({ flowId, states: [] })).toEqual([]);
        expect(await store.listRuns({ flowId: uid('none') })).toEqual([]);

        const running = await store.listRuns({ states: ['RUNNING'] });
        expect(running.map((r) => r.id)).toContain(ids[1]);
        expect(running.every((r) => r.state === 'RUNNING')).toBe(true);
        const all = await store.listRuns();
        expect(all.length).toBeGreaterThanOrEqual(4);
        for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt >= all[i]!.createdAt).toBe(true);
      });
    });

    describe('commit', () => {
      it('assigns increasing, gap-free seqs across commits and returns the stored events', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const first = await store.commit(run.id, {
          events: [atomEvent('a', 'PENDING', 'RUNNING'), { kind: 'flow', atom: null, from: 'PENDING', to: 'RUNNING', data: { n: 0 } }],
        });
        expect(first.map((e) => e.seq)).toEqual([1, 2]);
        expect(first[0]).toEqual({
          runId: run.id,
          seq: 1,
          kind: 'atom',
          atom: 'a',
          from: 'PENDING',
          to: 'RUNNING',
          data: null,
          at: first[0]!.at,
        });
        expect(first[1]!.data).toEqual({ n: 0 });
        expect(first[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

        expect(await store.commit(run.id, { events: [] })).toEqual([]);
        const second = await store.commit(run.id, {
          events: [atomEvent('a', 'RUNNING', 'SUCCESS'), atomEvent('b', 'PENDING', 'RUNNING'), atomEvent('b', 'RUNNING', 'SUCCESS')],
        });
        expect(second.map((e) => e.seq)).toEqual([3, 4, 5]);
        expect(second[0]!.at >= first[0]!.at).toBe(true);

        const all = await store.events(run.id);
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(all).toEqual([...first, ...second]);
        expect((await store.loadRun(run.id))!.lastSeq).toBe(5);
      });

      it('events(afterSeq, limit) pages through the log in order', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        for (let i = 0; i < 5; i++)
          await store.commit(run.id, { events: [atomEvent('a', 'X', String(i)), atomEvent('b', 'X', String(i))] });
        expect((await store.events(run.id, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect((await store.events(run.id, 3, 4)).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
        expect((await store.events(run.id, 8)).map((e) => [e.seq, e.atom, e.to])).toEqual([
          [9, 'a', '4'],
          [10, 'b', '4'],
        ]);
        expect(await store.events(run.id, 10)).toEqual([]);
        expect(await store.events(run.id, 0, 0)).toEqual([]);
      });

      it('upserts atom snapshots (the last of duplicates wins) and updates run fields', async () => {
        const store = getStore();
        const run = newRun();
        const created = await store.createRun(run);
        const failure = { type: 'Error', message: 'x' };
        await store.commit(run.id, {
          atoms: [
            atom('a', { state: 'RUNNING', attempts: 1 }),
            atom('a', { state: 'SUCCESS', attempts: 1, result: [] }),
            atom('added', { state: 'RUNNING', attempts: 1, inputs: { v: 0 } }),
          ],
          flow: { state: 'RUNNING', startedAt: '2100-01-01T00:00:00.000Z', meta: { note: 'hi' }, failure, revision: 2 },
          events: [atomEvent('a', 'PENDING', 'SUCCESS')],
        });
        let loaded = (await store.loadRun(run.id))!;
        const byName = new Map(loaded.atoms.map((a) => [a.name, a]));
        expect(byName.get('a')).toMatchObject({ state: 'SUCCESS', attempts: 1, result: [] });
        expect(byName.get('b')).toMatchObject({ state: 'PENDING' });
        expect(byName.get('added')).toMatchObject({ state: 'RUNNING', inputs: { v: 0 } });
        expect(loaded.flow).toMatchObject({
          state: 'RUNNING',
          startedAt: '2100-01-01T00:00:00.000Z',
          meta: { note: 'hi' },
          failure,
          revision: 2,
        });
        expect(loaded.flow.updatedAt >= created.updatedAt).toBe(true);

        // null clears a nullable field; fields not named stay as they are.
        await store.commit(run.id, { flow: { failure: null, finishedAt: '2100-01-01T00:00:05.000Z', state: 'SUCCESS' }, events: [] });
        loaded = (await store.loadRun(run.id))!;
        expect(loaded.flow).toMatchObject({
          state: 'SUCCESS',
          failure: null,
          startedAt: '2100-01-01T00:00:00.000Z',
          finishedAt: '2100-01-01T00:00:05.000Z',
          meta: { note: 'hi' },
          revision: 2,
        });
        // A snapshot replaces the whole record: a result that is no longer there is gone.
        await store.commit(run.id, { atoms: [atom('a', { state: 'PENDING', intention: 'EXECUTE' })], events: [] });
        const a = (await store.loadRun(run.id))!.atoms.find((x) => x.name === 'a')!;
        expect(a.result).toBeUndefined();
        expect(a.state).toBe('PENDING');
      });

      it('is atomic: a commit that fails in the database leaves no atom change and no event', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        await store.commit(run.id, {
          atoms: [atom('a', { state: 'RUNNING', attempts: 1 })],
          events: [atomEvent('a', 'PENDING', 'RUNNING')],
        });
        const before = await store.loadRun(run.id);

        const bad: RunChange[] = [
          // An atom snapshot violating a constraint, after a valid one.
          {
            atoms: [atom('a', { state: 'SUCCESS', attempts: 1, result: 1 }), atom('b', { state: 'RUNNING', attempts: -1 })],
            flow: { state: 'RUNNING' },
            events: [atomEvent('a', 'RUNNING', 'SUCCESS'), atomEvent('b', 'PENDING', 'RUNNING')],
          },
          // A wrongly typed field inside a snapshot.
          { atoms: [atom('a', { state: 'SUCCESS', version: 1.5 })], events: [atomEvent('a', 'RUNNING', 'SUCCESS')] },
          // An event PostgreSQL cannot store (jsonb has no NUL character), after valid changes.
          {
            atoms: [atom('a', { state: 'SUCCESS', attempts: 1, result: 'ok' })],
            subSteps: [{ atom: 'a', name: 's1', state: 'SUCCESS', attempts: 1, updatedAt: '2100-01-01T00:00:00.000Z' }],
            timers: { set: [{ runId: run.id, atom: 'b', wakeAt: '2100-01-01T00:00:00.000Z' }] },
            events: [atomEvent('a', 'RUNNING', 'SUCCESS'), atomEvent('b', 'PENDING', 'RUNNING', { body: 'a\u0000b' })],
          },
          // An event missing a required field.
          {
            atoms: [atom('a', { state: 'SUCCESS' })],
            events: [atomEvent('a', 'RUNNING', 'SUCCESS'), { ...atomEvent('b', 'X', 'Y'), kind: undefined as never }],
          },
          // A timer with an impossible time.
          {
            atoms: [atom('a', { state: 'WAITING' })],
            timers: { set: [{ runId: run.id, atom: 'a', wakeAt: 'soon' }] },
            events: [atomEvent('a', 'RUNNING', 'WAITING')],
          },
        ];
        for (const change of bad) await expect(store.commit(run.id, change)).rejects.toThrow();

        expect(await store.loadRun(run.id)).toEqual(before);
        expect((await store.events(run.id)).map((e) => e.seq)).toEqual([1]);
        // The counter did not move either: the next commit continues at 2.
        expect((await store.commit(run.id, { events: [atomEvent('a', 'RUNNING', 'SUCCESS')] })).map((e) => e.seq)).toEqual([2]);
      });

      it('concurrent commits to one run get distinct, gap-free seqs', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.commit(run.id, {
              atoms: [atom(`c${i}`, { state: 'SUCCESS', result: i })],
              events: [atomEvent(`c${i}`, 'PENDING', 'RUNNING'), atomEvent(`c${i}`, 'RUNNING', 'SUCCESS')],
            }),
          ),
        );
        const seqs = results.flat().map((e) => e.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        // Each commit's events are consecutive.
        for (const evs of results) expect(evs[1]!.seq).toBe(evs[0]!.seq + 1);
        const stored = await store.events(run.id);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect((await store.loadRun(run.id))!.lastSeq).toBe(40);
      });

      it('refuses commits and event reads for an unknown run', async () => {
        const store = getStore();
        const id = uid('missing');
        await expect(store.commit(id, { atoms: [atom('a')], events: [atomEvent('a', 'PENDING', 'RUNNING')] })).rejects.toBeInstanceOf(
          RunNotFoundError,
        );
        await expect(store.events(id)).rejects.toBeInstanceOf(RunNotFoundError);
        expect(await store.loadRun(id)).toBeUndefined();
      });
    });

    describe('sub-steps and timers', () => {
      it('sub-steps are stored per (atom, name) and replaced on a later commit', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const step = (name: string, over: Partial<SubStep> = {}): SubStep => ({
          atom: 'a',
          name,
          state: 'RETRY_LATER',
          attempts: 1,
          updatedAt: '2100-01-01T00:00:00.000Z',
          ...over,
        });
        await store.commit(run.id, {
          subSteps: [
            step('s1'),
            step('s2', { state: 'SUCCESS', result: 0 }),
            step('s1', { atom: 'b', state: 'FAILURE', failure: { type: 'E', message: 'm' } }),
          ],
          events: [{ kind: 'substep', atom: 'a', from: null, to: 'RETRY_LATER', data: { step: 's1' } }],
        });
        await store.commit(run.id, {
          subSteps: [step('s1', { state: 'SUCCESS', attempts: 2, result: false, updatedAt: '2100-01-01T00:00:09.000Z' })],
          events: [],
        });
        const subs = (await store.loadRun(run.id))!.subSteps;
        const key = (s: SubStep): string => `${s.atom}/${s.name}`;
        expect(new Map(subs.map((s) => [key(s), s]))).toEqual(
          new Map([
            [
              'a/s1',
              { ...step('s1', { state: 'SUCCESS', attempts: 2, result: false, updatedAt: '2100-01-01T00:00:09.000Z' }), failure: null },
            ],
            ['a/s2', { ...step('s2', { state: 'SUCCESS', result: 0 }), failure: null }],
            ['b/s1', step('s1', { atom: 'b', state: 'FAILURE', failure: { type: 'E', message: 'm' } })],
          ]),
        );
      });

      it("clearSubSteps deletes an atom's sub-steps before the commit's own sub-steps are written", async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const step = (atomName: string, name: string, attempts = 1): SubStep => ({
          atom: atomName,
          name,
          state: 'SUCCESS',
          attempts,
          result: `${atomName}/${name}#${attempts}`,
          updatedAt: '2100-01-01T00:00:00.000Z',
        });
        await store.commit(run.id, { subSteps: [step('a', 's1'), step('a', 's2'), step('b', 's1')], events: [] });
        await store.commit(run.id, { clearSubSteps: ['a', 'not-there'], subSteps: [step('a', 's2', 5)], events: [] });
        const names = async (): Promise<string[]> =>
          (await store.loadRun(run.id))!.subSteps.map((s) => `${s.atom}/${s.name}#${s.attempts}=${String(s.result)}`).sort();
        expect(await names()).toEqual(['a/s2#5=a/s2#5', 'b/s1#1=b/s1#1']);
        await store.commit(run.id, { clearSubSteps: ['b'], events: [atomEvent('b', 'SUCCESS', 'PENDING')] });
        expect(await names()).toEqual(['a/s2#5=a/s2#5']);
      });

      it('sub-steps come back in the order first recorded (the order they ran), not by name; a retried one keeps its place', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const step = (atomName: string, name: string, state: SubStep['state'], attempts: number, second: number): SubStep => ({
          atom: atomName,
          name,
          state,
          attempts,
          updatedAt: `2100-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
        });
        const order = async (): Promise<string[]> =>
          (await store.loadRun(run.id))!.subSteps.map((s) => `${s.atom}/${s.name}#${s.attempts}`);
        // one commit per sub-step, as the engine records them: create_pod → is_ready (retry later) → add_label
        await store.commit(run.id, { subSteps: [step('a', 'create_pod', 'SUCCESS', 1, 1)], events: [] });
        await store.commit(run.id, { subSteps: [step('a', 'is_ready', 'RETRY_LATER', 1, 2)], events: [] });
        await store.commit(run.id, { subSteps: [step('b', 'zz', 'SUCCESS', 1, 3)], events: [] });
        await store.commit(run.id, { subSteps: [step('a', 'add_label', 'SUCCESS', 1, 4)], events: [] });
        expect(await order()).toEqual(['a/create_pod#1', 'a/is_ready#1', 'b/zz#1', 'a/add_label#1']);
        // is_ready retried twice (updated_at moves on): it stays where it first ran
        await store.commit(run.id, { subSteps: [step('a', 'is_ready', 'RETRY_LATER', 2, 5)], events: [] });
        await store.commit(run.id, { subSteps: [step('a', 'is_ready', 'SUCCESS', 3, 6)], events: [] });
        expect(await order()).toEqual(['a/create_pod#1', 'a/is_ready#3', 'b/zz#1', 'a/add_label#1']);
        // several in one commit: in the order given; one given twice keeps its first place, its last value
        await store.commit(run.id, {
          subSteps: [
            step('c', 'mid', 'RETRY_LATER', 1, 7),
            step('c', 'b', 'SUCCESS', 1, 7),
            step('c', 'mid', 'SUCCESS', 2, 8),
            step('c', 'a', 'SUCCESS', 1, 8),
          ],
          events: [],
        });
        expect((await order()).slice(4)).toEqual(['c/mid#2', 'c/b#1', 'c/a#1']);
        // a cleared atom starts afresh: its sub-steps recorded again come after the others
        await store.commit(run.id, { clearSubSteps: ['a'], events: [] });
        await store.commit(run.id, { subSteps: [step('a', 'is_ready', 'SUCCESS', 1, 9)], events: [] });
        await store.commit(run.id, { subSteps: [step('a', 'create_pod', 'SUCCESS', 1, 10)], events: [] });
        expect(await order()).toEqual(['b/zz#1', 'c/mid#2', 'c/b#1', 'c/a#1', 'a/is_ready#1', 'a/create_pod#1']);
      });

      it('sub-steps written in a group commit keep the order given, per run', async () => {
        const store = getStore();
        const runs = Array.from({ length: 4 }, () => newRun());
        await Promise.all(runs.map((r) => store.createRun(r)));
        const names = ['zeta', 'alpha', 'mid', 'beta'];
        const step = (name: string, i: number): SubStep => ({
          atom: 'a',
          name,
          state: 'SUCCESS',
          attempts: 1,
          result: i,
          updatedAt: '2100-01-01T00:00:00.000Z',
        });
        // each run gets the names rotated by its index: none alphabetical, each its own order
        const rotated = (i: number): string[] => [...names.slice(i), ...names.slice(0, i)];
        await Promise.all(runs.map((r, i) => store.commit(r.id, { subSteps: rotated(i).map((n) => step(n, i)), events: [] })));
        for (const [i, r] of runs.entries()) expect((await store.loadRun(r.id))!.subSteps.map((s) => s.name)).toEqual(rotated(i));
      });

      it('timers are set, replaced, cleared, and dueTimers returns those due, earliest first', async () => {
        const store = getStore();
        // Dates in 1990: no other test's timers are that old, so dueTimers sees only ours.
        const t = (s: number): string => new Date(Date.UTC(1990, 0, 1, 0, 0, s)).toISOString();
        const r1 = newRun();
        const r2 = newRun();
        await store.createRun(r1);
        await store.createRun(r2);
        await store.commit(r1.id, {
          timers: {
            set: [
              { runId: r1.id, atom: 'a', wakeAt: t(30) },
              { runId: r1.id, atom: 'b', wakeAt: t(10) },
            ],
          },
          events: [],
        });
        await store.commit(r2.id, { timers: { set: [{ runId: r2.id, atom: 'a', wakeAt: t(20) }] }, events: [] });

        expect(await store.dueTimers(t(5))).toEqual([]);
        expect(await store.dueTimers(t(20))).toEqual([
          { runId: r1.id, atom: 'b', wakeAt: t(10) },
          { runId: r2.id, atom: 'a', wakeAt: t(20) },
        ]);
        expect(await store.dueTimers(t(59), 1)).toEqual([{ runId: r1.id, atom: 'b', wakeAt: t(10) }]);

        // Setting again replaces; clearing removes; clear + set in one commit keeps the new timer.
        await store.commit(r1.id, { timers: { set: [{ runId: r1.id, atom: 'b', wakeAt: t(40) }], clear: ['a'] }, events: [] });
        expect(await store.dueTimers(t(59))).toEqual([
          { runId: r2.id, atom: 'a', wakeAt: t(20) },
          { runId: r1.id, atom: 'b', wakeAt: t(40) },
        ]);
        await store.commit(r2.id, { timers: { clear: ['a'], set: [{ runId: r2.id, atom: 'a', wakeAt: t(50) }] }, events: [] });
        await store.commit(r1.id, { timers: { clear: ['b', 'not-there'] }, events: [] });
        expect(await store.dueTimers(t(59))).toEqual([{ runId: r2.id, atom: 'a', wakeAt: t(50) }]);
        // Clearing in one run does not touch another run's timer of the same atom name.
        await store.commit(r1.id, { timers: { clear: ['a'] }, events: [] });
        expect(await store.dueTimers(t(59))).toEqual([{ runId: r2.id, atom: 'a', wakeAt: t(50) }]);
        await store.commit(r2.id, { timers: { clear: ['a'] }, events: [] });
        expect(await store.dueTimers(t(59))).toEqual([]);
      });
    });

    describe('commits of many runs at once (group commit)', () => {
      const change = (i: number, over: Partial<RunChange> = {}): RunChange => ({
        atoms: [atom('a', { state: 'SUCCESS', attempts: 1, result: { i }, inputs: { i } }), atom('b', { state: 'RUNNING', attempts: 1 })],
        flow: { state: 'RUNNING', startedAt: '2100-01-01T00:00:00.000Z', meta: { i } },
        subSteps: [{ atom: 'a', name: 's', state: 'SUCCESS', attempts: 1, result: i, updatedAt: '2100-01-01T00:00:00.000Z' }],
        timers: { set: [] },
        events: [atomEvent('a', 'RUNNING', 'SUCCESS', { result: i }), atomEvent('b', 'PENDING', 'RUNNING')],
        ...over,
      });

      it('each run gets its own seqs, rows and events, exactly as if committed alone', async () => {
        const store = getStore();
        const runs = Array.from({ length: 12 }, () => newRun());
        await Promise.all(runs.map((r) => store.createRun(r)));
        // all at once: they queue behind each other and go out together
        const results = await Promise.all(
          runs.flatMap((r, i) => [
            store.commit(
              r.id,
              change(i, { timers: { set: [{ runId: r.id, atom: 'b', wakeAt: `2100-01-0${1 + (i % 9)}T00:00:00.000Z` }] } }),
            ),
            // the same run again, queued behind its first commit: applied after it, in order
            store.commit(r.id, {
              atoms: [atom('b', { state: 'SUCCESS', attempts: 1, result: i })],
              flow: { state: 'SUCCESS', finishedAt: '2100-01-02T00:00:00.000Z', failure: null },
              clearSubSteps: ['a'],
              timers: { clear: ['b'] },
              events: [atomEvent('b', 'RUNNING', 'SUCCESS'), { kind: 'flow', atom: null, from: 'RUNNING', to: 'SUCCESS', data: null }],
            }),
          ]),
        );
        for (const [i, r] of runs.entries()) {
          const [first, second] = [results[2 * i]!, results[2 * i + 1]!];
          expect(first.map((e) => [e.runId, e.seq, e.atom, e.to])).toEqual([
            [r.id, 1, 'a', 'SUCCESS'],
            [r.id, 2, 'b', 'RUNNING'],
          ]);
          expect(first[0]!.data).toEqual({ result: i });
          expect(second.map((e) => e.seq)).toEqual([3, 4]);
          expect(await store.events(r.id)).toEqual([...first, ...second]);
          const loaded = (await store.loadRun(r.id))!;
          expect(loaded.lastSeq).toBe(4);
          expect(loaded.flow).toMatchObject({ state: 'SUCCESS', meta: { i }, failure: null });
          expect(loaded.flow.startedAt).toBe('2100-01-01T00:00:00.000Z');
          expect(loaded.flow.finishedAt).toBe('2100-01-02T00:00:00.000Z');
          expect(loaded.atoms.find((a) => a.name === 'a')).toMatchObject({ state: 'SUCCESS', result: { i }, inputs: { i } });
          expect(loaded.atoms.find((a) => a.name === 'b')).toMatchObject({ state: 'SUCCESS', result: i });
          expect(loaded.subSteps).toEqual([]);
          expect((await store.dueTimers('2100-01-31T00:00:00.000Z', 1_000_000)).filter((t) => t.runId === r.id)).toEqual([]);
        }
      });

      it('timers and sub-steps set in a group commit are stored per run', async () => {
        const store = getStore();
        const runs = Array.from({ length: 6 }, () => newRun());
        await Promise.all(runs.map((r) => store.createRun(r)));
        const wake = (i: number): string => `2098-03-0${1 + i}T00:00:00.000Z`;
        await Promise.all(
          runs.map((r, i) => store.commit(r.id, change(i, { timers: { set: [{ runId: r.id, atom: 'b', wakeAt: wake(i) }] } }))),
        );
        const due = (await store.dueTimers('2098-03-31T00:00:00.000Z', 1_000_000)).filter((t) => runs.some((r) => r.id === t.runId));
        expect(new Set(due.map((t) => `${t.runId} ${t.wakeAt}`))).toEqual(new Set(runs.map((r, i) => `${r.id} ${wake(i)}`)));
        for (const [i, r] of runs.entries())
          expect((await store.loadRun(r.id))!.subSteps).toEqual([
            { atom: 'a', name: 's', state: 'SUCCESS', attempts: 1, result: i, failure: null, updatedAt: '2100-01-01T00:00:00.000Z' },
          ]);
      });

      it("a change the database refuses fails only its own run's commit", async () => {
        const store = getStore();
        const runs = Array.from({ length: 8 }, () => newRun());
        await Promise.all(runs.map((r) => store.createRun(r)));
        const outcomes = await Promise.allSettled(
          runs.map((r, i) =>
            store.commit(
              r.id,
              i === 3 ? { atoms: [atom('a', { attempts: -1 })], events: [atomEvent('a', 'PENDING', 'RUNNING')] } : change(i),
            ),
          ),
        );
        expect(outcomes.map((o) => o.status)).toEqual(runs.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')));
        expect(((outcomes[3] as PromiseRejectedResult).reason as Error).message).toMatch(
          /^commit to run .* failed: .*atom_details_attempts_check/,
        );
        expect((await store.loadRun(runs[3]!.id))!.lastSeq).toBe(0);
        for (const [i, r] of runs.entries()) if (i !== 3) expect((await store.loadRun(r.id))!.lastSeq).toBe(2);
      });

      it('in one group, a missing run fails with RunNotFoundError and a lost fence with LeaseLostError', async () => {
        const store = getStore();
        const runs = Array.from({ length: 4 }, () => newRun());
        await Promise.all(runs.map((r) => store.createRun(r)));
        const outcomes = await Promise.allSettled([
          store.commit(runs[0]!.id, change(0)),
          store.commit(uid('missing'), change(1)),
          store.commit(runs[1]!.id, change(2), { owner: uid('nobody') }),
          store.commit(runs[2]!.id, change(3)),
          store.commit(runs[3]!.id, change(4)),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(RunNotFoundError);
        expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
        expect((await store.loadRun(runs[1]!.id))!.lastSeq).toBe(0);
      });
    });

    describe('leases and commands (WorkStore)', () => {
      /** Claims what is claimable; the database is shared, so other tests' runs may come too. */
      const claimAll = (store: WorkStore, owner: string, ttlMs = 60_000): Promise<string[]> => store.claimRuns(owner, ttlMs, 1_000_000);
      /** Gives back every lease a test took, so that later tests find their runs free. */
      const releaseAll = async (store: WorkStore, owner: string, ids: readonly string[]): Promise<void> => {
        for (const id of ids) await store.releaseRun(id, owner);
      };
      const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

      it('a fenced commit applies only while its owner holds an unexpired lease', async () => {
        const store = getStore();
        const run = newRun();
        await store.createRun(run);
        const change = (to: string): RunChange => ({
          atoms: [atom('a', { state: 'RUNNING', attempts: 1 })],
          events: [atomEvent('a', 'PENDING', to)],
        });

        await expect(store.commit(run.id, change('unleased'), { owner: 'w1' })).rejects.toBeInstanceOf(LeaseLostError);
        expect((await store.loadRun(run.id))!.lastSeq).toBe(0);
        expect(await store.leaseOf(run.id)).toBeUndefined();

        const w1 = await claimAll(store, 'w1');
        try {
          expect(w1).toContain(run.id);
          const lease = await store.leaseOf(run.id);
          expect(lease?.owner).toBe('w1');
          expect(Date.parse(lease!.expiresAt)).toBeGreaterThan(Date.now() + 30_000);
          expect((await store.commit(run.id, change('w1'), { owner: 'w1' })).map((e) => e.seq)).toEqual([1]);
          await expect(store.commit(run.id, change('w2'), { owner: 'w2' })).rejects.toBeInstanceOf(LeaseLostError);
          // Unfenced writes are not the lease's business.
          expect((await store.commit(run.id, change('unfenced'))).map((e) => e.seq)).toEqual([2]);
          expect(await claimAll(store, 'w2')).not.toContain(run.id);

          const other = newRun();
          await store.createRun(other);
          expect(await store.renewLeases('w1', [other.id, run.id], 60_000)).toEqual([run.id]);
          expect(await store.renewLeases('w2', [run.id], 60_000)).toEqual([]);
          await store.releaseRun(run.id, 'w2');
          expect((await store.leaseOf(run.id))?.owner).toBe('w1');
          await store.releaseRun(run.id, 'w1');
          expect(await store.leaseOf(run.id)).toBeUndefined();
          await expect(store.commit(run.id, change('released'), { owner: 'w1' })).rejects.toBeInstanceOf(LeaseLostError);
        } finally {
          await releaseAll(store, 'w1', w1);
        }

        // An expired lease fences its owner out and can be taken over.
        const w3 = await claimAll(store, 'w3', 1);
        await releaseAll(
          store,
          'w3',
          w3.filter((id) => id !== run.id),
        );
        expect(w3).toContain(run.id);
        await sleep(20);
        await expect(store.commit(run.id, change('expired'), { owner: 'w3' })).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.renewLeases('w3', [run.id], 60_000)).toEqual([]);
        const w4 = await claimAll(store, 'w4');
        try {
          expect(w4).toContain(run.id);
          expect((await store.commit(run.id, change('w4'), { owner: 'w4' })).map((e) => e.seq)).toEqual([3]);
          expect((await store.events(run.id)).map((e) => e.to)).toEqual(['w1', 'unfenced', 'w4']);
        } finally {
          await releaseAll(store, 'w4', w4);
        }
      });

      it('a run created with a lease is held from the start; claimRun takes one named run only when free', async () => {
        const store = getStore();
        const held = newRun();
        await store.createRun({ ...held, lease: { owner: 'cli-1', ttlMs: 60_000 } });
        try {
          expect((await store.leaseOf(held.id))?.owner).toBe('cli-1');
          // PENDING, yet no worker can take it: its creator executes it
          expect(await claimAll(store, 'w-poll')).not.toContain(held.id);
          expect(await store.claimRun(held.id, 'w-other', 60_000)).toBe(false);
          expect(await store.claimRun(held.id, 'cli-1', 60_000)).toBe(true);
          expect(
            (await store.commit(held.id, { events: [atomEvent('a', 'PENDING', 'RUNNING')] }, { owner: 'cli-1' })).map((e) => e.seq),
          ).toEqual([1]);
        } finally {
          await store.releaseRun(held.id, 'cli-1');
        }
        // free now: a named claim takes it whatever its state, a second owner is refused
        await store.commit(held.id, { flow: { state: 'SUSPENDED' }, events: [] });
        expect(await store.claimRun(held.id, 'cli-2', 60_000)).toBe(true);
        expect(await store.claimRun(held.id, 'cli-3', 60_000)).toBe(false);
        expect((await store.leaseOf(held.id))?.owner).toBe('cli-2');
        await store.releaseRun(held.id, 'cli-2');
        // an expired lease can be taken over
        expect(await store.claimRun(held.id, 'cli-4', 1)).toBe(true);
        await sleep(20);
        expect(await store.claimRun(held.id, 'cli-5', 60_000)).toBe(true);
        await store.releaseRun(held.id, 'cli-5');
        expect(await store.claimRun('no-such-run', 'cli-5', 60_000)).toBe(false);
      });

      it('claimRuns picks the runs that need a worker, oldest first, each once', async () => {
        const store = getStore();
        const make = async (state: string | null, timer?: string, command?: boolean): Promise<string> => {
          const run = newRun();
          await store.createRun(run);
          if (state) {
            await store.commit(run.id, {
              flow: { state: state as never },
              ...(timer ? { timers: { set: [{ runId: run.id, atom: 'a', wakeAt: timer }] } } : {}),
              events: [],
            });
          }
          if (command) await store.enqueueCommand(run.id, { type: 'retryRun' });
          return run.id;
        };
        const past = new Date(Date.now() - 1000).toISOString();
        const pending = await make(null);
        const running = await make('RUNNING');
        const resuming = await make('RESUMING');
        const done = await make('SUCCESS');
        const waitingDue = await make('WAITING', past);
        const waitingLater = await make('WAITING', '2100-01-01T00:00:00.000Z');
        const doneWithCommand = await make('FAILURE', undefined, true);

        const claimed = await claimAll(store, 'c1');
        try {
          const ours = claimed.filter((id) => [pending, running, resuming, done, waitingDue, waitingLater, doneWithCommand].includes(id));
          expect(ours).toEqual([pending, running, resuming, waitingDue, doneWithCommand]);
          expect(new Set(claimed).size).toBe(claimed.length);
          expect(await claimAll(store, 'c2')).toEqual([]);
          expect(await store.claimRuns('c2', 60_000, 0)).toEqual([]);
        } finally {
          await releaseAll(store, 'c1', claimed);
          await store.commit(waitingDue, { timers: { clear: ['a'] }, events: [] });
          await store.commit(waitingLater, { timers: { clear: ['a'] }, events: [] });
          for (const c of await store.pendingCommands([doneWithCommand])) await store.completeCommand(c.id, { ok: true });
        }
        // A limit caps the batch.
        const two = await store.claimRuns('c3', 60_000, 2);
        await releaseAll(store, 'c3', two);
        expect(two.length).toBe(2);
      });

      it('concurrent claims never lease a run twice', async () => {
        const store = getStore();
        const ids: string[] = [];
        for (let i = 0; i < 10; i++) {
          const run = newRun();
          ids.push(run.id);
          await store.createRun(run);
        }
        const owners = ['k1', 'k2', 'k3', 'k4'];
        const batches = await Promise.all(owners.map((o) => store.claimRuns(o, 60_000, 3)));
        try {
          const all = batches.flat();
          expect(new Set(all).size).toBe(all.length);
          for (const [i, batch] of batches.entries()) {
            for (const id of batch) expect((await store.leaseOf(id))?.owner).toBe(owners[i]);
          }
        } finally {
          for (const [i, batch] of batches.entries()) await releaseAll(store, owners[i]!, batch);
        }
      });

      it('commands queue per run, oldest first, until completed', async () => {
        const store = getStore();
        const r1 = newRun();
        const r2 = newRun();
        await store.createRun(r1);
        await store.createRun(r2);
        await expect(store.enqueueCommand(uid('missing'), { type: 'cancel' })).rejects.toBeInstanceOf(RunNotFoundError);

        const c1 = await store.enqueueCommand(r1.id, { type: 'retryAtom', atom: 'a', nested: { n: 0, list: [false] } });
        const c2 = await store.enqueueCommand(r2.id, { type: 'cancel' });
        const c3 = await store.enqueueCommand(r1.id, { type: 'suspend' });
        expect(c1).toMatchObject({
          runId: r1.id,
          op: { type: 'retryAtom', atom: 'a', nested: { n: 0, list: [false] } },
          appliedAt: null,
          outcome: null,
        });
        expect(c1.id < c2.id && c2.id < c3.id).toBe(true);
        expect(Number.isNaN(Date.parse(c1.createdAt))).toBe(false);

        expect((await store.pendingCommands([r1.id])).map((c) => c.id)).toEqual([c1.id, c3.id]);
        expect((await store.pendingCommands([r1.id, r2.id])).map((c) => c.id)).toEqual([c1.id, c2.id, c3.id]);
        expect(await store.pendingCommands([])).toEqual([]);
        const everything = (await store.pendingCommands()).map((c) => c.id);
        expect(everything).toEqual(expect.arrayContaining([c1.id, c2.id, c3.id]));

        await store.completeCommand(c1.id, { ok: true, touched: ['a'] });
        const done = await store.getCommand(c1.id);
        expect(done).toMatchObject({ id: c1.id, runId: r1.id, outcome: { ok: true, touched: ['a'] } });
        expect(done!.appliedAt).not.toBeNull();
        expect(await store.getCommand(c2.id)).toEqual(c2);
        expect((await store.pendingCommands([r1.id])).map((c) => c.id)).toEqual([c3.id]);
        expect(await store.getCommand(-1)).toBeUndefined();
        for (const c of [c2, c3]) await store.completeCommand(c.id, { ok: false, error: 'test' });
      });
    });
  });
}
