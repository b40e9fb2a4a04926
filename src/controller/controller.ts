/**
 * Runs a reconciler over a work queue with N workers (controller-runtime's
 * internal/controller): get a key, reconcile it, then forget / requeue / back off by result.
 */

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { realClock, type Clock } from '../util/clock.js';
import { createLogger } from '../util/logger.js';
import { controllerMetrics, type ControllerMetrics, type ReconcileOutcome } from './metrics.js';
import { WorkQueue, type WorkKey } from './queue.js';
import type { RateLimiter } from './ratelimit.js';
import { isTerminalError, type Reconciler } from './reconcile.js';

export interface ControllerConfig<K extends WorkKey = string> {
  /** Names the controller in logs and metric labels; unique per process. */
  name: string;
  reconcile: Reconciler<K>;
  /** How many keys are reconciled at once (never the same key twice). Default 1. */
  workers?: number;
  /** Default realClock. */
  clock?: Clock;
  /** Retry delays after errors. Default defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter<K>;
  /** Parent logger. Default: a root logger from createLogger(). */
  logger?: Logger;
  /** Where metrics are registered. Default: prom-client's global registry. */
  metrics?: Registry;
}

let defaultLogger: Logger | undefined;

/**
 * A controller: keys go in with enqueue(); workers reconcile them one at a time per key.
 *
 * After a reconcile: success forgets the key's backoff; `{requeueAfter}` forgets it and
 * reconciles again after that delay; an error is logged once and retried with the rate
 * limiter's backoff; a TerminalError is logged and counted but not retried. Nothing a
 * reconcile throws or rejects with escapes the controller.
 */
export class Controller<K extends WorkKey = string> {
  readonly name: string;
  readonly #reconcile: Reconciler<K>;
  readonly #workers: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #metrics: ControllerMetrics;
  readonly #queue: WorkQueue<K>;
  /** Given to every reconcile; aborted by the start() signal. */
  readonly #abort = new AbortController();
  #running: Promise<void> | undefined;

  constructor(config: ControllerConfig<K>) {
    const workers = config.workers ?? 1;
    if (!config.name) throw new Error('controller needs a name');
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`controller ${config.name}: workers must be a positive integer`);
    this.name = config.name;
    this.#reconcile = config.reconcile;
    this.#workers = workers;
    this.#clock = config.clock ?? realClock;
    this.#log = (config.logger ?? (defaultLogger ??= createLogger())).child({ controller: config.name });
    this.#metrics = controllerMetrics(config.name, config.metrics);
    this.#queue = new WorkQueue<K>({
      clock: this.#clock,
      ...(config.rateLimiter ? { rateLimiter: config.rateLimiter } : {}),
      metrics: this.#metrics.queue,
    });
  }

  /** Asks for key to be reconciled; a no-op if it is already waiting, or after stop. */
  enqueue(key: K): void {
    this.#queue.add(key);
  }

  /**
   * Asks for key to be reconciled in ms milliseconds (at once when ms <= 0); while it waits,
   * further enqueueAfter calls for it are folded into the earliest. Lets a controller that hears
   * of several changes in a row (e.g. each of a binding's Works) write once for all of them.
   */
  enqueueAfter(key: K, ms: number): void {
    this.#queue.addAfter(key, ms);
  }

  /**
   * Starts the workers and returns. Keys enqueued before start wait for it. When signal
   * aborts, the controller stops at once: queued keys are dropped, running reconciles see
   * `ctx.signal` aborted; `stop()` then resolves when they have returned.
   */
  start(signal?: AbortSignal): void {
    if (this.#running) throw new Error(`controller ${this.name} already started`);
    const onAbort = (): void => this.#halt(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.#log.info({ workers: this.#workers }, 'Starting workers');
    const workers = Array.from({ length: this.#workers }, () => this.#worker());
    this.#running = Promise.all(workers).then(() => {
      signal?.removeEventListener('abort', onAbort);
      this.#log.info('Workers stopped');
    });
  }

  /**
   * Stops gracefully: new keys are refused, keys already queued are still reconciled, then
   * the workers exit. Resolves when they have (at once if never started). Idempotent; to stop
   * without draining, abort the start() signal.
   */
  stop(): Promise<void> {
    if (!this.#running) {
      this.#queue.shutDown();
      return Promise.resolve();
    }
    if (!this.#queue.shuttingDown) void this.#queue.shutDownWithDrain();
    return this.#running;
  }

  /**
   * Resolves at the first moment when no key is queued, no reconcile is running, and no
   * retry or requeueAfter is due within `withinMs` (default 0: keys waiting for a later time
   * do not count, so with a FakeClock, step it and call idle() again). Keys not yet enqueued,
   * such as events still in flight, are not known here. Never resolves while keys are
   * queued and the controller has not been started.
   */
  idle(withinMs = 0): Promise<void> {
    return this.#queue.idle(withinMs);
  }

  #halt(reason: unknown): void {
    this.#abort.abort(reason);
    this.#queue.shutDown();
  }

  async #worker(): Promise<void> {
    for (let key = await this.#queue.get(); key !== undefined; key = await this.#queue.get()) {
      try {
        await this.#reconcileOne(key);
      } catch (err) {
        // Only a failing logger or metric could land here; keep the worker alive regardless.
        this.#log.error({ err, key }, 'Controller failure');
      } finally {
        this.#queue.done(key);
      }
    }
  }

  async #reconcileOne(key: K): Promise<void> {
    const log = this.#log.child({ key, reconcileID: randomUUID() });
    const started = this.#clock.now();
    let outcome: ReconcileOutcome;
    try {
      const result = await this.#reconcile(key, { log, signal: this.#abort.signal });
      const after = result ? result.requeueAfter : undefined;
      this.#queue.forget(key);
      if (typeof after === 'number' && after > 0) {
        this.#queue.addAfter(key, after);
        outcome = 'requeue_after';
      } else {
        outcome = 'success';
      }
      log.debug({ requeueAfter: after }, 'Reconciled');
    } catch (err) {
      if (isTerminalError(err)) {
        this.#queue.forget(key);
        outcome = 'terminal';
        log.error({ err }, 'Reconciler error, not retrying (terminal)');
      } else {
        this.#queue.addRateLimited(key);
        outcome = 'error';
        if (this.#abort.signal.aborted) log.debug({ err }, 'Reconcile interrupted by shutdown');
        else log.error({ err, requeues: this.#queue.numRequeues(key) }, 'Reconciler error');
      }
    }
    this.#metrics.reconciled(outcome, (this.#clock.now() - started) / 1000);
  }
}
