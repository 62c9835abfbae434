import type { AtomContext, AtomDefinition, RevertContext } from '@atomflow/engine';
import type { AtomInputs } from '@atomflow/model';
import type { z } from 'zod';

/**
 * An atom type as its author writes it. `Config`, `Inputs` and `Output` are inferred from the zod
 * schemas (their parsed, output types), so `execute`/`revert` are typed without restating them.
 */
export interface AtomSpec<Config, Inputs, Output> {
  /** Registry key, e.g. `http.request`. */
  readonly type: string;
  /** Bump when the behaviour changes: a run resumed on a new version treats the atom as new. */
  readonly version: number;
  readonly description?: string;
  /** Group shown in the designer's palette. */
  readonly category?: string;
  /** Schema of `config` (defaults applied before the atom sees it); the designer builds its form. */
  readonly config?: z.ZodType<Config, unknown>;
  /** Schema of the inputs; an object schema's keys are the input names unless `inputNames` says otherwise. */
  readonly inputs?: z.ZodType<Inputs, unknown>;
  readonly outputs?: z.ZodType<Output, unknown>;
  /** Input names for a given config (required ones, and optional ones with their defaults). */
  inputNames?(config: Config): AtomInputs;
  execute(inputs: Inputs, ctx: AtomContext<Config>): Promise<Output> | Output;
  revert?(inputs: Inputs, ctx: RevertContext<Config>): unknown;
  /**
   * For atoms that wait for a person (throw `AwaitApproval`): the value an operator approves with
   * → the atom's result; throws a `ValidationError` with `value.<field>` paths when it is wrong.
   */
  approve?(value: unknown, config: Config): unknown;
}

/**
 * Declares an atom type. An identity at run time: it exists for inference, so an atom's code is
 * checked against its own schemas.
 */
export function defineAtom<Config = Record<string, unknown>, Inputs = Record<string, unknown>, Output = unknown>(
  spec: AtomSpec<Config, Inputs, Output>,
): AtomDefinition<Config, Inputs, Output> {
  return spec;
}
