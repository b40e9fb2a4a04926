import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store, StoreEvent, Watch } from './store.js';
import { StoreError } from './store.js';

export type OpenStore = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

export interface ConformanceOptions {
  /** Writes issued at once by the concurrency tests (default 200). */
  concurrency?: number;
  /** Per-test timeout (default 30 s). */
  timeoutMs?: number;
  /**
   * Whether writes issued concurrently from one process are applied in the order they were
   * issued (default true: the in-process backends guarantee it; a networked one may not).
   */
  issueOrder?: boolean;
}

/** What each group of conformance tests gets: `test` opens a fresh store for every test. */
export interface Suite {
  test(title: string, fn: (store: Store) => Promise<void>): void;
  concurrency: number;
  issueOrder: boolean;
}

export function makeSuite(open: OpenStore, opts: ConformanceOptions = {}): Suite {
  return {
    concurrency: opts.concurrency ?? 200,
    issueOrder: opts.issueOrder ?? true,
    test(title, fn) {
      it(title, { timeout: opts.timeoutMs ?? 30_000 }, async () => {
        const { store, cleanup } = await open();
        try {
          await fn(store);
        } finally {
          await cleanup();
        }
      });
    },
  };
}

/** Asserts that p rejects with a StoreError of the given code. */
export async function rejectsWith(p: Promise<unknown>, code: StoreError['code']): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected StoreError(${code}), got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

/** Asserts that fn throws (synchronously) or returns a rejecting promise with a StoreError of code. */
export async function failsWith(fn: () => unknown, code: StoreError['code']): Promise<void> {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected StoreError(${code}), got ${String(err)}`);
    assert.equal(err.code, code);
    return;
  }
  await rejectsWith(Promise.resolve(result), code);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Records what a watch delivers; waitFor polls because delivery timing is the backend's business. */
export class Collector {
  readonly events: StoreEvent[] = [];
  readonly batches: StoreEvent[][] = [];
  readonly errors: Error[] = [];
  watch!: Watch;

  static start(store: Store, prefix: string, afterRevision: number): Collector {
    const c = new Collector();
    c.watch = store.watch(prefix, {
      afterRevision,
      onEvents: (events) => {
        c.batches.push(events);
        c.events.push(...events);
      },
      onError: (err) => c.errors.push(err),
    });
    return c;
  }

  async waitFor(n: number, timeoutMs = 10_000): Promise<StoreEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n) {
      if (this.errors.length > 0) throw new Error(`watch failed: ${this.errors[0]!.message}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} events; have ${this.events.length}`);
      await sleep(2);
    }
    return this.events;
  }

  async waitError(timeoutMs = 10_000): Promise<Error> {
    const deadline = Date.now() + timeoutMs;
    while (this.errors.length === 0) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a watch error');
      await sleep(2);
    }
    return this.errors[0]!;
  }

  revisions(): number[] {
    return this.events.map((e) => e.kv.modRevision);
  }
}

/** Plain copies, so deepEqual compares data and not object identity or frozenness. */
export function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** a, a+1, ..., b */
export function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
}

/** A small deterministic PRNG (mulberry32), so randomized tests replay exactly. */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
