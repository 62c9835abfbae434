import { type AnyAtomDefinition, AtomRegistry } from '@atomflow/engine';

import { approval } from './builtins/approval.js';
import { delay } from './builtins/delay.js';
import { httpRequest } from './builtins/http-request.js';
import { log } from './builtins/log.js';
import { subflow } from './builtins/subflow.js';
import { testEcho } from './builtins/test-echo.js';
import { testFail } from './builtins/test-fail.js';
import { testSleep } from './builtins/test-sleep.js';
import { testSteps } from './builtins/test-steps.js';
import { transform } from './builtins/transform.js';

/** Every atom type atomflow ships, in palette order. */
export const builtinAtoms: readonly AnyAtomDefinition[] = [
  httpRequest,
  delay,
  approval,
  log,
  transform,
  subflow,
  testEcho,
  testFail,
  testSleep,
  testSteps,
];

/** A registry with the built-in atoms plus `extra` (a type+version already present is an error). */
export function createRegistry(extra: readonly AnyAtomDefinition[] = []): AtomRegistry {
  return new AtomRegistry([...builtinAtoms, ...extra]);
}
