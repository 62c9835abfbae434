import { randomUUID } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { DuplicateEmailError, type DbAuthStore, type Role } from './auth-store.js';

/** What the API relies on, run against each database (auth-store.test.ts). */
export function authStoreContract(label: string, store: () => DbAuthStore): void {
  const email = (tag: string): string => `${tag}-${randomUUID()}@example.com`;
  const user = (tag: string, role: Role = 'viewer') => ({ email: email(tag), name: tag, role, passwordHash: `hash-${tag}` });
  const inMinutes = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();

  describe(`DbAuthStore (${label})`, () => {
    it('creates users and finds them by id and by email, whatever its case', async () => {
      const before = await store().countUsers();
      const input = user('Ada', 'admin');
      const created = await store().createUser({ ...input, email: input.email.replace('ada', 'ADA') });
      expect(created).toMatchObject({ name: 'Ada', role: 'admin', passwordHash: 'hash-Ada', disabled: false });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(created.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(await store().countUsers()).toBe(before + 1);
      expect(await store().getUser(created.id)).toEqual(created);
      expect(await store().findUserByEmail(input.email.toUpperCase())).toEqual(created);
      expect(await store().findUserByEmail(input.email.toLowerCase())).toEqual(created);
      expect(await store().findUserByEmail(`nobody-${randomUUID()}@example.com`)).toBeUndefined();
      expect(await store().getUser(randomUUID())).toBeUndefined();
    });

    it('refuses a taken email, whatever its case, with DuplicateEmailError', async () => {
      const input = user('grace');
      await store().createUser(input);
      const error = await store()
        .createUser({ ...input, email: input.email.toUpperCase(), name: 'other' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEmailError);
      expect((error as Error).name).toBe('DuplicateEmailError');
      expect((error as DuplicateEmailError).email).toBe(input.email.toUpperCase());
    });

    it('lists users oldest first, even when created within one millisecond', async () => {
      const made = await Promise.all([user('l1'), user('l2'), user('l3')].map((u) => store().createUser(u)));
      const listed = (await store().listUsers()).filter((u) => made.some((m) => m.id === u.id));
      // Creation order as the database saw it: the identity column breaks created_at ties.
      expect(listed.length).toBe(3);
      const times = listed.map((u) => Date.parse(u.createdAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const all = await store().listUsers();
      expect(all.length).toBe(await store().countUsers());
    });

    it('updates only the given fields; undefined for an unknown user', async () => {
      const u = await store().createUser(user('lin', 'operator'));
      const renamed = await store().updateUser(u.id, { name: 'Lin B', name2: undefined } as { name: string });
      expect(renamed).toEqual({ ...u, name: 'Lin B' });
      const changed = await store().updateUser(u.id, { role: 'editor', passwordHash: 'new-hash', disabled: true, name: undefined });
      expect(changed).toEqual({ ...u, name: 'Lin B', role: 'editor', passwordHash: 'new-hash', disabled: true });
      expect(await store().updateUser(u.id, {})).toEqual(changed);
      expect(await store().getUser(u.id)).toEqual(changed);
      expect(await store().updateUser(randomUUID(), { name: 'x' })).toBeUndefined();
      await expect(store().updateUser(u.id, { role: 'root' as Role })).rejects.toBeInstanceOf(RangeError);
    });

    it('keeps sessions until they expire or are deleted', async () => {
      const u = await store().createUser(user('sam'));
      const id = randomUUID().replace(/-/g, '');
      const expiresAt = inMinutes(60);
      const s = await store().createSession({ id, userId: u.id, csrfToken: 'csrf-1', expiresAt });
      expect(s).toMatchObject({ id, userId: u.id, csrfToken: 'csrf-1', expiresAt });
      expect(await store().getSession(id)).toEqual({ session: s, user: u });
      await store().deleteSession(id);
      expect(await store().getSession(id)).toBeUndefined();
      await store().deleteSession(id); // deleting twice is fine
    });

    it('an expired session is gone', async () => {
      const u = await store().createUser(user('old'));
      const id = randomUUID();
      await store().createSession({ id, userId: u.id, csrfToken: 'c', expiresAt: inMinutes(-1) });
      expect(await store().getSession(id)).toBeUndefined();
      expect(await store().getSession(randomUUID())).toBeUndefined();
    });

    it("deleteUserSessions ends all of one user's sessions and no one else's", async () => {
      const [a, b] = await Promise.all([store().createUser(user('a')), store().createUser(user('b'))]);
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      await store().createSession({ id: ids[0]!, userId: a.id, csrfToken: 'x', expiresAt: inMinutes(5) });
      await store().createSession({ id: ids[1]!, userId: a.id, csrfToken: 'y', expiresAt: inMinutes(5) });
      await store().createSession({ id: ids[2]!, userId: b.id, csrfToken: 'z', expiresAt: inMinutes(5) });
      await store().deleteUserSessions(a.id);
      expect(await store().getSession(ids[0]!)).toBeUndefined();
      expect(await store().getSession(ids[1]!)).toBeUndefined();
      expect((await store().getSession(ids[2]!))?.user.id).toBe(b.id);
    });

    it('a session shows its user as updated since (disabled, new role)', async () => {
      const u = await store().createUser(user('eve', 'editor'));
      const id = randomUUID();
      await store().createSession({ id, userId: u.id, csrfToken: 't', expiresAt: inMinutes(5) });
      await store().updateUser(u.id, { disabled: true, role: 'viewer' });
      expect((await store().getSession(id))?.user).toMatchObject({ disabled: true, role: 'viewer' });
    });

    it('refuses a session of an unknown user', async () => {
      await expect(
        store().createSession({ id: randomUUID(), userId: randomUUID(), csrfToken: 't', expiresAt: inMinutes(5) }),
      ).rejects.toThrow(/creating a session failed/);
    });

    it('deleteExpiredSessions removes only expired ones', async () => {
      const u = await store().createUser(user('gc'));
      const live = randomUUID();
      await store().createSession({ id: live, userId: u.id, csrfToken: 't', expiresAt: inMinutes(5) });
      await store().createSession({ id: randomUUID(), userId: u.id, csrfToken: 't', expiresAt: inMinutes(-5) });
      expect(await store().deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
      expect(await store().getSession(live)).toBeDefined();
    });
  });
}
