/**
 * Reservation ledger: replicas the scheduler has just placed on a cluster but that the cluster's
 * resourceSummary does not show yet. Without it, a burst of decisions all read the same stale
 * summary and pile onto the roomiest cluster (Karmada kar#6518, #1385).
 *
 * A newer summary does not mean the new replicas are in it: between a decision and its pods
 * there are the Work, the apply to the member and the member's workload controllers, and the
 * member refreshes its summary on every pod change meanwhile. So reservations made from a
 * snapshot with a resource summary are retired by what the summary *shows*: per cluster, the
 * ledger keeps an anchor (the usage, allocated + allocating, the reservations were decided
 * against) and charges
 *
 *     held = max(0, reserved since the anchor − (usage now − anchor))      per resource and pods
 *
 * and, as usage grows, retires reservations oldest first while the growth covers them (moving the
 * anchor up by what it retires, which leaves `held` unchanged). Usage growth from pods the
 * scheduler did not place (or replicas finishing elsewhere) is indistinguishable from ours: the
 * first makes the ledger give capacity back early by that amount, the second keeps it holding
 * until the TTL — the safe direction.
 *
 * Reservations made without a summary (tests, or a cluster that reports none) fall back to the
 * summary generation: they retire once a summary `generationLag` generations newer than the one
 * the decision read is observed. Every reservation also goes when the binding is rescheduled to
 * fewer replicas there or released, or after `ttlMs` (a lost update must not block capacity
 * forever).
 *
 * Pure data: time comes from the injected `now`; nothing runs in the background.
 */
import { usageOf, type Held } from './estimator.js';
import { parseRequest } from './request.js';
import type { BindingInput, ClusterSnapshot, Decision, ReplicaRequirements, ResourceSummary } from './types.js';

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
  /** Retired by usage growth against the bucket's anchor (see above), not by generation. */
  readonly anchored: boolean;
  readonly createdAt: number;
}

interface Bucket {
  entries: Reservation[];
  /** Usage the anchored entries are counted from (per resource in estimator units, and pods). */
  anchor?: { pods: number; units: Map<string, number> };
  /** What the anchored entries add up to, kept as entries come and go (held() runs per decision). */
  anchored: { pods: number; units: Map<string, number> };
  /** How many entries are generation-tracked (those are summed per call). */
  legacy: number;
  /** Totals cached until the bucket changes, an entry expires, or another snapshot is asked for. */
  cached?: { held: Held; generation: number | undefined; summary: ResourceSummary | undefined; validUntil: number };
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

  /**
   * Hold `replicas` of `uid` on `cluster` until the summary catches up. With `summary` (the one
   * the decision read) the reservation is retired by usage growth; otherwise by `generation`.
   */
  reserve(cluster: string, uid: string, replicas: number, requirements?: ReplicaRequirements | null, opts: { generation?: number; summary?: ResourceSummary } = {}): void {
    if (!(replicas > 0)) return;
    const b = this.#bucket(cluster);
    const anchored = opts.summary !== undefined;
    if (opts.summary) {
      const used = usageOf(opts.summary);
      // The lowest usage any live decision was made against: counting from it never undercounts.
      if (!b.anchor) b.anchor = { pods: used.pods, units: new Map(used.units) };
      else {
        b.anchor.pods = Math.min(b.anchor.pods, used.pods);
        for (const [r, u] of used.units) b.anchor.units.set(r, Math.min(b.anchor.units.get(r) ?? u, u));
        for (const r of b.anchor.units.keys()) if (!used.units.has(r)) b.anchor.units.set(r, 0);
      }
    }
    const e: Reservation = { cluster, uid, replicas, units: parseRequest(requirements).units, generation: opts.generation, anchored, createdAt: this.#now() };
    b.entries.push(e);
    if (anchored) addTo(b.anchored, e);
    else b.legacy++;
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

  /**
   * The cluster reported a summary of this generation: retire what it now shows — generation-
   * tracked entries by generation, anchored ones oldest first while usage growth covers them.
   */
  observe(cluster: string, summaryGeneration: number, summary?: ResourceSummary): void {
    const b = this.#buckets.get(cluster);
    if (!b) return;
    b.entries = b.entries.filter((e) => e.anchored || !this.#visible(e, summaryGeneration));
    if (summary && b.anchor) {
      const used = usageOf(summary);
      const anchor = b.anchor;
      const growth = (r: string) => (used.units.get(r) ?? 0) - (anchor.units.get(r) ?? 0);
      const retired = new Set<Reservation>();
      for (const e of b.entries) {
        if (!e.anchored) continue;
        if (used.pods - anchor.pods < e.replicas || [...e.units].some(([r, u]) => growth(r) < u * e.replicas)) break;
        anchor.pods += e.replicas;
        for (const [r, u] of e.units) anchor.units.set(r, (anchor.units.get(r) ?? 0) + u * e.replicas);
        retired.add(e);
      }
      if (retired.size) b.entries = b.entries.filter((e) => !retired.has(e));
    }
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
    const snapshots = new Map(clusters.map((c) => [c.name, c]));
    for (const [name, n] of after) {
      const delta = n - (before.get(name) ?? 0);
      const s = snapshots.get(name);
      if (delta > 0) this.reserve(name, binding.uid, delta, binding.replicaRequirements, { generation: s?.summaryGeneration, summary: s?.resourceSummary });
      else if (delta < 0) this.#shrink(name, binding.uid, -delta);
    }
    for (const name of before.keys()) if (!after.has(name)) this.release(binding.uid, name);
  }

  /**
   * What is held on `cluster` against a snapshot of `summaryGeneration` showing `summary`:
   * generation-tracked entries that snapshot does not reflect yet, plus anchored entries beyond
   * the usage growth `summary` shows. Does not change what later calls see, except forgetting
   * expired entries.
   */
  held(cluster: string, summaryGeneration?: number, summary?: ResourceSummary): Held {
    const b = this.#buckets.get(cluster);
    if (!b) return EMPTY;
    const now = this.#now();
    const c = b.cached;
    if (c && c.generation === summaryGeneration && c.summary === summary && now < c.validUntil) return c.held;
    // Entries are kept in the order they were made, so the oldest is the first to expire.
    if (b.entries.length && now >= b.entries[0]!.createdAt + this.#ttl) {
      b.entries = b.entries.filter((e) => now < e.createdAt + this.#ttl);
      this.#recount(b);
    }
    let pods = 0;
    const units = new Map<string, number>();
    const aPods = b.anchored.pods;
    const aUnits = b.anchored.units;
    const validUntil = b.entries.length ? b.entries[0]!.createdAt + this.#ttl : Infinity;
    if (b.legacy > 0) {
      for (const e of b.entries) {
        if (e.anchored || (summaryGeneration !== undefined && this.#visible(e, summaryGeneration))) continue;
        pods += e.replicas;
        for (const [name, u] of e.units) units.set(name, (units.get(name) ?? 0) + u * e.replicas);
      }
    }
    if (b.anchor && (aPods > 0 || aUnits.size)) {
      // Without a summary to compare, nothing anchored is known to be visible: hold it all.
      const used = summary ? usageOf(summary) : undefined;
      const growth = (now: number | undefined, at: number) => (now === undefined ? 0 : Math.max(0, now - at));
      pods += Math.max(0, aPods - growth(used?.pods, b.anchor.pods));
      for (const [name, total] of aUnits) {
        const h = Math.max(0, total - growth(used ? (used.units.get(name) ?? 0) : undefined, b.anchor.units.get(name) ?? 0));
        if (h > 0) units.set(name, (units.get(name) ?? 0) + h);
      }
    }
    const held: Held = { pods, units };
    b.cached = { held, generation: summaryGeneration, summary, validUntil };
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
    if (!b) this.#buckets.set(cluster, (b = { entries: [], anchored: { pods: 0, units: new Map() }, legacy: 0 }));
    return b;
  }

  #settle(cluster: string, b: Bucket): void {
    this.#recount(b);
    if (!b.entries.length) this.#buckets.delete(cluster);
  }

  /** Recomputes the bucket's totals after entries were removed or shrunk. */
  #recount(b: Bucket): void {
    b.cached = undefined;
    b.anchored = { pods: 0, units: new Map() };
    b.legacy = 0;
    for (const e of b.entries) {
      if (e.anchored) addTo(b.anchored, e);
      else b.legacy++;
    }
    if (b.anchored.pods === 0 && !b.entries.some((e) => e.anchored)) b.anchor = undefined;
  }
}

const EMPTY: Held = { pods: 0, units: new Map() };

function addTo(t: { pods: number; units: Map<string, number> }, e: Reservation): void {
  t.pods += e.replicas;
  for (const [name, u] of e.units) t.units.set(name, (t.units.get(name) ?? 0) + u * e.replicas);
}
