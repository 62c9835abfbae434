import { RunNotFoundError } from '@atomflow/engine';
import type { RunEvent } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import type { ApiServices } from '../services.js';
import { EventHub } from './event-hub.js';
import { parseEventId, runEventStream } from './run-event-stream.js';

const ev = (seq: number, runId = 'r'): RunEvent => ({
  runId,
  seq,
  kind: 'atom',
  atom: 'a',
  from: 'PENDING',
  to: 'RUNNING',
  data: null,
  at: new Date(0).toISOString(),
});

/** A store holding `committed` events of run 'r', and a hub the test publishes to (or not). */
function fixture(committed: RunEvent[], livePollMs = 60_000) {
  const hub = new EventHub();
  const reads: number[] = [];
  const services = {
    events: hub,
    livePollMs,
    store: {
      events: async (runId: string, after = 0, limit = Infinity) => {
        if (runId !== 'r') throw new RunNotFoundError(runId);
        reads.push(after);
        return committed.filter((e) => e.seq > after).slice(0, limit);
      },
    },
  } as unknown as ApiServices;
  return { hub, services, reads };
}

/** Takes `n` items of the stream (each tracked id must equal the seq), then stops it. */
async function take(
  stream: ReturnType<typeof runEventStream>,
  n: number,
  ac: AbortController,
  onEach?: (seq: number) => void,
): Promise<number[]> {
  const out: number[] = [];
  for await (const [id, data] of stream) {
    expect(id).toBe(String(data.seq));
    out.push(data.seq);
    onEach?.(data.seq);
    if (out.length === n) break;
  }
  ac.abort();
  return out;
}

describe('runEventStream', () => {
  it('backfills after the last event id, then yields live events once each, skipping duplicates', async () => {
    const committed = [1, 2, 3].map((s) => ev(s));
    const { hub, services } = fixture(committed);
    const ac = new AbortController();
    const seqs = await take(runEventStream(services, 'r', 1, ac.signal), 4, ac, (seq) => {
      if (seq === 3) {
        committed.push(ev(4), ev(5));
        // already sent (2, 3), then new ones, one of them twice
        hub.publish([ev(2), ev(3), ev(4), ev(4), ev(5)]);
      }
    });
    expect(seqs).toEqual([2, 3, 4, 5]);
  });

  it('fills a gap in live events from the store, in order', async () => {
    const committed = [ev(1)];
    const { hub, services, reads } = fixture(committed);
    const ac = new AbortController();
    const seqs = await take(runEventStream(services, 'r', 0, ac.signal), 4, ac, (seq) => {
      if (seq === 1) {
        committed.push(ev(2), ev(3), ev(4));
        hub.publish([ev(4)]); // 2 and 3 were never published here (another process's, say)
      }
    });
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([0, 1]);
  });

  it('re-reads the store when nothing arrives for a while (a lost notification)', async () => {
    const committed = [ev(1)];
    const { services } = fixture(committed, 30);
    const ac = new AbortController();
    const seqs = await take(runEventStream(services, 'r', 0, ac.signal), 2, ac, () => committed.push(ev(2)));
    expect(seqs).toEqual([1, 2]);
  });

  it('catches up from the store when a burst overflows the buffer', async () => {
    const committed = [ev(1)];
    const { hub, services } = fixture(committed);
    const ac = new AbortController();
    const burst = Array.from({ length: 10_050 }, (_, i) => ev(i + 2));
    const seqs = await take(runEventStream(services, 'r', 0, ac.signal), burst.length + 1, ac, (seq) => {
      if (seq === 1) {
        committed.push(...burst);
        hub.publish(burst);
      }
    });
    expect(seqs).toEqual([1, ...burst.map((e) => e.seq)]);
  });

  it('ignores other runs, ends on abort and unsubscribes', async () => {
    const { hub, services } = fixture([ev(1)]);
    const ac = new AbortController();
    const stream = runEventStream(services, 'r', 0, ac.signal);
    const first = await stream.next();
    expect(first.done ? undefined : first.value[1].seq).toBe(1);
    hub.publish([ev(2, 'other')]);
    const next = stream.next();
    ac.abort();
    expect((await next).done).toBe(true);
    expect(hub.size).toBe(0);
  });

  it('fails with RunNotFoundError for an unknown run', async () => {
    const { services } = fixture([]);
    await expect(runEventStream(services, 'nope', 0, undefined).next()).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it('parses event ids: decimal seqs only', () => {
    expect(parseEventId('42')).toBe(42);
    expect([parseEventId(null), parseEventId(undefined), parseEventId('-1'), parseEventId('1e3'), parseEventId('9'.repeat(20))]).toEqual([
      0, 0, 0, 0, 0,
    ]);
  });
});
