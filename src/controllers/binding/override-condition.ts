/**
 * The binding condition that reports override policies that could not be applied (Flotilla's
 * addition; Karmada only emits events): type OverridesApplied, False with reason OverrideFailed
 * and the failures per cluster while any cluster's Work is held back, True once they all apply
 * again. Absent when overrides never failed, so the common case writes nothing.
 */
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { OverrideFailure } from '../../overrides/index.js';

export const OVERRIDES_APPLIED = 'OverridesApplied';

export interface ClusterOverrideFailure {
  cluster: string;
  errors: readonly OverrideFailure[];
}

export function describeFailures(failures: readonly ClusterOverrideFailure[]): string {
  return failures
    .map((f) => `${f.cluster}: ${f.errors.map((e) => `${e.policyKind} ${e.namespace ? `${e.namespace}/` : ''}${e.policy} ${e.field}: ${e.message}`).join('; ')}`)
    .join(' | ');
}

/** The new conditions list, or undefined when the present one already says it. */
export function nextOverrideConditions(conditions: readonly Condition[] | undefined, failures: readonly ClusterOverrideFailure[], generation: number, now: string): Condition[] | undefined {
  const list = conditions ?? [];
  const prev = list.find((c) => c.type === OVERRIDES_APPLIED);
  if (!failures.length && (!prev || prev.status === 'True')) return undefined;
  const cond: Condition = failures.length
    ? { type: OVERRIDES_APPLIED, status: 'False', reason: 'OverrideFailed', message: `Works not updated: ${describeFailures(failures)}`.slice(0, 32_768), lastTransitionTime: now, observedGeneration: generation }
    : { type: OVERRIDES_APPLIED, status: 'True', reason: 'Success', message: 'All override policies applied', lastTransitionTime: now, observedGeneration: generation };
  if (prev && prev.status === cond.status && prev.message === cond.message && prev.reason === cond.reason) return undefined;
  if (prev?.status === cond.status) cond.lastTransitionTime = prev.lastTransitionTime;
  return [...list.filter((c) => c.type !== OVERRIDES_APPLIED), cond];
}
