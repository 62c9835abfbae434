import { describe, expect, it } from 'vitest';

import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('refuses an email after too many failures until the window passes; success resets it', () => {
    let now = 0;
    const t = new LoginThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs('A@x')).toBe(0);
      t.fail('a@X');
      now += 100;
    }
    expect(t.retryAfterMs('a@x')).toBe(700);
    expect(t.retryAfterMs('b@x')).toBe(0);
    now = 1001;
    expect(t.retryAfterMs('a@x')).toBe(0);
    t.fail('a@x');
    t.succeed('a@x');
    expect(t.retryAfterMs('a@x')).toBe(0);
  });
});
