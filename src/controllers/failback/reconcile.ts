/**
 * One binding's failback step (failover/failback.ts decides): request a fresh reschedule when
 * its preferred clusters are back and stable and the policy has a free slot, finish when the
 * move has settled, forget the record when nothing is left to move back. Each write carries the
 * binding's resourceVersion as precondition.
 */
import type { Logger } from 'pino';
import type { Cluster, ClusterPropagationPolicy, PropagationPolicy } from '../../api/index.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/reconcile.js';
import { policyOf, rfc3339, type AnyBinding } from '../../failover/binding.js';
import { decideFailback, failbackSettings, preferredClusters } from '../../failover/failback.js';
import { CLUSTERS_BEFORE_FAILOVER_ANNOTATION, EVENT_REASONS, FAILBACK_STARTED_ANNOTATION } from '../../failover/wellknown.js';
import type { Clock } from '../../util/clock.js';
import type { EventRecorder } from '../execution/events.js';
import { recordBoth, writeBinding, type Bindings } from '../taint/bindings.js';
import type { FailoverMetrics } from '../taint/metrics.js';

export interface FailbackDeps {
  client: KubeClient;
  bindings: Bindings;
  clusters: Informer<Cluster>;
  pps: Informer<PropagationPolicy>;
  cpps: Informer<ClusterPropagationPolicy>;
  events: EventRecorder;
  metrics: FailoverMetrics;
  clock: Clock;
  log: Logger;
  /** Default stabilisation window (the cluster one) and how long a move may take. */
  stabilizationMs: number;
  inFlightTimeoutMs: number;
  /** Bindings that have (or had) a failover record; the only candidates. */
  tracked: Set<string>;
  /** Called when a move ends, so bindings waiting for a slot look again. */
  slotFreed: (policy: string) => void;
}

/** "<kind>:<key>" of the claiming policy: the scope of failback-max-concurrent. */
export const policyKey = (b: AnyBinding) => {
  const p = policyOf(b);
  return p ? `${p.kind}:${p.key}` : '';
};

export function failbackReconciler(d: FailbackDeps): (key: string) => Promise<Result | void> {
  // Started here but maybe not yet in the cache: counted as in flight all the same.
  const startedLocally = new Set<string>();

  function inFlight(self: string, policy: string): number {
    let n = 0;
    for (const k of new Set([...d.tracked, ...startedLocally])) {
      if (k === self) continue;
      const o = d.bindings.get(k);
      if (!o || policyKey(o) !== policy) continue;
      if (startedLocally.has(k) || o.metadata.annotations?.[FAILBACK_STARTED_ANNOTATION]) n++;
    }
    return n;
  }

  function policyAnnotations(b: AnyBinding): Record<string, string> | undefined {
    const p = policyOf(b);
    if (!p) return undefined;
    return (p.kind === 'PropagationPolicy' ? d.pps.get(p.key) : d.cpps.get(p.key))?.metadata.annotations;
  }

  async function write(b: AnyBinding, change: (annotations: Record<string, string>) => Partial<AnyBinding['spec']> | void): Promise<void> {
    const annotations = { ...b.metadata.annotations };
    const spec = change(annotations) ?? {};
    await writeBinding(d.client, { ...b, metadata: { ...b.metadata, annotations }, spec: { ...b.spec, ...spec } } as AnyBinding);
  }

  return async (key) => {
    const b = d.bindings.get(key);
    if (!b || b.metadata.deletionTimestamp) {
      startedLocally.delete(key);
      d.tracked.delete(key);
      return;
    }
    const now = d.clock.now();
    const policy = policyKey(b);
    const decision = decideFailback({
      binding: b,
      settings: failbackSettings(policyAnnotations(b), b.metadata.annotations, { stabilizationMs: d.stabilizationMs }),
      cluster: (name) => {
        const c = d.clusters.getByName(undefined, name);
        return c && { ready: c.status?.conditions?.find((x) => x.type === 'Ready'), taints: c.spec.taints };
      },
      now,
      inFlight: inFlight(key, policy),
      inFlightTimeoutMs: d.inFlightTimeoutMs,
    });
    switch (decision.action) {
      case 'none':
        if (!preferredClusters(b)) d.tracked.delete(key); // nothing recorded any more
        return;
      case 'wait':
        return decision.retryAfterMs !== undefined ? { requeueAfter: decision.retryAfterMs } : undefined;
      case 'forget':
        if (b.metadata.annotations?.[CLUSTERS_BEFORE_FAILOVER_ANNOTATION] !== undefined) await write(b, (a) => void delete a[CLUSTERS_BEFORE_FAILOVER_ANNOTATION]);
        d.tracked.delete(key);
        return;
      case 'trigger':
        await write(b, (a) => {
          a[FAILBACK_STARTED_ANNOTATION] = rfc3339(now);
          return { rescheduleTriggeredAt: decision.rescheduleTriggeredAt };
        });
        startedLocally.add(key);
        d.metrics.failbacks.inc({ result: 'started' });
        recordBoth(d.events, b, 'Normal', EVENT_REASONS.FailbackStarted, `Moving back to ${decision.clusters.join(', ')}: healthy for the stabilisation window; rescheduling from scratch.`);
        d.log.info({ binding: key, clusters: decision.clusters }, 'failback started');
        return { requeueAfter: d.inFlightTimeoutMs };
      case 'complete': {
        await write(b, (a) => {
          delete a[FAILBACK_STARTED_ANNOTATION];
          delete a[CLUSTERS_BEFORE_FAILOVER_ANNOTATION];
        });
        startedLocally.delete(key);
        d.tracked.delete(key);
        const gaveUp = decision.reason.startsWith('gave up');
        d.metrics.failbacks.inc({ result: gaveUp ? 'abandoned' : 'completed' });
        recordBoth(d.events, b, gaveUp ? 'Warning' : 'Normal', EVENT_REASONS.FailbackCompleted, `Failback ${gaveUp ? 'abandoned' : 'complete'}: ${decision.reason}.`);
        d.slotFreed(policy);
        return;
      }
    }
  };
}

