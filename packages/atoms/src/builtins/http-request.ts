import { STATUS_CODES } from 'node:http';

import { CancelledError } from '@atomflow/engine';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { HttpBodyError, HttpConnectionError, HttpError, HttpNoBaseUrlError, HttpStatusError, HttpTimeoutError } from './http-errors.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const EXCERPT_CHARS = 500;

const URL_MESSAGE = 'must be an absolute http:// or https:// URL, or a path starting with / (on the server running the flow)';
/** An absolute http(s) URL, or a path (one leading slash: `//host` would name another host). */
const URL_OR_PATH = /^(https?:\/\/[^\s/?#]+\S*|\/(?!\/)\S*)$/;

const config = z
  .object({
    url: z
      .string()
      .regex(URL_OR_PATH, { error: URL_MESSAGE, abort: true })
      .refine((u) => u.startsWith('/') || URL.canParse(u), { error: URL_MESSAGE })
      .describe('an http:// or https:// URL, or a path starting with / on the server running the flow (/api/demo/echo)'),
    method: z.enum(HTTP_METHODS).default('GET'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers'),
    body: z.json().optional().describe('A string is sent as it is; any other JSON value is sent as JSON'),
    timeoutMs: z.number().int().positive().default(10_000).describe('Fail when the whole response has not arrived within this time'),
    expectStatus: z
      .array(z.number().int().min(100).max(599))
      .min(1)
      .optional()
      .describe('Statuses that count as success (default: any 2xx)'),
    responseType: z
      .enum(['json', 'text', 'auto'])
      .default('auto')
      .describe("auto: JSON when the response's content-type says so, else text"),
  })
  .refine((c) => c.body === undefined || (c.method !== 'GET' && c.method !== 'HEAD'), {
    message: 'a GET or HEAD request cannot have a body',
    path: ['body'],
  });

type HttpConfig = z.output<typeof config>;

const output = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});
export type HttpResponse = z.output<typeof output>;

/** Calls an HTTP endpoint; a non-expected status, a timeout or a connection failure fails the atom. */
export const httpRequest = defineAtom({
  type: 'http.request',
  version: 1,
  category: 'Network',
  description:
    'Sends an HTTP request and returns {status, headers, body}. The URL is absolute, or a path (/api/…) on the server running the flow, so a flow calling its own server keeps working when the server moves. Fails on a status outside expectStatus (default 2xx), on timeout (timeoutMs) or when it cannot connect.',
  config,
  inputs: z.object({}),
  outputs: output,
  execute: (_inputs, ctx) => request({ ...ctx.config, url: resolveUrl(ctx.config, ctx.baseUrl) }, ctx.signal),
});

/** A path is resolved against the base URL of the host running the atom (its origin, for a server). */
function resolveUrl(c: Pick<HttpConfig, 'method' | 'url'>, baseUrl: string | undefined): string {
  if (!c.url.startsWith('/')) return c.url;
  if (baseUrl === undefined || !URL.canParse(baseUrl)) throw new HttpNoBaseUrlError(c.method, c.url);
  return new URL(c.url, baseUrl).href;
}

async function request(c: HttpConfig, runSignal: AbortSignal): Promise<HttpResponse> {
  const { method, url, timeoutMs } = c;
  if (runSignal.aborted) throw new CancelledError(`${method} ${url} cancelled`, { cause: runSignal.reason });
  const timeout = AbortSignal.timeout(timeoutMs);
  let phase: 'connect' | 'response' = 'connect';
  try {
    const res = await fetch(url, {
      method,
      headers: requestHeaders(c),
      body: requestBody(c.body),
      signal: AbortSignal.any([runSignal, timeout]),
    });
    phase = 'response';
    // The timeout covers reading the body too: the same signal aborts a stalled body stream.
    const text = await res.text();
    const expected = c.expectStatus ? c.expectStatus.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!expected) throw new HttpStatusError(method, url, res.status, res.statusText || (STATUS_CODES[res.status] ?? ''), excerpt(text));
    return { status: res.status, headers: Object.fromEntries(res.headers), body: parseBody(c, res, text) };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // Which signal fired decides, not the error's shape: undici reports both as an AbortError-like reason.
    if (runSignal.aborted) throw new CancelledError(`${method} ${url} cancelled`, { cause: error });
    if (timeout.aborted) throw new HttpTimeoutError(method, url, timeoutMs, { cause: error });
    const code = errorCode(error);
    throw new HttpConnectionError(method, url, code, code ?? rootMessage(error), phase, { cause: error });
  }
}

function requestHeaders(c: HttpConfig): Headers {
  const headers = new Headers(c.headers);
  if (c.body !== undefined && typeof c.body !== 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return headers;
}

function requestBody(body: HttpConfig['body']): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function parseBody(c: HttpConfig, res: Response, text: string): unknown {
  const asJson = c.responseType === 'json' || (c.responseType === 'auto' && /\bjson\b/i.test(res.headers.get('content-type') ?? ''));
  if (!asJson) return text;
  // An empty body (204, HEAD) has no JSON value; null says so without failing the request.
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpBodyError(c.method, c.url, res.status, excerpt(text), `invalid JSON (${rootMessage(error)})`, { cause: error });
  }
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** undici wraps the system error: TypeError('fetch failed') → cause (maybe an AggregateError) with `code`. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError) {
      const inner = e.errors.map(errorCode).find((c) => c !== undefined);
      if (inner) return inner;
    }
  }
  return undefined;
}

function rootMessage(error: unknown): string {
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
