/** The session's CSRF token (from auth.login / auth.me): every mutation sends it as a header. */
let token: string | undefined;

export const CSRF_HEADER = 'x-atomflow-csrf';

export function setCsrfToken(t: string | undefined): void {
  token = t;
}

export function csrfHeaders(): Record<string, string> {
  return token ? { [CSRF_HEADER]: token } : {};
}
