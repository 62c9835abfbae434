/**
 * A buffer between a synchronous publisher (the event hub) and an async generator. Bounded:
 * past `capacity` items it drops them and reports an overflow, and the reader catches up from
 * the store instead (a slow client never makes the server hold unbounded memory).
 */
export class Inbox<T> {
  private items: T[] = [];
  private overflowed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly capacity = 10_000) {}

  push(item: T): void {
    if (this.items.length >= this.capacity) {
      this.items = [];
      this.overflowed = true;
    } else if (!this.overflowed) this.items.push(item);
    this.wake?.();
  }

  /** Everything pushed since the last take, and whether some was dropped. */
  take(): { items: T[]; overflowed: boolean } {
    const out = { items: this.items, overflowed: this.overflowed };
    this.items = [];
    this.overflowed = false;
    return out;
  }

  get pending(): boolean {
    return this.items.length > 0 || this.overflowed;
  }

  /** Resolves when something is pushed, the signal aborts, or after `timeoutMs` ('timeout'). */
  wait(signal: AbortSignal | undefined, timeoutMs: number): Promise<'item' | 'timeout' | 'aborted'> {
    if (signal?.aborted) return Promise.resolve('aborted');
    if (this.pending) return Promise.resolve('item');
    return new Promise((resolve) => {
      const done = (why: 'item' | 'timeout' | 'aborted'): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve(why);
      };
      const onAbort = (): void => done('aborted');
      const timer = setTimeout(() => done('timeout'), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = () => done('item');
    });
  }
}
