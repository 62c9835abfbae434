import { describe, expect, it } from 'vitest';

import { generatePassword, hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('hashes with a random salt and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('never matches a malformed or foreign hash', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$1$1$1$$',
      'scrypt$x$8$1$c2FsdA$aGFzaA',
      'bcrypt$2$8$1$c2FsdA$aGFzaA',
      'scrypt$99999999$8$1$c2FsdA$aGFzaA',
    ])
      expect(await verifyPassword('anything', bad)).toBe(false);
  });

  it('generates distinct copy-friendly passwords', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(p);
  });
});
