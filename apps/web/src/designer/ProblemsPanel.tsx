'use client';

import type { Problem } from '@atomflow/model';
import { useState } from 'react';

/** The live list of problems (the same validateFlow as the server); a click selects the atom. */
export function ProblemsPanel({
  problems,
  checking,
  onPick,
}: {
  problems: readonly Problem[];
  checking: boolean;
  onPick: (p: Problem) => void;
}) {
  const [open, setOpen] = useState(true);
  return (
    <section className={`problems${open ? '' : ' closed'}`} aria-label="Problems" data-testid="problems-panel">
      <header>
        <button className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '▾' : '▸'} Problems
        </button>
        <span className={`count ${problems.length ? 'bad' : 'good'}`} data-testid="problem-count">
          {problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'}` : '✓ valid'}
        </span>
        {checking ? <span className="muted small">checking on the server…</span> : null}
      </header>
      {open ? (
        problems.length === 0 ? (
          <p className="muted small">No problems: this flow can be saved and run.</p>
        ) : (
          <ul>
            {problems.map((p, i) => (
              <li key={`${p.path}:${p.code}:${i}`}>
                <button className="problem" onClick={() => onPick(p)} data-node={p.node}>
                  <span className="problem-icon" aria-hidden>
                    ⚠
                  </span>
                  {p.node ? <strong>{p.node}</strong> : null}
                  <span>{p.message}</span>
                  <code className="muted">{p.path}</code>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
