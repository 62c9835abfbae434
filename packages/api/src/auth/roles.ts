import type { Role } from './auth-store.js';

/** Each role can do what the roles before it can: viewer reads, operator runs, editor edits flows, admin manages users. */
export const ROLES = ['viewer', 'operator', 'editor', 'admin'] as const satisfies readonly Role[];

const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, editor: 2, admin: 3 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}
