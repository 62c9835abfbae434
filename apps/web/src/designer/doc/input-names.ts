import type { AtomTypeInfo } from '@atomflow/api';
import { isFlowNode, type FlowDefinition } from '@atomflow/model';

import { inputNamesKey } from './registry-view';
import { walk } from './tree';

export interface InputNamesAsk {
  readonly type: string;
  readonly version: number;
  readonly config: Record<string, unknown>;
}

/** The distinct (type, version, config) of atoms whose input names depend on their config, by inputNamesKey. */
export function configDependentAtoms(def: FlowDefinition, atoms: readonly AtomTypeInfo[]): Map<string, InputNamesAsk> {
  const dependent = new Set(atoms.filter((a) => a.inputsFromConfig).map((a) => `${a.version}:${a.type}`));
  const asks = new Map<string, InputNamesAsk>();
  if (dependent.size === 0) return asks;
  for (const { node } of walk(def)) {
    if (isFlowNode(node) || !dependent.has(`${node.version}:${node.type}`)) continue;
    const key = inputNamesKey(node.type, node.version, node.config);
    if (!asks.has(key)) asks.set(key, { type: node.type, version: node.version, config: node.config });
  }
  return asks;
}
