/**
 * Rate limiters decide how long a key waits before it is retried (client-go's
 * util/workqueue/default_rate_limiters.go).
 */

import { realClock, type Clock } from '../util/clock.js';

/** Decides retry delays per key. */
export interface RateLimiter<K> {
  /** Records one more retry of key and returns how long (ms) it should wait. */
  when(key: K): number;
  /** Stops tracking key (it succeeded, or was given up on). */
  forget(key: K): void;
  /** How many retries of key have been recorded since it was last forgotten. */
  numRequeues(key: K): number;
}

/** Per-key backoff: base·2^failures ms, capped at max (defaults 5 ms and 1000 s). */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  readonly #failures = new Map<K, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseDelayMs = 5, maxDelayMs = 1_000_000) {
    this.#baseMs = baseDelayMs;
    this.#maxMs = maxDelayMs;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = this.#baseMs * 2 ** failures;
    return Number.isFinite(delay) && delay < this.#maxMs ? delay : this.#maxMs;
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * An overall token bucket shared by all keys: bursts of `burst` retries pass at once, then
 * retries are spaced at `qps` per second. Each call reserves a token, so delays grow with
 * the number of callers waiting (like golang.org/x/time/rate's Reserve).
 */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError('BucketRateLimiter needs qps > 0 and burst >= 1');
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_key: K): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#qps) / 1000);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }
}

/** Waits as long as the strictest of its limiters says; every limiter sees every call. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.#limiters = limiters;
  }

  when(key: K): number {
    return this.#limiters.reduce((max, l) => Math.max(max, l.when(key)), 0);
  }

  forget(key: K): void {
    for (const l of this.#limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    return this.#limiters.reduce((max, l) => Math.max(max, l.numRequeues(key)), 0);
  }
}

/** client-go's default: per-key exponential 5 ms..1000 s, and 10 qps / burst 100 overall. */
export function defaultControllerRateLimiter<K>(clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialFailureRateLimiter<K>(5, 1_000_000),
    new BucketRateLimiter<K>(10, 100, clock),
  );
}
