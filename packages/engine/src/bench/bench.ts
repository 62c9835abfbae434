// In-memory engine benchmark: atoms/s and peak RSS for linear and graph (width 100) flows.
// Run with `npm run bench` from the repository root.
import { AtomRegistry } from '../registry.js';
import { Engine } from '../engine.js';
import { InMemoryStore } from '../memory-store.js';
import { graphFlow, linearFlow } from './shapes.js';

const registry = new AtomRegistry([{ type: 'test.noop', version: 1, execute: () => null }]);

interface Row {
  shape: string;
  atoms: number;
  medianMs: number;
  atomsPerSec: number;
  peakRssMb: number;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);

async function measure(shape: string, n: number, make: () => ReturnType<typeof linearFlow>): Promise<Row> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const def = make();
    const engine = new Engine({ store: new InMemoryStore(), registry, maxParallel: 100 });
    const t0 = performance.now();
    const out = await engine.startRun(def);
    const ms = performance.now() - t0;
    if (out.state !== 'SUCCESS') throw new Error(`${shape} ${n}: run ended ${out.state}`);
    times.push(ms);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  times.sort((a, b) => a - b);
  const medianMs = times[2]!;
  return {
    shape,
    atoms: n,
    medianMs: Math.round(medianMs),
    atomsPerSec: Math.round((n / medianMs) * 1000),
    peakRssMb: Math.round(peakRss / 1e6),
  };
}

// warm the JIT up first: the figures are steady-state costs, as a long-lived server sees them
for (const make of [() => linearFlow(1_000), () => graphFlow(1_000)])
  await new Engine({ store: new InMemoryStore(), registry }).startRun(make());

const rows: Row[] = [];
for (const n of [1_000, 10_000]) {
  rows.push(await measure('linear', n, () => linearFlow(n)));
  rows.push(await measure('graph w=100', n, () => graphFlow(n)));
}
clearInterval(sampler);
console.log('\nengine, in-memory store (median of 5 runs, compile + execute):');
console.table(rows);
for (const shape of ['linear', 'graph w=100']) {
  const [small, big] = rows.filter((r) => r.shape === shape);
  console.log(`${shape}: 10,000 atoms took ${(big!.medianMs / small!.medianMs).toFixed(1)}× the time of 1,000 (goal ≤ 12×)`);
}
const slowest = Math.min(...rows.map((r) => r.atomsPerSec));
console.log(`slowest shape: ${slowest} atoms/s (goal ≥ 20,000)`);
