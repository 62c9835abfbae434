import type { FlowNode } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { atomMarks, noteFor, retryLimits } from './marks';

const root = {
  kind: 'linear',
  name: 'root',
  retry: { kind: 'times', attempts: 3 },
  children: [{ kind: 'unordered', name: 'inner', retry: { kind: 'forEach', values: [1, 2] }, children: [] }],
  edges: [],
} as unknown as FlowNode;

describe('marks', () => {
  it('knows each retry controller’s limit', () => {
    expect(retryLimits(root)).toEqual({ 'root-retry': 3, 'inner-retry': 2 });
  });
  it('notes attempts and wake-up times', () => {
    const limits = retryLimits(root);
    expect(noteFor('root-retry', 'RUNNING', { attempts: 2 }, limits)).toBe('attempt 2 of 3');
    expect(noteFor('a', 'SUCCESS', { attempts: 1 }, limits)).toBeUndefined();
    expect(noteFor('a', 'RUNNING', { attempts: 2 }, limits)).toBe('attempt 2');
    expect(noteFor('a', 'WAITING', { attempts: 1, wakeAt: '2026-01-01T10:00:00Z' }, limits)).toMatch(/^wakes /);
    expect(noteFor('gate', 'WAITING', { attempts: 1, wakeAt: null, waitReason: 'approval' }, limits)).toBe('awaiting approval');
    expect(noteFor('gate', 'SUCCESS', { attempts: 1, waitReason: 'approval' }, limits)).toBeUndefined();
  });
  it('marks the root failure and the preview', () => {
    const marks = atomMarks({
      states: { a: 'REVERTED', b: 'FAILURE' },
      facts: new Map(),
      limits: {},
      root: 'b',
      preview: new Map([['a', 'PENDING']]),
    });
    expect(marks).toEqual({ a: { preview: 'PENDING' }, b: { root: true } });
  });
});
