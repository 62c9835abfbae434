import { openSync, readFileSync, closeSync, writeSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

import { DatabaseLockedError } from './errors.js';

const LOCK_FILE = 'atomflow.lock';

/**
 * PGlite is a single-process database with no locking of its own: two processes (say the server
 * and `atomflow run --db DIR`) writing one data directory would corrupt it. A pid file in the
 * directory refuses the second opener; a lock left by a process that died (kill -9) is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return () => releaseLock(path);
    } catch (e) {
      if (!isErrno(e, 'EEXIST') || attempt > 0) throw e;
      const holder = readPid(path);
      if (holder !== undefined && isAlive(holder)) throw new DatabaseLockedError(dataDir, holder);
      // A stale lock (its process is gone): remove it and try once more.
      unlinkQuietly(path);
    }
  }
}

function releaseLock(path: string): void {
  // Only remove our own lock: never one a later process took over.
  if (readPid(path) === process.pid) unlinkQuietly(path);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return isErrno(e, 'EPERM');
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
  }
}

function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === code;
}
