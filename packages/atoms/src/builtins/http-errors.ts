import { AtomflowError } from '@atomflow/model';

/**
 * Errors of `http.request`. Their fields are own properties so the engine's captured Failure
 * carries them as `details` (status, body excerpt, code…) next to the message.
 */
export abstract class HttpError extends AtomflowError {
  constructor(
    readonly method: string,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${url} ${message}`, options);
  }
}

/** The server answered with a status outside `expectStatus` (default: any 2xx). */
export class HttpStatusError extends HttpError {
  override readonly name = 'HttpStatusError';
  constructor(
    method: string,
    url: string,
    readonly status: number,
    readonly statusText: string,
    /** The start of the response body, for the person reading the failure. */
    readonly bodyExcerpt: string,
  ) {
    super(method, url, `→ ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

/** No complete response within `timeoutMs`. */
export class HttpTimeoutError extends HttpError {
  override readonly name = 'HttpTimeoutError';
  constructor(
    method: string,
    url: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(method, url, `timed out after ${timeoutMs} ms`, options);
  }
}

/** The connection could not be made (refused, DNS, TLS…) or broke while reading the response. */
export class HttpConnectionError extends HttpError {
  override readonly name = 'HttpConnectionError';
  constructor(
    method: string,
    url: string,
    /** The system error code (ECONNREFUSED, ENOTFOUND…) when there is one. */
    readonly code: string | undefined,
    detail: string,
    readonly phase: 'connect' | 'response',
    options?: { cause?: unknown },
  ) {
    super(method, url, `${phase === 'connect' ? 'could not connect' : 'connection failed while reading the response'}: ${detail}`, options);
  }
}

/** The response body is not what `responseType` asked for (invalid JSON). */
export class HttpBodyError extends HttpError {
  override readonly name = 'HttpBodyError';
  constructor(
    method: string,
    url: string,
    readonly status: number,
    readonly bodyExcerpt: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(method, url, `→ ${status} with an unreadable body: ${detail}`, options);
  }
}

/**
 * The URL is a path (`/api/…`) and the atom runs where no base URL is known to resolve it
 * against (the server gives its own origin; the CLI and plain engines give none).
 */
export class HttpNoBaseUrlError extends HttpError {
  override readonly name = 'HttpNoBaseUrlError';
  constructor(method: string, url: string) {
    super(
      method,
      url,
      'cannot be sent: a URL path is resolved against the address of the server running the atom, and none is known here — run the flow on the atomflow server or give an absolute http:// or https:// URL',
    );
  }
}
