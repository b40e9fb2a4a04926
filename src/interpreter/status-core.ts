/**
 * Status of Service, Ingress, Pod, PersistentVolumeClaim, PersistentVolume, PodDisruptionBudget
 * and HorizontalPodAutoscaler (Karmada reflectstatus.go / aggregatestatus.go).
 */
import { clone, getIn, isObject, listAt, num, objAt, str } from './object.js';
import type { AggregatedStatusItem, JsonObject } from './types.js';

const isLoadBalancer = (obj: JsonObject): boolean => getIn(obj, 'spec', 'type') === 'LoadBalancer';

/** Only a LoadBalancer Service has status worth reporting: its ingress points. */
export function reflectServiceStatus(obj: JsonObject): JsonObject | undefined {
  if (!isLoadBalancer(obj)) return undefined;
  const status = objAt(obj, 'status');
  if (!status) return undefined;
  return { loadBalancer: clone(objAt(status, 'loadBalancer') ?? {}) };
}

/**
 * Every cluster's load-balancer ingress points, in cluster order; an entry without a hostname is
 * given the cluster's name as hostname (Karmada) so readers can tell where each came from.
 */
function mergedIngress(items: readonly AggregatedStatusItem[]): JsonObject {
  const ingress: JsonObject[] = [];
  for (const it of items) {
    for (const e of listAt(it.status, 'loadBalancer', 'ingress')) {
      if (!isObject(e)) continue;
      const entry = clone(e);
      if (!str(entry['hostname'])) entry['hostname'] = it.clusterName;
      ingress.push(entry);
    }
  }
  return ingress.length ? { ingress } : {};
}

export function aggregateServiceStatus(template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  if (!isLoadBalancer(template)) return objAt(template, 'status');
  return { loadBalancer: mergedIngress(items) };
}

export function aggregateIngressStatus(_template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  return { loadBalancer: mergedIngress(items) };
}

/**
 * Pod: the worst phase wins (Failed, Pending, Running, Succeeded); a cluster that has not reported
 * counts as Pending. Container statuses are listed with ready and state only (names and IDs are
 * per cluster).
 */
export function aggregatePodStatus(template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  if (!items.length) return objAt(template, 'status');
  const phases = new Set<string>();
  const containerStatuses: JsonObject[] = [];
  for (const it of items) {
    if (!it.status) {
      phases.add('Pending');
      continue;
    }
    const phase = str(it.status['phase']);
    if (phase) phases.add(phase);
    for (const cs of listAt(it.status, 'containerStatuses')) {
      if (!isObject(cs)) continue;
      const entry: JsonObject = { ready: cs['ready'] === true };
      if (isObject(cs['state'])) entry['state'] = clone(cs['state']);
      containerStatuses.push(entry);
    }
  }
  const out: JsonObject = {};
  if (containerStatuses.length) out['containerStatuses'] = containerStatuses;
  // Unknown is deprecated and never chosen (karmada#2137).
  const phase = ['Failed', 'Pending', 'Running', 'Succeeded'].find((p) => phases.has(p));
  if (phase) out['phase'] = phase;
  return out;
}

/**
 * PVC: Bound only when every cluster's claim is bound; Lost anywhere wins; otherwise the phase of
 * the (last) unbound claim. Karmada reports Bound when nothing has reported yet; we report
 * Pending, since nothing is bound.
 */
export function aggregatePersistentVolumeClaimStatus(_template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  const statuses = items.map((i) => i.status).filter((s): s is JsonObject => !!s);
  if (!statuses.length) return { phase: 'Pending' };
  let phase = 'Bound';
  for (const s of statuses) {
    const p = str(s['phase']);
    if (p === 'Lost') return { phase: 'Lost' };
    if (p && p !== 'Bound') phase = p;
  }
  return { phase };
}

/** PV: the first phase present in Failed, Pending, Available, Bound, Released; unreported counts as Pending. */
export function aggregatePersistentVolumeStatus(template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  if (!items.length) return objAt(template, 'status');
  const phases = new Set(items.map((i) => (i.status ? str(i.status['phase']) : 'Pending')));
  const phase = ['Failed', 'Pending', 'Available', 'Bound', 'Released'].find((p) => phases.has(p));
  return phase ? { phase } : {};
}

const PDB_COUNTERS = ['currentHealthy', 'desiredHealthy', 'expectedPods', 'disruptionsAllowed'] as const;

export function reflectPodDisruptionBudgetStatus(obj: JsonObject): JsonObject | undefined {
  const status = objAt(obj, 'status');
  if (!status) return undefined;
  const out: JsonObject = {};
  for (const f of [...PDB_COUNTERS, 'disruptedPods']) if (status[f] !== undefined) out[f] = clone(status[f]);
  return out;
}

/** PDB: counters summed; disrupted pods keyed "cluster/pod" so names from different clusters don't collide. */
export function aggregatePodDisruptionBudgetStatus(_template: JsonObject, items: readonly AggregatedStatusItem[]): JsonObject | undefined {
  const out: JsonObject = {};
  for (const f of PDB_COUNTERS) out[f] = items.reduce((n, i) => n + (num(i.status?.[f]) ?? 0), 0);
  const disrupted: JsonObject = {};
  for (const it of items) {
    const pods = objAt(it.status, 'disruptedPods');
    if (pods) for (const [pod, t] of Object.entries(pods)) disrupted[`${it.clusterName}/${pod}`] = t;
  }
  if (Object.keys(disrupted).length) out['disruptedPods'] = disrupted;
  return out;
}

/** HPA: only the replica counts (the rest is per-cluster metric detail). */
export function reflectHorizontalPodAutoscalerStatus(obj: JsonObject): JsonObject | undefined {
  const status = objAt(obj, 'status');
  if (!status) return undefined;
  const out: JsonObject = {};
  for (const f of ['currentReplicas', 'desiredReplicas']) if (status[f] !== undefined) out[f] = status[f];
  return out;
}
