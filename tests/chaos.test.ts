// Chaos: a worker process is killed with SIGKILL at random (seeded) moments, 50 times, while it
// executes 50-atom runs on the embedded database; a new worker resumes each time. Nothing
// committed may be lost, no event duplicated, no succeeded atom or sub-step executed again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createRegistry } from '@atomflow/atoms';
import { openDatabase } from '@atomflow/db';
import { Engine } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type RunEvent } from '@atomflow/model';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atomflow-chaos-'));
const dataDir = join(dir, 'db');
const callLog = join(dir, 'calls.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KILLS = 50;
const RUNS = 6;
const STEPS = { a: 2, b: 3 };

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 50 atoms: 10 unordered groups of 5 in a linear flow; every other atom has Kopf sub-steps. */
const definition = parseFlowDefinitionOrThrow({
  id: 'chaos',
  root: {
    kind: 'linear',
    name: 'root',
    children: Array.from({ length: 10 }, (_, g) => ({
      kind: 'unordered',
      name: `g${g}`,
      children: Array.from({ length: 5 }, (_, i) =>
        (g * 5 + i) % 2 === 0
          ? { name: `s${g}_${i}`, type: 'test.steps', config: { steps: STEPS, delayMs: 15 } }
          : { name: `e${g}_${i}`, type: 'test.echo', config: { value: `${g}.${i}` } },
      ),
    })),
  },
});

/** Lines in the call log so far (each a user-code invocation). */
function callCount(): number {
  return existsSync(callLog) ? readFileSync(callLog, 'utf8').split('\n').length - 1 : 0;
}

function startWorker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    [bin, 'worker', '--db', dataDir, '--lease-ttl', '400', '--poll-ms', '20', '--capacity', String(RUNS)],
    {
      env: { ...process.env, ATOMFLOW_TEST_CALLS: callLog },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"worker"')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`worker exited early: ${code ?? signal}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stderr.resume();
  return { child, ready, exited };
}

describe('chaos: SIGKILL at random moments', () => {
  it(`${KILLS} kills, a new worker each time: runs finish, nothing lost, nothing done twice`, async () => {
    const random = prng(20261123);
    {
      const db = await openDatabase({ dataDir });
      const engine = new Engine({ store: db.store, registry: createRegistry() });
      for (let i = 0; i < RUNS; i++) await engine.createRun(definition, { runId: `chaos-${i}` });
      await db.close();
    }
    let killsWhileBusy = 0;
    for (let k = 0; k < KILLS; k++) {
      const w = startWorker();
      await w.ready.catch(() => undefined);
      // kill while it works, however slow the machine: once it has executed something new (or
      // after 3 s), plus a random 0–250 ms
      const before = callCount();
      const until = Date.now() + 3000;
      while (callCount() === before && Date.now() < until && w.child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 250)));
      if (w.child.exitCode === null && callCount() > before) killsWhileBusy++;
      w.child.kill('SIGKILL');
      await w.exited;
    }
    // then `atomflow resume` finishes every unfinished run and exits (no worker is alive any more)
    const resume = spawnSync(process.execPath, [bin, 'resume', '--db', dataDir], { env: { ...process.env, ATOMFLOW_TEST_CALLS: callLog }, encoding: 'utf8', timeout: 240_000 });
    expect(resume.status, resume.stderr).toBe(0);
    expect(killsWhileBusy).toBeGreaterThan(KILLS / 2);

    const db = await openDatabase({ dataDir });
    try {
      const calls = readFileSync(callLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { atom: string; fn: string; step?: string; attempt?: number });
      for (let i = 0; i < RUNS; i++) {
        const runId = `chaos-${i}`;
        const loaded = await db.store.loadRun(runId);
        expect(loaded!.flow.state, runId).toBe('SUCCESS');
        expect(loaded!.atoms.every((a) => a.state === 'SUCCESS')).toBe(true);
        const events: RunEvent[] = await db.store.events(runId);
        // no event lost or duplicated: seqs are exactly 1..n
        expect(events.map((e) => e.seq)).toEqual(events.map((_, j) => j + 1));
        const byAtom = new Map<string, RunEvent[]>();
        for (const e of events) if (e.kind === 'atom' && e.atom && e.to) byAtom.set(e.atom, [...(byAtom.get(e.atom) ?? []), e]);
        for (const [atom, evs] of byAtom) {
          // reached SUCCESS exactly once, and never started again afterwards
          expect(
            evs.filter((e) => e.to === 'SUCCESS'),
            `${runId} ${atom}`,
          ).toHaveLength(1);
          expect(evs.at(-1)!.to).toBe('SUCCESS');
        }
        // sub-steps: recorded SUCCESS with the attempt that succeeded
        for (const s of loaded!.subSteps) expect([s.state, s.attempts]).toEqual(['SUCCESS', STEPS[s.name as keyof typeof STEPS]]);
      }
      // executions: never more than the committed starts (a start whose worker died may not have run)
      const runningTransitions = new Map<string, number>();
      for (let i = 0; i < RUNS; i++)
        for (const e of await db.store.events(`chaos-${i}`))
          if (e.kind === 'atom' && e.to === 'RUNNING') runningTransitions.set(e.atom!, (runningTransitions.get(e.atom!) ?? 0) + 1);
      const executions = new Map<string, number>();
      for (const c of calls) if (c.fn === 'execute') executions.set(c.atom, (executions.get(c.atom) ?? 0) + 1);
      for (const [atom, n] of executions) expect(n, atom).toBeLessThanOrEqual(runningTransitions.get(atom)!);
      // a sub-step that succeeded (attempt = its n) is never called with a later attempt
      for (const c of calls)
        if (c.fn === 'step') expect(c.attempt!, `${c.atom}.${c.step}`).toBeLessThanOrEqual(STEPS[c.step as keyof typeof STEPS]);
    } finally {
      await db.close();
    }
  }, 600_000);
});
