import type { CDPSession, Page } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * With BENCH_PROFILE=1, a V8 CPU profile of the page around `body`, printed as the functions with
 * the most self time (what to look at when a goal is missed); without it, just `body`.
 */
export async function profiled<T>(page: Page, label: string, body: () => Promise<T>): Promise<T> {
  if (process.env['BENCH_PROFILE'] !== '1') return body();
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await body();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  await cdp.detach();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    total += dt;
    if (!n) return;
    const f = n.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(
    `\nprofile: ${label} (${total.toFixed(0)} ms sampled)\n${top.map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n')}\n`,
  );
  return result;
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  /** thread (CPU) time, µs */
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

/**
 * With BENCH_PROFILE=1, a Chromium timeline trace around `body`: the page's main-thread CPU time
 * (robust to other processes taking the CPU, unlike wall time) and time per event type.
 */
export async function traced<T>(page: Page, label: string, body: () => Promise<T>): Promise<T> {
  if (process.env['BENCH_PROFILE'] !== '1') return body();
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,cc,viz',
    transferMode: 'ReportEvents',
  });
  const result = await body();
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const main = new Set(events.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const totals = new Map<string, { ms: number; cpu: number; n: number }>();
  let mainCpu = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const t = totals.get(e.name) ?? { ms: 0, cpu: 0, n: 0 };
    t.ms += e.dur / 1000;
    t.cpu += (e.tdur ?? 0) / 1000;
    t.n += 1;
    totals.set(e.name, t);
    if (e.name === 'ThreadControllerImpl::RunTask' && main.has(`${e.pid}:${e.tid}`)) mainCpu += (e.tdur ?? 0) / 1000;
  }
  const top = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20);
  console.log(
    `\ntrace: ${label}: page main thread CPU ${mainCpu.toFixed(0)} ms\n  wall ms   CPU ms   count\n${top
      .map(([k, v]) => `  ${v.ms.toFixed(1).padStart(8)} ${v.cpu.toFixed(1).padStart(8)}  ×${String(v.n).padStart(5)}  ${k}`)
      .join('\n')}\n`,
  );
  return result;
}
