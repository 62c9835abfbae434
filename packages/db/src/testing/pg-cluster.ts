import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AtomflowError } from '@atomflow/model';

/** Debian's postgresql package (PostgreSQL 15 on bookworm). */
const DEFAULT_BIN_DIR = '/usr/lib/postgresql/15/bin';
/** PostgreSQL refuses to run as root; the Debian package creates this user. */
const PG_USER = 'postgres';

export class PostgresBinariesNotFoundError extends AtomflowError {
  override readonly name = 'PostgresBinariesNotFoundError';
  constructor(readonly binDir: string) {
    super(
      `PostgreSQL server binaries not found in ${binDir} (initdb, pg_ctl): install Debian's postgresql package ` +
        `(apt-get install postgresql) or set ATOMFLOW_PG_BIN to the directory holding them`,
    );
  }
}

export class PostgresClusterError extends AtomflowError {
  override readonly name = 'PostgresClusterError';
}

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, local only). */
  readonly url: string;
  readonly port: number;
  /** The temporary directory (data/, server.log, the unix socket); deleted by stop(). */
  readonly dir: string;
  /** Stops the server and deletes its directory; safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server but keeps its data (the database "goes away"); `restart` brings it back. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port with the same data. */
  restart(): Promise<void>;
}

export interface PostgresClusterOptions {
  /** Directory holding initdb and pg_ctl; default $ATOMFLOW_PG_BIN or Debian's PostgreSQL 15. */
  readonly binDir?: string;
}

/**
 * Starts a throwaway PostgreSQL cluster for tests: a fresh temp directory, a free port on
 * 127.0.0.1, its unix socket inside the directory, default durability settings (fsync on: tests
 * see real commit costs). Stopped and deleted by `stop()` or when the process exits.
 */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const binDir = options.binDir ?? process.env['ATOMFLOW_PG_BIN'] ?? findBinDir();
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  if (!existsSync(initdb) || !existsSync(pgCtl)) throw new PostgresBinariesNotFoundError(binDir);

  const root = mkdtempSync(join(tmpdir(), 'atomflow-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const asUser = userWrapper();
  if (asUser.uid !== undefined && asUser.gid !== undefined) chownSync(root, asUser.uid, asUser.gid);

  let started = false;
  const stopSync = (): void => {
    if (started) {
      started = false;
      const [cmd, ...argv] = asUser.argv(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd!, argv, { stdio: 'ignore' });
    }
    rmSync(root, { recursive: true, force: true });
  };
  // Never leave a server behind, even when a test run ends without calling stop() or is
  // interrupted (pg_ctl daemonizes the server: it would outlive us).
  const onSignal = (signal: NodeJS.Signals): void => {
    stopSync();
    // Our listener kept the process alive: if no one else handles the signal, die as asked.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const detach = (): void => {
    process.removeListener('exit', stopSync);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('exit', stopSync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    run(asUser, initdb, ['-D', dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C']);
    // The free port can be taken between our probe and the server's bind: try a few.
    let port = 0;
    const startServer = (): void =>
      run(asUser, pgCtl, [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${root}`,
        'start',
      ]);
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        startServer();
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
    started = true;
    return {
      url: `postgres://${PG_USER}@127.0.0.1:${port}/postgres`,
      port,
      dir: root,
      stop: () => {
        detach();
        if (started) {
          started = false;
          run(asUser, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        }
        rmSync(root, { recursive: true, force: true });
        return Promise.resolve();
      },
      halt: () => {
        if (started) {
          started = false;
          run(asUser, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        }
        return Promise.resolve();
      },
      restart: () => {
        if (!started) {
          startServer();
          started = true;
        }
        return Promise.resolve();
      },
    };
  } catch (e) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    detach();
    stopSync();
    throw new PostgresClusterError(`could not start PostgreSQL: ${e instanceof Error ? e.message : String(e)}${log ? `\n${log}` : ''}`, {
      cause: e,
    });
  }
}

/** Debian's 15 first, else the newest /usr/lib/postgresql/N/bin present. */
function findBinDir(): string {
  if (existsSync(join(DEFAULT_BIN_DIR, 'initdb'))) return DEFAULT_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? join(root, versions[0], 'bin') : DEFAULT_BIN_DIR;
}

interface UserWrapper {
  /** The argv that runs `bin args…` as the server's user. */
  readonly argv: (bin: string, args: readonly string[]) => string[];
  readonly uid?: number;
  readonly gid?: number;
}

/** As root, commands run as the postgres user (runuser, else su); otherwise as ourselves. */
function userWrapper(): UserWrapper {
  if (process.getuid?.() !== 0) return { argv: (bin, args) => [bin, ...args] };
  const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new PostgresClusterError(`no ${PG_USER} user to run PostgreSQL as`);
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  if (runuser) return { argv: (bin, args) => [runuser, '-u', PG_USER, '--', bin, ...args], uid, gid };
  // su takes one command string.
  return { argv: (bin, args) => ['su', PG_USER, '-s', '/bin/sh', '-c', [bin, ...args].map(shellQuote).join(' ')], uid, gid };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function run(user: UserWrapper, bin: string, args: readonly string[]): void {
  const [cmd, ...argv] = user.argv(bin, args);
  const r = spawnSync(cmd!, argv, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new PostgresClusterError(`${bin} exited with ${String(r.status)}: ${r.stderr || r.stdout}`);
}

/** A port free right now on 127.0.0.1 (the OS picks it; PostgreSQL binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
