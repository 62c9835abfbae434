import {
  parseFlowDefinitionOrThrow,
  type AtomNodeInput,
  type FlowDefinition,
  type FlowDefinitionInput,
  type RunEvent,
} from '@atomflow/model';

import { Engine, type EngineOptions } from '../engine.js';
import { InMemoryStore } from '../memory-store.js';
import { testRegistry, type Call } from './test-atoms.js';

export interface Harness {
  readonly engine: Engine;
  readonly store: InMemoryStore;
  readonly calls: Call[];
  readonly events: RunEvent[];
  /** Transitions as `atom:FROM>TO` / `flow:FROM>TO` strings, for compact assertions. */
  trace(runId?: string): string[];
}

/** An engine over an in-memory store with the test atoms, recording events and calls. */
export function harness(opts: Partial<EngineOptions> & { store?: InMemoryStore } = {}): Harness {
  const store = opts.store ?? new InMemoryStore();
  const { registry, calls } = testRegistry();
  const engine = new Engine({ registry, ...opts, store });
  const events: RunEvent[] = [];
  engine.subscribe((e) => events.push(e));
  return {
    engine,
    store,
    calls,
    events,
    trace: (runId) =>
      events
        .filter((e) => (runId === undefined || e.runId === runId) && (e.kind === 'flow' || (e.kind === 'atom' && e.from !== null)))
        .map((e) => `${e.kind === 'flow' ? 'flow' : e.atom}:${e.from}>${e.to}`),
  };
}

export function flow(def: Omit<FlowDefinitionInput, 'id'> & { id?: string }): FlowDefinition {
  return parseFlowDefinitionOrThrow({ id: 'test-flow', ...def });
}

export const echo = (name: string, extra: Partial<AtomNodeInput> = {}): AtomNodeInput => ({
  name,
  type: 'test.echo',
  config: { value: `${name}-result` },
  ...extra,
});
export const fail = (name: string, config: Record<string, unknown> = {}, extra: Partial<AtomNodeInput> = {}): AtomNodeInput => ({
  name,
  type: 'test.fail',
  config,
  ...extra,
});
