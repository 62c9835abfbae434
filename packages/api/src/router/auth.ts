import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import type { User } from '../auth/auth-store.js';
import { dummyHash, hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../auth/password.js';
import {
  clearedSessionCookie,
  newSessionToken,
  readCookie,
  sessionCookie,
  sessionIdOf,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from '../auth/session-token.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { text } from '../inputs.js';
import type { Context } from '../context.js';
import type { ApiServices } from '../services.js';
import { authedProcedure, publicProcedure } from '../trpc.js';

/** What clients see of a user (never the hash). */
export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: User['role'];
  readonly disabled: boolean;
  readonly createdAt: string;
}

export function publicUser(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt };
}

export const email = text(320).trim().toLowerCase().pipe(z.email('must be an email address'));
export const newPassword = z.string().min(10, 'must be at least 10 characters').max(MAX_PASSWORD_LENGTH);

const secureOf = (ctx: Context): boolean => (ctx.req.https ?? false) || (ctx.services.secureCookies ?? false);

// one throttle per API instance (per server process)
const throttles = new WeakMap<ApiServices, LoginThrottle>();
function throttleOf(services: ApiServices): LoginThrottle {
  let t = throttles.get(services);
  if (!t) throttles.set(services, (t = new LoginThrottle()));
  return t;
}

export const authRouter = {
  /** Signs in: sets the session cookie and returns the CSRF token mutations must send. */
  login: publicProcedure
    .input(z.strictObject({ email: text(320), password: z.string().max(MAX_PASSWORD_LENGTH) }))
    .mutation(async ({ ctx, input }) => {
      const { auth } = ctx.services;
      const address = input.email.trim();
      const throttle = throttleOf(ctx.services);
      const wait = throttle.retryAfterMs(address);
      if (wait > 0)
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too many failed sign-ins: try again in ${Math.ceil(wait / 1000)} s` });
      const user = await auth.findUserByEmail(address);
      // the same work and the same answer whether the email exists or not
      const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
      if (!user || !ok || user.disabled) {
        throttle.fail(address);
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong email or password' });
      }
      throttle.succeed(address);
      const s = newSessionToken();
      const now = (ctx.services.now ?? (() => new Date()))();
      await auth.createSession({
        id: s.id,
        userId: user.id,
        csrfToken: s.csrfToken,
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      });
      ctx.req.setCookie(sessionCookie(s.token, { secure: secureOf(ctx), maxAgeMs: SESSION_TTL_MS }));
      return { user: publicUser(user), csrfToken: s.csrfToken };
    }),

  /** Ends this session. */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    const token = readCookie(ctx.req.header('cookie'), SESSION_COOKIE);
    if (token) await ctx.services.auth.deleteSession(sessionIdOf(token));
    ctx.req.setCookie(clearedSessionCookie({ secure: secureOf(ctx) }));
    return { ok: true };
  }),

  /** The signed-in user and the session's CSRF token, or null (a page reload learns both from here). */
  me: publicProcedure.query(({ ctx }) => (ctx.auth ? { user: publicUser(ctx.auth.user), csrfToken: ctx.auth.session.csrfToken } : null)),

  /** Changes one's own password; every other session of the user ends. */
  changePassword: authedProcedure
    .input(z.strictObject({ currentPassword: z.string().max(MAX_PASSWORD_LENGTH), newPassword }))
    .mutation(async ({ ctx, input }) => {
      const { auth } = ctx.services;
      const user = ctx.auth.user;
      if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'the current password is wrong' });
      await auth.updateUser(user.id, { passwordHash: await hashPassword(input.newPassword) });
      await auth.deleteUserSessions(user.id);
      // keep this session: recreate it with the same token
      const current = ctx.auth.session;
      await auth.createSession({ id: current.id, userId: user.id, csrfToken: current.csrfToken, expiresAt: current.expiresAt });
      return { ok: true };
    }),
} satisfies TRPCRouterRecord;
