import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { echoFlow, signedIn, startTestServer, waitForRunState } from './testing/harness.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('smoke', () => {
  it('starts a run that a worker executes', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const c = await signedIn(server.url);
    await c.trpc.flows.create.mutate({ definition: echoFlow('smoke') });
    const run = await c.trpc.runs.start.mutate({ flowId: 'smoke' });
    expect(await waitForRunState(c.trpc, run.id, ['SUCCESS', 'FAILURE'])).toBe('SUCCESS');
  });
});
