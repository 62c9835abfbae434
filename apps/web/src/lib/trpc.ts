'use client';

import type { AppRouter } from '@atomflow/api';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

import { csrfHeaders } from './csrf';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const url = '/api/trpc';

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, eventSourceOptions: () => ({ withCredentials: true }) }),
        // GETs for queries are not batched with mutations' headers problem: every request sends the CSRF header
        false: httpBatchLink({ url, headers: () => csrfHeaders(), maxURLLength: 4000 }),
      }),
    ],
  });
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // a 4xx will not get better by asking again
        retry: (count, error) =>
          !(error instanceof TRPCClientError && typeof error.data?.httpStatus === 'number' && error.data.httpStatus < 500) && count < 2,
      },
    },
  });
}

export type ApiError = TRPCClientError<AppRouter>;

/** A readable message for any error a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The definition problems an API error carries (ValidationError), if any. */
export function errorProblems(error: unknown): Array<{ path: string; node?: string; code: string; message: string }> {
  if (!(error instanceof TRPCClientError)) return [];
  const data = error.data as { problems?: unknown } | undefined;
  return Array.isArray(data?.problems) ? (data.problems as Array<{ path: string; node?: string; code: string; message: string }>) : [];
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}
