/**
 * Time as a dependency. Everything that waits (work queue delays, rate limiters, simulated
 * kubelets, leases) takes a Clock, so tests drive time with FakeClock instead of sleeping.
 */

declare const timerBrand: unique symbol;

/** Opaque handle returned by {@link Clock.setTimeout}; only meaningful to the clock that made it. */
export type TimerHandle = { readonly [timerBrand]: true };

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since the epoch (a FakeClock starts wherever it was told to). */
  now(): number;
  /** Calls fn once, ms milliseconds from now (negative or NaN means 0). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a no-op for timers that already fired or were cleared. */
  clearTimeout(handle: TimerHandle): void;
  /**
   * Resolves after ms milliseconds. When signal aborts first (or is already aborted), the timer
   * is cleared and the promise rejects with `signal.reason`.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// Node fires timers longer than 2^31-1 ms after 1 ms; clamp instead.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const delayOf = (ms: number): number => (ms > 0 ? ms : 0);

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock, backed by the global timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) =>
    globalThis.setTimeout(fn, Math.min(delayOf(ms), MAX_TIMEOUT_MS)) as unknown as TimerHandle,
  clearTimeout: (handle) => globalThis.clearTimeout(handle as unknown as NodeJS.Timeout),
  sleep(ms, signal) {
    return sleepOn(realClock, ms, signal);
  },
};

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

// A callback that keeps scheduling zero-delay timers would otherwise spin forever in step().
const MAX_FIRINGS_PER_STEP = 100_000;

/**
 * A clock that moves only when told to. Timers fire synchronously inside {@link step} /
 * {@link setTime}, in (due time, creation) order, with `now()` equal to each timer's due time
 * while its callback runs. Timers that fired callbacks schedule at or before the target time
 * fire in the same call. Promise continuations do not run in between; use {@link stepAsync}
 * (or `await flush()` after stepping) when async code reacts to timers.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  /** Sorted by (at, seq). */
  #timers: FakeTimer[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { at: this.#now + delayOf(ms), seq: this.#seq++, fn };
    this.#timers.splice(this.#indexAfter(timer), 0, timer);
    return timer as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.#timers.indexOf(handle as unknown as FakeTimer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Moves time forward by ms, firing every timer due by then. */
  step(ms: number): void {
    this.setTime(this.#now + delayOf(ms));
  }

  /**
   * Moves time to t (which must not be in the past), firing every timer due by then. If
   * callbacks throw, all due timers still fire and the first error is rethrown at the end.
   */
  setTime(t: number): void {
    if (!(t >= this.#now)) throw new RangeError(`FakeClock cannot move back from ${this.#now} to ${t}`);
    let failure: { error: unknown } | undefined;
    for (let fired = 0; ; fired++) {
      const next = this.#timers[0];
      if (next === undefined || next.at > t) break;
      if (fired >= MAX_FIRINGS_PER_STEP) {
        throw new Error(`FakeClock fired ${fired} timers in one step; a callback keeps rescheduling itself`);
      }
      this.#timers.shift();
      this.#now = next.at;
      try {
        next.fn();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.#now = t;
    if (failure) throw failure.error;
  }

  /**
   * Like {@link step}, but lets promise continuations run (see {@link flush}) before the first
   * timer and after each due instant, so async chains that schedule further timers inside the
   * window (a loop around `sleep`) also fire.
   */
  async stepAsync(ms: number): Promise<void> {
    const target = this.#now + delayOf(ms);
    await flush();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > target) break;
      this.setTime(next.at);
      await flush();
    }
    this.setTime(target);
  }

  /** How many timers are scheduled and not yet fired or cleared. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  #indexAfter(timer: FakeTimer): number {
    // Binary search for the first timer due strictly later (seq only grows, so ties go last).
    let lo = 0;
    let hi = this.#timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#timers[mid]!.at <= timer.at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Resolves after every promise continuation already queued (and those they queue) has run:
 * one macrotask turn, no real waiting. Use after stepping a FakeClock.
 */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
