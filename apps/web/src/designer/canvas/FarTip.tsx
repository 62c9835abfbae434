'use client';

import { useEffect, useState, type MutableRefObject } from 'react';

import { stateLook } from '../../lib/states';
import type { FarAtom, FarGroup } from './far-scene';

/** What the pointer is over on the zoomed-out canvas: a tooltip says what the box is. */
export interface FarHover {
  readonly target: FarAtom | FarGroup;
  /** pointer position in the canvas element */
  readonly x: number;
  readonly y: number;
}

/** The zoomed-out canvas's tooltip: what the box under the pointer is (`show` is how the canvas sets it). */
export function FarTip({ show }: { readonly show: MutableRefObject<(hover: FarHover | null) => void> }) {
  const [hover, setHover] = useState<FarHover | null>(null);
  useEffect(() => {
    show.current = setHover;
    return () => {
      show.current = () => undefined;
    };
  }, [show]);
  if (!hover) return null;
  const t = hover.target;
  const detail =
    t.kind === 'atom'
      ? [t.type, t.state ? stateLook(t.state).label : undefined, t.mark?.note]
      : [
          `${t.flowKind} group`,
          t.retry ? 'retry controller' : undefined,
          t.retryState ? stateLook(t.retryState).label : undefined,
          t.retryNote,
        ];
  return (
    <div className="far-tip" data-testid="far-tip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
      <strong>{t.id}</strong>
      <span className="muted"> · {detail.filter(Boolean).join(' · ')}</span>
    </div>
  );
}
