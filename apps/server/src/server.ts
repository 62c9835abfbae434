import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import { EventHub, type ApiServices } from '@atomflow/api';
import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedDatabase } from '@atomflow/db';
import { Engine, Worker, workerId, type AtomRegistry } from '@atomflow/engine';
import type { RunEvent } from '@atomflow/model';

import { ensureAdmin } from './bootstrap-admin.js';
import type { ServerConfig } from './env.js';
import { seedExamples, selfOrigin } from './examples/seed-examples.js';
import { startCrossProcessEvents } from './fanout/cross-process.js';
import { createRequestHandler } from './http-handler.js';
import { createWebHandler } from './web.js';

export interface StartOptions {
  readonly config: ServerConfig;
  /** Problems (default: stderr). */
  readonly logError?: (message: string, error?: unknown) => void;
  readonly registry?: AtomRegistry;
  /** Serve the web app with hot reload (Next dev mode). */
  readonly dev?: boolean;
  readonly webDir?: string;
  readonly workerPollMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly services: ApiServices;
  /** This process's worker (none in an API-only process). */
  readonly worker: Worker | undefined;
  readonly database: OpenedDatabase;
  readonly http: Server;
  /** The admin's generated password, on the start that created the admin without ATOMFLOW_ADMIN_PASSWORD. */
  readonly adminPassword: string | undefined;
  /** Example flows saved by this start (the first start of a database: the one that created the admin). */
  readonly examples: readonly string[];
  /**
   * Publishes events committed outside this process's engines (tools, benchmarks) as the engines'
   * own are: to local subscribers and, on PostgreSQL, to other processes.
   */
  publishCommitted(events: readonly RunEvent[]): void;
  /** Graceful stop: stop accepting, let the worker finish its atoms and release its runs, close the database. */
  close(): Promise<void>;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));

/** Opens the database, starts the worker and the HTTP server. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const logError =
    opts.logError ??
    ((message: string, error?: unknown) =>
      process.stderr.write(
        `atomflow: ${message}${error ? `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : ''}\n`,
      ));
  const database = await openDatabase(config.databaseUrl !== undefined ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  const cleanups: Array<() => Promise<void>> = [() => database.close()];
  try {
    const store = database.store;
    const registry = opts.registry ?? createRegistry();
    const hub = new EventHub((e) => logError('live subscriber failed', e));
    const auth = database.auth;
    const admin = await ensureAdmin(auth, config.adminPassword);

    const crossProcess = await startCrossProcessEvents(database, config.databaseUrl, hub, (e, ctx) => logError(ctx, e));
    if (crossProcess) cleanups.unshift(() => crossProcess.close());
    // events committed in this process: to local subscribers at once, then to other processes
    const publish = (e: RunEvent): void => {
      hub.publish([e]);
      crossProcess?.announce(e);
    };
    // URL paths in atom configs (http.request's `/api/…`) go to this server, at whatever address it
    // listens now: known once it listens, before the worker starts
    const self: { origin?: string } = {};
    const baseUrl = (): string | undefined => self.origin;
    const engine = new Engine({ store, registry, baseUrl });
    engine.subscribe(publish);
    const owner = workerId('server');
    // timers longer than this park the run WAITING instead of holding a worker slot
    const workerEngine = new Engine({ store, registry, owner, holdTimersUpToMs: 2000, baseUrl });
    workerEngine.subscribe(publish);
    const worker =
      config.workerCapacity > 0
        ? new Worker({
            engine: workerEngine,
            store,
            owner,
            capacity: config.workerCapacity,
            pollMs: opts.workerPollMs ?? 250,
            onError: (e, ctx) => logError(`worker ${owner}: ${ctx}`, e),
          })
        : undefined;

    let ticking = false;
    const kick = (): void => {
      if (ticking || !worker) return;
      ticking = true;
      worker
        .tick()
        .catch((e: unknown) => logError('worker poll', e))
        .finally(() => (ticking = false));
    };
    const services: ApiServices = {
      store,
      db: database.db,
      engine,
      auth,
      events: hub,
      kick,
      log: logError,
      livePollMs: config.livePollMs,
    };

    const web = await createWebHandler(opts.webDir ?? DEFAULT_WEB_DIR, {
      dev: opts.dev ?? false,
      hostname: config.host,
      port: config.port,
    });
    if (web.close) cleanups.unshift(web.close);
    const server = createServer(createRequestHandler(services, web));
    // SSE streams are long-lived: no request timeout, keep-alive pings come from tRPC
    server.requestTimeout = 0;
    await listen(server, config.port, config.host);
    const port = (server.address() as AddressInfo).port;
    self.origin = selfOrigin(config.host, port);
    let examples: readonly string[] = [];
    if (admin.created)
      examples = (
        await seedExamples(store, registry, (m) => logError(m)).catch((e: unknown) => {
          logError('seeding the example flows', e);
          return { created: [] };
        })
      ).created;
    worker?.start();
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await worker?.stop();
        // a moment for live streams to send what the worker committed last; then they end here
        // and their clients reconnect (to another server, or to this one when it is back)
        await new Promise((r) => setTimeout(r, 150));
        server.closeAllConnections();
        await stopped;
        for (const c of cleanups) await c().catch((e: unknown) => logError('closing', e));
      })());
    return {
      url: `http://${host}:${port}`,
      port,
      services,
      worker,
      database,
      http: server,
      adminPassword: admin.password,
      examples,
      publishCommitted: (events) => events.forEach(publish),
      close,
    };
  } catch (error) {
    for (const c of cleanups) await c().catch(() => undefined);
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
