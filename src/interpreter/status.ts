/**
 * InterpretStatus (reflectStatus) and AggregateStatus for built-in kinds.
 *
 * reflectStatus(memberObj) is what goes into Work.status.manifestStatuses[].status: for most kinds
 * Karmada keeps the whole .status (reflectWholeStatus: Ingress, Pod, PVC, CronJob, CRDs...); the
 * kinds below keep a subset (see status-workloads.ts, status-batch.ts, status-core.ts).
 *
 * aggregateStatus(template, items) is the template's new .status, built from every target
 * cluster's reflected status. Kinds without aggregation knowledge (CRDs) keep the template's
 * status as it is, as in Karmada. The caller writes the result only when it differs
 * (statusEqual), which with stable condition timestamps means an unchanged fleet causes no write.
 */
import { clone, jsonEqual, kindKeyOf, objAt } from './object.js';
import { aggregateCronJobStatus, aggregateJobStatus, reflectJobStatus } from './status-batch.js';
import {
  aggregateIngressStatus,
  aggregatePersistentVolumeClaimStatus,
  aggregatePersistentVolumeStatus,
  aggregatePodDisruptionBudgetStatus,
  aggregatePodStatus,
  aggregateServiceStatus,
  reflectHorizontalPodAutoscalerStatus,
  reflectPodDisruptionBudgetStatus,
  reflectServiceStatus,
} from './status-core.js';
import {
  aggregateDaemonSetStatus,
  aggregateDeploymentStatus,
  aggregateReplicaSetStatus,
  aggregateStatefulSetStatus,
  reflectDaemonSetStatus,
  reflectDeploymentStatus,
  reflectReplicaSetStatus,
  reflectStatefulSetStatus,
} from './status-workloads.js';
import type { AggregateOptions, AggregatedStatusItem, JsonObject, KindInterpreter } from './types.js';

type Reflect = NonNullable<KindInterpreter['reflectStatus']>;
type Aggregate = NonNullable<KindInterpreter['aggregateStatus']>;

/** Native InterpretStatus, by kindKey; kinds not listed use reflectWholeStatus. */
export const NATIVE_REFLECT_STATUS: Readonly<Record<string, Reflect>> = {
  'apps/Deployment': reflectDeploymentStatus,
  'apps/StatefulSet': reflectStatefulSetStatus,
  'apps/ReplicaSet': reflectReplicaSetStatus,
  'apps/DaemonSet': reflectDaemonSetStatus,
  'batch/Job': reflectJobStatus,
  '/Service': reflectServiceStatus,
  'policy/PodDisruptionBudget': reflectPodDisruptionBudgetStatus,
  'autoscaling/HorizontalPodAutoscaler': reflectHorizontalPodAutoscalerStatus,
};

/** Native AggregateStatus, by kindKey. */
export const NATIVE_AGGREGATE_STATUS: Readonly<Record<string, Aggregate>> = {
  'apps/Deployment': aggregateDeploymentStatus,
  'apps/StatefulSet': aggregateStatefulSetStatus,
  'apps/ReplicaSet': aggregateReplicaSetStatus,
  'apps/DaemonSet': aggregateDaemonSetStatus,
  'batch/Job': aggregateJobStatus,
  'batch/CronJob': aggregateCronJobStatus,
  '/Service': aggregateServiceStatus,
  'networking.k8s.io/Ingress': aggregateIngressStatus,
  '/Pod': aggregatePodStatus,
  '/PersistentVolumeClaim': aggregatePersistentVolumeClaimStatus,
  '/PersistentVolume': aggregatePersistentVolumeStatus,
  'policy/PodDisruptionBudget': aggregatePodDisruptionBudgetStatus,
};

/** reflectWholeStatus: a copy of .status, or undefined when the object has none. */
export function reflectWholeStatus(obj: JsonObject): JsonObject | undefined {
  const status = objAt(obj, 'status');
  return status ? clone(status) : undefined;
}

/** The template's status unchanged: what kinds without aggregation knowledge get. */
export function keepTemplateStatus(template: JsonObject): JsonObject | undefined {
  const status = objAt(template, 'status');
  return status ? clone(status) : undefined;
}

/** What a member object contributes to Work.status.manifestStatuses (built-in knowledge). */
export function reflectStatus(memberObj: JsonObject): JsonObject | undefined {
  return (NATIVE_REFLECT_STATUS[kindKeyOf(memberObj)] ?? reflectWholeStatus)(memberObj);
}

/** The template's new .status from every target cluster's reflected status (built-in knowledge). */
export function aggregateStatus(template: JsonObject, items: readonly AggregatedStatusItem[], opts?: AggregateOptions): JsonObject | undefined {
  const fn = NATIVE_AGGREGATE_STATUS[kindKeyOf(template)];
  return fn ? fn(template, items, opts) : keepTemplateStatus(template);
}

/** Whether writing `next` as the template's status would change anything. */
export function statusEqual(template: JsonObject, next: JsonObject | undefined): boolean {
  return jsonEqual(objAt(template, 'status'), next);
}
