/** Exhaustiveness guard for `switch` statements over closed unions. */
export function assertNever(what: string, value: never): never {
  throw new Error(`${what}: ${JSON.stringify(value)}`);
}
