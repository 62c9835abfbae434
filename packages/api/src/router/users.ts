import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import type { AuthStore, Role } from '../auth/auth-store.js';
import { hashPassword } from '../auth/password.js';
import { ROLES } from '../auth/roles.js';
import { idText, text } from '../inputs.js';
import { adminProcedure } from '../trpc.js';
import { email, newPassword, publicUser } from './auth.js';

const role = z.enum(ROLES);
const name = text(200).trim().min(1, 'must not be empty');

/** Refuses a change that would leave no enabled admin (nobody could manage users any more). */
async function keepAnAdmin(auth: AuthStore, userId: string, next: { role?: Role; disabled?: boolean }): Promise<void> {
  const users = await auth.listUsers();
  const admins = users.filter((u) => u.role === 'admin' && !u.disabled && u.id !== userId);
  const target = users.find((u) => u.id === userId);
  const stillAdmin = (next.role ?? target?.role) === 'admin' && !(next.disabled ?? target?.disabled);
  if (admins.length === 0 && !stillAdmin)
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'this is the last enabled admin: make someone else admin first' });
}

export const usersRouter = {
  list: adminProcedure.query(async ({ ctx }) => (await ctx.services.auth.listUsers()).map(publicUser)),

  create: adminProcedure.input(z.strictObject({ email, name, role, password: newPassword })).mutation(async ({ ctx, input }) => {
    const user = await ctx.services.auth.createUser({
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    return publicUser(user);
  }),

  /** Changes a user; disabling one or resetting their password ends their sessions. */
  update: adminProcedure
    .input(
      z.strictObject({
        id: idText,
        name: name.optional(),
        role: role.optional(),
        disabled: z.boolean().optional(),
        password: newPassword.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { auth } = ctx.services;
      if (!(await auth.getUser(input.id))) throw new TRPCError({ code: 'NOT_FOUND', message: `no user ${input.id}` });
      if (input.role !== undefined || input.disabled !== undefined)
        await keepAnAdmin(auth, input.id, {
          ...(input.role ? { role: input.role } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        });
      const user = await auth.updateUser(input.id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.password !== undefined ? { passwordHash: await hashPassword(input.password) } : {}),
      });
      if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `no user ${input.id}` });
      if (input.disabled || input.password !== undefined || input.role !== undefined) await auth.deleteUserSessions(input.id);
      return publicUser(user);
    }),
} satisfies TRPCRouterRecord;
