'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import type { Problem } from '@atomflow/model';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';

import { useTRPC } from '../lib/trpc';
import { toDefinition, type Doc } from './doc/changes';
import { registryView } from './doc/registry-view';
import { onGroup, validateDoc, withNode } from './doc/validate';

/**
 * Live validation: `validateFlow` runs here on every edit (config checked against the atoms'
 * JSON Schemas), and the server's `flows.validate` (the same function with the real registry,
 * including cross-field rules) confirms a moment later; its answer wins for the doc it checked.
 */
export function useValidation(doc: Doc, atoms: readonly AtomTypeInfo[]): { problems: Problem[]; inputs: string[]; checking: boolean } {
  const trpc = useTRPC();
  const registry = useMemo(() => registryView(atoms), [atoms]);
  const local = useMemo(() => validateDoc(doc, registry), [doc, registry]);
  const [server, setServer] = useState<{ doc: Doc; problems: Problem[] } | null>(null);
  const validate = useMutation(trpc.flows.validate.mutationOptions());
  const { mutateAsync } = validate;
  useEffect(() => {
    const timer = setTimeout(() => {
      mutateAsync({ definition: toDefinition(doc) }).then(
        (r) => setServer({ doc, problems: r.problems.map((p) => onGroup(doc, withNode(doc, p))) }),
        // a definition the server cannot even parse: the local problems say why
        () => setServer(null),
      );
    }, 500);
    return () => clearTimeout(timer);
  }, [doc, mutateAsync]);
  const fresh = server?.doc === doc ? server.problems : undefined;
  return { problems: fresh ?? local.problems, inputs: local.inputs, checking: fresh === undefined && validate.isPending };
}
