/**
 * Small helpers every workload controller shares: times as the API writes them, controller
 * references, pod readiness/availability as podutil defines them, label selectors and
 * int-or-percent values. All pure.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorObject, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { fromLabelSelector, nothing, type LabelSelector } from '../../selectors/labels.js';
import { canonicalJSON } from './hash.js';

/** Anything with ObjectMeta. */
export interface Meta {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    creationTimestamp?: string;
    deletionTimestamp?: string;
    resourceVersion?: string;
    generation?: number;
    finalizers?: string[];
  };
}

/** metav1.Time: RFC 3339 with whole seconds, as the API server and kube-controller-manager write it. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(s: string | undefined | null): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** The owner reference with controller: true, if any (metav1.GetControllerOf). */
export function controllerRefOf(obj: Meta | undefined): OwnerReference | undefined {
  return obj?.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef: the reference a controller puts on what it creates. */
export function newControllerRef(owner: Meta, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether obj's controller is owner (by UID, as metav1.IsControlledBy). */
export function isControlledBy(obj: Meta, owner: Meta): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

export const namespacedKey = (o: Meta): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

// ---------------------------------------------------------------------------------------------
// Pods (k8s.io/kubernetes/pkg/api/v1/pod and controller_utils).

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod turned Ready (its Ready condition's lastTransitionTime), if it is Ready. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  return c?.status === 'True' ? parseTime(c.lastTransitionTime) : undefined;
}

/** Ready for at least minReadySeconds (strictly longer, as podutil compares with Before). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/**
 * When a Ready-but-not-yet-available pod becomes available, so the controller can look again
 * then instead of polling; undefined when there is nothing to wait for.
 */
export function availableAt(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) return undefined;
  const since = podReadyTime(pod);
  return since === undefined ? undefined : since + minReadySeconds * 1000 + 1;
}

export const isPodTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
export const isPodTerminating = (pod: Pod): boolean => !!pod.metadata?.deletionTimestamp;

/** controller.IsPodActive: neither finished nor being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}

/** The earliest of several optional wake-up times (ms since epoch). */
export function earliest(...times: Array<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const t of times) if (t !== undefined && (best === undefined || t < best)) best = t;
  return best;
}

/** A reconcile Result asking to come back at `at` (ms since epoch), if any. */
export function requeueAt(at: number | undefined, nowMs: number): { requeueAfter: number } | undefined {
  if (at === undefined) return undefined;
  return { requeueAfter: Math.max(1, at - nowMs) };
}

// ---------------------------------------------------------------------------------------------
// Selectors and values.

/** A spec.selector as a matcher; an invalid selector matches nothing (the controller cannot act on it). */
export function selectorFor(sel: LabelSelectorObject | undefined | null): LabelSelector {
  try {
    return fromLabelSelector(sel ?? undefined);
  } catch {
    return nothing();
  }
}

/** Whether a metav1.LabelSelector is {} (selects everything), which controllers refuse to act on. */
export function isEmptySelector(sel: LabelSelectorObject | undefined | null): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

export type IntOrString = number | string;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down.
 * Throws on a string that is not a percentage, as Kubernetes does.
 */
export function scaledValue(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: ${JSON.stringify(v)}`);
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** Shallow label map with one more label (labelsutil.CloneAndAddLabel). */
export function withLabel(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  return { ...(labels ?? {}), [key]: value };
}

/** Removes undefined/empty values so objects compare the way the API would store them. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * A copy of o without the listed fields when they are 0 (Go's omitempty on int32 status
 * fields), so written status looks like kube-controller-manager's and compares equal to it.
 */
export function omitEmpty<T extends object>(o: T, keys: readonly (keyof T)[]): T {
  const out = { ...o };
  for (const k of keys) if ((out[k] as unknown) === 0 || out[k] === undefined) delete out[k];
  return out;
}

/** Whether two values serialize the same (key order ignored). */
export const sameJSON = (a: unknown, b: unknown): boolean => canonicalJSON(a) === canonicalJSON(b);
