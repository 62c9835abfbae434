import { AtomRegistry, AwaitApproval, Engine, InMemoryStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, ValidationError } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { approval } from './approval.js';

/** The config another engineer's seeded "approval flow" uses: it must stay valid as is. */
const refundConfig = {
  title: 'Approve the refund',
  form: { type: 'object', properties: { amount: { type: 'number' }, note: { type: 'string' } }, required: ['amount'] },
};

const problemsOf = (fn: () => unknown): Array<{ path: string; message: string }> => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => ({ path: p.path, message: p.message }));
    throw e;
  }
  throw new Error('expected a ValidationError');
};

describe('approval atom', () => {
  const cfg = approval.config!.parse(refundConfig);

  it('accepts the seeded refund config and refuses unknown keys and bad fields', () => {
    expect(cfg).toEqual(refundConfig);
    expect(approval.config!.safeParse({}).success).toBe(true);
    expect(approval.config!.safeParse({ title: 'x', colour: 'red' }).success).toBe(false);
    const badType = approval.config!.safeParse({ form: { type: 'object', properties: { a: { type: 'date' } } } });
    expect(badType.error!.issues.map((i) => i.path.join('.'))).toEqual(['form.properties.a.type']);
    const badRequired = approval.config!.safeParse({ form: { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] } });
    expect(badRequired.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'form.required.0: "b" is not a field of the form',
    ]);
  });

  it('parks with AwaitApproval (no timer)', () => {
    expect(() => approval.execute({}, { config: cfg } as never)).toThrow(AwaitApproval);
    expect(() => approval.execute({}, { config: cfg } as never)).toThrow('waiting for approval: Approve the refund');
  });

  it('approve returns the form value, checked field by field with value.<field> paths', () => {
    expect(approval.approve!({ amount: 12.5, note: 'ok' }, cfg)).toEqual({ amount: 12.5, note: 'ok' });
    expect(approval.approve!({ amount: 3 }, cfg)).toEqual({ amount: 3 });
    expect(problemsOf(() => approval.approve!({ note: 'no amount' }, cfg))).toEqual([{ path: 'value.amount', message: 'required' }]);
    expect(problemsOf(() => approval.approve!({ amount: '12', extra: 1 }, cfg)).map((p) => p.path)).toEqual(['value.amount', 'value']);
    expect(problemsOf(() => approval.approve!(undefined, cfg))).toEqual([{ path: 'value.amount', message: 'required' }]);
  });

  it('checks integer, bounds, string length and enum fields', () => {
    const c = approval.config!.parse({
      form: {
        type: 'object',
        properties: {
          n: { type: 'integer', minimum: 1, maximum: 5 },
          s: { type: 'string', minLength: 2 },
          level: { type: 'string', enum: ['low', 'high'] },
          ok: { type: 'boolean' },
        },
        required: ['n'],
      },
    });
    expect(approval.approve!({ n: 2, s: 'ab', level: 'high', ok: false }, c)).toEqual({ n: 2, s: 'ab', level: 'high', ok: false });
    expect(problemsOf(() => approval.approve!({ n: 2.5, s: 'a', level: 'mid', ok: 'yes' }, c)).map((p) => p.path)).toEqual([
      'value.n',
      'value.s',
      'value.level',
      'value.ok',
    ]);
    expect(problemsOf(() => approval.approve!({ n: 9 }, c))[0]!.path).toBe('value.n');
  });

  it('without a form, approving gives { approved: true } and refuses a value', () => {
    const plain = approval.config!.parse({ title: 'Go?' });
    expect(approval.approve!(undefined, plain)).toEqual({ approved: true });
    expect(approval.approve!({}, plain)).toEqual({ approved: true });
    expect(problemsOf(() => approval.approve!({ amount: 1 }, plain))).toEqual([
      { path: 'value', message: 'this approval has no form: approve it without a value' },
    ]);
  });

  it('in the engine: the run waits, approve gives the entered value as the result, who approved is in the events', async () => {
    const store = new InMemoryStore();
    const engine = new Engine({ store, registry: new AtomRegistry([approval]) });
    const def = parseFlowDefinitionOrThrow({
      id: 'refund',
      revision: 1,
      root: {
        kind: 'linear',
        name: 'root',
        children: [{ name: 'gate', type: 'approval', version: 1, config: refundConfig, provides: 'refund' }],
      },
    });
    const first = await engine.startRun(def);
    expect(first.state).toBe('WAITING');
    await expect(engine.operate(first.runId, { type: 'approve', atom: 'gate', value: { note: 'x' } })).rejects.toThrow(ValidationError);
    const { outcome } = await engine.operate(first.runId, { type: 'approve', atom: 'gate', value: { amount: 40 }, by: 'ann@example.com' });
    expect(outcome).toMatchObject({ state: 'SUCCESS', results: { refund: { amount: 40 } } });
    const events = await store.events(first.runId);
    const approved = events.find((e) => e.atom === 'gate' && e.to === 'SUCCESS')!;
    expect(approved.data).toMatchObject({ operation: 'approve', by: 'ann@example.com', result: { amount: 40 } });
    expect(Date.parse(approved.at)).not.toBeNaN();
  });
});
