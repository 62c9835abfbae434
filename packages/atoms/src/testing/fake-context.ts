import { type AtomContext, type AtomDefinition, RetryLater, type RevertContext, type SubStepContext } from '@atomflow/engine';
import type { Failure } from '@atomflow/model';

/**
 * A small but real stand-in for the engine when testing one atom: contexts that follow the
 * AtomContext contract (sub-step outcomes stored by name, a succeeded sub-step never re-run,
 * `execute` parks with the shortest RetryLater), an attempt counter over entries, a log.
 */

type SubStepRecord = { readonly attempts: number } & (
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: unknown }
);

export interface LogLine {
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

export interface FakeRunOptions {
  readonly atom?: string;
  readonly runId?: string;
  readonly signal?: AbortSignal;
  /** `ctx.baseUrl`: where URL paths in the config point (none by default, as in the CLI). */
  readonly baseUrl?: string;
}

export class FakeAtomRun<Config, Inputs, Output> {
  readonly atom: string;
  readonly runId: string;
  readonly config: Config;
  readonly subSteps = new Map<string, SubStepRecord>();
  readonly logs: LogLine[] = [];
  /** Entries into execute so far (what the engine reports as `ctx.attempt`). */
  executions = 0;
  signal: AbortSignal;
  readonly baseUrl: string | undefined;

  constructor(
    readonly def: AtomDefinition<Config, Inputs, Output>,
    rawConfig: Record<string, unknown>,
    options: FakeRunOptions = {},
  ) {
    this.atom = options.atom ?? 'atom';
    this.runId = options.runId ?? 'run-1';
    this.signal = options.signal ?? new AbortController().signal;
    this.baseUrl = options.baseUrl;
    // Like the engine: the atom sees its config parsed, defaults applied.
    this.config = def.config ? def.config.parse(rawConfig) : (rawConfig as Config);
  }

  /** One entry into the atom's execute. */
  async execute(inputs: Inputs): Promise<Output> {
    this.executions += 1;
    return this.def.execute(inputs, this.context());
  }

  /** Enters execute until it stops asking to be retried later; returns the result and the delays asked. */
  async executeUntilDone(inputs: Inputs, maxEntries = 100): Promise<{ result: Output; entries: number; delays: number[] }> {
    const delays: number[] = [];
    for (let entry = 1; entry <= maxEntries; entry++) {
      try {
        return { result: await this.execute(inputs), entries: entry, delays };
      } catch (error) {
        if (!(error instanceof RetryLater)) throw error;
        delays.push(error.delayMs);
      }
    }
    throw new Error(`${this.atom} still waiting after ${maxEntries} entries`);
  }

  async revert(inputs: Inputs, how: { result?: unknown; failure?: Failure } = {}): Promise<unknown> {
    if (!this.def.revert) throw new Error(`${this.def.type} has no revert`);
    const ctx: RevertContext<Config> = {
      ...this.baseContext(),
      result: how.result,
      ...(how.failure ? { failure: how.failure } : {}),
      flowFailures: how.failure ? { [this.atom]: how.failure } : {},
    };
    return this.def.revert(inputs, ctx);
  }

  private baseContext(): Omit<AtomContext<Config>, 'step' | 'execute'> {
    return {
      runId: this.runId,
      atom: this.atom,
      config: this.config,
      attempt: this.executions,
      signal: this.signal,
      ...(this.baseUrl !== undefined ? { baseUrl: this.baseUrl } : {}),
      log: (message, data) => this.logs.push(data ? { message, data } : { message }),
    };
  }

  private context(): AtomContext<Config> {
    const step = async <T>(name: string, fn: (s: SubStepContext) => Promise<T> | T): Promise<T> => {
      const stored = this.subSteps.get(name);
      if (stored?.ok) return stored.result as T;
      const attempt = (stored?.attempts ?? 0) + 1;
      try {
        const result = await fn({ name, attempt });
        this.subSteps.set(name, { attempts: attempt, ok: true, result });
        return result;
      } catch (error) {
        this.subSteps.set(name, { attempts: attempt, ok: false, error });
        throw error;
      }
    };
    const execute = async <M extends Record<string, (s: SubStepContext) => unknown>>(
      steps: M,
    ): Promise<{ [K in keyof M]: Awaited<ReturnType<M[K]>> }> => {
      const results: Record<string, unknown> = {};
      const waiting: RetryLater[] = [];
      for (const [name, fn] of Object.entries(steps)) {
        try {
          results[name] = await step(name, fn);
        } catch (error) {
          if (!(error instanceof RetryLater)) throw error;
          waiting.push(error);
        }
      }
      if (waiting.length) {
        const delayMs = Math.min(...waiting.map((e) => e.delayMs));
        throw new RetryLater(`${waiting.length} sub-step(s) waiting`, { delayMs });
      }
      return results as { [K in keyof M]: Awaited<ReturnType<M[K]>> };
    };
    return { ...this.baseContext(), step, execute };
  }
}
