/**
 * The work queue controllers pull keys from, with client-go's guarantees
 * (util/workqueue/queue.go, delaying_queue.go, rate_limiting_queue.go):
 *
 * - a key waits in the queue at most once: adding a queued ("dirty") key is a no-op;
 * - a key is handed to one worker at a time: adding a key that is being processed only marks
 *   it dirty, and done(key) puts it back in the queue;
 * - keys come out in the order they were first added (FIFO).
 */

import { realClock, type Clock, type TimerHandle } from '../util/clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './ratelimit.js';

/**
 * What a queue can hold. Keys are compared by value (Map/Set semantics), so they are strings
 * ("namespace/name", "cluster/namespace/name") or numbers, never objects.
 */
export type WorkKey = string | number;

/** Hooks a queue reports to (see ./metrics.ts). */
export interface QueueMetrics {
  /** Called with the number of queued keys whenever it changes. */
  depth(n: number): void;
  /** Called for every addRateLimited. */
  retry(): void;
}

export interface WorkQueueOptions<K> {
  /** Drives addAfter and the default rate limiter. Default: realClock. */
  clock?: Clock;
  /** Default: defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter<K>;
  metrics?: QueueMetrics;
}

/** A FIFO over an array with a moving head, so taking from the front is O(1). */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) this.clear();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

interface Waiter {
  ready(): boolean;
  resolve(): void;
}

/** A de-duplicating, delaying, rate-limited work queue (see the module comment). */
export class WorkQueue<K extends WorkKey = string> {
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<K>;
  readonly #metrics: QueueMetrics | undefined;
  readonly #queue = new Fifo<K>();
  /** Keys that need processing: queued, or re-added while being processed. */
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  /** Keys scheduled by addAfter, with when they are due. */
  readonly #delayed = new Map<K, { at: number; timer: TimerHandle }>();
  #getters: ((key: K | undefined) => void)[] = [];
  #waiters: Waiter[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.#clock);
    this.#metrics = options.metrics;
  }

  /** Queues key unless it is already queued; a key being processed is re-queued on done(). Ignored after shutdown. */
  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#dispatch();
  }

  /**
   * Resolves with the next key, which is then being processed until done(key) is called.
   * Resolves undefined once the queue is shut down (after shutDownWithDrain: once nothing is
   * left queued). Waiting callers are served in order.
   */
  get(): Promise<K | undefined> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks key as no longer being processed; if it was added meanwhile, it is queued again. */
  done(key: K): void {
    if (!this.#processing.delete(key)) return;
    if (this.#dirty.has(key)) {
      this.#queue.push(key);
      this.#dispatch();
    }
    this.#notify();
  }

  /** Clears key's retry history in the rate limiter (call after it succeeded or was given up on). */
  forget(key: K): void {
    this.#limiter.forget(key);
  }

  /** Adds key after the delay the rate limiter gives it, counting a retry. */
  addRateLimited(key: K): void {
    if (this.#shuttingDown) return;
    this.#metrics?.retry();
    this.addAfter(key, this.#limiter.when(key));
  }

  /**
   * Adds key after ms milliseconds (at once when ms <= 0). While key waits, a later addAfter
   * for it is ignored and an earlier one replaces it: the earliest time wins. Waiting does not
   * stop add(key) from queueing it now as well.
   */
  addAfter(key: K, ms: number): void {
    if (this.#shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + ms;
    const pending = this.#delayed.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      this.#clock.clearTimeout(pending.timer);
    }
    const timer = this.#clock.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
      this.#notify();
    }, ms);
    this.#delayed.set(key, { at, timer });
  }

  /** How many times key has been rate-limited since it was last forgotten. */
  numRequeues(key: K): number {
    return this.#limiter.numRequeues(key);
  }

  /** How many keys are queued (not counting keys being processed or waiting on addAfter). */
  len(): number {
    return this.#queue.length;
  }

  /** True once shutDown or shutDownWithDrain was called. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Stops at once: queued and delayed keys are dropped, adds are ignored, and get() resolves
   * undefined from now on. Keys being processed stay so until done(). Level-based controllers
   * lose nothing: a restart lists everything again.
   */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#queue.clear();
    this.#dirty.clear();
    this.#cancelDelayed();
    this.#releaseGetters();
    this.#metrics?.depth(0);
    this.#notify();
  }

  /**
   * Stops gracefully: adds (and delayed keys) are dropped, but keys already queued, or re-added
   * while being processed before this call, are still handed out. Resolves once none is queued
   * or being processed; get() resolves undefined from then on.
   */
  shutDownWithDrain(): Promise<void> {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      this.#cancelDelayed();
      // Getters only wait while nothing is queued; keys that become dirty again go to the
      // worker that calls done() for them, so idle getters can leave now.
      this.#releaseGetters();
    }
    return this.#until(() => this.#queue.length === 0 && this.#processing.size === 0);
  }

  /**
   * Resolves at the first moment when no key is queued, none is being processed, and no
   * addAfter / addRateLimited key is due within `withinMs` from now (default 0: keys waiting
   * for a future time do not count, which suits a FakeClock that only moves when stepped).
   * Events the queue has not been told about yet (informer callbacks in flight) are unknown to it.
   */
  idle(withinMs = 0): Promise<void> {
    return this.#until(() => {
      if (this.#queue.length > 0 || this.#processing.size > 0) return false;
      const horizon = this.#clock.now() + withinMs;
      for (const { at } of this.#delayed.values()) if (at <= horizon) return false;
      return true;
    });
  }

  #take(): K {
    const key = this.#queue.shift() as K;
    this.#dirty.delete(key);
    this.#processing.add(key);
    this.#metrics?.depth(this.#queue.length);
    return key;
  }

  /** Hands queued keys to waiting getters; reports the depth that is left. */
  #dispatch(): void {
    while (this.#getters.length > 0 && this.#queue.length > 0) this.#getters.shift()!(this.#take());
    this.#metrics?.depth(this.#queue.length);
  }

  #releaseGetters(): void {
    const getters = this.#getters;
    this.#getters = [];
    for (const resolve of getters) resolve(undefined);
  }

  #cancelDelayed(): void {
    for (const { timer } of this.#delayed.values()) this.#clock.clearTimeout(timer);
    this.#delayed.clear();
  }

  #until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  #notify(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.ready()) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}
