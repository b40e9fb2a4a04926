// Taints and tolerations (k8s.io/component-helpers/scheduling/corev1 ToleratesTaint,
// kube-scheduler TaintToleration and NodeUnschedulable plugins).
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';

export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** The parts of a taint that toleration matching looks at. */
export type TaintLike = Pick<Taint, 'key' | 'effect'> & { value?: string | undefined };

export interface TolerationOptions {
  /**
   * Accept the Lt/Gt toleration operators (TaintTolerationComparisonOperators, alpha in 1.35,
   * off by default): Lt tolerates a taint whose integer value is below the toleration's, Gt above.
   */
  comparisonOperators?: boolean;
}

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function parseDecimalInt64(s: string): bigint | undefined {
  if (!DECIMAL_INTEGER.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

/**
 * Whether one toleration tolerates a taint:
 * an empty effect matches every effect; an empty key matches every key; operator Exists matches
 * any value, Equal (or empty) needs equal values; any other operator matches nothing.
 */
export function toleratesTaint(toleration: Toleration, taint: TaintLike, opts: TolerationOptions = {}): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt': {
      if (!opts.comparisonOperators) return false;
      const tol = parseDecimalInt64(toleration.value ?? '');
      const val = parseDecimalInt64(taint.value ?? '');
      if (tol === undefined || val === undefined) return false;
      return toleration.operator === 'Lt' ? val < tol : val > tol;
    }
    default:
      return false;
  }
}

/** Whether any of the tolerations tolerates the taint (v1helper.TolerationsTolerateTaint). */
export function tolerates(tolerations: readonly Toleration[] | null | undefined, taint: TaintLike, opts: TolerationOptions = {}): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint, opts));
}

/** Effects that keep a pod off a node during filtering (PreferNoSchedule only affects scoring). */
export function isDoNotScheduleEffect(effect: string | undefined): boolean {
  return effect === 'NoSchedule' || effect === 'NoExecute';
}

/**
 * The first taint (in node order) with a NoSchedule/NoExecute effect that no toleration tolerates
 * (v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc).
 */
export function findUntoleratedTaint<T extends TaintLike>(
  taints: readonly T[] | null | undefined,
  tolerations: readonly Toleration[] | null | undefined,
  opts: TolerationOptions = {},
): T | undefined {
  return (taints ?? []).find((taint) => isDoNotScheduleEffect(taint.effect) && !tolerates(tolerations, taint, opts));
}

/** kube-scheduler's reason for an untolerated taint: "node(s) had untolerated taint {key: value}". */
export function untoleratedTaintReason(taint: TaintLike): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/**
 * Taints the node lifecycle controller would have put on a node because of its Ready condition
 * (TaintNodesByCondition), when they are not already there: not-ready:NoSchedule for Ready=False,
 * unreachable:NoSchedule for Ready=Unknown. A node without a Ready condition gets none.
 */
export function conditionTaints(node: Node): Taint[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return [];
  const key = ready.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
  const existing = node.spec?.taints ?? [];
  if (existing.some((t) => t.key === key && t.effect === 'NoSchedule')) return [];
  return [{ key, effect: 'NoSchedule' }];
}

/** node.spec.taints plus, optionally, the condition taints the lifecycle controller would add. */
export function effectiveTaints(node: Node, withConditionTaints = true): Taint[] {
  const taints = [...(node.spec?.taints ?? [])];
  return withConditionTaints ? [...taints, ...conditionTaints(node)] : taints;
}

/**
 * TaintToleration scoring input: PreferNoSchedule taints not tolerated by the pod's tolerations
 * whose effect is empty or PreferNoSchedule.
 */
export function countIntolerablePreferNoSchedule(
  taints: readonly TaintLike[] | null | undefined,
  tolerations: readonly Toleration[] | null | undefined,
  opts: TolerationOptions = {},
): number {
  const relevant = (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return (taints ?? []).filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerates(relevant, taint, opts)).length;
}
