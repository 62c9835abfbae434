import { describe, expect, it } from 'vitest';

import { readConfig } from './env.js';

describe('readConfig', () => {
  it('defaults: port 3000 on 127.0.0.1, embedded database in ./.atomflow, a worker', () => {
    expect(readConfig({}, '/srv/app')).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/.atomflow',
      databaseUrl: undefined,
      adminPassword: undefined,
      secret: undefined,
      workerCapacity: 16,
      livePollMs: 3000,
    });
  });

  it('reads every variable', () => {
    const c = readConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        ATOMFLOW_SECRET: 's'.repeat(32),
        ATOMFLOW_DATA_DIR: 'data',
        DATABASE_URL: 'postgres://u@h/db',
        ATOMFLOW_ADMIN_PASSWORD: 'p'.repeat(12),
        ATOMFLOW_WORKER_CAPACITY: '0',
        ATOMFLOW_LIVE_POLL_MS: '500',
      },
      '/srv',
    );
    expect(c).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/data',
      databaseUrl: 'postgres://u@h/db',
      adminPassword: 'p'.repeat(12),
      secret: 's'.repeat(32),
      workerCapacity: 0,
      livePollMs: 500,
    });
  });

  it('refuses a non-loopback bind without ATOMFLOW_SECRET, and bad values', () => {
    expect(() => readConfig({ HOST: '0.0.0.0' })).toThrow(
      'refusing to listen on 0.0.0.0: only loopback is safe without ATOMFLOW_SECRET set (set it, or HOST=127.0.0.1)',
    );
    expect(() => readConfig({ HOST: '192.168.1.5' })).toThrow(/refusing to listen/);
    expect(readConfig({ HOST: '::1' }).host).toBe('::1');
    expect(readConfig({ HOST: '127.0.0.2' }).host).toBe('127.0.0.2');
    expect(() => readConfig({ PORT: 'eighty' })).toThrow('PORT must be a port number (0-65535), not "eighty"');
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ HOST: '0.0.0.0', ATOMFLOW_SECRET: 'short' })).toThrow(/at least 16/);
    expect(() => readConfig({ ATOMFLOW_ADMIN_PASSWORD: 'short' })).toThrow(/at least 10/);
    expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres:\/\//);
    expect(() => readConfig({ ATOMFLOW_WORKER_CAPACITY: '0' })).toThrow(/needs DATABASE_URL/);
    expect(() => readConfig({ ATOMFLOW_LIVE_POLL_MS: '5' })).toThrow(/ATOMFLOW_LIVE_POLL_MS/);
  });
});
