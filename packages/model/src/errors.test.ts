import { describe, expect, it } from 'vitest';

import * as model from './index.js';
import { assertNever } from './assert-never.js';
import { AtomflowError, IllegalTransitionError, ValidationError } from './errors.js';

describe('errors', () => {
  it('formats one problem as `path: message`', () => {
    const e = new ValidationError([{ path: 'root.children.0.type', code: 'unknown-atom-type', message: 'unknown atom type "x"' }]);
    expect(e.message).toBe('root.children.0.type: unknown atom type "x"');
    expect(e).toBeInstanceOf(AtomflowError);
    expect(e.name).toBe('ValidationError');
  });

  it('lists several problems, one per line', () => {
    const e = new ValidationError([
      { path: 'id', code: 'schema', message: 'a' },
      { path: 'root', code: 'cycle', message: 'b' },
    ]);
    expect(e.message).toBe('2 problems:\n  id: a\n  root: b');
    expect(e.problems).toHaveLength(2);
  });

  it('gives every error a stable name', () => {
    expect(new AtomflowError('x').name).toBe('AtomflowError');
    expect(new IllegalTransitionError('atom', 'a', 'PENDING', 'REVERTED').name).toBe('IllegalTransitionError');
  });

  it('assertNever throws with the value', () => {
    expect(() => assertNever('flow kind', 'spiral' as never)).toThrow('flow kind: "spiral"');
  });
});

describe('public entry', () => {
  it('exports the functions and schemas other packages use', () => {
    for (const fn of [
      model.parseFlowDefinition,
      model.parseFlowDefinitionOrThrow,
      model.analyzeFlow,
      model.compileFlow,
      model.validateFlow,
      model.subgraphOf,
      model.diffRevisions,
      model.flattenAtoms,
      model.toFailure,
      model.assertAtomTransition,
      model.assertFlowTransition,
      model.providedNames,
      model.retryName,
      model.isFlowNode,
    ])
      expect(typeof fn).toBe('function');
    expect(model.FlowDefinitionSchema.safeParse({ id: 'f', root: { kind: 'linear', name: 'r' } }).success).toBe(true);
    expect(model.FLOW_KINDS).toEqual(['linear', 'unordered', 'graph']);
  });

  it('helpers: providedNames, retryName, isFlowNode', () => {
    expect(model.providedNames(undefined)).toEqual([]);
    expect(model.providedNames('x')).toEqual(['x']);
    expect(model.providedNames(['a', 'b'])).toEqual(['a', 'b']);
    const flow = model.parseFlowDefinitionOrThrow({
      id: 'f',
      root: { kind: 'linear', name: 'r', children: [{ name: 'a', type: 't' }] },
    }).root;
    expect(model.retryName(flow)).toBeUndefined();
    expect(model.retryName({ ...flow, retry: { kind: 'alwaysRevert' } })).toBe('r-retry');
    expect(model.retryName({ ...flow, retry: { kind: 'alwaysRevert', name: 'mine' } })).toBe('mine');
    expect(model.isFlowNode(flow)).toBe(true);
    expect(model.isFlowNode(flow.children[0]!)).toBe(false);
  });
});
