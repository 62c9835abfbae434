'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';

import { setCsrfToken } from '../lib/csrf';
import { useSession } from '../lib/session';
import { useTRPC } from '../lib/trpc';

export function AppHeader({ children }: { children?: ReactNode }) {
  const { user } = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        setCsrfToken(undefined);
        queryClient.clear();
        router.replace('/login');
      },
    }),
  );
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span className="logo" aria-hidden>
          ◆
        </span>{' '}
        atomflow
      </Link>
      <nav className="crumbs">{children}</nav>
      <Link href="/runs" className="nav-runs">
        All runs
      </Link>
      <div className="user">
        <span title={user.email}>{user.name || user.email}</span>
        <span className={`role role-${user.role}`}>{user.role}</span>
        <button className="link" onClick={() => logout.mutate()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
