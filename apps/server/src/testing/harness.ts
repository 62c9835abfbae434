import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AppRouter } from '@atomflow/api';
import { createRegistry } from '@atomflow/atoms';
import type { FlowDefinitionInput } from '@atomflow/model';
import { createTRPCClient, httpBatchLink, TRPCClientError, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';

import { ADMIN_EMAIL } from '../bootstrap-admin.js';
import { startServer, type RunningServer, type StartOptions } from '../server.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
const NO_WEB = join(tmpdir(), 'atomflow-tests-no-web-app');

/** A server on 127.0.0.1 (free port) on in-memory PGlite, or on PostgreSQL when `databaseUrl` is given. */
export async function startTestServer(
  o: { databaseUrl?: string; livePollMs?: number; workerPollMs?: number; errors?: string[] } & Partial<Pick<StartOptions, 'registry'>> = {},
): Promise<RunningServer> {
  const errors = o.errors ?? [];
  return startServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir: 'memory://',
      databaseUrl: o.databaseUrl,
      adminPassword: ADMIN_PASSWORD,
      secret: undefined,
      workerCapacity: 16,
      livePollMs: o.livePollMs ?? 3000,
    },
    // kept for tests that assert nothing internal failed
    logError: (m, e) => errors.push(`${m}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    registry: o.registry ?? createRegistry(),
    workerPollMs: o.workerPollMs ?? 100,
    // the API alone: the web app (if any) is not what these tests are about
    webDir: NO_WEB,
  });
}

/** Cookies and the CSRF token of one browser-like client. */
export class CookieJar {
  cookie = '';
  /** Sent as x-atomflow-csrf; before sign-in any non-empty value does. */
  csrf = 'anonymous';
  /** Extra headers for every request (tests set Origin with it). */
  extra: Record<string, string> = {};

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    headers.set('x-atomflow-csrf', this.csrf);
    for (const [k, v] of Object.entries(this.extra)) headers.set(k, v);
    const res = await fetch(input, { ...init, headers });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (name !== 'atomflow_session') continue;
      this.cookie = value ? `atomflow_session=${value}` : '';
    }
    return res;
  };
}

export type Client = TRPCClient<AppRouter>;

export interface TestClient {
  readonly trpc: Client;
  readonly jar: CookieJar;
}

/** A tRPC client (batched queries/mutations, SSE subscriptions through the `eventsource` package) with its own cookies. */
export function makeClient(baseUrl: string): TestClient {
  const jar = new CookieJar();
  const url = `${baseUrl}/api/trpc`;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: () => ({ fetch: jar.fetch }) }),
        false: httpBatchLink({ url, fetch: jar.fetch }),
      }),
    ],
  });
  return { trpc, jar };
}

/** A client signed in as `email`. */
export async function signedIn(baseUrl: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<TestClient> {
  const c = makeClient(baseUrl);
  const { csrfToken } = await c.trpc.auth.login.mutate({ email, password });
  c.jar.csrf = csrfToken;
  return c;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A run's state once it is one of `states`. */
export function waitForRunState(c: Client, runId: string, states: readonly string[], timeoutMs?: number): Promise<string> {
  return waitFor(
    `run ${runId} to be ${states.join('|')}`,
    async () => {
      const { run } = await c.runs.get.query({ runId });
      return states.includes(run.state) ? run.state : undefined;
    },
    timeoutMs,
  );
}

export const echoFlow = (id: string, extra: Partial<FlowDefinitionInput> = {}): FlowDefinitionInput => ({
  id,
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'a', type: 'test.echo', config: { value: 1 }, provides: 'x' },
      { name: 'b', type: 'test.echo', requires: ['x'], provides: 'y' },
    ],
  },
  ...extra,
});

/** A linear flow of the given atoms (children are checked by the server, as a user's would be). */
export const linearFlow = (id: string, children: unknown[]): FlowDefinitionInput =>
  ({ id, root: { kind: 'linear', name: 'root', children } }) as FlowDefinitionInput;

/** How a call ended: 'OK', or the tRPC error's code with its message and data (other errors are thrown). */
export async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  try {
    await p;
    return { code: 'OK', message: '', data: {} };
  } catch (e) {
    if (e instanceof TRPCClientError)
      return { code: (e.data as { code: string }).code, message: e.message, data: e.data as Record<string, unknown> };
    throw e;
  }
}
