/**
 * Completion indexes of Indexed Jobs (indexed_job_utils.go): each pod carries its index in an
 * annotation (and label), status.completedIndexes lists finished ones compactly ("0,2-4"), and
 * new pods take the lowest indexes that are neither done nor running. Pure.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { compareForDeletion } from './pod-ranking.js';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

/** The pod's completion index, or -1 when absent or malformed. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

/** Parses "1,3-5,7" into the sorted set of indexes below completions (malformed parts are skipped). */
export function parseIndexes(s: string | undefined, completions: number): number[] {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= Math.min(b, completions - 1); i++) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** Formats sorted indexes compactly: runs of three or more become "a-b" (orderedIntervals.String). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j === i) parts.push(String(sorted[i]));
    else if (j === i + 1) parts.push(`${sorted[i]},${sorted[j]}`);
    else parts.push(`${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The first count indexes in [0, completions) not succeeded and not held by an active pod. */
export function firstPendingIndexes(activePods: readonly Pod[], succeeded: ReadonlySet<number>, count: number, completions: number): number[] {
  const taken = new Set(activePods.map(completionIndex));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !taken.has(i)) out.push(i);
  return out;
}

/**
 * Active pods that must go whatever the counts say: those without a valid index, and all but
 * the most advanced pod of each index held twice (appendDuplicatedIndexPodsForRemoval).
 */
export function duplicatedIndexPods(pods: readonly Pod[], completions: number): { remove: Pod[]; keep: Pod[] } {
  const remove: Pod[] = [];
  const keep: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix < 0 || ix >= completions) remove.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const group of byIndex.values()) {
    const sorted = [...group].sort((a, b) => compareForDeletion(a, b));
    remove.push(...sorted.slice(0, -1));
    keep.push(sorted[sorted.length - 1]!);
  }
  return { remove, keep };
}

/** The template of the pod for one index: annotation, label, hostname and JOB_COMPLETION_INDEX. */
export function indexedTemplate(job: Job, template: PodTemplateSpec, index: number): PodTemplateSpec {
  const t = structuredClone(template);
  t.metadata = {
    ...(t.metadata ?? {}),
    annotations: { ...(t.metadata?.annotations ?? {}), [COMPLETION_INDEX]: String(index) },
    labels: { ...(t.metadata?.labels ?? {}), [COMPLETION_INDEX]: String(index) },
  };
  t.spec = { ...t.spec!, hostname: `${job.metadata?.name}-${index}` };
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
  for (const c of [...(t.spec.initContainers ?? []), ...t.spec.containers]) {
    if (!(c.env ?? []).some((e) => e.name === env.name)) c.env = [...(c.env ?? []), env];
  }
  return t;
}
