'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import type { AtomInputs } from '@atomflow/model';
import { useEffect, useMemo, useRef, useState } from 'react';

import { useTRPCClient } from '../lib/trpc';
import type { Doc } from './doc/changes';
import { configDependentAtoms } from './doc/input-names';
import { inputsFromSchema } from './doc/registry-view';

/**
 * Input names of the doc's atoms whose inputs depend on their config (transform's `requires`,
 * test.echo's `defaults`), as the server's `atoms.inputNames` computes them; asked once per
 * distinct config, a moment after an edit. Only answers that differ from what the inputs schema
 * says are kept, so that a flow of atoms with plain configs is not validated twice.
 */
export function useInputNames(doc: Doc, atoms: readonly AtomTypeInfo[]): ReadonlyMap<string, AtomInputs> {
  const client = useTRPCClient();
  const [known, setKnown] = useState<ReadonlyMap<string, AtomInputs>>(() => new Map());
  const asked = useRef(new Set<string>());
  const asks = useMemo(() => configDependentAtoms(doc, atoms), [doc, atoms]);
  useEffect(() => {
    const missing = [...asks].filter(([k]) => !asked.current.has(k));
    if (missing.length === 0) return;
    const timer = setTimeout(() => {
      for (const [k] of missing) asked.current.add(k);
      client.atoms.inputNames.mutate({ atoms: missing.map(([, a]) => a) }).then(
        (answers) => {
          const differing = missing.flatMap(([key, ask], i) => {
            const answer = answers[i];
            const info = atoms.find((a) => a.type === ask.type && a.version === ask.version);
            return answer && JSON.stringify(answer) !== JSON.stringify(inputsFromSchema(info?.inputs ?? null))
              ? [[key, answer] as const]
              : [];
          });
          if (differing.length) setKnown((prev) => new Map([...prev, ...differing]));
        },
        // asked again after the next edit
        () => missing.forEach(([k]) => asked.current.delete(k)),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [asks, atoms, client]);
  return known;
}
