import { IllegalTransitionError } from './errors.js';

/** Atom states: TaskFlow's names plus WAITING (durable timer, retry-later, approval). */
export const ATOM_STATES = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
  REVERTING: 'REVERTING',
  REVERTED: 'REVERTED',
  REVERT_FAILURE: 'REVERT_FAILURE',
  RETRYING: 'RETRYING',
  IGNORE: 'IGNORE',
  WAITING: 'WAITING',
} as const;
export type AtomState = (typeof ATOM_STATES)[keyof typeof ATOM_STATES];
export const ATOM_STATE_LIST = Object.values(ATOM_STATES) as readonly AtomState[];

/** Run (flow) states: TaskFlow's names plus WAITING and CANCELLED. */
export const FLOW_STATES = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
  REVERTED: 'REVERTED',
  SUSPENDING: 'SUSPENDING',
  SUSPENDED: 'SUSPENDED',
  RESUMING: 'RESUMING',
  WAITING: 'WAITING',
  CANCELLED: 'CANCELLED',
} as const;
export type FlowState = (typeof FLOW_STATES)[keyof typeof FLOW_STATES];
export const FLOW_STATE_LIST = Object.values(FLOW_STATES) as readonly FlowState[];

/** What the engine means to do with an atom next (TaskFlow's "intention"). */
export const INTENTIONS = {
  EXECUTE: 'EXECUTE',
  REVERT: 'REVERT',
  RETRY: 'RETRY',
  IGNORE: 'IGNORE',
} as const;
export type Intention = (typeof INTENTIONS)[keyof typeof INTENTIONS];

/**
 * Every allowed atom transition. Anything not listed is rejected by `assertAtomTransition`.
 * The manual-operation edges (…→PENDING, …→SUCCESS, …→IGNORE) exist so that an operator can
 * repair a stopped run; the engine itself only uses TaskFlow's edges.
 */
export const ATOM_TRANSITIONS: Readonly<Record<AtomState, readonly AtomState[]>> = {
  PENDING: ['RUNNING', 'IGNORE', 'SUCCESS'],
  // RUNNING→RUNNING: re-executed after the owner died mid-execution (at-least-once, as TaskFlow).
  RUNNING: ['SUCCESS', 'FAILURE', 'WAITING', 'RUNNING', 'PENDING'],
  SUCCESS: ['REVERTING', 'RETRYING', 'PENDING'],
  FAILURE: ['REVERTING', 'PENDING', 'SUCCESS', 'IGNORE'],
  // REVERTING→REVERTING: a revert interrupted by a crash is run again.
  REVERTING: ['REVERTED', 'REVERT_FAILURE', 'REVERTING'],
  REVERTED: ['PENDING', 'SUCCESS', 'IGNORE'],
  REVERT_FAILURE: ['REVERTING', 'PENDING', 'IGNORE'],
  RETRYING: ['RUNNING', 'WAITING', 'REVERTING'],
  IGNORE: ['PENDING'],
  // WAITING→REVERTING: a parked atom (timer, retry-later, approval) reverted with its flow.
  WAITING: ['RUNNING', 'PENDING', 'SUCCESS', 'FAILURE', 'IGNORE', 'REVERTING'],
};

/** Every allowed run transition. */
export const FLOW_TRANSITIONS: Readonly<Record<FlowState, readonly FlowState[]>> = {
  PENDING: ['RUNNING', 'CANCELLED'],
  RUNNING: ['SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDING', 'WAITING', 'CANCELLED'],
  SUCCESS: ['RUNNING'],
  FAILURE: ['RUNNING', 'CANCELLED'],
  REVERTED: ['RUNNING', 'CANCELLED'],
  SUSPENDING: ['SUSPENDED', 'SUCCESS', 'FAILURE', 'REVERTED', 'CANCELLED'],
  SUSPENDED: ['RUNNING', 'RESUMING', 'CANCELLED'],
  RESUMING: ['RUNNING'],
  WAITING: ['RUNNING', 'SUSPENDED', 'CANCELLED'],
  CANCELLED: ['RUNNING'],
};

export function canTransitionAtom(from: AtomState, to: AtomState): boolean {
  return ATOM_TRANSITIONS[from].includes(to);
}

export function canTransitionFlow(from: FlowState, to: FlowState): boolean {
  return FLOW_TRANSITIONS[from].includes(to);
}

export function assertAtomTransition(atom: string, from: AtomState, to: AtomState): void {
  if (!canTransitionAtom(from, to)) throw new IllegalTransitionError('atom', atom, from, to);
}

export function assertFlowTransition(flow: string, from: FlowState, to: FlowState): void {
  if (!canTransitionFlow(from, to)) throw new IllegalTransitionError('flow', flow, from, to);
}

/** Run states in which no engine is working on the run. */
export const STOPPED_FLOW_STATES: readonly FlowState[] = ['SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED', 'CANCELLED'];

export function isStoppedFlowState(state: FlowState): boolean {
  return STOPPED_FLOW_STATES.includes(state);
}
