'use client';

import { useStore, type ReactFlowState } from '@xyflow/react';
import type { ReactNode } from 'react';

/** Below this zoom atoms' text is unreadable: the canvas draws them as coloured boxes (canvas-perf.css). */
export const FAR_ZOOM = 0.4;

const isFar = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;

/**
 * Marks its content `.zoom-far` while zoomed out that far. Only this wrapper re-renders, and only
 * when the zoom crosses the threshold: its children are the same elements, so React skips them.
 */
export function ZoomClass({ children }: { readonly children: ReactNode }) {
  const far = useStore(isFar);
  return (
    <div className={far ? 'zoom-level zoom-far' : 'zoom-level'} data-zoom-far={far ? 'true' : undefined}>
      {children}
    </div>
  );
}
