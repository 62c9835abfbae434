import { initTRPC, TRPCError } from '@trpc/server';

import type { Role } from './auth/auth-store.js';
import { hasRole } from './auth/roles.js';
import { CSRF_HEADER, sameSecret } from './auth/session-token.js';
import type { Context } from './context.js';
import { errorData, toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  // stack traces stay in the server's log
  isDev: false,
  errorFormatter({ shape, error }) {
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? 'internal error (logged on the server)' : shape.message,
      data: { ...shape.data, ...errorData(error) },
    };
  },
  sse: {
    // proxies close idle connections; the client reconnects (with its last event id) when pings stop
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Engine/model/store errors thrown by a procedure become their API codes (see errors.ts). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause ?? result.error);
    if (mapped && mapped !== result.error) throw mapped;
  }
  return result;
});

/** Anyone, signed in or not (login, me). Mutations still need the CSRF header. */
export const publicProcedure = t.procedure.use(mapErrors).use(({ ctx, type, next }) => {
  if (type === 'mutation') checkCsrf(ctx);
  return next();
});

function checkCsrf(ctx: Context): void {
  // A cross-site page cannot send a custom header without a CORS preflight (which we never
  // allow), and an Origin from elsewhere is refused outright.
  const origin = ctx.req.header('origin');
  const host = ctx.req.header('host');
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== host)
      throw new TRPCError({ code: 'FORBIDDEN', message: `cross-origin request refused (Origin ${origin})` });
  } else if (origin === 'null') throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-origin request refused (Origin null)' });
  const token = ctx.req.header(CSRF_HEADER);
  if (!token) throw new TRPCError({ code: 'FORBIDDEN', message: `missing ${CSRF_HEADER} header` });
  if (ctx.auth && !sameSecret(token, ctx.auth.session.csrfToken))
    throw new TRPCError({ code: 'FORBIDDEN', message: `${CSRF_HEADER} header does not match the session (sign in again)` });
}

/** Signed-in users with at least `role`: 401 when not signed in, 403 when the role is too low. */
function withRole(role: Role) {
  return t.procedure.use(mapErrors).use(({ ctx, type, next }) => {
    const auth = ctx.auth;
    if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    if (!hasRole(auth.user.role, role))
      throw new TRPCError({ code: 'FORBIDDEN', message: `needs the ${role} role (you are ${auth.user.role})` });
    if (type === 'mutation') checkCsrf(ctx);
    return next({ ctx: { ...ctx, auth } });
  });
}

/** Any signed-in user. */
export const authedProcedure = withRole('viewer');
export const viewerProcedure = withRole('viewer');
/** Runs and manual operations. */
export const operatorProcedure = withRole('operator');
/** Flows. */
export const editorProcedure = withRole('editor');
/** Users. */
export const adminProcedure = withRole('admin');
