import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { signedIn, startTestServer, type TestClient } from './testing/harness.js';

let server: RunningServer;
let c: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  c = await signedIn(server.url);
});
afterAll(() => server?.close());

describe('atoms.inputNames', () => {
  it('answers the input names a config gives, per atom, in order (null for an unknown type or a refused config)', async () => {
    const answer = await c.trpc.atoms.inputNames.mutate({
      atoms: [
        { type: 'transform', version: 1, config: { expression: 'a + b', requires: ['a', 'b'] } },
        { type: 'test.echo', version: 1, config: { defaults: { limit: 10 } } },
        { type: 'http.request', version: 1, config: { url: 'http://127.0.0.1/x' } },
        { type: 'no.such.atom', version: 1, config: {} },
        { type: 'transform', version: 1, config: { expression: '' } },
      ],
    });
    expect(answer).toEqual([
      { required: ['a', 'b'], optional: {} },
      { required: [], optional: { limit: 10 } },
      { required: [], optional: {} },
      null,
      null,
    ]);
  });

  it("answers for a big flow's 2,000 atoms at once (too many for a GET URL)", async () => {
    const atoms = Array.from({ length: 2000 }, (_, i) => ({
      type: 'transform',
      version: 1,
      config: { expression: `x${i}`, requires: [`x${i}`] },
    }));
    const answer = await c.trpc.atoms.inputNames.mutate({ atoms });
    expect(answer).toHaveLength(2000);
    expect(answer[1999]).toEqual({ required: ['x1999'], optional: {} });
  });

  it('atoms.list says which types take their input names from their config', async () => {
    const list = await c.trpc.atoms.list.query();
    const flag = Object.fromEntries(list.map((a) => [a.type, a.inputsFromConfig]));
    expect(flag).toMatchObject({ transform: true, 'test.echo': true, 'http.request': false, delay: false });
  });

  it('refuses a malformed request with 400', async () => {
    const err = await c.trpc.atoms.inputNames.mutate({ atoms: [{ type: 'transform', version: 0, config: {} }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
  });
});
