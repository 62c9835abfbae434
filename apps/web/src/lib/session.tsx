'use client';

import type { PublicUser } from '@atomflow/api';
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, type ReactNode } from 'react';

import { setCsrfToken } from './csrf';
import { useTRPC } from './trpc';

export interface Session {
  readonly user: PublicUser;
  /** editor and admin change flows */
  readonly canEdit: boolean;
  /** operator and up start runs */
  readonly canRun: boolean;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

function toSession(user: PublicUser): Session {
  return { user, canEdit: user.role === 'editor' || user.role === 'admin', canRun: user.role !== 'viewer' };
}

/** Pages under it need a signed-in user: without one, go to /login and come back after. */
export function RequireSession({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const router = useRouter();
  const path = usePathname();
  useEffect(() => {
    if (me.data) setCsrfToken(me.data.csrfToken);
    if (me.isSuccess && me.data === null) router.replace(`/login?next=${encodeURIComponent(path)}`);
  }, [me.data, me.isSuccess, router, path]);
  if (me.isError)
    return (
      <main className="centered">
        <p className="error">Cannot reach the server: {me.error.message}</p>
      </main>
    );
  if (!me.data)
    return (
      <main className="centered" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  // set before children render so that their first mutation already carries the token
  setCsrfToken(me.data.csrfToken);
  return <SessionContext.Provider value={toSession(me.data.user)}>{children}</SessionContext.Provider>;
}
