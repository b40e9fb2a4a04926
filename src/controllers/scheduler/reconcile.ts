/**
 * One scheduling pass for one binding: decide over the fleet snapshot, then persist — spec.clusters
 * (with the explanation and applied placement annotations) in one update guarded by the
 * binding's resourceVersion, then the status. Decisions are charged to the reservation ledger
 * synchronously, before any await, so concurrent workers never decide on the same free capacity.
 */
import type { Logger } from 'pino';
import type { ClusterResourceBinding, ResourceBinding } from '../../api/index.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/index.js';
import { rescheduleRequired, schedule, type Decision, type ReservationLedger } from '../../scheduler/index.js';
import type { Clock } from '../../util/clock.js';
import { APPLIED_PLACEMENT_ANNOTATION, bindingRef, EXPLANATION_ANNOTATION, involvedOf, type AnyBinding, type EventRecorder } from '../detector/index.js';
import { bindingInput, sameClusters, scheduleTrigger, skipReason } from './input.js';
import type { FleetSnapshot } from './snapshot.js';
import { nextStatus, specClusters } from './status.js';

export interface SchedulerDeps {
  client: KubeClient;
  rbs: Informer<ResourceBinding>;
  crbs: Informer<ClusterResourceBinding>;
  fleet: FleetSnapshot;
  ledger: ReservationLedger;
  events: EventRecorder;
  clock: Clock;
  log: Logger;
  /** Binding key → resourceVersion of our last write, to skip cache entries older than it. */
  written: Map<string, number>;
}

/** How soon a binding whose cached copy predates our own last write is looked at again. */
export const STALE_CACHE_RETRY_MS = 50;

/** Unschedulable bindings are tried again this often even if no cluster event arrives. */
export const UNSCHEDULABLE_RETRY_MS = 15_000;

/** `namespace/name` for a ResourceBinding, `name` for a ClusterResourceBinding (names hold no '/'). */
export const bindingKey = (b: AnyBinding) => (b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : (b.metadata.name ?? ''));

export function getBinding(d: Pick<SchedulerDeps, 'rbs' | 'crbs'>, key: string): AnyBinding | undefined {
  return key.includes('/') ? d.rbs.get(key) : d.crbs.get(key);
}

const storedSummary = (b: AnyBinding): string | undefined => {
  const raw = b.metadata.annotations?.[EXPLANATION_ANNOTATION];
  if (!raw) return undefined;
  try {
    return (JSON.parse(raw) as { summary?: string }).summary;
  } catch {
    return undefined;
  }
};

export async function reconcileBinding(d: SchedulerDeps, key: string): Promise<Result | void> {
  const b = getBinding(d, key);
  if (!b) return;
  const rv = Number(b.metadata.resourceVersion);
  const written = d.written.get(key);
  // Our own write is newer than the cache: look again once the cache has it. (Returning without a
  // requeue lost the request: a status write does not bump the generation, so its watch event
  // does not enqueue the key, and a cluster change that asked for a decision meanwhile was
  // dropped until the next unrelated event; the first template of a fresh fleet waited 15 s.)
  if (written !== undefined && Number.isFinite(rv) && rv < written) return { requeueAfter: STALE_CACHE_RETRY_MS };
  if (skipReason(b)) return;
  const ref = bindingRef(b.kind);
  const generation = b.metadata.generation ?? 0;

  if (!scheduleTrigger(b, (name) => d.fleet.get(name)?.deleting === false)) {
    // A divided workload stays where it is (see scheduleTrigger); only record that this
    // generation was seen, as Karmada does.
    if (b.status?.schedulerObservedGeneration !== generation) {
      const updated = await d.client.update<AnyBinding>(ref, { ...b, status: { ...b.status, schedulerObservedGeneration: generation } }, { subresource: 'status' });
      d.written.set(key, Number(updated.metadata.resourceVersion));
    }
    return;
  }

  const input = bindingInput(b);
  const fleet = d.fleet.list();
  const decision = schedule(input, fleet, { ledger: d.ledger });
  const changed = !sameClusters(decision.clusters, b.spec.clusters);
  const decided = changed || b.status?.schedulerObservedGeneration !== generation || rescheduleRequired(input);
  if (changed) d.ledger.commit(input, decision, fleet);

  let current: AnyBinding = b;
  try {
    // The placement counts as applied only once a decision under it succeeded (as in Karmada),
    // so a failed one is tried again on the next event.
    const placement = JSON.stringify(b.spec.placement ?? {});
    const markApplied = !decision.error && b.metadata.annotations?.[APPLIED_PLACEMENT_ANNOTATION] !== placement;
    if (changed || markApplied || (decided && storedSummary(b) !== decision.explanation.summary)) {
      const annotations: Record<string, string> = { ...b.metadata.annotations, [EXPLANATION_ANNOTATION]: JSON.stringify(decision.explanation) };
      if (!decision.error) annotations[APPLIED_PLACEMENT_ANNOTATION] = placement;
      current = await d.client.update<AnyBinding>(ref, { ...b, metadata: { ...b.metadata, annotations }, spec: { ...b.spec, clusters: specClusters(decision) } });
      d.written.set(key, Number(current.metadata.resourceVersion));
    }
  } catch (e) {
    // Nothing was placed: give the capacity back before anyone else decides.
    if (changed) d.ledger.release(input.uid);
    throw e;
  }

  const status = nextStatus({
    status: current.status,
    decision,
    generation: current.metadata.generation ?? generation,
    now: d.clock.now(),
    rescheduleTriggeredAt: b.spec.rescheduleTriggeredAt,
    decided,
  });
  if (status) {
    const updated = await d.client.update<AnyBinding>(ref, { ...current, status }, { subresource: 'status' });
    d.written.set(key, Number(updated.metadata.resourceVersion));
    reportOutcome(d, b, decision);
  }
  if (changed) d.log.debug({ binding: key, clusters: decision.clusters }, 'scheduled');
  return decision.error ? { requeueAfter: UNSCHEDULABLE_RETRY_MS } : undefined;
}

/** A failed decision is an event on the binding and its template (once per distinct message). */
function reportOutcome(d: SchedulerDeps, b: AnyBinding, decision: Decision): void {
  if (!decision.error) return;
  const msg = `Failed to schedule: ${decision.explanation.summary}`;
  d.events.event(involvedOf(b), 'Warning', 'ScheduleBindingFailed', msg);
  const r = b.spec.resource;
  d.events.event({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace, uid: r.uid }, 'Warning', 'ScheduleBindingFailed', msg);
}
