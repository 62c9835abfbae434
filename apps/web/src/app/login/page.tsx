'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState, type FormEvent } from 'react';

import { setCsrfToken } from '../../lib/csrf';
import { errorMessage, useTRPC } from '../../lib/trpc';

function LoginForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const next = useSearchParams().get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (r) => {
        setCsrfToken(r.csrfToken);
        // the next page asks auth.me again: forget the signed-out answer
        queryClient.removeQueries({ queryKey: trpc.auth.me.queryKey() });
        // only paths of this app: never an absolute URL from the query string
        router.replace(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password });
  };
  return (
    <form className="login-card" onSubmit={submit} aria-label="Sign in">
      <h1>
        <span className="logo" aria-hidden>
          ◆
        </span>{' '}
        atomflow
      </h1>
      <p className="muted">Sign in to design and run flows.</p>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoFocus
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {login.isError ? (
        <p className="error" role="alert">
          {errorMessage(login.error)}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="hint">The first start creates admin@localhost; its password is printed in the server log once.</p>
    </form>
  );
}

export default function LoginPage() {
  return (
    <main className="centered">
      <Suspense>
        <LoginForm />
      </Suspense>
    </main>
  );
}
