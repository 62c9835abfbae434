import type { AuthStore, Session, User } from './auth/auth-store.js';
import { readCookie, sessionIdOf, SESSION_COOKIE } from './auth/session-token.js';
import type { ApiServices } from './services.js';

/** The parts of an HTTP request the API looks at, whatever the adapter. */
export interface RequestMeta {
  /** A request header (lower-case name), or undefined. */
  header(name: string): string | undefined;
  /** Adds a Set-Cookie header to the response. */
  setCookie(cookie: string): void;
  /** The browser reached us over HTTPS (directly or through a proxy that says so): cookies get `Secure`. */
  readonly https?: boolean;
}

export interface Context {
  readonly services: ApiServices;
  readonly req: RequestMeta;
  /** The signed-in user and their session, if the cookie names a live session of an enabled user. */
  readonly auth: { readonly session: Session; readonly user: User } | undefined;
}

async function resolveSession(store: AuthStore, cookieHeader: string | undefined): Promise<Context['auth']> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  // tokens we issue are 43 base64url characters; anything else is not worth a lookup
  if (!token || !/^[A-Za-z0-9_-]{20,200}$/.test(token)) return undefined;
  const found = await store.getSession(sessionIdOf(token));
  if (!found || found.user.disabled) return undefined;
  return found;
}

/** Builds the tRPC context of one request. */
export async function createContext(services: ApiServices, req: RequestMeta): Promise<Context> {
  return { services, req, auth: await resolveSession(services.auth, req.header('cookie')) };
}
