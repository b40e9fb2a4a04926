/**
 * What the StatefulSet controller does next (updateStatefulSet in stateful_set_control.go),
 * decided without I/O: replace finished pods, create missing ordinals, then scale down from
 * the highest ordinal, then roll pods to the update revision from the highest ordinal down to
 * the partition. With OrderedReady ("monotonic") every step waits for the ordinals before it
 * to be Running and Ready (and available) and does one thing at a time; Parallel does not wait.
 */
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import {
  isCreated,
  isFinished,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  newStatefulSetPod,
  ordinalOf,
  podRevision,
  replicasOf,
  startOrdinal,
  templateOf,
} from './statefulset-util.js';
import { availableAt, earliest, isPodTerminating } from './util.js';

export type StsAction =
  | { type: 'create'; ordinal: number; pod: Pod }
  | { type: 'claims'; ordinal: number }
  | { type: 'delete'; pod: Pod; why: 'finished' | 'scale-down' | 'update' };

export interface StsPlan {
  actions: StsAction[];
  /** Replicas (placeholders for missing ordinals included) and condemned pods: what status counts. */
  pods: Pod[];
  /** When a Ready pod the rollout waits on becomes available. */
  wakeAt?: number;
}

export interface StsPlanInput {
  set: StatefulSet;
  /** The pods the set controls. */
  pods: readonly Pod[];
  currentRevision: ControllerRevision;
  updateRevision: ControllerRevision;
  nowMs: number;
}

/** newVersionedStatefulSetPod: ordinals below the partition keep the current revision. */
function placeholder(i: StsPlanInput, ordinal: number): Pod {
  const { set, currentRevision, updateRevision } = i;
  const strategy = set.spec?.updateStrategy;
  const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const start = startOrdinal(set);
  const keepCurrent =
    (rolling && !strategy?.rollingUpdate && ordinal < start + (set.status?.currentReplicas ?? 0)) ||
    (!!strategy?.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const rev = keepCurrent ? currentRevision : updateRevision;
  return newStatefulSetPod(set, templateOf(rev), rev.metadata!.name!, ordinal);
}

export function planStatefulSet(i: StsPlanInput): StsPlan {
  const { set, nowMs } = i;
  const name = set.metadata?.name ?? '';
  const start = startOrdinal(set);
  const n = replicasOf(set);
  const minReady = set.spec?.minReadySeconds ?? 0;
  const replicas: Pod[] = new Array<Pod>(n);
  const condemned: Pod[] = [];
  for (const pod of i.pods) {
    const ord = ordinalOf(name, pod.metadata?.name);
    if (ord >= start && ord < start + n) replicas[ord - start] = pod;
    else if (ord >= 0) condemned.push(pod);
  }
  for (let k = 0; k < n; k++) replicas[k] ??= placeholder(i, start + k);
  const ordinal = (p: Pod) => ordinalOf(name, p.metadata?.name);
  condemned.sort((a, b) => ordinal(b) - ordinal(a));

  const all = [...replicas, ...condemned];
  const wakeAt = earliest(...all.map((p) => availableAt(p, minReady, nowMs)));
  const plan: StsPlan = { actions: [], pods: all, ...(wakeAt !== undefined ? { wakeAt } : {}) };
  if (set.metadata?.deletionTimestamp) return plan;

  let firstUnhealthy: Pod | undefined = replicas.find((p) => !isHealthy(p));
  if (!firstUnhealthy) for (let k = condemned.length - 1; k >= 0 && !firstUnhealthy; k--) if (!isHealthy(condemned[k]!)) firstUnhealthy = condemned[k];

  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const act = plan.actions;

  for (let k = 0; k < n; k++) {
    const pod = replicas[k]!;
    if (isFinished(pod)) {
      // Finished pods are replaced: deleted now, created again once gone.
      if (!isPodTerminating(pod)) act.push({ type: 'delete', pod, why: 'finished' });
      if (monotonic) return plan;
      continue;
    }
    if (!isCreated(pod)) {
      act.push({ type: 'create', ordinal: start + k, pod });
      if (monotonic) return plan;
      continue;
    }
    if (pod.status?.phase === 'Pending') act.push({ type: 'claims', ordinal: start + k });
    if (monotonic && isPodTerminating(pod)) return plan;
    if (monotonic && !isRunningAndAvailable(pod, minReady, nowMs)) return plan;
  }

  for (const pod of condemned) {
    if (isPodTerminating(pod)) {
      if (monotonic) return plan;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && !isRunningAndReady(pod)) return plan;
    if (monotonic && pod !== firstUnhealthy && !isRunningAndAvailable(pod, minReady, nowMs)) return plan;
    act.push({ type: 'delete', pod, why: 'scale-down' });
    if (monotonic) return plan;
  }

  if (set.spec?.updateStrategy?.type === 'OnDelete') return plan;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const updateMin = Math.max(0, partition - start);
  for (let k = n - 1; k >= updateMin; k--) {
    const pod = replicas[k]!;
    if (podRevision(pod) !== i.updateRevision.metadata?.name && !isPodTerminating(pod)) {
      act.push({ type: 'delete', pod, why: 'update' });
      return plan;
    }
    if (!isHealthy(pod)) return plan;
  }
  return plan;
}
