import { describe, expect, it } from 'vitest';

import { Inbox } from './inbox.js';

describe('Inbox', () => {
  it('hands over what was pushed, once', () => {
    const inbox = new Inbox<number>();
    inbox.push(1);
    inbox.push(2);
    expect(inbox.take()).toEqual({ items: [1, 2], overflowed: false });
    expect(inbox.take()).toEqual({ items: [], overflowed: false });
  });

  it('drops everything past its capacity and says so, until taken', () => {
    const inbox = new Inbox<number>(2);
    for (const n of [1, 2, 3, 4]) inbox.push(n);
    expect(inbox.take()).toEqual({ items: [], overflowed: true });
    inbox.push(5);
    expect(inbox.take()).toEqual({ items: [5], overflowed: false });
  });

  it('wait resolves on a push, a timeout or an abort', async () => {
    const inbox = new Inbox<number>();
    const pushed = inbox.wait(undefined, 10_000);
    inbox.push(1);
    expect(await pushed).toBe('item');
    inbox.take();
    expect(await inbox.wait(undefined, 5)).toBe('timeout');
    const ac = new AbortController();
    const aborted = inbox.wait(ac.signal, 10_000);
    ac.abort();
    expect(await aborted).toBe('aborted');
    expect(await inbox.wait(ac.signal, 10_000)).toBe('aborted');
  });
});
