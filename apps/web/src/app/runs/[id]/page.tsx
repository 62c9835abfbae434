'use client';

import { useParams } from 'next/navigation';

import { RequireSession } from '../../../lib/session';
import { RunPage } from '../../../runs/RunPage';

export default function RunRoute() {
  const { id } = useParams<{ id: string }>();
  return (
    <RequireSession>
      <RunPage runId={decodeURIComponent(id)} />
    </RequireSession>
  );
}
