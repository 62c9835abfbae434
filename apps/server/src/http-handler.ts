import type { IncomingMessage, ServerResponse } from 'node:http';

import { appRouter, createContext, type ApiServices, type RequestMeta } from '@atomflow/api';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';

import { createDemoHandler, DEMO_PREFIX } from './examples/demo-endpoints.js';
import type { WebHandler } from './web.js';

export const TRPC_PREFIX = '/api/trpc/';
/** Largest request body (an imported flow of a few MB fits). */
const MAX_BODY = 8 * 1024 * 1024;

function requestMeta(req: IncomingMessage, res: ServerResponse): RequestMeta {
  // trusting the proxy header is safe here: it can only make the cookie stricter
  const https = 'encrypted' in req.socket || req.headers['x-forwarded-proto'] === 'https';
  return {
    https,
    header(name) {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    setCookie(cookie) {
      res.appendHeader('set-cookie', cookie);
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** One origin: /api/health, tRPC (+ SSE) under /api/trpc, the examples' endpoints under /api/demo, the web app everywhere else. */
export function createRequestHandler(services: ApiServices, web: WebHandler): (req: IncomingMessage, res: ServerResponse) => void {
  const log = services.log ?? ((m: string, e?: unknown) => console.error(m, e));
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_PREFIX,
    maxBodySize: MAX_BODY,
    createContext: ({ req, res }) => createContext(services, requestMeta(req, res)),
    onError({ error, path, type }) {
      // the caller's mistakes are answered with 4xx; only our own failures are logged
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`internal error in ${type} ${path ?? '?'}`, error.cause ?? error);
    },
  });
  const demo = createDemoHandler();
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'use GET' });
      return json(res, 200, { ok: true });
    }
    if (path.startsWith(TRPC_PREFIX)) return trpc(req, res);
    if (path.startsWith(DEMO_PREFIX)) return demo(req, res);
    if (path === '/api' || path.startsWith('/api/')) return json(res, 404, { error: `no such endpoint: ${path}` });
    Promise.resolve(web(req, res)).catch((error: unknown) => {
      log(`web handler failed for ${path}`, error);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };
}
