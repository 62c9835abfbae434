/** The session's CSRF token (from auth.login / auth.me): every mutation sends it as a header. */
let token: string | undefined;

export const CSRF_HEADER = 'x-atomflow-csrf';

export function setCsrfToken(t: string | undefined): void {
  token = t;
}

/** Signed out (login), the server only checks that the header is there: a page of another site cannot add one. */
export function csrfHeaders(): Record<string, string> {
  return { [CSRF_HEADER]: token ?? 'signed-out' };
}
