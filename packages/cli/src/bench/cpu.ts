import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * CPU seconds used by processes, from /proc (Linux): where a benchmark's time goes between the
 * worker processes and the PostgreSQL server. Elsewhere the figures are simply absent.
 */

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

function stat(pid: number): { ppid: number; cpu: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: fields after the closing parenthesis
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return undefined;
  }
}

/** CPU seconds per process, to subtract a later snapshot from (processes come and go). */
export type CpuSnapshot = ReadonlyMap<number, number>;

export function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const s = stat(pid);
    if (s) m.set(pid, s.cpu);
  }
  return m;
}

/** CPU seconds used between two snapshots: processes started meanwhile count whole. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): number {
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

/** The PostgreSQL postmaster's pid (first line of postmaster.pid) and its children's. */
export function postgresPids(dataDir: string): number[] {
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [postmaster];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && stat(pid)?.ppid === postmaster) pids.push(pid);
  }
  return pids;
}
