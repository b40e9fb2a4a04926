/**
 * The scheduler's view of the fleet: one ClusterSnapshot per Cluster object, rebuilt only when
 * the object changes (the scheduler's estimator caches by object identity), with a
 * summaryGeneration that counts resourceSummary refreshes so the reservation ledger knows when a
 * cluster's summary has caught up with what was just placed there. Each change is classified:
 * 'topology' (what filters and affinities read), 'capacity' (free resources moved enough to
 * matter) or 'none'.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Cluster } from '../../api/index.js';
import type { ClusterSnapshot, ReservationLedger } from '../../scheduler/index.js';
import { resourceListToMilli } from '../../util/quantity.js';

export type ClusterChange = 'none' | 'capacity' | 'topology';

/** A capacity change below this share of allocatable is noise (pods starting and stopping). */
const MATERIAL_SHARE = 0.05;
const CAPACITY_RESOURCES = ['cpu', 'memory', 'pods'] as const;

const conditionStatus = (c: Cluster, type: string) => c.status?.conditions?.find((x) => x.type === type)?.status;

export function toSnapshot(c: Cluster, summaryGeneration: number): ClusterSnapshot {
  const s = c.status?.resourceSummary;
  return {
    name: c.metadata.name ?? '',
    labels: c.metadata.labels ?? {},
    provider: c.spec.provider,
    region: c.spec.region,
    zone: c.spec.zone,
    zones: c.spec.zones,
    taints: (c.spec.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect, timeAdded: t.timeAdded ?? undefined })),
    ready: conditionStatus(c, 'Ready') === 'True',
    apiEnablements: c.status?.apiEnablements,
    completeAPIEnablements: conditionStatus(c, 'CompleteAPIEnablements') !== 'False',
    resourceSummary: s ? { allocatable: s.allocatable, allocated: s.allocated, allocating: s.allocating } : undefined,
    summaryGeneration,
    deleting: !!c.metadata.deletionTimestamp,
  };
}

/** Everything but capacity: a change here can change which clusters a binding may use. */
function topologyOf(s: ClusterSnapshot): unknown {
  return [s.labels, s.provider, s.region, s.zone, s.zones, s.taints, s.ready, s.apiEnablements, s.completeAPIEnablements, s.deleting];
}

function freeOf(s: ClusterSnapshot['resourceSummary']): { free: Record<string, bigint>; total: Record<string, bigint> } {
  const total = resourceListToMilli(s?.allocatable as Record<string, string> | undefined);
  const used = [resourceListToMilli(s?.allocated as Record<string, string> | undefined), resourceListToMilli(s?.allocating as Record<string, string> | undefined)];
  const free: Record<string, bigint> = {};
  for (const r of CAPACITY_RESOURCES) free[r] = (total[r] ?? 0n) - (used[0]![r] ?? 0n) - (used[1]![r] ?? 0n);
  return { free, total };
}

/** Whether free cpu, memory or pods moved by more than MATERIAL_SHARE of allocatable, or crossed zero. */
export function capacityMoved(a: ClusterSnapshot['resourceSummary'], b: ClusterSnapshot['resourceSummary']): boolean {
  const x = freeOf(a);
  const y = freeOf(b);
  for (const r of CAPACITY_RESOURCES) {
    const before = x.free[r]!;
    const after = y.free[r]!;
    if (before <= 0n !== after <= 0n) return true;
    const total = y.total[r] ?? x.total[r] ?? 0n;
    const delta = after > before ? after - before : before - after;
    if (Number(delta) > MATERIAL_SHARE * Number(total)) return true;
  }
  return false;
}

export class FleetSnapshot {
  readonly #clusters = new Map<string, { rv: string | undefined; snap: ClusterSnapshot }>();
  #list: ClusterSnapshot[] | undefined;

  constructor(readonly ledger?: ReservationLedger) {}

  /** Records the cluster's current state and says how much changed. */
  update(c: Cluster): ClusterChange {
    const name = c.metadata.name ?? '';
    const prev = this.#clusters.get(name);
    if (prev && prev.rv === c.metadata.resourceVersion) return 'none';
    const summaryChanged = !prev || !isDeepStrictEqual(prev.snap.resourceSummary, toSnapshot(c, 0).resourceSummary);
    const gen = (prev?.snap.summaryGeneration ?? 0) + (summaryChanged ? 1 : 0);
    const snap = toSnapshot(c, gen);
    this.#clusters.set(name, { rv: c.metadata.resourceVersion, snap });
    this.#list = undefined;
    if (summaryChanged && prev) this.ledger?.observe(name, gen, snap.resourceSummary);
    if (!prev || !isDeepStrictEqual(topologyOf(prev.snap), topologyOf(snap))) return 'topology';
    if (summaryChanged && capacityMoved(prev.snap.resourceSummary, snap.resourceSummary)) return 'capacity';
    // Keep the old object when nothing the scheduler reads changed, so estimator caches stay warm.
    if (!summaryChanged) this.#clusters.set(name, { rv: c.metadata.resourceVersion, snap: prev.snap });
    return 'none';
  }

  remove(name: string): void {
    this.#clusters.delete(name);
    this.#list = undefined;
  }

  get(name: string): ClusterSnapshot | undefined {
    return this.#clusters.get(name)?.snap;
  }

  /** All clusters, by name; the same array until something changes. */
  list(): readonly ClusterSnapshot[] {
    this.#list ??= [...this.#clusters.values()].map((e) => e.snap).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#list;
  }
}
