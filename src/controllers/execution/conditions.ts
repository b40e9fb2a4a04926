/**
 * metav1.Condition lists as Flotilla's controllers keep them: setting a condition that did not
 * change returns the list unchanged (same timestamps), so an unchanged state writes nothing;
 * lastTransitionTime moves only when the status flips (meta.SetStatusCondition).
 */
import type { Condition } from 'kubernetes-types/meta/v1.js';

export type { Condition };

export interface WantCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
}

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function findCondition(list: readonly Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c?.type === type);
}

export const isTrue = (list: readonly Condition[] | undefined, type: string): boolean => findCondition(list, type)?.status === 'True';

/** The list with `want` set; the same array when nothing would change. */
export function setCondition(list: readonly Condition[] | undefined, want: WantCondition, nowMs: number): Condition[] {
  const cur = list ?? [];
  const prev = findCondition(cur, want.type);
  if (
    prev &&
    prev.status === want.status &&
    prev.reason === want.reason &&
    prev.message === want.message &&
    (want.observedGeneration === undefined || prev.observedGeneration === want.observedGeneration)
  )
    return cur as Condition[];
  const next: Condition = {
    type: want.type,
    status: want.status,
    reason: want.reason,
    message: want.message,
    lastTransitionTime: prev && prev.status === want.status ? prev.lastTransitionTime : rfc3339(nowMs),
    ...(want.observedGeneration !== undefined ? { observedGeneration: want.observedGeneration } : {}),
  };
  return prev ? cur.map((c) => (c === prev ? next : c)) : [...cur, next];
}
