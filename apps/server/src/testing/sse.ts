/** Opens a subscription over plain HTTP and returns the HTTP status and tRPC's error status in the stream, if any. */
export async function sseStatus(
  url: string,
  headers: Record<string, string>,
  waitMs = 500,
): Promise<{ status: number; streamStatus: number | undefined }> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: ac.signal });
  let text = '';
  const timer = setTimeout(() => ac.abort(), waitMs);
  try {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    while (!/event: serialized-error\ndata: .*\n/.test(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
  } catch {
    // aborted: the subscription stayed open
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  const err = /event: serialized-error\ndata: (.*)\n/.exec(text);
  const shape = err ? (JSON.parse(err[1]!) as { data?: { httpStatus?: number } }) : undefined;
  return { status: res.status, streamStatus: shape?.data?.httpStatus };
}
