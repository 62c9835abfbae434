'use client';

import { Suspense } from 'react';

import { RequireSession } from '../../lib/session';
import { RunsList } from '../../runs/RunsList';

export default function RunsRoute() {
  return (
    <RequireSession>
      {/* the list's filter lives in the URL (useSearchParams) */}
      <Suspense fallback={<p className="muted page">Loading runs…</p>}>
        <RunsList />
      </Suspense>
    </RequireSession>
  );
}
