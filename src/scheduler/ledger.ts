/**
 * Reservation ledger: replicas the scheduler has just placed on a cluster but that the cluster's
 * resourceSummary does not show yet. Without it, a burst of decisions all read the same stale
 * summary and pile onto the roomiest cluster (Karmada kar#6518, #1385). Each decision's increase
 * per cluster is held here and charged against that cluster's availability until
 *  - a summary at least `generationLag` generations newer than the one the decision read is
 *    observed (the member has reported the new pods as allocated or allocating), or
 *  - the binding is rescheduled to fewer replicas there, or released, or
 *  - `ttlMs` passes (a lost update must not block capacity forever).
 *
 * Pure data: time comes from the injected `now`; nothing runs in the background.
 */
import type { Held } from './estimator.js';
import { parseRequest } from './request.js';
import type { BindingInput, ClusterSnapshot, Decision, ReplicaRequirements } from './types.js';

export interface LedgerOptions {
  /** Forget a reservation this long after it was made. Default 2 minutes. */
  readonly ttlMs?: number;
  /** Summary generations after the one a decision read before its replicas count as visible. Default 1. */
  readonly generationLag?: number;
  readonly now?: () => number;
}

export interface Reservation {
  readonly cluster: string;
  readonly uid: string;
  replicas: number;
  /** Per-replica request in estimator units. */
  readonly units: ReadonlyMap<string, number>;
  /** The summaryGeneration the deciding snapshot had; undefined: only TTL or release retire it. */
  readonly generation: number | undefined;
  readonly createdAt: number;
}

interface Bucket {
  entries: Reservation[];
  /** Totals cached until the bucket changes, an entry expires, or another generation is asked for. */
  cached?: { held: Held; generation: number | undefined; validUntil: number };
}

export class ReservationLedger {
  readonly #buckets = new Map<string, Bucket>();
  readonly #ttl: number;
  readonly #lag: number;
  readonly #now: () => number;

  constructor(opts: LedgerOptions = {}) {
    this.#ttl = opts.ttlMs ?? 120_000;
    this.#lag = opts.generationLag ?? 1;
    this.#now = opts.now ?? Date.now;
  }

  /** Hold `replicas` of `uid` on `cluster` until the summary catches up. */
  reserve(cluster: string, uid: string, replicas: number, requirements?: ReplicaRequirements | null, opts: { generation?: number } = {}): void {
    if (!(replicas > 0)) return;
    const b = this.#bucket(cluster);
    b.entries.push({ cluster, uid, replicas, units: parseRequest(requirements).units, generation: opts.generation, createdAt: this.#now() });
    b.cached = undefined;
  }

  /** Drop `uid`'s reservations, on one cluster or everywhere (binding deleted, write failed). */
  release(uid: string, cluster?: string): void {
    const names = cluster === undefined ? [...this.#buckets.keys()] : [cluster];
    for (const name of names) {
      const b = this.#buckets.get(name);
      if (!b) continue;
      b.entries = b.entries.filter((e) => e.uid !== uid);
      this.#settle(name, b);
    }
  }

  /** The cluster reported a summary of this generation: retire what it now includes. */
  observe(cluster: string, summaryGeneration: number): void {
    const b = this.#buckets.get(cluster);
    if (!b) return;
    b.entries = b.entries.filter((e) => !this.#visible(e, summaryGeneration));
    this.#settle(cluster, b);
  }

  /**
   * Record a persisted decision: reserve each cluster's increase over the binding's previous
   * result, and give back reservations where it shrank. Call after the write succeeded.
   */
  commit(binding: BindingInput, decision: Decision, clusters: readonly ClusterSnapshot[]): void {
    if (decision.error) return;
    const before = new Map((binding.currentClusters ?? []).map((c) => [c.name, c.replicas ?? 0]));
    const after = new Map(decision.clusters.map((c) => [c.name, c.replicas]));
    const generation = new Map(clusters.map((c) => [c.name, c.summaryGeneration]));
    for (const [name, n] of after) {
      const delta = n - (before.get(name) ?? 0);
      const gen = generation.get(name);
      if (delta > 0) this.reserve(name, binding.uid, delta, binding.replicaRequirements, gen === undefined ? {} : { generation: gen });
      else if (delta < 0) this.#shrink(name, binding.uid, -delta);
    }
    for (const name of before.keys()) if (!after.has(name)) this.release(binding.uid, name);
  }

  /**
   * What is held on `cluster`, ignoring entries a snapshot of `summaryGeneration` already
   * reflects. Does not change what later calls see, except forgetting expired entries.
   */
  held(cluster: string, summaryGeneration?: number): Held {
    const b = this.#buckets.get(cluster);
    if (!b) return EMPTY;
    const now = this.#now();
    const c = b.cached;
    if (c && c.generation === summaryGeneration && now < c.validUntil) return c.held;
    b.entries = b.entries.filter((e) => now < e.createdAt + this.#ttl);
    let pods = 0;
    const units = new Map<string, number>();
    let validUntil = Infinity;
    for (const e of b.entries) {
      if (summaryGeneration !== undefined && this.#visible(e, summaryGeneration)) continue;
      pods += e.replicas;
      for (const [name, u] of e.units) units.set(name, (units.get(name) ?? 0) + u * e.replicas);
      validUntil = Math.min(validUntil, e.createdAt + this.#ttl);
    }
    const held: Held = { pods, units };
    b.cached = { held, generation: summaryGeneration, validUntil };
    return held;
  }

  /** Live reservations (for explanations and debugging). */
  reservations(cluster?: string): Reservation[] {
    const now = this.#now();
    const all = cluster === undefined ? [...this.#buckets.values()] : [this.#buckets.get(cluster)].filter((b) => b !== undefined);
    return all.flatMap((b) => b.entries.filter((e) => now < e.createdAt + this.#ttl));
  }

  #visible(e: Reservation, summaryGeneration: number): boolean {
    return e.generation !== undefined && summaryGeneration >= e.generation + this.#lag;
  }

  #shrink(cluster: string, uid: string, by: number): void {
    const b = this.#buckets.get(cluster);
    if (!b) return;
    // Newest first: the oldest entries are the likeliest to be in the summary already.
    for (let i = b.entries.length - 1; i >= 0 && by > 0; i--) {
      const e = b.entries[i]!;
      if (e.uid !== uid) continue;
      const take = Math.min(by, e.replicas);
      e.replicas -= take;
      by -= take;
    }
    b.entries = b.entries.filter((e) => e.replicas > 0);
    this.#settle(cluster, b);
  }

  #bucket(cluster: string): Bucket {
    let b = this.#buckets.get(cluster);
    if (!b) this.#buckets.set(cluster, (b = { entries: [] }));
    return b;
  }

  #settle(cluster: string, b: Bucket): void {
    b.cached = undefined;
    if (!b.entries.length) this.#buckets.delete(cluster);
  }
}

const EMPTY: Held = { pods: 0, units: new Map() };
