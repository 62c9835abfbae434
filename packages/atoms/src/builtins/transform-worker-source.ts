/**
 * The code of a sandbox worker thread (CommonJS, run with `new Worker(source, { eval: true })` so
 * it needs no build step and works the same from sources and from dist). It loads QuickJS once
 * and evaluates one job at a time, each in a fresh QuickJS runtime + context with the job's
 * limits, and answers with the prelude's JSON string or a description of what failed. The main
 * thread interprets the answer (transform-sandbox.ts) and kills the worker when a job overruns.
 *
 * workerData: { core: path of quickjs-emscripten-core (CJS), variant: path of the wasm variant (CJS), prelude: string }
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const core = require(workerData.core);
const variantModule = require(workerData.variant);
const PRELUDE = workerData.prelude;
const modulePromise = core.newQuickJSWASMModuleFromVariant(variantModule.default || variantModule);

function describe(ctx, error, stage, timedOut) {
  let name = '';
  let message = '';
  try {
    const d = ctx.dump(error);
    if (d !== null && typeof d === 'object') {
      name = String(d.name);
      message = String(d.message);
    } else message = String(d);
  } catch (e) {
    message = 'unreadable error';
  }
  error.dispose();
  return { ok: false, stage, name, message, timedOut };
}

function run(mod, job) {
  const runtime = mod.newRuntime();
  let deadline = performance.now() + job.timeoutMs;
  let timedOut = false;
  runtime.setMemoryLimit(job.memoryLimitBytes);
  runtime.setMaxStackSize(job.stackLimitBytes);
  runtime.setInterruptHandler(() => {
    if (performance.now() > deadline) timedOut = true;
    return timedOut;
  });
  const ctx = runtime.newContext();
  try {
    const prelude = ctx.evalCode(PRELUDE, 'prelude', { type: 'global', strict: true });
    if (prelude.error) return describe(ctx, prelude.error, 'prelude', timedOut);
    const json = ctx.newString(job.inputJson);
    const made = ctx.callFunction(prelude.value, ctx.undefined, json);
    json.dispose();
    prelude.value.dispose();
    if (made.error) return describe(ctx, made.error, 'setup', timedOut);
    const finish = made.value;
    try {
      const evaluated = ctx.evalCode(job.source, 'expression', { type: 'global', strict: true });
      // Describing the outcome may run user getters: give it a short deadline of its own.
      if (!timedOut) deadline = Math.max(deadline, performance.now() + 50);
      const ok = evaluated.error === undefined;
      const handle = evaluated.error || evaluated.value;
      let result;
      try {
        result = ctx.callFunction(finish, ctx.undefined, ok ? ctx.true : ctx.false, handle);
      } finally {
        handle.dispose();
      }
      if (result.error) return describe(ctx, result.error, 'finish', timedOut);
      try {
        return { ok: true, finished: ctx.getString(result.value) };
      } finally {
        result.value.dispose();
      }
    } finally {
      finish.dispose();
    }
  } finally {
    ctx.dispose();
    runtime.dispose();
  }
}

parentPort.on('message', async (job) => {
  let answer;
  try {
    answer = run(await modulePromise, job);
  } catch (e) {
    // The wasm module itself failed (an abort): answer, then exit so a fresh worker replaces this one.
    parentPort.postMessage({ id: job.id, ok: false, stage: 'crash', name: 'Error', message: String(e && e.message), timedOut: false });
    process.exit(1);
  }
  parentPort.postMessage({ id: job.id, ...answer });
});
parentPort.postMessage({ ready: true });
`;
