import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CancelledError } from '@atomflow/engine';

import { createRegistry } from '../registry.js';
import { FakeAtomRun } from '../testing/fake-context.js';
import { HttpBodyError, HttpConnectionError, HttpNoBaseUrlError, HttpStatusError, HttpTimeoutError } from './http-errors.js';
import { httpRequest } from './http-request.js';

/** A real HTTP server on 127.0.0.1 with a few endpoints; records what it received. */
let server: Server;
let base: string;
const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  switch (req.url?.split('?')[0]) {
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'abc' }).end(JSON.stringify({ ok: true, n: 42 }));
      return;
    case '/text':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      return;
    case '/echo':
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] }));
      return;
    case '/busy':
      res.writeHead(503, { 'content-type': 'text/plain' }).end('try again later '.repeat(100));
      return;
    case '/not-json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{oops');
      return;
    case '/empty':
      res.writeHead(204).end();
      return;
    case '/slow':
      // Answers after 3 s: longer than the timeouts used against it.
      setTimeout(() => res.writeHead(200).end('late'), 3_000).unref();
      return;
    case '/stall':
      // Headers and part of the body now, the rest never: the timeout must cover reading the body.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return;
    default:
      res.writeHead(404).end('no such endpoint');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => route(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const call = (config: Record<string, unknown>, signal?: AbortSignal, baseUrl?: string) =>
  new FakeAtomRun(httpRequest, config, { ...(signal ? { signal } : {}), ...(baseUrl !== undefined ? { baseUrl } : {}) }).execute({});

const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );

describe('http.request', () => {
  it('GET 200 JSON: returns status, headers and the parsed body', async () => {
    const res = await call({ url: `${base}/json` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, n: 42 });
    expect(res.headers['x-trace']).toBe('abc');
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('auto returns text for a text response; text keeps JSON unparsed; json forces parsing', async () => {
    expect((await call({ url: `${base}/text` })).body).toBe('plain words');
    expect((await call({ url: `${base}/json`, responseType: 'text' })).body).toBe('{"ok":true,"n":42}');
    expect((await call({ url: `${base}/json`, responseType: 'json' })).body).toEqual({ ok: true, n: 42 });
  });

  it('sends a JSON body with its content-type, a string body as it is, and the configured headers', async () => {
    const json = await call({ url: `${base}/echo`, method: 'POST', body: { a: [1, 2] }, headers: { 'x-key': 'k1' } });
    expect(json.status).toBe(201);
    expect(json.body).toEqual({ method: 'POST', body: '{"a":[1,2]}', type: 'application/json' });
    expect(received.at(-1)?.headers['x-key']).toBe('k1');

    const text = await call({
      url: `${base}/echo`,
      method: 'PUT',
      body: 'raw=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.body).toEqual({ method: 'PUT', body: 'raw=1', type: 'application/x-www-form-urlencoded' });
  });

  it('an empty JSON-typed body is null', async () => {
    const res = await call({ url: `${base}/empty`, responseType: 'json' });
    expect(res).toMatchObject({ status: 204, body: null });
  });

  it('503 → HttpStatusError with the status, its text and a body excerpt', async () => {
    const e = await failure(call({ url: `${base}/busy`, method: 'POST', body: 'x' }));
    expect(e).toBeInstanceOf(HttpStatusError);
    const err = e as HttpStatusError;
    expect(err.name).toBe('HttpStatusError');
    expect(err.message).toBe(`POST ${base}/busy → 503 Service Unavailable`);
    expect(err.status).toBe(503);
    expect(err.statusText).toBe('Service Unavailable');
    expect(err.bodyExcerpt.startsWith('try again later try again later')).toBe(true);
    expect(err.bodyExcerpt.length).toBeLessThanOrEqual(501);
  });

  it('expectStatus decides what counts as success', async () => {
    expect((await call({ url: `${base}/busy`, expectStatus: [503] })).status).toBe(503);
    const e = await failure(call({ url: `${base}/json`, expectStatus: [201] }));
    expect((e as Error).message).toBe(`GET ${base}/json → 200 OK`);
  });

  it('a slow endpoint → HttpTimeoutError', async () => {
    const started = performance.now();
    const e = await failure(call({ url: `${base}/slow`, timeoutMs: 300 }));
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect((e as Error).message).toBe(`GET ${base}/slow timed out after 300 ms`);
    expect((e as HttpTimeoutError).timeoutMs).toBe(300);
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('a body that stalls after the headers → HttpTimeoutError', async () => {
    const e = await failure(call({ url: `${base}/stall`, timeoutMs: 300 }));
    expect(e).toBeInstanceOf(HttpTimeoutError);
    expect((e as Error).message).toBe(`GET ${base}/stall timed out after 300 ms`);
  });

  it('a closed port → HttpConnectionError with the system code', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/x`;
    const e = await failure(call({ url, method: 'POST', body: {} }));
    expect(e).toBeInstanceOf(HttpConnectionError);
    expect((e as Error).message).toBe(`POST ${url} could not connect: ECONNREFUSED`);
    expect((e as HttpConnectionError).code).toBe('ECONNREFUSED');
  });

  it('cancelling the run aborts the request with CancelledError', async () => {
    const ac = new AbortController();
    const pending = failure(call({ url: `${base}/slow`, timeoutMs: 10_000 }, ac.signal));
    setTimeout(() => ac.abort(new Error('cancelled by user')), 100);
    const e = await pending;
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as Error).message).toBe(`GET ${base}/slow cancelled`);
  });

  it('an already cancelled run does not send the request', async () => {
    const before = received.length;
    const e = await failure(call({ url: `${base}/json` }, AbortSignal.abort()));
    expect(e).toBeInstanceOf(CancelledError);
    expect(received.length).toBe(before);
  });

  it('invalid JSON where JSON is expected → HttpBodyError', async () => {
    const e = await failure(call({ url: `${base}/not-json` }));
    expect(e).toBeInstanceOf(HttpBodyError);
    expect((e as Error).message).toMatch(new RegExp(`^GET ${base}/not-json → 200 with an unreadable body: invalid JSON`));
  });

  it('a URL path is sent to the base URL of the host running the atom, query string and all', async () => {
    received.length = 0;
    const res = await call({ url: '/echo?from=path', method: 'POST', body: { a: 1 } }, undefined, base);
    expect(res.status).toBe(201);
    expect(received).toMatchObject([{ method: 'POST', url: '/echo?from=path' }]);
    // only the origin of the base counts: a path replaces the base's own path
    expect((await call({ url: '/json' }, undefined, `${base}/somewhere/else/`)).body).toEqual({ ok: true, n: 42 });
    // an absolute URL ignores the base
    expect((await call({ url: `${base}/text` }, undefined, 'http://127.0.0.1:1')).body).toBe('plain words');
    // failures name the URL that was called
    const err = await failure(call({ url: '/busy' }, undefined, base));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).url).toBe(`${base}/busy`);
  });

  it('a URL path where no base URL is known → HttpNoBaseUrlError, nothing sent', async () => {
    received.length = 0;
    const err = await failure(call({ url: '/json' }));
    expect(err).toBeInstanceOf(HttpNoBaseUrlError);
    expect(err).toMatchObject({ method: 'GET', url: '/json' });
    expect((err as Error).message).toMatch(/^GET \/json cannot be sent: a URL path is resolved against the address of the server/);
    expect((err as Error).message).toContain('give an absolute http:// or https:// URL');
    expect(received).toEqual([]);
  });

  describe('config schema', () => {
    const issues = (config: Record<string, unknown>) => createRegistry().get('http.request', 1)!.checkConfig(config);

    it('accepts http and https URLs and applies the defaults', () => {
      expect(issues({ url: 'https://example.com/a?b=1' })).toEqual([]);
      expect(httpRequest.config!.parse({ url: 'http://127.0.0.1:9/x' })).toEqual({
        url: 'http://127.0.0.1:9/x',
        method: 'GET',
        headers: {},
        timeoutMs: 10_000,
        responseType: 'auto',
      });
    });

    it('accepts a path on the server running the flow', () => {
      for (const url of ['/api/demo/flaky?key=a&failures=2', '/']) expect(issues({ url })).toEqual([]);
    });

    it('rejects a bad URL with a clear message', () => {
      for (const url of [
        'ftp://example.com/file',
        'not a url',
        'relative/path',
        '//other.example/x',
        'javascript:alert(1)',
        'http://',
        'http://a b/',
      ]) {
        expect(issues({ url })).toEqual([
          {
            path: ['url'],
            message: 'must be an absolute http:// or https:// URL, or a path starting with / (on the server running the flow)',
          },
        ]);
      }
      expect(issues({})).toMatchObject([{ path: ['url'] }]);
    });

    it('rejects a body on GET, an unknown method, a bad timeout or status', () => {
      expect(issues({ url: 'http://a.example', body: 'x' })).toEqual([
        { path: ['body'], message: 'a GET or HEAD request cannot have a body' },
      ]);
      expect(issues({ url: 'http://a.example', method: 'FETCH' })).toMatchObject([{ path: ['method'] }]);
      expect(issues({ url: 'http://a.example', timeoutMs: 0 })).toMatchObject([{ path: ['timeoutMs'] }]);
      expect(issues({ url: 'http://a.example', expectStatus: [42] })).toMatchObject([{ path: ['expectStatus', 0] }]);
    });
  });
});
