import { MemoryAuthStore, verifyPassword } from '@atomflow/api';
import { describe, expect, it } from 'vitest';

import { ADMIN_EMAIL, ensureAdmin } from './bootstrap-admin.js';

describe('ensureAdmin', () => {
  it('creates the admin on first start with a generated one-time password, and never again', async () => {
    const auth = new MemoryAuthStore();
    const first = await ensureAdmin(auth, undefined);
    expect(first.created).toBe(true);
    const admin = (await auth.findUserByEmail(ADMIN_EMAIL))!;
    expect(admin.role).toBe('admin');
    expect(await verifyPassword(first.password!, admin.passwordHash)).toBe(true);
    expect(await ensureAdmin(auth, undefined)).toEqual({ created: false });
    expect(await auth.countUsers()).toBe(1);
  });

  it('uses ATOMFLOW_ADMIN_PASSWORD when given (nothing to print)', async () => {
    const auth = new MemoryAuthStore();
    expect(await ensureAdmin(auth, 'given-password-123')).toEqual({ created: true });
    expect(await verifyPassword('given-password-123', (await auth.findUserByEmail(ADMIN_EMAIL))!.passwordHash)).toBe(true);
  });

  it('another process creating it first is not an error', async () => {
    const auth = new MemoryAuthStore();
    const racing = Object.assign(Object.create(auth) as MemoryAuthStore, { countUsers: async () => 0 });
    await ensureAdmin(auth, 'given-password-123');
    expect(await ensureAdmin(racing, undefined)).toEqual({ created: false });
  });
});
