// transform atom benchmark: cost of one sandboxed evaluation (a job posted to a worker thread, a
// fresh QuickJS runtime + context there, inputs in and result out as JSON). Run with `npm run bench` from the repository root.
import { evaluateExpression, warmUpSandbox } from '../builtins/transform-sandbox.js';
import { TRANSFORM_LIMITS } from '../builtins/transform.js';

const limits = {
  timeoutMs: TRANSFORM_LIMITS.timeoutMs.default,
  memoryLimitBytes: TRANSFORM_LIMITS.memoryLimitBytes.default,
  stackLimitBytes: TRANSFORM_LIMITS.stackLimitBytes.default,
};

const items = Array.from({ length: 100 }, (_, i) => ({ sku: `sku-${i}`, qty: i % 7, price: i * 1.5 }));

const cases: { name: string; expression: string; inputs: Record<string, unknown> }[] = [
  { name: 'a + b', expression: 'a + b', inputs: { a: 1, b: 2 } },
  {
    name: 'object from 2 inputs',
    expression: '{ id: order.id, total: order.total * (1 + vat) }',
    inputs: { order: { id: 'o-1', total: 10 }, vat: 0.2 },
  },
  {
    name: 'filter+map 100 items',
    expression: 'items.filter(i => i.qty > 0).map(i => ({ sku: i.sku, cost: i.qty * i.price }))',
    inputs: { items },
  },
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const t0 = performance.now();
await warmUpSandbox();
const loadMs = performance.now() - t0;

console.log('\ntransform (QuickJS/wasm sandbox, worker thread, fresh runtime + context per evaluation):');
console.log(`worker start + wasm module load (once per worker): ${loadMs.toFixed(1)} ms`);
for (const c of cases) {
  for (let i = 0; i < 200; i++) await evaluateExpression(c.expression, c.inputs, limits); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const s = performance.now();
    await evaluateExpression(c.expression, c.inputs, limits);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `${c.name}: p50 ${(percentile(times, 0.5) * 1000).toFixed(0)} µs, p99 ${(percentile(times, 0.99) * 1000).toFixed(0)} µs, ${Math.round((times.length / total) * 1000)} evaluations/s`,
  );
}
