/**
 * WorkloadRebalancer (apps.karmada.io/v1alpha1, Karmada's workloadrebalancer controller): for
 * each listed workload, set spec.rescheduleTriggeredAt on its binding to the rebalancer's
 * creation time — the scheduler then reschedules it from scratch ("fresh" mode) — and report
 * Successful, or Failed with ReferencedBindingNotFound. When every workload has a result,
 * status.finishTime is set, and the rebalancer is deleted ttlSecondsAfterFinished later.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { ClusterResourceBinding, ObservedWorkload, RebalanceObjectReference, ResourceBinding, WorkloadRebalancer, WorkloadRebalancerStatus } from '../../api/index.js';
import { REBALANCE_REASON_BINDING_NOT_FOUND } from '../../api/index.js';
import { bindingName } from '../../api/names.js';
import { isNotFound, type KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/index.js';
import type { Clock } from '../../util/clock.js';
import { REFS } from '../detector/index.js';
import { rfc3339 } from './status.js';

const refText = (w: RebalanceObjectReference) => `${w.apiVersion} ${w.kind} ${w.namespace ?? ''} ${w.name}`;
const sameRef = (a: RebalanceObjectReference, b: RebalanceObjectReference) =>
  a.apiVersion === b.apiVersion && a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;

/**
 * status.observedWorkloads for the current spec: results of listed workloads are kept; a workload
 * no longer listed stays only if it already succeeded; new ones start without a result.
 */
export function syncObserved(r: WorkloadRebalancer): ObservedWorkload[] {
  const spec = r.spec.workloads;
  const out: ObservedWorkload[] = [];
  const pending = [...spec];
  for (const o of r.status?.observedWorkloads ?? []) {
    const i = pending.findIndex((w) => sameRef(w, o.workload));
    if (i >= 0) {
      out.push(structuredClone(o));
      pending.splice(i, 1);
    } else if (o.result === 'Successful') out.push(structuredClone(o));
  }
  for (const w of pending) out.push({ workload: structuredClone(w) });
  return out.sort((a, b) => refText(a.workload).localeCompare(refText(b.workload)));
}

/** Karmada triggers only when the binding was not already triggered at or after the rebalancer's creation. */
export function needsTrigger(createdAt: string | undefined, triggeredAt: string | undefined): boolean {
  if (!triggeredAt) return true;
  return !!createdAt && Date.parse(createdAt) > Date.parse(triggeredAt);
}

export interface RebalancerDeps {
  client: KubeClient;
  rebalancers: Informer<WorkloadRebalancer>;
  rbs: Informer<ResourceBinding>;
  crbs: Informer<ClusterResourceBinding>;
  clock: Clock;
  log: Logger;
}

async function findBinding(d: RebalancerDeps, w: RebalanceObjectReference): Promise<ResourceBinding | ClusterResourceBinding | undefined> {
  const name = bindingName(w.kind, w.name);
  const cached = w.namespace ? d.rbs.getByName(w.namespace, name) : d.crbs.getByName(undefined, name);
  if (cached) return cached;
  try {
    // The cache may simply be behind a binding created a moment ago.
    return await d.client.get(w.namespace ? REFS.resourceBindings : REFS.clusterResourceBindings, name, w.namespace);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function reconcileRebalancer(d: RebalancerDeps, name: string): Promise<Result | void> {
  const r = d.rebalancers.getByName(undefined, name);
  if (!r || r.metadata.deletionTimestamp) return;
  const observed = syncObserved(r);
  const createdAt = r.metadata.creationTimestamp;
  let retry = 0;
  for (const o of observed) {
    if (o.result) continue;
    try {
      const b = await findBinding(d, o.workload);
      if (!b) {
        o.result = 'Failed';
        o.reason = REBALANCE_REASON_BINDING_NOT_FOUND;
        continue;
      }
      if (needsTrigger(createdAt, b.spec.rescheduleTriggeredAt)) {
        const ref = o.workload.namespace ? REFS.resourceBindings : REFS.clusterResourceBindings;
        await d.client.patch(ref, b.metadata.name!, { spec: { rescheduleTriggeredAt: createdAt } }, 'merge', { namespace: o.workload.namespace });
      }
      o.result = 'Successful';
    } catch (e) {
      if (isNotFound(e)) {
        o.result = 'Failed';
        o.reason = REBALANCE_REASON_BINDING_NOT_FOUND;
      } else {
        retry++;
        d.log.warn({ err: e, rebalancer: name, workload: o.workload }, 'rebalance trigger failed; will retry');
      }
    }
  }

  const old = r.status ?? {};
  const status: WorkloadRebalancerStatus = { observedWorkloads: observed, observedGeneration: r.metadata.generation ?? 0 };
  if (old.finishTime) status.finishTime = old.finishTime;
  const { finishTime: _f, ...oldRest } = old;
  const { finishTime: _n, ...newRest } = status;
  let resourceVersion = r.metadata.resourceVersion;
  if (!isDeepStrictEqual(oldRest, newRest)) {
    if (retry === 0) status.finishTime = rfc3339(d.clock.now());
    const updated = await d.client.update<WorkloadRebalancer>(REFS.workloadRebalancers, { ...r, status }, { subresource: 'status' });
    resourceVersion = updated.metadata.resourceVersion;
  }
  if (retry > 0) throw new Error(`${retry} workload(s) could not be triggered yet`);

  const ttl = r.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || !status.finishTime) return;
  const left = Date.parse(status.finishTime) + ttl * 1000 - d.clock.now();
  if (left > 0) return { requeueAfter: left };
  await d.client.delete(REFS.workloadRebalancers, name, { preconditions: { resourceVersion } }).catch((e) => {
    if (!isNotFound(e)) throw e;
  });
}
