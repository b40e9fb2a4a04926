/**
 * InterpretHealth for built-in kinds (Karmada healthy.go), judged on the member object.
 *
 * Kinds without health knowledge (ConfigMaps, CRDs, CronJob...) are Healthy: Karmada's
 * work-status controller treats "no health hook" as healthy, since nothing can be judged, and
 * application failover must not evict what it cannot assess. Unknown is for objects that cannot
 * be read at all. Job is our addition (Karmada has none): a Job is unhealthy once it failed.
 */
import { conditionIs } from './conditions.js';
import { generationOf, getIn, isObject, kindKeyOf, listAt, num, objAt, str } from './object.js';
import type { Health, JsonObject } from './types.js';

const verdict = (ok: boolean): Health => (ok ? 'Healthy' : 'Unhealthy');

const s = (obj: JsonObject, field: string): number => num(getIn(obj, 'status', field)) ?? 0;
const observedCurrent = (obj: JsonObject): boolean => s(obj, 'observedGeneration') >= generationOf(obj);

/** Deployment / StatefulSet: controller caught up, every desired replica updated, every updated one available. */
function rolledOut(obj: JsonObject): Health {
  if (!observedCurrent(obj)) return 'Unhealthy';
  const desired = num(getIn(obj, 'spec', 'replicas'));
  if (desired !== undefined && s(obj, 'updatedReplicas') < desired) return 'Unhealthy';
  return verdict(s(obj, 'availableReplicas') >= s(obj, 'updatedReplicas'));
}

function replicaSetHealth(obj: JsonObject): Health {
  if (!observedCurrent(obj)) return 'Unhealthy';
  const desired = num(getIn(obj, 'spec', 'replicas'));
  return verdict(desired === undefined || s(obj, 'availableReplicas') >= desired);
}

function daemonSetHealth(obj: JsonObject): Health {
  if (!observedCurrent(obj)) return 'Unhealthy';
  if (s(obj, 'updatedNumberScheduled') < s(obj, 'desiredNumberScheduled')) return 'Unhealthy';
  return verdict(s(obj, 'numberAvailable') >= s(obj, 'updatedNumberScheduled'));
}

/** Some load-balancer ingress point has an address. */
const hasIngressAddress = (obj: JsonObject): boolean =>
  listAt(obj, 'status', 'loadBalancer', 'ingress').some((e) => isObject(e) && (!!str(e['ip']) || !!str(e['hostname'])));

const serviceHealth = (obj: JsonObject): Health => verdict(getIn(obj, 'spec', 'type') !== 'LoadBalancer' || hasIngressAddress(obj));

function podHealth(obj: JsonObject): Health {
  const phase = getIn(obj, 'status', 'phase');
  if (phase === 'Succeeded') return 'Healthy';
  return verdict(phase === 'Running' && conditionIs(objAt(obj, 'status'), 'Ready', 'True'));
}

const jobHealth = (obj: JsonObject): Health => verdict(!conditionIs(objAt(obj, 'status'), 'Failed', 'True'));

const pdbHealth = (obj: JsonObject): Health => verdict(s(obj, 'currentHealthy') >= s(obj, 'desiredHealthy'));

/** Native InterpretHealth, by kindKey. */
export const NATIVE_HEALTH: Readonly<Record<string, (obj: JsonObject) => Health>> = {
  'apps/Deployment': rolledOut,
  'apps/StatefulSet': rolledOut,
  'apps/ReplicaSet': replicaSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  '/Service': serviceHealth,
  'networking.k8s.io/Ingress': (obj) => verdict(hasIngressAddress(obj)),
  '/PersistentVolumeClaim': (obj) => verdict(getIn(obj, 'status', 'phase') === 'Bound'),
  '/Pod': podHealth,
  'batch/Job': jobHealth,
  'policy/PodDisruptionBudget': pdbHealth,
};

/** The health of a member object from built-in knowledge. */
export function interpretHealth(obj: unknown): Health {
  if (!isObject(obj) || !str(obj['kind'])) return 'Unknown';
  const fn = NATIVE_HEALTH[kindKeyOf(obj)];
  return fn ? fn(obj) : 'Healthy';
}
