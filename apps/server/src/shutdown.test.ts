import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { collectRun } from './testing/collect.js';
import { signedIn, startTestServer, waitFor, type TestClient } from './testing/harness.js';

let server: RunningServer;
let c: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  c = await signedIn(server.url);
});
afterAll(() => server?.close());

describe('graceful stop', () => {
  it('stops accepting, lets the atom in flight finish and commit (streamed to subscribers), then ends live streams', async () => {
    await c.trpc.flows.create.mutate({
      definition: {
        id: 'stopping',
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'slow', type: 'test.sleep', config: { ms: 700 } },
            { name: 'next', type: 'test.echo' },
          ],
        },
      },
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'stopping' });
    await waitFor('slow to run', async () =>
      (await c.trpc.runs.get.query({ runId: run.id })).atoms.find((a) => a.name === 'slow')?.state === 'RUNNING' ? true : undefined,
    );
    const live = collectRun(c.trpc, run.id);
    await live.until((e) => e.atom === 'slow' && e.to === 'RUNNING');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    live.stop();
    // the server is gone: nothing listens any more
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    // streamed before the connections were cut: the atom in flight finished, nothing after it started
    expect(live.events.some((e) => e.atom === 'slow' && e.to === 'SUCCESS')).toBe(true);
    expect(live.events.some((e) => e.atom === 'next' && e.to === 'RUNNING')).toBe(false);
  });
});
