/**
 * Environment the atoms read. Read at call time, never cached at import: tests (and the
 * conformance runner) point ATOMFLOW_TEST_CALLS at a different file for each case.
 */

/** The file test atoms append their call log to, or undefined when logging is off. */
export function testCallsFile(): string | undefined {
  const file = process.env['ATOMFLOW_TEST_CALLS'];
  return file ? file : undefined;
}
