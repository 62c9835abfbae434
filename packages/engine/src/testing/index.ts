export { testRegistry, type Call } from './test-atoms.js';
