/**
 * Reflection and aggregation for replicated workloads (Deployment, StatefulSet, ReplicaSet,
 * DaemonSet).
 *
 * Reflection keeps the counters and, like Karmada's Wrapped*Status, adds the member object's own
 * metadata.generation ("generation") and the resourcetemplate.karmada.io/generation annotation it
 * was applied with ("resourceTemplateGeneration"). Unlike Karmada it also keeps conditions
 * (Deployment, ReplicaSet, DaemonSet), StatefulSet's observedGeneration and revisions: those are
 * what `kubectl rollout status` / `kubectl wait` read on the control plane.
 *
 * Aggregation sums the counters. status.observedGeneration becomes the template's generation only
 * when every target cluster is up to date (memberUpToDate); otherwise the previous value stays, so
 * tools that compare observedGeneration with generation keep waiting while any cluster still runs
 * (or has not yet reported on) an older template.
 */
import { RESOURCE_TEMPLATE_GENERATION_ANNOTATION } from './constants.js';
import { dropCondition, findCondition, nextCondition, putConditions } from './conditions.js';
import { clone, generationOf, getIn, num, objAt, str, stringMap } from './object.js';
import type { AggregateOptions, AggregatedStatusItem, JsonObject } from './types.js';

/** Karmada's FederatedGeneration: the member's generation and the template generation it was built from. */
export function federatedGeneration(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  const gen = generationOf(obj);
  if (gen) out['generation'] = gen;
  const raw = stringMap(obj, 'annotations')[RESOURCE_TEMPLATE_GENERATION_ANNOTATION];
  // Karmada fails the reflection on a malformed value; treating it as "unknown" (0) is enough to
  // keep observedGeneration from advancing, without losing the rest of the status.
  const rtg = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
  if (rtg) out['resourceTemplateGeneration'] = rtg;
  return out;
}

function reflectFields(fields: readonly string[]) {
  return (obj: JsonObject): JsonObject | undefined => {
    const status = objAt(obj, 'status');
    if (!status) return undefined;
    const out = federatedGeneration(obj);
    for (const f of fields) if (status[f] !== undefined) out[f] = clone(status[f]);
    return out;
  };
}

const DEPLOYMENT_COUNTERS = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const;
const STATEFULSET_COUNTERS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'] as const;
const REPLICASET_COUNTERS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const;
const DAEMONSET_COUNTERS = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
] as const;

export const reflectDeploymentStatus = reflectFields([...DEPLOYMENT_COUNTERS, 'observedGeneration', 'conditions']);
export const reflectStatefulSetStatus = reflectFields([...STATEFULSET_COUNTERS, 'observedGeneration', 'currentRevision', 'updateRevision']);
export const reflectReplicaSetStatus = reflectFields([...REPLICASET_COUNTERS, 'observedGeneration', 'conditions']);
export const reflectDaemonSetStatus = reflectFields([...DAEMONSET_COUNTERS, 'observedGeneration', 'conditions']);

/**
 * A cluster counts as up to date when its last apply succeeded, it has reported a status, its
 * controller has observed its current spec (observedGeneration >= generation) and that spec came
 * from the template's current generation (resourceTemplateGeneration >= template generation).
 */
export function memberUpToDate(item: AggregatedStatusItem, templateGeneration: number): boolean {
  const s = item.status;
  if (item.applied !== true || !s) return false;
  const observed = num(s['observedGeneration']) ?? 0;
  const own = num(s['generation']) ?? 0;
  const fromTemplate = num(s['resourceTemplateGeneration']) ?? 0;
  return observed >= own && fromTemplate >= templateGeneration;
}

type Extra = (out: JsonObject, ctx: { template: JsonObject; prev: JsonObject; items: readonly AggregatedStatusItem[]; upToDate: boolean; now: Date }) => void;

function aggregateCounters(counters: readonly string[], extra?: Extra) {
  return (template: JsonObject, items: readonly AggregatedStatusItem[], opts?: AggregateOptions): JsonObject => {
    const prev = objAt(template, 'status') ?? {};
    const out = clone(prev);
    for (const c of counters) {
      let sum = 0;
      for (const it of items) sum += num(it.status?.[c]) ?? 0;
      out[c] = sum;
    }
    const gen = generationOf(template);
    const upToDate = items.every((it) => memberUpToDate(it, gen));
    if (upToDate && gen > 0) out['observedGeneration'] = gen;
    extra?.(out, { template, prev, items, upToDate, now: opts?.now ?? new Date() });
    return out;
  };
}

const names = (items: readonly AggregatedStatusItem[]): string => items.map((i) => i.clusterName).sort().join(', ');

/** A member Deployment has minimum availability (its own Available condition, else no unavailable pods). */
function deploymentAvailable(s: JsonObject | undefined): boolean {
  if (!s) return false;
  const c = findCondition(s, 'Available');
  if (c) return c.status === 'True';
  return (num(s['unavailableReplicas']) ?? 0) === 0;
}

function deploymentProgressFailed(s: JsonObject | undefined): boolean {
  const c = findCondition(s, 'Progressing');
  return c?.status === 'False' && c.reason === 'ProgressDeadlineExceeded';
}

/** A member rollout is complete (NewReplicaSetAvailable, or all counters settled when the member has no deadline). */
function deploymentProgressComplete(s: JsonObject | undefined): boolean {
  if (!s) return false;
  const c = findCondition(s, 'Progressing');
  if (c) return c.status === 'True' && c.reason === 'NewReplicaSetAvailable';
  const replicas = num(s['replicas']) ?? 0;
  const updated = num(s['updatedReplicas']) ?? 0;
  const available = num(s['availableReplicas']) ?? 0;
  return replicas === updated && available >= updated && (num(s['unavailableReplicas']) ?? 0) === 0;
}

/**
 * Available and Progressing on the template, from the members' own conditions:
 *   Available    True only when every target cluster has minimum availability
 *   Progressing  False/ProgressDeadlineExceeded when any cluster's rollout exceeded its deadline
 *                (so `kubectl rollout status` fails instead of waiting forever); True/
 *                NewReplicaSetAvailable once every cluster is up to date and finished; otherwise
 *                True/ReplicaSetUpdated naming the clusters still rolling.
 */
const deploymentConditions: Extra = (out, { template, prev, items, upToDate, now }) => {
  const prevAvail = findCondition(prev, 'Available');
  if (!items.length) {
    putConditions(out, [
      nextCondition(prevAvail, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment is not running in any member cluster.' }, now, 'lastUpdateTime'),
    ]);
    dropCondition(out, 'Progressing');
    return;
  }
  const unavailable = items.filter((i) => !deploymentAvailable(i.status));
  const available = unavailable.length
    ? { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: `Deployment does not have minimum availability in clusters: ${names(unavailable)}.` }
    : { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: `Deployment has minimum availability in all ${items.length} clusters.` };

  const name = str(getIn(template, 'metadata', 'name')) ?? '';
  const gen = generationOf(template);
  const failed = items.filter((i) => deploymentProgressFailed(i.status));
  const rolling = items.filter((i) => !memberUpToDate(i, gen) || !deploymentProgressComplete(i.status));
  const progressing = failed.length
    ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `Deployment "${name}" exceeded its progress deadline in clusters: ${names(failed)}.` }
    : upToDate && !rolling.length
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `Deployment "${name}" has successfully progressed in all ${items.length} clusters.` }
      : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `Deployment "${name}" is progressing in clusters: ${names(rolling)}.` };

  putConditions(out, [
    nextCondition(findCondition(prev, 'Progressing'), progressing, now, 'lastUpdateTime'),
    nextCondition(prevAvail, available, now, 'lastUpdateTime'),
  ]);
};

const uniqSorted = (xs: readonly (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))].sort();

/**
 * currentRevision / updateRevision: `kubectl rollout status` waits while they differ. Revision
 * names are per cluster (overrides change the hash), so the template gets the set of update
 * revisions, and the same value as currentRevision only once every cluster finished its update.
 */
const statefulSetRevisions: Extra = (out, { items }) => {
  const statuses = items.map((i) => i.status).filter((s): s is JsonObject => !!s);
  const update = uniqSorted(statuses.map((s) => str(s['updateRevision'])));
  if (!update.length) return;
  const unfinished = items.filter((i) => !i.status || str(i.status['currentRevision']) !== str(i.status['updateRevision']));
  out['updateRevision'] = update.join(',');
  out['currentRevision'] = unfinished.length
    ? uniqSorted(unfinished.map((i) => str(i.status?.['currentRevision']))).join(',') || 'pending'
    : out['updateRevision'];
};

export const aggregateDeploymentStatus = aggregateCounters(DEPLOYMENT_COUNTERS, deploymentConditions);
export const aggregateStatefulSetStatus = aggregateCounters(STATEFULSET_COUNTERS, statefulSetRevisions);
export const aggregateReplicaSetStatus = aggregateCounters(REPLICASET_COUNTERS);
export const aggregateDaemonSetStatus = aggregateCounters(DAEMONSET_COUNTERS);
