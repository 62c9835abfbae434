'use client';

import { RequireSession } from '../../lib/session';
import { RunsList } from '../../runs/RunsList';

export default function RunsRoute() {
  return (
    <RequireSession>
      <RunsList />
    </RequireSession>
  );
}
