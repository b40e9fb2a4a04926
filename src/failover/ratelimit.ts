/**
 * The eviction token bucket (--eviction-rate, Karmada's --resource-eviction-rate): at most
 * `ratePerSecond` evictions per second across the fleet after a burst of `burst`, so a flapping
 * fleet cannot evict everything at once.
 *
 * Waiting keys hold reservations: reserve() always takes a token, going into debt, and says
 * how long the key must wait for its turn, so keys are served in order and each wakes once. A
 * key that turns out not to need eviction (the cluster came back) gives its token back with
 * cancel(). src/controller/ratelimit.ts's BucketRateLimiter reserves the same way but cannot
 * give a token back, which a retry never needs and an eviction does.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number | undefined;

  /** rate <= 0 (or not finite) means unlimited. */
  constructor(ratePerSecond: number, burst = Math.max(1, Math.ceil(ratePerSecond))) {
    this.#rate = Number.isFinite(ratePerSecond) ? ratePerSecond : 0;
    this.#burst = Math.max(1, burst);
    this.#tokens = this.#burst;
  }

  get unlimited(): boolean {
    return this.#rate <= 0;
  }

  #refill(now: number): void {
    if (this.#last !== undefined && now > this.#last) this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#rate) / 1000);
    if (this.#last === undefined || now > this.#last) this.#last = now;
  }

  /** Takes a token and returns 0, or takes none and returns how long (ms) until one is there. */
  tryTake(now: number): number {
    if (this.unlimited) return 0;
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate));
  }

  /** Takes a token, borrowing from the future if need be; returns how long (ms) to wait for it. */
  reserve(now: number): number {
    if (this.unlimited) return 0;
    this.#refill(now);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens * 1000) / this.#rate);
  }

  /** Gives back a reserved token that will not be used. */
  cancel(now: number): void {
    if (this.unlimited) return;
    this.#refill(now);
    this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }

  /** Tokens available now (for tests and metrics). */
  available(now: number): number {
    if (this.unlimited) return Infinity;
    this.#refill(now);
    return this.#tokens;
  }
}
