/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one email within `windowMs`,
 * further attempts for it are refused until the window has passed. In memory, per process: a
 * guesser spreading over several server processes gets a few more tries, not unlimited ones.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `email` may try again, or 0. */
  retryAfterMs(email: string): number {
    const recent = this.recent(email.toLowerCase());
    if (recent.length < this.maxFailures) return 0;
    return Math.max(0, recent[0]! + this.windowMs - this.now());
  }

  fail(email: string): void {
    const key = email.toLowerCase();
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.set(key, recent.slice(-this.maxFailures));
    // bounded: forget the oldest emails first
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }
}
