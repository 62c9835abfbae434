import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** The server's configuration; read from the environment here and nowhere else. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Embedded database directory (PGlite), used unless `databaseUrl` is set. */
  readonly dataDir: string;
  /** PostgreSQL instead of the embedded database; several servers/workers may share it. */
  readonly databaseUrl: string | undefined;
  /** The first admin's password; generated and printed once when unset. */
  readonly adminPassword: string | undefined;
  /** Required to listen on anything but loopback. */
  readonly secret: string | undefined;
  /** Runs this process executes at once; 0 = an API-only process (workers elsewhere execute). */
  readonly workerCapacity: number;
  /** How often a live subscription re-reads the store, in case a notification was lost (ms). */
  readonly livePollMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Reads and checks the configuration; throws ConfigError with what to fix. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const portText = env['PORT'] ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) throw new ConfigError(`PORT must be a port number (0-65535), not "${portText}"`);
  const host = env['HOST'] ?? '127.0.0.1';
  const secret = env['ATOMFLOW_SECRET'] || undefined;
  if (!isLoopback(host) && !secret)
    throw new ConfigError(`refusing to listen on ${host}: only loopback is safe without ATOMFLOW_SECRET set (set it, or HOST=127.0.0.1)`);
  if (secret !== undefined && secret.length < 16) throw new ConfigError('ATOMFLOW_SECRET must be at least 16 characters');
  const adminPassword = env['ATOMFLOW_ADMIN_PASSWORD'] || undefined;
  if (adminPassword !== undefined && adminPassword.length < 10)
    throw new ConfigError('ATOMFLOW_ADMIN_PASSWORD must be at least 10 characters');
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  const capacityText = env['ATOMFLOW_WORKER_CAPACITY'] || '16';
  const workerCapacity = Number(capacityText);
  if (!/^\d+$/.test(capacityText) || workerCapacity > 10_000)
    throw new ConfigError(`ATOMFLOW_WORKER_CAPACITY must be a whole number (0 = no worker here), not "${capacityText}"`);
  if (workerCapacity === 0 && databaseUrl === undefined)
    throw new ConfigError('ATOMFLOW_WORKER_CAPACITY=0 needs DATABASE_URL: nothing else could execute runs on the embedded database');
  const pollText = env['ATOMFLOW_LIVE_POLL_MS'] || '3000';
  const livePollMs = Number(pollText);
  if (!/^\d+$/.test(pollText) || livePollMs < 100)
    throw new ConfigError(`ATOMFLOW_LIVE_POLL_MS must be a whole number of milliseconds ≥ 100, not "${pollText}"`);
  return {
    port,
    host,
    dataDir: resolve(cwd, env['ATOMFLOW_DATA_DIR'] || '.atomflow'),
    databaseUrl,
    adminPassword,
    secret,
    workerCapacity,
    livePollMs,
  };
}
