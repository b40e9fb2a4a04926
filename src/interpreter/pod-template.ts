/**
 * Where each built-in workload keeps its pod spec. Replicas, requirements and dependencies all
 * start from here, so the list of workload kinds lives in one place.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { getIn, isObject, kindKeyOf } from './object.js';

const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
};

/** The pod spec of a built-in workload, or undefined for other kinds (or a workload without one). */
export function podSpecOf(obj: unknown): PodSpec | undefined {
  const path = POD_SPEC_PATHS[kindKeyOf(obj)];
  if (!path) return undefined;
  const spec = getIn(obj, ...path);
  return isObject(spec) ? (spec as unknown as PodSpec) : undefined;
}

/** The namespace a workload's pods (and their dependencies) live in. */
export function namespaceOf(obj: unknown): string {
  const ns = getIn(obj, 'metadata', 'namespace');
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}
