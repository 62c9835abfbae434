import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedDatabase } from '@atomflow/db';
import { startPostgresCluster } from '@atomflow/db/testing';
import { Engine, initialDetails } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type RunEvent } from '@atomflow/model';

import { EventHub } from '@atomflow/api';

import { PgEventBridge } from '../fanout/pg-event-bridge.js';
import { RunCatchUp } from '../fanout/run-catch-up.js';
import { startServer, type RunningServer } from '../server.js';
import { ADMIN_PASSWORD, signedIn } from '../testing/harness.js';

/*
 * State change committed → event received by an SSE subscriber (live.run over
 * httpSubscriptionLink), one change at a time, over N changes:
 *   embedded     PGlite, committed in the server's process
 *   pg-local     PostgreSQL, committed in the server's process
 *   pg-remote    PostgreSQL, committed by another connection pool (another worker process's
 *                view): reaches the server through NOTIFY → LISTEN → read from the store
 * Each commit is one real RunChange (an atom record + its event) through the Store.
 */

const N = Number(process.env['BENCH_EVENTS'] ?? 1000);
const WARMUP = 50;

interface Committer {
  commit(runId: string, i: number): Promise<RunEvent[]>;
  publish(events: readonly RunEvent[]): void;
}

const FLOW = parseFlowDefinitionOrThrow({
  id: 'bench',
  root: { kind: 'linear', name: 'root', children: [{ name: 'a', type: 'test.echo' }] },
});

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function measure(
  label: string,
  server: RunningServer,
  committer: Committer,
  runId: string,
): Promise<Record<string, number | string>> {
  const client = await signedIn(server.url);
  const received = new Map<number, number>();
  let wake: (() => void) | undefined;
  const sub = client.trpc.live.run.subscribe(
    { runId },
    {
      onData: (env) => {
        received.set(env.data.seq, performance.now());
        wake?.();
      },
    },
  );
  const latencies: number[] = [];
  try {
    for (let i = 0; i < N + WARMUP; i++) {
      const events = await committer.commit(runId, i);
      const t0 = performance.now();
      committer.publish(events);
      const seq = events.at(-1)!.seq;
      while (!received.has(seq)) await new Promise<void>((r) => ((wake = r), setTimeout(r, 1000)));
      if (i >= WARMUP) latencies.push(received.get(seq)! - t0);
    }
  } finally {
    sub.unsubscribe();
  }
  latencies.sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return {
    setup: label,
    events: latencies.length,
    p50_ms: r(quantile(latencies, 0.5)),
    p99_ms: r(quantile(latencies, 0.99)),
    max_ms: r(latencies.at(-1)!),
  };
}

/** A run to commit to (created PENDING; no worker runs in the bench servers). */
async function benchRun(server: RunningServer): Promise<string> {
  const run = await server.services.engine.createRun(FLOW);
  return run.id;
}

function storeCommitter(database: OpenedDatabase, publish: (events: readonly RunEvent[]) => void): Committer {
  const atom = initialDetails(new Engine({ store: database.store, registry: createRegistry() }).compile(FLOW))[0]!;
  return {
    commit: (runId, i) =>
      database.store.commit(runId, {
        atoms: [{ ...atom, state: 'RUNNING', attempts: i + 1 }],
        events: [{ kind: 'atom', atom: 'a', from: 'RUNNING', to: 'RUNNING', data: { i } }],
      }),
    publish,
  };
}

async function server(databaseUrl?: string): Promise<RunningServer> {
  return startServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir: 'memory://',
      databaseUrl,
      adminPassword: ADMIN_PASSWORD,
      secret: undefined,
      workerCapacity: 0,
      livePollMs: 60_000,
    },
    webDir: '/nonexistent',
  });
}

async function main(): Promise<void> {
  const rows: Array<Record<string, number | string>> = [];

  const embedded = await server();
  try {
    rows.push(
      await measure(
        'embedded (PGlite)',
        embedded,
        storeCommitter(embedded.database, (e) => embedded.publishCommitted(e)),
        await benchRun(embedded),
      ),
    );
  } finally {
    await embedded.close();
  }

  const pg = await startPostgresCluster();
  try {
    const a = await server(pg.url);
    const other = await openDatabase({ url: pg.url });
    // the other process's side: its own pool, its own hub and NOTIFY bridge
    const otherBridge = new PgEventBridge({
      url: pg.url,
      pool: other.db.$client,
      catchUp: new RunCatchUp(other.store, new EventHub(), (e) => console.error(e)),
      onError: (e) => console.error(e),
    });
    try {
      await otherBridge.start();
      rows.push(
        await measure(
          'PostgreSQL, same process',
          a,
          storeCommitter(a.database, (e) => a.publishCommitted(e)),
          await benchRun(a),
        ),
      );
      rows.push(
        await measure(
          'PostgreSQL, other process (NOTIFY)',
          a,
          storeCommitter(other, (e) => e.forEach((x) => otherBridge.announce(x))),
          await benchRun(a),
        ),
      );
    } finally {
      await otherBridge.close();
      await other.close();
      await a.close();
    }
  } finally {
    await pg.stop();
  }

  console.log(`\nlive events: state change committed → received by an SSE subscriber (${N} events each, sequential)\n`);
  console.table(rows);
  console.log(JSON.stringify({ bench: 'live-events', results: rows }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
