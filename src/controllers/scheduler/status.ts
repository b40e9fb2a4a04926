/**
 * What a decision writes to the binding, as pure functions: spec.clusters (Karmada omits zero
 * replicas), and the status — schedulerObservedGeneration, lastScheduledTime,
 * schedulerObservingAffinityName and the Scheduled condition whose message is the decision's
 * one-line summary.
 */
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { ResourceBindingStatus, TargetCluster } from '../../api/index.js';
import { BINDING_CONDITIONS, SCHEDULED_REASONS } from '../../api/wellknown.js';
import type { Decision } from '../../scheduler/index.js';

/** metav1.Time: seconds precision, UTC. */
export const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function specClusters(d: Decision): TargetCluster[] {
  return d.clusters.map((c) => (c.replicas > 0 ? { name: c.name, replicas: c.replicas } : { name: c.name }));
}

/** The Scheduled condition for a decision; lastTransitionTime moves only when status flips. */
export function scheduledCondition(d: Decision, previous: Condition | undefined, generation: number, now: number): Condition {
  const status = d.error ? 'False' : 'True';
  const reason = d.error ? d.error.reason : SCHEDULED_REASONS.Success;
  const message = d.explanation.summary.slice(0, 32_768);
  return {
    type: BINDING_CONDITIONS.Scheduled,
    status,
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: previous?.status === status && previous.lastTransitionTime ? previous.lastTransitionTime : rfc3339(now),
  };
}

export interface StatusInput {
  status: ResourceBindingStatus | undefined;
  decision: Decision;
  /** The binding's generation once spec.clusters is written. */
  generation: number;
  now: number;
  /** spec.rescheduleTriggeredAt: lastScheduledTime never stays behind it, or the reschedule would repeat. */
  rescheduleTriggeredAt?: string;
  /** Whether this pass is a decision to record (spec written, new generation, requested reschedule, or a changed outcome). */
  decided: boolean;
}

/** The status after the decision, or undefined when it has nothing new to say. */
export function nextStatus(i: StatusInput): ResourceBindingStatus | undefined {
  const old = i.status ?? {};
  const conditions = old.conditions ?? [];
  const prev = conditions.find((c) => c.type === BINDING_CONDITIONS.Scheduled);
  const cond = scheduledCondition(i.decision, prev, i.generation, i.now);
  const condChanged = !prev || prev.status !== cond.status || prev.reason !== cond.reason || prev.message !== cond.message;
  if (!i.decided && !condChanged && old.schedulerObservedGeneration === i.generation) return undefined;
  const next: ResourceBindingStatus = { ...old, schedulerObservedGeneration: i.generation };
  next.conditions = [...conditions.filter((c) => c.type !== BINDING_CONDITIONS.Scheduled), cond];
  if (!i.decision.error) {
    let at = i.now;
    const trig = i.rescheduleTriggeredAt ? Date.parse(i.rescheduleTriggeredAt) : NaN;
    if (!Number.isNaN(trig) && trig > at) at = trig;
    if (i.decided || !old.lastScheduledTime) next.lastScheduledTime = rfc3339(at);
    if (i.decision.affinityName !== undefined) next.schedulerObservingAffinityName = i.decision.affinityName;
    else delete next.schedulerObservingAffinityName;
  }
  return next;
}
