import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDemoHandler } from './demo-endpoints.js';

let server: Server;
let base: string;
let clock = 1_000_000;

beforeAll(async () => {
  const demo = createDemoHandler(() => clock);
  server = createServer(demo);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/demo`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const statusOf = async (url: string, init?: RequestInit): Promise<number> => (await fetch(url, init)).status;

describe('demo endpoints', () => {
  it('flaky answers 503 the first N times per key, then 200 JSON, then starts over', async () => {
    const url = `${base}/flaky?key=a&failures=2`;
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(`${base}/flaky?key=b&failures=1`)).toBe(503);
    expect(await statusOf(url)).toBe(503);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toMatchObject({ ok: true, key: 'a', attempt: 3 });
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(`${base}/flaky?key=b&failures=1`)).toBe(200);
  });

  it('flaky forgets a key idle for more than a minute', async () => {
    const url = `${base}/flaky?key=idle&failures=2`;
    expect(await statusOf(url)).toBe(503);
    clock += 61_000;
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(url)).toBe(200);
  });

  it('flaky refuses bad parameters with 400 and other methods with 405', async () => {
    const bad = await fetch(`${base}/flaky?failures=-1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('failures must be a whole number');
    expect(await statusOf(`${base}/flaky?failures=11`)).toBe(400);
    expect(await statusOf(`${base}/flaky?key=${'k'.repeat(201)}`)).toBe(400);
    expect(await statusOf(`${base}/flaky`, { method: 'POST' })).toBe(405);
  });

  it('echo answers with the method, query and JSON body', async () => {
    const res = await fetch(`${base}/echo?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'POST', query: { x: '1' }, body: { a: [1, 2] } });
    const text = await fetch(`${base}/echo`, { method: 'PUT', body: 'plain' });
    expect(await text.json()).toMatchObject({ method: 'PUT', body: 'plain' });
    expect(await statusOf(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' })).toBe(400);
    expect(await statusOf(`${base}/echo`, { method: 'POST', body: 'x'.repeat(70_000) })).toBe(413);
    expect(await statusOf(`${base}/echo`, { method: 'DELETE' })).toBe(405);
    expect(await statusOf(`${base}/nothing`)).toBe(404);
  });
});
