import { analyzeFlow, isFlowNode, parseFlowDefinition, retryName, type AtomRegistryView, type Problem } from '@atomflow/model';

import { toDefinition, type Doc } from './changes';
import { nodeAtPath, walk } from './tree';

/** Problems of a doc exactly as the server's validation reports them, each pointing at a node when it can. */
export function validateDoc(doc: Doc, registry: AtomRegistryView | undefined): { problems: Problem[]; inputs: string[] } {
  const parsed = parseFlowDefinition(toDefinition(doc));
  if (!parsed.ok) return { problems: parsed.problems.map((p) => withNode(doc, p)), inputs: [] };
  const { compiled, problems } = analyzeFlow(parsed.value, registry);
  return { problems: problems.map((p) => onGroup(doc, withNode(doc, p))), inputs: [...compiled.inputs] };
}

/** A retry controller's problems belong to the group it is set on (that is what the canvas shows). */
export function onGroup(doc: Doc, p: Problem): Problem {
  if (p.node === undefined) return p;
  for (const { node } of walk(doc))
    if (isFlowNode(node) && node.retry && retryName(node) === p.node && node.name !== p.node) return { ...p, node: node.name };
  return p;
}

/** Gives a problem without a `node` the node its path points into (schema problems). */
export function withNode(doc: Doc, p: Problem): Problem {
  if (p.node !== undefined) return p;
  const node = nodeAtPath(doc, p.path);
  return node && node !== doc.root ? { ...p, node: node.name } : p;
}
