/**
 * Failback, opt-in (beyond Karmada, which never moves workloads back: kar#1189, #5206, #7441).
 * A policy (or binding) annotated `failover.flotilla.io/failback: "true"` asks for its workloads
 * to return to the clusters they ran on before failover once those clusters have been Ready,
 * untainted, for a stabilisation window (failback-stabilization, default the controller's
 * cluster stabilisation), at most failback-max-concurrent (default 1) bindings of the policy
 * moving at a time.
 *
 * Moving back is a fresh reschedule (spec.rescheduleTriggeredAt, as a WorkloadRebalancer does):
 * the scheduler places the workload from scratch over every candidate, the recovered clusters
 * included. A binding is in flight from that request until it is scheduled and its targets are
 * ready (./graceful.ts replacementsReady), or until the in-flight timeout.
 */
import type { Taint, Toleration } from '../api/index.js';
import { findUntoleratedTaint } from '../simulator/scheduling/taints.js';
import { clusterTolerations, isScheduled, rfc3339, targets, timeOf, type AnyBinding } from './binding.js';
import { replacementsNotReady } from './graceful.js';
import { healthyFor, type ReadyLike } from './health.js';
import {
  CLUSTERS_BEFORE_FAILOVER_ANNOTATION,
  FAILBACK_ANNOTATION,
  FAILBACK_MAX_CONCURRENT_ANNOTATION,
  FAILBACK_STABILIZATION_ANNOTATION,
  FAILBACK_STARTED_ANNOTATION,
} from './wellknown.js';

export interface FailbackSettings {
  stabilizationMs: number;
  maxConcurrent: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "60s", "2m", "1h", "1m30s", or bare seconds ("90"); undefined when malformed. */
export function parseDuration(s: string | undefined): number | undefined {
  const v = s?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== v) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/**
 * The failback settings asked for by the binding's annotations, else its policy's; undefined
 * when failback is not asked for. Malformed values fall back to the defaults.
 */
export function failbackSettings(
  policy: Record<string, string> | undefined,
  binding: Record<string, string> | undefined,
  defaults: { stabilizationMs: number; maxConcurrent?: number },
): FailbackSettings | undefined {
  const pick = (k: string) => binding?.[k] ?? policy?.[k];
  if (pick(FAILBACK_ANNOTATION)?.trim().toLowerCase() !== 'true') return undefined;
  const max = Number.parseInt(pick(FAILBACK_MAX_CONCURRENT_ANNOTATION) ?? '', 10);
  return {
    stabilizationMs: parseDuration(pick(FAILBACK_STABILIZATION_ANNOTATION)) ?? defaults.stabilizationMs,
    maxConcurrent: Number.isInteger(max) && max > 0 ? max : (defaults.maxConcurrent ?? 1),
  };
}

/** Where the binding ran before failover: the annotation, else its eviction tasks' record. */
export function preferredClusters(b: AnyBinding): string[] | undefined {
  const raw = b.metadata.annotations?.[CLUSTERS_BEFORE_FAILOVER_ANNOTATION];
  if (raw !== undefined) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  const fromTasks = new Set((b.spec.gracefulEvictionTasks ?? []).flatMap((t) => t.clustersBeforeFailover ?? []));
  return fromTasks.size ? [...fromTasks] : undefined;
}

export interface ClusterView {
  ready?: ReadyLike;
  taints?: readonly Taint[];
}

export interface FailbackInput {
  binding: AnyBinding;
  /** undefined: not opted in. */
  settings: FailbackSettings | undefined;
  /** The Cluster as the controller sees it; undefined when it no longer exists. */
  cluster: (name: string) => ClusterView | undefined;
  now: number;
  /** Other bindings of the same policy in flight. */
  inFlight: number;
  /** How long a binding may stay in flight before failback stops waiting for it. */
  inFlightTimeoutMs: number;
}

export type FailbackDecision =
  | { action: 'none' }
  | { action: 'forget'; reason: string }
  | { action: 'wait'; reason: string; retryAfterMs?: number }
  | { action: 'trigger'; clusters: string[]; rescheduleTriggeredAt: string }
  | { action: 'complete'; reason: string };

/** A cluster the binding could move back to now, or why not (and when to look again). */
function clusterOk(view: ClusterView, tolerations: readonly Toleration[], now: number, windowMs: number): { ok: true } | { ok: false; why: string; at?: number } {
  const h = healthyFor(view.ready, now, windowMs);
  if (!h.ok) return { ok: false, why: h.at === undefined ? 'is not Ready' : 'has not been Ready for the stabilisation window', ...(h.at !== undefined ? { at: h.at } : {}) };
  const taint = findUntoleratedTaint(view.taints ?? [], tolerations);
  return taint ? { ok: false, why: `has taint ${taint.key}:${taint.effect}` } : { ok: true };
}

export function decideFailback(i: FailbackInput): FailbackDecision {
  const b = i.binding;
  const preferred = preferredClusters(b);
  if (!preferred) return { action: 'none' };
  const started = timeOf(b.metadata.annotations?.[FAILBACK_STARTED_ANNOTATION]);
  if (started !== undefined) {
    const notReady = replacementsNotReady(b);
    if (notReady === undefined) return { action: 'complete', reason: 'the workload is back and ready' };
    if (i.now >= started + i.inFlightTimeoutMs) return { action: 'complete', reason: `gave up waiting: ${notReady}` };
    return { action: 'wait', reason: notReady, retryAfterMs: started + i.inFlightTimeoutMs - i.now };
  }
  const missing = preferred.filter((c) => !targets(b, c) && i.cluster(c) !== undefined);
  if (!missing.length) return { action: 'forget', reason: 'every preferred cluster that still exists is targeted again' };
  if (!i.settings) return { action: 'none' };
  if (b.spec.gracefulEvictionTasks?.length) return { action: 'wait', reason: 'an eviction is still in progress' };
  if (!isScheduled(b)) return { action: 'wait', reason: 'the scheduler has not acted on the latest spec' };
  for (const c of missing) {
    const v = clusterOk(i.cluster(c)!, clusterTolerations(b), i.now, i.settings.stabilizationMs);
    if (!v.ok) return { action: 'wait', reason: `cluster ${c} ${v.why}`, ...(v.at !== undefined ? { retryAfterMs: Math.max(1, v.at - i.now) } : {}) };
  }
  if (i.inFlight >= i.settings.maxConcurrent) return { action: 'wait', reason: `${i.inFlight} binding(s) of the policy are already moving back` };
  // Strictly after lastScheduledTime (seconds precision), or the scheduler would not see a new request.
  const last = timeOf(b.status?.lastScheduledTime) ?? -Infinity;
  const at = Math.max(Math.ceil(i.now / 1000) * 1000, last + 1000);
  return { action: 'trigger', clusters: missing, rescheduleTriggeredAt: rfc3339(at) };
}
