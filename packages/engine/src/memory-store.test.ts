import type { SubStep } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { InMemoryStore } from './memory-store.js';

const step = (atom: string, name: string, state: SubStep['state'], attempts: number): SubStep => ({
  atom,
  name,
  state,
  attempts,
  updatedAt: `2100-01-01T00:00:0${attempts}.000Z`,
});

describe('InMemoryStore sub-steps', () => {
  it('come back in the order first recorded (as DbStore), a retried one keeping its place', async () => {
    const store = new InMemoryStore();
    await store.createRun({ id: 'r', logbookId: 'lb', flowId: 'f', revision: 1, rootName: 'root', inputs: {}, meta: {}, atoms: [] });
    const order = async (): Promise<string[]> => (await store.loadRun('r'))!.subSteps.map((s) => `${s.atom}/${s.name}#${s.attempts}`);
    for (const s of [step('a', 'create_pod', 'SUCCESS', 1), step('a', 'is_ready', 'RETRY_LATER', 1), step('a', 'add_label', 'SUCCESS', 1)])
      await store.commit('r', { subSteps: [s], events: [] });
    await store.commit('r', { subSteps: [step('a', 'is_ready', 'SUCCESS', 3)], events: [] });
    expect(await order()).toEqual(['a/create_pod#1', 'a/is_ready#3', 'a/add_label#1']);
    // cleared and written anew in the same change: the one written keeps its place (DbStore's upsert keeps created_seq)
    await store.commit('r', { subSteps: [step('b', 'x', 'SUCCESS', 1)], events: [] });
    await store.commit('r', { clearSubSteps: ['a'], subSteps: [step('a', 'is_ready', 'RETRY_LATER', 1)], events: [] });
    expect(await order()).toEqual(['a/is_ready#1', 'b/x#1']);
    // cleared alone, then recorded again: after the others
    await store.commit('r', { clearSubSteps: ['a'], events: [] });
    await store.commit('r', { subSteps: [step('a', 'add_label', 'SUCCESS', 1)], events: [] });
    expect(await order()).toEqual(['b/x#1', 'a/add_label#1']);
  });
});
