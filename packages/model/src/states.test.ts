import { describe, expect, it } from 'vitest';

import { AtomflowError, IllegalTransitionError } from './errors.js';
import {
  ATOM_STATES,
  ATOM_STATE_LIST,
  ATOM_TRANSITIONS,
  FLOW_STATES,
  FLOW_STATE_LIST,
  FLOW_TRANSITIONS,
  INTENTIONS,
  STOPPED_FLOW_STATES,
  assertAtomTransition,
  assertFlowTransition,
  canTransitionAtom,
  canTransitionFlow,
  isStoppedFlowState,
  type AtomState,
  type FlowState,
} from './states.js';

function pairs<S extends string>(states: readonly S[], table: Readonly<Record<S, readonly S[]>>, listed: boolean): Array<[S, S]> {
  return states.flatMap((from) => states.filter((to) => table[from].includes(to) === listed).map((to): [S, S] => [from, to]));
}

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('state lists', () => {
  it('name every TaskFlow atom state plus WAITING, values equal to keys', () => {
    expect([...ATOM_STATE_LIST].sort()).toEqual(
      ['FAILURE', 'IGNORE', 'PENDING', 'RETRYING', 'REVERTED', 'REVERTING', 'REVERT_FAILURE', 'RUNNING', 'SUCCESS', 'WAITING'].sort(),
    );
    for (const [k, v] of Object.entries(ATOM_STATES)) expect(v).toBe(k);
  });

  it('name every run state plus WAITING and CANCELLED, values equal to keys', () => {
    expect([...FLOW_STATE_LIST].sort()).toEqual(
      ['CANCELLED', 'FAILURE', 'PENDING', 'RESUMING', 'REVERTED', 'RUNNING', 'SUCCESS', 'SUSPENDED', 'SUSPENDING', 'WAITING'].sort(),
    );
    for (const [k, v] of Object.entries(FLOW_STATES)) expect(v).toBe(k);
  });

  it('lists the intentions', () => {
    expect(Object.values(INTENTIONS).sort()).toEqual(['EXECUTE', 'IGNORE', 'RETRY', 'REVERT']);
  });
});

describe.each([
  ['atom', ATOM_STATE_LIST, ATOM_TRANSITIONS],
  ['flow', FLOW_STATE_LIST, FLOW_TRANSITIONS],
] as const)('%s transition table', (_kind, states, table) => {
  it('has a row for every state and no other', () => {
    expect(Object.keys(table).sort()).toEqual([...states].sort());
  });

  it('targets only known states, each once', () => {
    for (const [from, targets] of Object.entries(table) as Array<[string, readonly string[]]>) {
      expect(new Set(targets).size, `duplicates in ${from}`).toBe(targets.length);
      for (const t of targets) expect(states as readonly string[]).toContain(t);
    }
  });

  it('leaves every state reachable from PENDING', () => {
    const seen = new Set<string>(['PENDING']);
    const queue = ['PENDING'];
    for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
      for (const to of (table as Record<string, readonly string[]>)[from]!) {
        if (!seen.has(to)) queue.push(to);
        seen.add(to);
      }
    }
    expect([...seen].sort()).toEqual([...states].sort());
  });
});

describe('atom transitions', () => {
  it.each(pairs(ATOM_STATE_LIST, ATOM_TRANSITIONS, true))('accepts %s -> %s', (from, to) => {
    expect(canTransitionAtom(from, to)).toBe(true);
    expect(() => assertAtomTransition('a', from, to)).not.toThrow();
  });

  it('rejects every unlisted pair with IllegalTransitionError', () => {
    const illegal = pairs(ATOM_STATE_LIST, ATOM_TRANSITIONS, false);
    expect(illegal.length).toBeGreaterThan(40);
    for (const [from, to] of illegal) {
      expect(canTransitionAtom(from, to), `${from} -> ${to}`).toBe(false);
      const e = thrown(() => assertAtomTransition('a', from, to));
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect((e as Error).message).toBe(`illegal atom transition for a: ${from} -> ${to}`);
    }
  });

  it.each<[AtomState, AtomState]>([
    ['PENDING', 'REVERTED'],
    ['PENDING', 'FAILURE'],
    ['SUCCESS', 'RUNNING'],
    ['SUCCESS', 'FAILURE'],
    ['REVERTED', 'RUNNING'],
    ['REVERTED', 'REVERTING'],
    ['REVERT_FAILURE', 'SUCCESS'],
    ['IGNORE', 'RUNNING'],
    ['IGNORE', 'SUCCESS'],
    ['FAILURE', 'RUNNING'],
    ['FAILURE', 'RETRYING'],
    ['REVERTING', 'SUCCESS'],
    ['RETRYING', 'SUCCESS'],
    ['PENDING', 'PENDING'],
    ['SUCCESS', 'SUCCESS'],
  ])('rejects %s -> %s', (from, to) => {
    const e = thrown(() => assertAtomTransition('reserve', from, to));
    expect(e).toBeInstanceOf(IllegalTransitionError);
    expect(e).toBeInstanceOf(AtomflowError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'IllegalTransitionError', subject: 'atom', target: 'reserve', from, to });
    expect((e as Error).message).toBe(`illegal atom transition for reserve: ${from} -> ${to}`);
  });

  it("keeps TaskFlow's own edges (execute, revert, retry controller)", () => {
    const taskflow: Array<[AtomState, AtomState]> = [
      ['PENDING', 'RUNNING'],
      ['PENDING', 'IGNORE'],
      ['RUNNING', 'SUCCESS'],
      ['RUNNING', 'FAILURE'],
      ['FAILURE', 'REVERTING'],
      ['SUCCESS', 'REVERTING'],
      ['REVERTING', 'REVERTED'],
      ['REVERTING', 'REVERT_FAILURE'],
      ['REVERTED', 'PENDING'],
      ['IGNORE', 'PENDING'],
      ['SUCCESS', 'RETRYING'],
      ['RETRYING', 'RUNNING'],
    ];
    for (const [from, to] of taskflow) expect(canTransitionAtom(from, to), `${from} -> ${to}`).toBe(true);
  });

  it('lets a waiting atom wake, finish, fail, be reset or be reverted', () => {
    for (const to of ['RUNNING', 'SUCCESS', 'FAILURE', 'PENDING', 'IGNORE', 'REVERTING'] as const)
      expect(canTransitionAtom('WAITING', to)).toBe(true);
    expect(canTransitionAtom('RUNNING', 'WAITING')).toBe(true);
  });
});

describe('flow transitions', () => {
  it.each(pairs(FLOW_STATE_LIST, FLOW_TRANSITIONS, true))('accepts %s -> %s', (from, to) => {
    expect(canTransitionFlow(from, to)).toBe(true);
    expect(() => assertFlowTransition('root', from, to)).not.toThrow();
  });

  it('rejects every unlisted pair with IllegalTransitionError', () => {
    for (const [from, to] of pairs(FLOW_STATE_LIST, FLOW_TRANSITIONS, false)) {
      expect(canTransitionFlow(from, to), `${from} -> ${to}`).toBe(false);
      const e = thrown(() => assertFlowTransition('root', from, to));
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect((e as Error).message).toBe(`illegal flow transition for root: ${from} -> ${to}`);
    }
  });

  it.each<[FlowState, FlowState]>([
    ['PENDING', 'SUCCESS'],
    ['PENDING', 'SUSPENDED'],
    ['SUCCESS', 'FAILURE'],
    ['SUSPENDED', 'SUCCESS'],
    ['SUSPENDED', 'SUSPENDING'],
    ['CANCELLED', 'SUCCESS'],
    ['RESUMING', 'SUCCESS'],
    ['REVERTED', 'SUCCESS'],
    ['RUNNING', 'PENDING'],
  ])('rejects %s -> %s', (from, to) => {
    const e = thrown(() => assertFlowTransition('orders', from, to));
    expect(e).toBeInstanceOf(IllegalTransitionError);
    expect(e).toMatchObject({ subject: 'flow', target: 'orders', from, to });
    expect((e as Error).message).toBe(`illegal flow transition for orders: ${from} -> ${to}`);
  });

  it('supports the suspend / resume cycle of case s10', () => {
    const path: FlowState[] = ['PENDING', 'RUNNING', 'SUSPENDING', 'SUSPENDED', 'RUNNING', 'SUCCESS'];
    for (let i = 1; i < path.length; i++) expect(() => assertFlowTransition('f', path[i - 1]!, path[i]!)).not.toThrow();
  });

  it('marks the states no engine works in as stopped', () => {
    expect([...STOPPED_FLOW_STATES].sort()).toEqual(['CANCELLED', 'FAILURE', 'REVERTED', 'SUCCESS', 'SUSPENDED']);
    for (const s of FLOW_STATE_LIST) expect(isStoppedFlowState(s)).toBe(STOPPED_FLOW_STATES.includes(s));
    expect(isStoppedFlowState('RUNNING')).toBe(false);
    expect(isStoppedFlowState('WAITING')).toBe(false);
    expect(isStoppedFlowState('SUSPENDING')).toBe(false);
  });
});
