/**
 * Deployment bookkeeping on ReplicaSets (deployment/util/deployment_util.go): which ReplicaSet
 * is the new one, revision numbers and the annotations that carry them, and the replica
 * counts summed over ReplicaSets. Pure functions over API objects.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { canonicalJSON } from './hash.js';
import { parseTime } from './util.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';

/** Revision history kept in the revision-history annotation, in characters. */
export const MAX_REV_HISTORY_CHARS = 2000;

/** Annotations the deployment controller manages itself and never copies onto ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

export const specReplicas = (o: { spec?: { replicas?: number } } | undefined): number => o?.spec?.replicas ?? 0;

/** The revision annotation as a number (0 when absent, NaN when unparsable). */
export function revisionOf(rs: ReplicaSet): number {
  const v = rs.metadata?.annotations?.[REVISION];
  if (v === undefined || v === '') return 0;
  return /^\d+$/.test(v) ? Number(v) : NaN;
}

/** The highest revision among the ReplicaSets (unparsable revisions are skipped). */
export function maxRevision(rsList: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rsList) {
    const r = revisionOf(rs);
    if (Number.isFinite(r) && r > max) max = r;
  }
  return max;
}

/** Oldest first; ties by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation<T extends { metadata?: { creationTimestamp?: string; name?: string } }>(a: T, b: T): number {
  const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** Lowest revision first; ties by creation (deploymentutil.ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra !== rb ? ra - rb : byCreation(a, b);
}

/** Template without the pod-template-hash label, with empty maps treated as absent. */
function templateSansHash(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {});
  const labels = { ...(copy.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  if (copy.metadata) {
    if (Object.keys(labels).length) copy.metadata.labels = labels;
    else delete copy.metadata.labels;
    if (copy.metadata.annotations && Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
    if (Object.keys(copy.metadata).length === 0) delete copy.metadata;
  }
  return copy;
}

/** Whether two templates are the same apart from the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJSON(templateSansHash(a)) === canonicalJSON(templateSansHash(b));
}

/** The oldest ReplicaSet whose template is the deployment's (FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one; `withPods` keeps those with spec.replicas > 0 (FindOldReplicaSets). */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { withPods: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const all = rsList.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
  return { withPods: all.filter((rs) => specReplicas(rs) !== 0), all };
}

/** ReplicaSets that should have pods (controller.FilterActiveReplicaSets). */
export const activeReplicaSets = (rsList: ReadonlyArray<ReplicaSet | undefined>): ReplicaSet[] =>
  rsList.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

const sum = (rsList: ReadonlyArray<ReplicaSet | undefined>, f: (rs: ReplicaSet) => number | undefined): number =>
  rsList.reduce((n, rs) => n + (rs ? (f(rs) ?? 0) : 0), 0);

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export const replicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.spec?.replicas);
/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.replicas);
export const readyReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.readyReplicas);
export const availableReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.availableReplicas);

/** An int32 annotation, or undefined when absent or unparsable. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** Sets desired-replicas and max-replicas on rs (mutated); true when anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata ??= {}).annotations ?? {};
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  rs.metadata.annotations = { ...a, [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(max) };
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations on rs (mutated): the deployment's own annotations, the revision
 * (raised to newRevision, keeping the old one in revision-history when rolling back to rs),
 * and on creation the replicas annotations. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, maxSurge: number): boolean {
  const md = (rs.metadata ??= {});
  const a: Record<string, string> = { ...(md.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRaw = a[REVISION];
  const had = oldRaw !== undefined;
  let oldRev = 0;
  if (had && oldRaw !== '') {
    if (!/^\d+$/.test(oldRaw)) {
      md.annotations = a;
      return changed;
    }
    oldRev = Number(oldRaw);
  }
  if (oldRev < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (had) {
      const history = a[REVISION_HISTORY] ?? '';
      const parts = history === '' ? [] : history.split(',');
      parts.push(oldRaw!);
      while (parts.join(',').length > MAX_REV_HISTORY_CHARS && parts.length > 1) parts.shift();
      if (parts.join(',').length <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY] = parts.join(',');
    }
  }
  md.annotations = a;
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge)) changed = true;
  return changed;
}
