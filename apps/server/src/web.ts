import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type WebHandler = ((req: IncomingMessage, res: ServerResponse) => void | Promise<void>) & { close?: () => Promise<void> };

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>atomflow</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>atomflow</h1>
<p>The API is up: <a href="/api/health">/api/health</a>, tRPC at <code>/api/trpc</code>.</p>
<p>The web app (<code>apps/web</code>) is not installed in this checkout.</p>
</body></html>
`;

function placeholder(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(PLACEHOLDER);
}

const NOT_BUILT = PLACEHOLDER.replace(
  'is not installed in this checkout',
  'is not built: run <code>npm run build</code> (or <code>npm start</code>, which builds)',
);

function notBuilt(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(NOT_BUILT);
}

interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close?(): Promise<void>;
}
type NextFactory = (opts: { dir: string; dev: boolean; hostname?: string; port?: number }) => NextApp;

/**
 * The web app: Next's request handler when apps/web exists (with `next` installed there and,
 * outside dev, built), else a placeholder page. `dev` serves Next with hot reload.
 */
export async function createWebHandler(webDir: string, opts: { dev: boolean; hostname: string; port: number }): Promise<WebHandler> {
  if (!existsSync(join(webDir, 'package.json'))) return placeholder;
  let nextPath: string;
  try {
    nextPath = createRequire(join(webDir, 'package.json')).resolve('next');
  } catch {
    return placeholder;
  }
  // production serves the build; without one Next would refuse to start, and the API is still useful
  if (!opts.dev && !existsSync(join(webDir, '.next', 'BUILD_ID'))) return notBuilt;
  const mod = (await import(pathToFileURL(nextPath).href)) as { default: NextFactory | { default: NextFactory } };
  const factory = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const app = factory({ dir: webDir, dev: opts.dev, hostname: opts.hostname, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const handler: WebHandler = (req, res) => handle(req, res);
  if (app.close) handler.close = () => app.close!();
  return handler;
}
