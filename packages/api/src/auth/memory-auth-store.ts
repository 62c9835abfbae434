import { randomUUID } from 'node:crypto';

import { DuplicateEmailError, type AuthStore, type Role, type Session, type User } from './auth-store.js';

/** Users and sessions in memory: tests, and a server whose database has no auth tables yet. */
export class MemoryAuthStore implements AuthStore {
  private readonly users = new Map<string, User>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async countUsers(): Promise<number> {
    return this.users.size;
  }

  async createUser(u: { email: string; name: string; role: Role; passwordHash: string }): Promise<User> {
    if (await this.findUserByEmail(u.email)) throw new DuplicateEmailError(u.email);
    const user: User = { id: randomUUID(), ...u, disabled: false, createdAt: this.now().toISOString() };
    this.users.set(user.id, user);
    return { ...user };
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const wanted = email.toLowerCase();
    const found = [...this.users.values()].find((u) => u.email.toLowerCase() === wanted);
    return found && { ...found };
  }

  async getUser(id: string): Promise<User | undefined> {
    const u = this.users.get(id);
    return u && { ...u };
  }

  async listUsers(): Promise<User[]> {
    return [...this.users.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((u) => ({ ...u }));
  }

  async updateUser(
    id: string,
    patch: { name?: string; role?: Role; passwordHash?: string; disabled?: boolean },
  ): Promise<User | undefined> {
    const u = this.users.get(id);
    if (!u) return undefined;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: User = { ...u, ...defined };
    this.users.set(id, next);
    return { ...next };
  }

  async createSession(s: { id: string; userId: string; csrfToken: string; expiresAt: string }): Promise<Session> {
    const session: Session = { ...s, createdAt: this.now().toISOString() };
    this.sessions.set(s.id, session);
    return { ...session };
  }

  async getSession(id: string): Promise<{ session: Session; user: User } | undefined> {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (Date.parse(session.expiresAt) <= this.now().getTime()) {
      this.sessions.delete(id);
      return undefined;
    }
    const user = this.users.get(session.userId);
    return user && { session: { ...session }, user: { ...user } };
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async deleteUserSessions(userId: string): Promise<void> {
    for (const [id, s] of this.sessions) if (s.userId === userId) this.sessions.delete(id);
  }
}
