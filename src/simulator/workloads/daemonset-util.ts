/**
 * DaemonSet placement and status (daemon_controller.go, daemon/util): which nodes should run a
 * daemon pod (node selector, required node affinity, NoSchedule/NoExecute taints against the
 * pod's tolerations plus the standard DaemonSet ones), how pods are pinned to their node,
 * what each node needs, and the counts in status. Pure.
 */
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { podMatchesNodeSelectorAndAffinity } from '../scheduling/affinity.js';
import { findUntoleratedTaint } from '../scheduling/taints.js';
import { hashRevisionData } from './hash.js';
import { isPodAvailable, isPodReady, isPodTerminal, omitEmpty, parseTime } from './util.js';

/** Label with the hash of the template a daemon pod was made from. */
export const DS_HASH_LABEL = 'controller-revision-hash';

/** The tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(spec: PodSpec | undefined): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });
  const std = [
    t('node.kubernetes.io/not-ready', 'NoExecute'),
    t('node.kubernetes.io/unreachable', 'NoExecute'),
    t('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    t('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    t('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    t('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (spec?.hostNetwork) std.push(t('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  const out = [...(spec?.tolerations ?? [])];
  for (const s of std) {
    const i = out.findIndex((x) => x.key === s.key && x.effect === s.effect);
    if (i >= 0) out[i] = s;
    else out.push(s);
  }
  return out;
}

/** The hash of the DaemonSet's template, as its pods are labelled. */
export const templateHash = (ds: DaemonSet): string =>
  hashRevisionData({ spec: { template: { ...(ds.spec?.template ?? {}), $patch: 'replace' } } }, ds.status?.collisionCount);

/** Required node affinity pinning the pod to nodeName via matchFields metadata.name (ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  return {
    ...(affinity ?? {}),
    nodeAffinity: {
      ...(affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
    },
  };
}

/** Where a daemon pod runs or is meant to: its nodeName, else the node its affinity pins (GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/**
 * NodeShouldRunDaemonPod: shouldRun when the pod fits the node (name, selector/affinity, no
 * untolerated NoSchedule/NoExecute taint); shouldContinueRunning also when only NoSchedule
 * taints are untolerated (a running daemon pod stays).
 */
export function nodeShouldRun(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec?.template?.spec;
  const name = node.metadata?.name ?? '';
  if (spec?.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  const pod: Pod = { metadata: {}, spec: { ...(spec ?? { containers: [] }), nodeName: name, tolerations: daemonPodTolerations(spec) } };
  if (!podMatchesNodeSelectorAndAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  if (findUntoleratedTaint(taints, pod.spec!.tolerations)) {
    const noExecute = taints.filter((t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(noExecute, pod.spec!.tolerations) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Scheduled first, then oldest, then by name (podByCreationTimestampAndPhase). */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Daemon pods by target node, leaving out finished pods already being deleted (getNodesToDaemonPods). */
export function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const m = new Map<string, Pod[]>();
  for (const p of pods) {
    if (isPodTerminal(p) && p.metadata?.deletionTimestamp) continue;
    const n = targetNodeName(p);
    if (n === undefined) continue;
    m.set(n, [...(m.get(n) ?? []), p]);
  }
  return m;
}

export const isPodUpdated = (pod: Pod, hash: string): boolean => pod.metadata?.labels?.[DS_HASH_LABEL] === hash;

/**
 * podsShouldBeOnNode: whether the node needs a daemon pod, and which of its pods go (finished
 * ones, all but the oldest running one, or all when the node should not run the daemon).
 * `failedInBackoff` says whether deleting a Failed pod must wait.
 */
export function nodeActions(node: Node, pods: readonly Pod[], ds: DaemonSet, failedInBackoff = false): { create: boolean; remove: Pod[]; failed: boolean } {
  const { shouldRun, shouldContinueRunning } = nodeShouldRun(node, ds);
  const remove: Pod[] = [];
  let failed = false;
  if (shouldRun && pods.length === 0) return { create: true, remove, failed };
  if (shouldContinueRunning) {
    const running: Pod[] = [];
    for (const p of pods) {
      if (p.metadata?.deletionTimestamp) continue;
      if (p.status?.phase === 'Failed') {
        failed = true;
        if (!failedInBackoff) remove.push(p);
      } else if (p.status?.phase === 'Succeeded') remove.push(p);
      else running.push(p);
    }
    if (running.length > 1) remove.push(...[...running].sort(byCreationAndPhase).slice(1));
    return { create: false, remove, failed };
  }
  if (pods.length) remove.push(...pods.filter((p) => !p.metadata?.deletionTimestamp));
  return { create: false, remove, failed };
}

/** maxUnavailable for a rolling update: percentages of the desired count round up; never 0 with 0 surge. */
export function maxUnavailableFor(ds: DaemonSet, desired: number): number {
  const v = ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  let n = typeof v === 'number' ? v : Math.ceil((Number(String(v).replace('%', '')) * desired) / 100);
  if (desired > 0 && n === 0) n = 1;
  return n;
}

/**
 * rollingUpdate without surge: old pods to delete so that no more than maxUnavailable daemon
 * pods are unavailable; old pods that are unavailable anyway always go.
 */
export function rollingUpdateVictims(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, readonly Pod[]>, hash: string, nowMs: number): Pod[] {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const desiredNodes = new Set(nodes.filter((n) => nodeShouldRun(n, ds).shouldRun).map((n) => n.metadata?.name ?? ''));
  const maxUnavailable = maxUnavailableFor(ds, desiredNodes.size);
  const names = new Set([...byNode.keys(), ...desiredNodes]);
  let unavailable = 0;
  const replace: Pod[] = [];
  const candidates: Pod[] = [];
  for (const name of [...names].sort()) {
    const live = (byNode.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp);
    const fresh = live.filter((p) => isPodUpdated(p, hash));
    const old = live.filter((p) => !isPodUpdated(p, hash));
    if (fresh.length > 1 || old.length > 1 || (fresh.length === 0) === (old.length === 0)) {
      unavailable++; // the per-node loop is still creating or trimming here
      continue;
    }
    if (fresh[0]) {
      if (!isPodAvailable(fresh[0], minReady, nowMs)) unavailable++;
      continue;
    }
    const oldPod = old[0]!;
    if (!isPodAvailable(oldPod, minReady, nowMs)) replace.push(oldPod);
    else if (unavailable < maxUnavailable) candidates.push(oldPod);
  }
  const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
  return [...replace, ...candidates.slice(0, room)];
}

const OMIT_ZERO: readonly (keyof DaemonSetStatus)[] = ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];

/** updateDaemonSetStatus: counts over nodes; observedGeneration only once this generation was acted on. */
export function daemonSetStatus(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, readonly Pod[]>, hash: string, observed: boolean, nowMs: number): DaemonSetStatus {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata?.name ?? '') ?? [];
    const { shouldRun } = nodeShouldRun(node, ds);
    if (!shouldRun) {
      if (pods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!pods.length) continue;
    current++;
    const pod = [...pods].sort(byCreationAndPhase)[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, nowMs)) available++;
    }
    if (isPodUpdated(pod, hash)) updated++;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: observed ? (ds.metadata?.generation ?? 0) : (ds.status?.observedGeneration ?? 0),
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions) status.conditions = ds.status.conditions;
  return omitEmpty(status, OMIT_ZERO);
}
