import { describe, expect, it } from 'vitest';

import { liveConnection, resubscribeDelay } from './live-connection';

describe('liveConnection', () => {
  it('is connecting before the first connection and reconnecting after one was lost', () => {
    expect(liveConnection('connecting', false)).toBe('connecting');
    expect(liveConnection('connecting', true)).toBe('reconnecting');
    expect(liveConnection('error', true)).toBe('reconnecting');
    expect(liveConnection('error', false)).toBe('connecting');
  });

  it('is live while the stream is open, stopped once it ended', () => {
    expect(liveConnection('pending', false)).toBe('live');
    expect(liveConnection('pending', true)).toBe('live');
    expect(liveConnection('idle', true)).toBe('stopped');
  });
});

describe('resubscribeDelay', () => {
  it('backs off from 0.5 s, doubling, capped at 5 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(resubscribeDelay)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(resubscribeDelay(0)).toBe(500);
  });
});
