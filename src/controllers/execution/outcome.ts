/**
 * What one execution pass over a Work amounts to: its Applied condition (Karmada's reasons
 * AppliedSuccessful / AppliedFailed, and WorkloadConflict when only conflicts held it back) and
 * the Warning Events to record, each on the template (the manifest's identity on the control
 * plane) and on the Work.
 */
import { WORK_CONDITIONS } from '../../api/wellknown.js';
import type { Work } from '../../api/work.js';
import type { ManifestResult } from './apply.js';
import type { WantCondition } from './conditions.js';
import type { EventType, InvolvedObject } from './events.js';
import { TEMPLATE_UID_ANNOTATION } from './ownership.js';

export interface PlannedEvent {
  on: InvolvedObject;
  type: EventType;
  reason: string;
  message: string;
}

type Failed = Extract<ManifestResult, { ok: false }>;

export function appliedOutcome(work: Work, results: readonly ManifestResult[], cluster: string): { condition: WantCondition; events: PlannedEvent[] } {
  const failed = results.filter((r): r is Failed => !r.ok);
  const manifests = work.spec.workload?.manifests ?? [];
  const events: PlannedEvent[] = [];
  const workObj: InvolvedObject = { apiVersion: work.apiVersion, kind: 'Work', namespace: work.metadata.namespace, name: work.metadata.name!, uid: work.metadata.uid };
  for (const f of failed) {
    const reason = f.conflict ? 'WorkloadConflict' : 'SyncFailed';
    const m: any = manifests[f.ordinal];
    if (f.id) events.push({ on: { ...f.id, uid: m?.metadata?.annotations?.[TEMPLATE_UID_ANNOTATION] }, type: 'Warning', reason, message: f.message });
    events.push({ on: workObj, type: 'Warning', reason, message: f.message });
  }
  const observedGeneration = work.metadata.generation;
  if (!failed.length) return { condition: { type: WORK_CONDITIONS.Applied, status: 'True', reason: 'AppliedSuccessful', message: 'Manifest has been successfully applied', observedGeneration }, events };
  const reason = failed.every((f) => f.conflict) ? 'WorkloadConflict' : 'AppliedFailed';
  const message = `Failed to apply all manifests (${results.length - failed.length}/${results.length}) to cluster ${cluster}: ${failed.map((f) => f.message).join('; ')}`;
  return { condition: { type: WORK_CONDITIONS.Applied, status: 'False', reason, message, observedGeneration }, events };
}
