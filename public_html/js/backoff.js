// Reconnect delays: exponential backoff with full jitter, so a daemon restart is not met by
// every client reconnecting in the same instant. Pure; `random` is injectable for tests.

export const kBackoffDefaults = Object.freeze({
  baseMs: 500,     // first retry comes quickly: most drops are a daemon restart
  factor: 2,
  maxMs: 15_000,   // never leave a user waiting more than this between attempts
  minMs: 100,      // no tight loop even when random() returns 0
});

// Delay before reconnect attempt `attempt` (0 for the first retry).
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { baseMs, factor, maxMs, minMs } = { ...kBackoffDefaults, ...options };
  const n = Math.max(0, Math.floor(Number(attempt) || 0));
  // Capping the exponent keeps factor ** n finite for absurd attempt counts.
  const ceiling = Math.min(maxMs, baseMs * factor ** Math.min(n, 32));
  return Math.max(minMs, Math.round(random() * ceiling));
}

// A counter of consecutive failures: next() gives the delay to wait, reset() after a success.
export class Backoff {
  constructor(options = {}, random = Math.random) {
    this.options_ = options;
    this.random_ = random;
    this.attempt_ = 0;
  }

  next() {
    return backoffDelay(this.attempt_++, this.options_, this.random_);
  }

  reset() {
    this.attempt_ = 0;
  }

  get attempts() {
    return this.attempt_;
  }
}
