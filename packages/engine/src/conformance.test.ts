import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parseFlowDefinitionOrThrow, type RunEvent } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { Engine } from './engine.js';
import { InMemoryStore } from './memory-store.js';
import { testRegistry } from './testing/test-atoms.js';

const dir = fileURLToPath(new URL('../../../conformance/cases/', import.meta.url));

interface Step {
  cmd: 'run' | 'resume';
  flow?: unknown;
  inputs?: Record<string, unknown>;
  stopAfter?: string;
}
interface Expect {
  trace?: Array<Record<string, unknown>>;
  calls?: Array<Record<string, unknown>>;
  final?: { state: string; results?: Record<string, unknown>; failure?: { message: string } };
}

// Quick in-process replay of the conformance cases (the CLI suite is the authoritative one).
describe('conformance cases in memory', () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const c = JSON.parse(readFileSync(dir + file, 'utf8')) as { id: string; steps: Step[]; expect: Expect[]; order: string };
    it(c.id, async () => {
      const store = new InMemoryStore();
      const { registry, calls } = testRegistry();
      const engine = new Engine({ store, registry });
      const events: RunEvent[] = [];
      engine.subscribe((e) => events.push(e));
      let runId = '';
      let rootName = '';
      for (const [i, step] of c.steps.entries()) {
        events.length = 0;
        calls.length = 0;
        const exp = c.expect[i]!;
        let outcome;
        if (step.cmd === 'run') {
          const def = parseFlowDefinitionOrThrow(step.flow);
          rootName = def.root.name;
          try {
            outcome = await engine.startRun(def, { inputs: step.inputs ?? {}, ...(step.stopAfter ? { stopAfter: step.stopAfter } : {}) });
          } catch (e) {
            expect((exp as { exit?: number }).exit, String(e)).toBe(2);
            continue;
          }
          runId = outcome.runId;
        } else {
          outcome = await engine.resumeRun(runId, step.flow ? { definition: parseFlowDefinitionOrThrow(step.flow) } : {});
        }
        const trace = events
          .filter((e) => (e.kind === 'atom' ? e.from !== null : e.kind === 'flow'))
          .map((e) =>
            e.kind === 'flow'
              ? { flow: rootName, from: e.from, to: e.to }
              : {
                  atom: e.atom,
                  from: e.from,
                  to: e.to,
                  ...(e.to === 'SUCCESS' && e.data && 'result' in e.data ? { result: e.data['result'] } : {}),
                },
          );
        if (exp.trace) {
          const strip = (t: Record<string, unknown>): Record<string, unknown> => {
            const { result, ...rest } = t;
            void result;
            return rest;
          };
          if (c.order === 'exact') expect(trace.map(strip)).toEqual(exp.trace.map(strip));
          else expect(new Set(trace.map((t) => JSON.stringify(strip(t))))).toEqual(new Set(exp.trace.map((t) => JSON.stringify(strip(t)))));
        }
        if (exp.final) {
          expect(outcome.state).toBe(exp.final.state);
          if (exp.final.failure) expect(outcome.failure?.message).toBe(exp.final.failure.message);
          if (exp.final.results) {
            const got = { ...outcome.results };
            for (const [k, v] of Object.entries(step.inputs ?? {}))
              if (JSON.stringify(got[k]) === JSON.stringify(v) && !(k in exp.final.results)) delete got[k];
            expect(got).toEqual(exp.final.results);
          }
        }
        if (exp.calls) {
          const pick = (e: Record<string, unknown>, a: Record<string, unknown>): Record<string, unknown> =>
            Object.fromEntries(Object.keys(e).map((k) => [k, a[k]]));
          const got = calls as unknown as Array<Record<string, unknown>>;
          if (c.order === 'exact') expect(exp.calls.map((e, j) => pick(e, got[j] ?? {}))).toEqual(exp.calls);
          expect(got.length).toBe(exp.calls.length);
        }
      }
    });
  }
});
