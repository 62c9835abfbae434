import type { AtomInputs, Failure } from '@atomflow/model';
import type { z } from 'zod';

/** What an atom's user code can use while it executes. */
export interface AtomContext<Config = Record<string, unknown>> {
  readonly runId: string;
  /** The atom's name in the flow. */
  readonly atom: string;
  readonly config: Config;
  /** 1-based count of executions of this atom in this run (retries and resumes included). */
  readonly attempt: number;
  /** Aborted when the run is cancelled; pass it to I/O. */
  readonly signal: AbortSignal;
  /**
   * Where a URL path in a config (`/api/…`) points: the origin of the server running the atom
   * (the Engine's `baseUrl`), so that a flow calling its own server keeps working when the
   * server moves. Undefined where the host knows none (the CLI, tests).
   */
  readonly baseUrl?: string;
  /**
   * Runs a named sub-step once: its outcome is stored on the atom's record and a sub-step that
   * succeeded is never run again on a later entry (its stored result is returned instead).
   * `RetryLater` thrown inside parks the whole atom until its wake-up time.
   */
  step<T>(name: string, fn: (step: SubStepContext) => Promise<T> | T): Promise<T>;
  /**
   * Runs every sub-step that has not yet succeeded, in order, each at most once per entry; when
   * some still need a retry, the atom is parked (RetryLater with the shortest delay asked).
   * Returns every sub-step's result once all succeeded (Kopf's `execute`).
   */
  execute<M extends Record<string, (step: SubStepContext) => unknown>>(steps: M): Promise<{ [K in keyof M]: Awaited<ReturnType<M[K]>> }>;
  /** Appends a log line to the run's events. */
  log(message: string, data?: Record<string, unknown>): void;
}

export interface SubStepContext {
  readonly name: string;
  /** 1-based attempt of this sub-step, counted across entries and resumes. */
  readonly attempt: number;
}

export interface RevertContext<Config = Record<string, unknown>> extends Omit<AtomContext<Config>, 'step' | 'execute'> {
  /** The stored result of the execution being reverted (undefined for the atom that failed). */
  readonly result: unknown;
  /** Present when reverting the atom whose execution failed. */
  readonly failure?: Failure;
  /** Failures that caused this revert, by atom name (TaskFlow's `flow_failures`). */
  readonly flowFailures: Readonly<Record<string, Failure>>;
}

type Schema<T> = z.ZodType<T, unknown>;

/** An atom type: code plus schemas (the designer builds forms from them). */
export interface AtomDefinition<Config = Record<string, unknown>, Inputs = Record<string, unknown>, Output = unknown> {
  readonly type: string;
  readonly version: number;
  readonly description?: string;
  /** Group shown in the designer's palette. */
  readonly category?: string;
  readonly config?: Schema<Config>;
  readonly inputs?: Schema<Inputs>;
  readonly outputs?: Schema<Output>;
  /** Input names given a config; defaults to the keys of the `inputs` object schema. */
  inputNames?(config: Config): AtomInputs;
  execute(inputs: Inputs, ctx: AtomContext<Config>): Promise<Output> | Output;
  revert?(inputs: Inputs, ctx: RevertContext<Config>): unknown;
  /**
   * For atoms that wait for a person (`AwaitApproval`): turns the value an operator approves with
   * into the atom's result, or throws a `ValidationError` whose problem paths name the wrong
   * fields (`value.amount`). Without it the result is the value, or `{ approved: true }`.
   */
  approve?(value: unknown, config: Config): unknown;
}

/** An atom definition with its generic types erased, as stored in a registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAtomDefinition = AtomDefinition<any, any, any>;
