'use client';

import { useParams } from 'next/navigation';

import { Designer } from '../../../designer/Designer';
import { RequireSession } from '../../../lib/session';

export default function FlowPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <RequireSession>
      <Designer flowId={decodeURIComponent(id)} />
    </RequireSession>
  );
}
