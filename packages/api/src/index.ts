import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from './root.js';

export { appRouter, type AppRouter } from './root.js';
export { createContext, type Context, type RequestMeta } from './context.js';
export type { ApiServices } from './services.js';
export { EventHub, type RunEventListener } from './live/event-hub.js';
export { DuplicateEmailError, isDuplicateEmailError, type AuthStore, type Role, type Session, type User } from './auth/auth-store.js';
export { MemoryAuthStore } from './auth/memory-auth-store.js';
export { generatePassword, hashPassword, verifyPassword } from './auth/password.js';
export { ROLES, hasRole } from './auth/roles.js';
export { CSRF_HEADER, SESSION_COOKIE } from './auth/session-token.js';
export type { ErrorData, FieldIssue } from './errors.js';
export type { AtomTypeInfo, JsonSchema } from './router/atoms.js';
export type { PublicUser } from './router/auth.js';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
