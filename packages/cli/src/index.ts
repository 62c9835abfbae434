export { main } from './main.js';
export { processIO, type CliIO } from './io.js';
export { traceLine } from './trace.js';
