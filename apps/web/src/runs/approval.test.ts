import { parseFlowDefinitionOrThrow } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { approvalAsk, fieldErrors, isAwaitingApproval, lastDecision, missingFields } from './approval';
import type { MonitorEvent } from './live-state';

const form = { type: 'object', properties: { amount: { type: 'number' }, note: { type: 'string' } }, required: ['amount'] };
const def = parseFlowDefinitionOrThrow({
  id: 'refund',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'a', type: 'test.echo' },
      {
        kind: 'unordered',
        name: 'inner',
        children: [{ name: 'gate', type: 'approval', config: { title: 'Approve the refund', instructions: 'Check it', form } }],
      },
    ],
  },
});

const ev = (seq: number, e: Partial<MonitorEvent>): MonitorEvent => ({
  seq,
  kind: 'atom',
  atom: null,
  from: null,
  to: null,
  data: null,
  at: `2026-01-01T00:00:0${seq}Z`,
  ...e,
});

describe('approval view logic', () => {
  it('finds an approval atom’s ask in nested flows; other atoms have none', () => {
    expect(approvalAsk(def.root, 'gate')).toEqual({ title: 'Approve the refund', instructions: 'Check it', form });
    expect(approvalAsk(def.root, 'a')).toBeUndefined();
    // the fields in the order written, an optional one first included (neither alphabetical nor required first)
    const written = { ...form, properties: { zip: { type: 'string' }, note: { type: 'string' }, amount: { type: 'number' } } };
    const asWritten = parseFlowDefinitionOrThrow({
      id: 'r',
      root: { kind: 'linear', name: 'root', children: [{ name: 'g', type: 'approval', config: { form: written } }] },
    });
    expect(Object.keys(approvalAsk(asWritten.root, 'g')!.form!['properties'] as object)).toEqual(['zip', 'note', 'amount']);
    expect(approvalAsk(def.root, 'nope')).toBeUndefined();
  });

  it('an atom awaits approval when WAITING and its record or last WAITING event says approval', () => {
    expect(isAwaitingApproval('WAITING', 'approval', 'gate', [])).toBe(true);
    expect(isAwaitingApproval('SUCCESS', 'approval', 'gate', [])).toBe(false);
    const events = [ev(1, { atom: 'gate', to: 'WAITING', data: { reason: 'approval' } })];
    expect(isAwaitingApproval('WAITING', null, 'gate', events)).toBe(true);
    expect(
      isAwaitingApproval('WAITING', null, 'gate', [ev(1, { atom: 'gate', to: 'WAITING', data: { wakeAt: 'x', reason: 'retry' } })]),
    ).toBe(false);
    expect(isAwaitingApproval('WAITING', 'retry 2 after 10 ms', 'gate', [])).toBe(false);
  });

  it('required fields left empty are reported before sending; API problems map to fields', () => {
    expect([...missingFields(form, {})]).toEqual([['amount', 'required']]);
    expect([...missingFields(form, { amount: 3 })]).toEqual([]);
    expect([...missingFields(undefined, {})]).toEqual([]);
    expect([
      ...fieldErrors([
        { path: 'value.amount', message: 'Invalid input: expected number' },
        { path: 'value', message: 'bad' },
      ]),
    ]).toEqual([
      ['amount', 'Invalid input: expected number'],
      ['', 'bad'],
    ]);
  });

  it('the last decision says who approved or rejected, when and why', () => {
    const events = [
      ev(1, { kind: 'operation', atom: 'gate', to: 'reject', data: { by: 'bob', reason: 'no' } }),
      ev(2, { kind: 'operation', atom: 'gate', to: 'approve', data: { by: 'ann' } }),
      ev(3, { kind: 'operation', atom: 'other', to: 'approve', data: { by: 'zed' } }),
    ];
    expect(lastDecision(events, 'gate')).toEqual({ operation: 'approve', by: 'ann', at: '2026-01-01T00:00:02Z' });
    expect(lastDecision(events.slice(0, 1), 'gate')).toEqual({ operation: 'reject', by: 'bob', reason: 'no', at: '2026-01-01T00:00:01Z' });
    expect(lastDecision([], 'gate')).toBeUndefined();
  });
});
