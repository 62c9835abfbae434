import { toFailure, type SubStep, type SubStepState } from '@atomflow/model';

import type { SubStepContext } from './atom-types.js';
import { RetryLater, UnstorableValueError } from './errors.js';
import { storableFailure, unstorableReason } from './storable.js';

/** Persists one sub-step outcome durably (resolves once committed). */
export type SubStepRecorder = (step: SubStep, from: SubStepState | null) => Promise<void>;

/**
 * Kopf-style idempotent sub-steps of one atom in one run. A sub-step that succeeded is never
 * run again: its stored result is returned. Outcomes are committed before `step` returns.
 */
export class SubSteps {
  constructor(
    private readonly atom: string,
    private readonly records: Map<string, SubStep>,
    private readonly record: SubStepRecorder,
    private readonly now: () => Date,
  ) {}

  async step<T>(name: string, fn: (step: SubStepContext) => Promise<T> | T): Promise<T> {
    const prev = this.records.get(name);
    if (prev?.state === 'SUCCESS') return prev.result as T;
    const attempt = (prev?.attempts ?? 0) + 1;
    let result: T;
    try {
      result = await fn({ name, attempt });
      // refused here, as the step's failure: the commit of an unstorable result would stop the run
      const problem = unstorableReason(result);
      if (problem !== undefined)
        throw new UnstorableValueError(`result of sub-step "${this.atom}.${name}" cannot be stored: ${problem.replace(/^\$/, 'result')}`);
    } catch (error) {
      const state: SubStepState = error instanceof RetryLater ? 'RETRY_LATER' : 'FAILURE';
      const failure = storableFailure(`failure of sub-step "${this.atom}.${name}"`, toFailure(error));
      await this.save({ atom: this.atom, name, state, attempts: attempt, failure, updatedAt: this.now().toISOString() }, prev);
      throw error;
    }
    await this.save(
      { atom: this.atom, name, state: 'SUCCESS', attempts: attempt, result, failure: null, updatedAt: this.now().toISOString() },
      prev,
    );
    return result;
  }

  /**
   * Runs every sub-step not yet succeeded, in order; a RetryLater of one does not stop the
   * others (Kopf's `execute`). Throws the first permanent error, else a RetryLater with the
   * shortest delay asked, else returns every result.
   */
  async execute<M extends Record<string, (step: SubStepContext) => unknown>>(
    steps: M,
  ): Promise<{ [K in keyof M]: Awaited<ReturnType<M[K]>> }> {
    const results: Record<string, unknown> = {};
    let later: RetryLater | undefined;
    let permanent: unknown;
    let hasPermanent = false;
    for (const [name, fn] of Object.entries(steps)) {
      try {
        results[name] = await this.step(name, fn);
      } catch (error) {
        if (error instanceof RetryLater) {
          if (!later || error.delayMs < later.delayMs) later = error;
        } else if (!hasPermanent) {
          hasPermanent = true;
          permanent = error;
        }
      }
    }
    if (hasPermanent) throw permanent;
    if (later) {
      const pending = Object.keys(steps).filter((n) => !(n in results));
      throw new RetryLater(`sub-step${pending.length > 1 ? 's' : ''} ${pending.join(', ')} not done yet: ${later.message}`, {
        delayMs: later.delayMs,
        cause: later,
      });
    }
    return results as { [K in keyof M]: Awaited<ReturnType<M[K]>> };
  }

  private async save(step: SubStep, prev: SubStep | undefined): Promise<void> {
    await this.record(step, prev?.state ?? null);
    this.records.set(step.name, step);
  }
}
