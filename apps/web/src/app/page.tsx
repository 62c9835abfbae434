'use client';

import { FlowsList } from '../flows/FlowsList';
import { RequireSession } from '../lib/session';

export default function FlowsPage() {
  return (
    <RequireSession>
      <FlowsList />
    </RequireSession>
  );
}
