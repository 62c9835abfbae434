/** A tRPC call over plain HTTP, to assert status codes and bodies exactly as a browser gets them. */
export async function rawCall(
  baseUrl: string,
  path: string,
  input: unknown,
  o: { type?: 'query' | 'mutation'; cookie?: string; csrf?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const type = o.type ?? 'query';
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.cookie) headers['cookie'] = o.cookie;
  if (o.csrf !== undefined) headers['x-atomflow-csrf'] = o.csrf;
  let res: Response;
  if (type === 'query') {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    res = await fetch(`${baseUrl}/api/trpc/${path}${q}`, { headers });
  } else {
    headers['content-type'] = 'application/json';
    res = await fetch(`${baseUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers,
      body: o.rawBody ?? (input === undefined ? undefined : JSON.stringify(input)),
    });
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** The error data of a tRPC error body. */
export function errorOf(body: unknown): {
  code: string;
  message: string;
  zodError: Array<{ path: string; message: string }> | null;
  problems: Array<{ path: string; message: string }> | null;
} {
  const e = (body as { error: { message: string; data: { code: string; zodError: never; problems: never } } }).error;
  return { code: e.data.code, message: e.message, zodError: e.data.zodError, problems: e.data.problems };
}
