import { describe, expect, it } from 'vitest';

import { Engine } from './engine.js';
import { InMemoryStore } from './memory-store.js';
import { AtomRegistry } from './registry.js';
import { flow } from './testing/harness.js';

/** An atom returning the base URL its context carries (null when none). */
const registry = new AtomRegistry([{ type: 'where', version: 1, execute: (_inputs, ctx) => ctx.baseUrl ?? null }]);
const def = flow({ root: { kind: 'linear', name: 'f', children: [{ name: 'w', type: 'where' }] } });

async function baseSeen(engine: Engine): Promise<unknown> {
  const run = await engine.startRun(def);
  expect(run.state).toBe('SUCCESS');
  return (await engine.store.loadRun(run.runId))?.atoms.find((a) => a.name === 'w')?.result;
}

describe("atoms' base URL (ctx.baseUrl)", () => {
  it('is the one the engine was given; a function is asked at each call; none gives undefined', async () => {
    expect(await baseSeen(new Engine({ store: new InMemoryStore(), registry, baseUrl: 'http://127.0.0.1:4000' }))).toBe(
      'http://127.0.0.1:4000',
    );
    let port = 5000;
    const engine = new Engine({ store: new InMemoryStore(), registry, baseUrl: () => `http://127.0.0.1:${port}` });
    expect(await baseSeen(engine)).toBe('http://127.0.0.1:5000');
    port = 5001;
    expect(await baseSeen(engine)).toBe('http://127.0.0.1:5001');
    expect(await baseSeen(new Engine({ store: new InMemoryStore(), registry }))).toBeNull();
  });
});
