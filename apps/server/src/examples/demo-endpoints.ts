import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Built-in endpoints the seeded HTTP example calls, so that it runs offline on a fresh machine:
 *
 * - `GET /api/demo/flaky?key=K&failures=N` answers 503 to the first N requests for key K, then 200
 *   with JSON; after that success the key starts over, so every run of the example sees the same
 *   failures and the retry controller's backoff. A key idle for a minute starts over too.
 * - `GET|POST /api/demo/echo` answers 200 with the request's method, query and (JSON) body.
 *
 * No session needed (the atoms calling them carry none); they keep only a bounded counter map.
 */
export const DEMO_PREFIX = '/api/demo/';

const MAX_FAILURES = 10;
const MAX_KEYS = 1000;
const KEY_TTL_MS = 60_000;
const MAX_ECHO_BODY = 64 * 1024;

interface Counter {
  failed: number;
  at: number;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** A handler for everything under /api/demo/; `now` is injectable for tests. */
export function createDemoHandler(now: () => number = Date.now): (req: IncomingMessage, res: ServerResponse) => void {
  const counters = new Map<string, Counter>();

  const flaky = (url: URL, res: ServerResponse): void => {
    const key = url.searchParams.get('key') ?? 'default';
    const failuresText = url.searchParams.get('failures') ?? '2';
    const failures = Number(failuresText);
    if (!/^\d+$/.test(failuresText) || failures > MAX_FAILURES)
      return json(res, 400, { error: `failures must be a whole number from 0 to ${MAX_FAILURES}, not "${failuresText}"` });
    if (key.length > 200) return json(res, 400, { error: 'key must be at most 200 characters' });
    const t = now();
    let c = counters.get(key);
    if (c && t - c.at > KEY_TTL_MS) c = undefined;
    if (!c) {
      if (counters.size >= MAX_KEYS) {
        for (const [k, v] of counters) if (t - v.at > KEY_TTL_MS) counters.delete(k);
        if (counters.size >= MAX_KEYS) counters.delete(counters.keys().next().value!);
      }
      c = { failed: 0, at: t };
      counters.set(key, c);
    }
    c.at = t;
    if (c.failed < failures) {
      c.failed += 1;
      return json(
        res,
        503,
        { error: 'service unavailable (demo: deliberately flaky)', attempt: c.failed, failures },
        { 'retry-after': '1' },
      );
    }
    counters.delete(key);
    return json(res, 200, {
      ok: true,
      key,
      attempt: failures + 1,
      message: `succeeded after ${failures} failure(s)`,
      at: new Date(t).toISOString(),
    });
  };

  const echo = (req: IncomingMessage, url: URL, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ECHO_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) return json(res, 413, { error: `body larger than ${MAX_ECHO_BODY} bytes` });
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text === '' ? null : text;
      if (text !== '' && /\bjson\b/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          return json(res, 400, { error: 'the body is not valid JSON' });
        }
      }
      json(res, 200, { method: req.method, query: Object.fromEntries(url.searchParams), body, at: new Date(now()).toISOString() });
    });
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const name = url.pathname.slice(DEMO_PREFIX.length);
    if (name === 'flaky') {
      if (req.method !== 'GET') return json(res, 405, { error: 'use GET' });
      return flaky(url, res);
    }
    if (name === 'echo') {
      if (req.method === 'GET' || req.method === 'HEAD')
        return json(res, 200, { method: req.method, query: Object.fromEntries(url.searchParams), body: null });
      if (req.method !== 'POST' && req.method !== 'PUT') return json(res, 405, { error: 'use GET, POST or PUT' });
      return echo(req, url, res);
    }
    return json(res, 404, { error: `no such demo endpoint: ${url.pathname} (there are /api/demo/flaky and /api/demo/echo)` });
  };
}
