import { generatePassword, hashPassword, isDuplicateEmailError, type AuthStore } from '@atomflow/api';

export const ADMIN_EMAIL = 'admin@localhost';

/**
 * The first start creates the admin. Returns the password to print when it was generated
 * (shown once: only its hash is kept), undefined when users already existed or it was given.
 */
export async function ensureAdmin(auth: AuthStore, given: string | undefined): Promise<{ created: boolean; password?: string }> {
  if ((await auth.countUsers()) > 0) return { created: false };
  const password = given ?? generatePassword();
  try {
    await auth.createUser({ email: ADMIN_EMAIL, name: 'Administrator', role: 'admin', passwordHash: await hashPassword(password) });
  } catch (error) {
    // another server process on the same database created it first
    if (isDuplicateEmailError(error)) return { created: false };
    throw error;
  }
  return given === undefined ? { created: true, password } : { created: true };
}
