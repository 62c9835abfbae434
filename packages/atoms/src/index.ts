export { defineAtom, type AtomSpec } from './define-atom.js';
export { builtinAtoms, createRegistry } from './registry.js';

export { approval } from './builtins/approval.js';
export {
  ApprovalFieldSchema,
  ApprovalFormSchema,
  checkFormValue,
  type ApprovalField,
  type ApprovalForm,
} from './builtins/approval-form.js';
export { delay } from './builtins/delay.js';
export { HTTP_METHODS, httpRequest, type HttpResponse } from './builtins/http-request.js';
export {
  HttpBodyError,
  HttpConnectionError,
  HttpError,
  HttpNoBaseUrlError,
  HttpStatusError,
  HttpTimeoutError,
} from './builtins/http-errors.js';
export { LOG_LEVELS, log } from './builtins/log.js';
export { EchoError, testEcho } from './builtins/test-echo.js';
export { TestFailError, testFail } from './builtins/test-fail.js';
export { testSleep } from './builtins/test-sleep.js';
export { testSteps } from './builtins/test-steps.js';
export { SubflowNotExpandedError, subflow } from './builtins/subflow.js';
export { TRANSFORM_LIMITS, transform } from './builtins/transform.js';
export {
  TransformError,
  TransformInputError,
  TransformMemoryError,
  TransformResultError,
  TransformStackError,
  TransformSyntaxError,
  TransformThrewError,
  TransformTimeoutError,
} from './builtins/transform-errors.js';

// What atom authors need besides defineAtom, so they depend on this package only.
export { ApprovalRejected, AtomRegistry, AwaitApproval, CancelledError, RetryLater } from '@atomflow/engine';
export type { AnyAtomDefinition, AtomContext, AtomDefinition, RevertContext, SubStepContext } from '@atomflow/engine';
export type { AtomInputs, Failure } from '@atomflow/model';
