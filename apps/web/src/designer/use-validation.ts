'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import type { Problem } from '@atomflow/model';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';

import { useTRPC } from '../lib/trpc';
import { toDefinition, type Doc } from './doc/changes';
import { registryView } from './doc/registry-view';
import { onGroup, validateDoc, withNode } from './doc/validate';
import { useInputNames } from './use-input-names';

/**
 * Live validation: `validateFlow` runs here on every edit (config checked against the atoms'
 * JSON Schemas; input names that depend on a config come from the server, see useInputNames),
 * and the server's `flows.validate` (the same function with the real registry, including
 * cross-field rules and subflows) confirms a moment later; its answer (problems and run inputs)
 * wins for the doc it checked.
 */
export function useValidation(doc: Doc, atoms: readonly AtomTypeInfo[]): { problems: Problem[]; inputs: string[]; checking: boolean } {
  const trpc = useTRPC();
  const fromConfig = useInputNames(doc, atoms);
  const registry = useMemo(() => registryView(atoms, fromConfig), [atoms, fromConfig]);
  const local = useMemo(() => validateDoc(doc, registry), [doc, registry]);
  const [server, setServer] = useState<{ doc: Doc; problems: Problem[]; inputs: string[] } | null>(null);
  const validate = useMutation(trpc.flows.validate.mutationOptions());
  const { mutateAsync } = validate;
  useEffect(() => {
    const timer = setTimeout(() => {
      mutateAsync({ definition: toDefinition(doc) }).then(
        (r) => setServer({ doc, problems: r.problems.map((p) => onGroup(doc, withNode(doc, p))), inputs: [...r.inputs] }),
        // a definition the server cannot even parse: the local problems say why
        () => setServer(null),
      );
    }, 500);
    return () => clearTimeout(timer);
  }, [doc, mutateAsync]);
  const fresh = server?.doc === doc ? server : undefined;
  // the server's run inputs win too: it sees into subflows (an atom may need what a subflow provides)
  return {
    problems: fresh?.problems ?? local.problems,
    inputs: fresh?.inputs ?? local.inputs,
    checking: fresh === undefined && validate.isPending,
  };
}
