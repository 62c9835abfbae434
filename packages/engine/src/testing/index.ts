export { testRegistry, type Call } from './test-atoms.js';
export { echo, fail, flow, harness, type Harness } from './harness.js';
