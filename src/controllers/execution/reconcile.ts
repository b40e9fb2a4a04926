/**
 * One Work, one step (Karmada's execution controller, reshaped for server-side apply):
 *
 *  deleting   remove what it applied from the member (unless preserveResourcesOnDeletion),
 *             then its finalizer. A member that is not Ready is waited for, except when its
 *             Cluster is gone or being removed: then nothing is left to wait for (unjoin must
 *             not hang on an unreachable cluster).
 *  suspended  (spec.suspendDispatching) nothing reaches the member; Dispatching=False says so.
 *  otherwise  apply every manifest in order, remove objects whose manifests left the Work, and
 *             set Applied. A member that is not Ready is retried with backoff and, when it turns
 *             Ready, every Work of it is reconciled again, so a change made while it was away
 *             arrives when it is back.
 */
import type { Logger } from 'pino';
import { ApiError, type KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/reconcile.js';
import { clusterNameOf } from '../../api/names.js';
import { WORK_CONDITIONS } from '../../api/wellknown.js';
import type { Work } from '../../api/work.js';
import type { MemberClients } from '../../member/clients.js';
import type { Clock } from '../../util/clock.js';
import type { AppliedIndex } from './applied-index.js';
import { applyManifest, type ManifestResult, type MemberTarget } from './apply.js';
import { deleteApplied, deleteManifest, releaseManifest } from './remove.js';
import { findCondition, setCondition, type WantCondition } from './conditions.js';
import type { EventRecorder } from './events.js';
import type { MemberInformers } from './member-informers.js';
import type { MemberNamespaces } from './namespaces.js';
import { EXECUTION_FINALIZER, WORK_PERMANENT_ID_LABEL, type WorkRef } from './ownership.js';
import { appliedOutcome } from './outcome.js';
import type { RestMapper } from './restmapper.js';
import { patchFinalizers, patchStatus } from './status-write.js';
import type { VersionRecord } from './versions.js';
import { WORKS } from './resources.js';

export interface ExecutionDeps {
  client: KubeClient;
  works: Informer<Work>;
  clusters: Informer;
  members: MemberClients;
  informers: MemberInformers;
  mapper: RestMapper;
  namespaces: MemberNamespaces;
  versions: VersionRecord;
  applied: AppliedIndex;
  events: EventRecorder;
  clock: Clock;
  log: Logger;
  /** How often a Work held back by a conflict (Abort) looks again (the object may have gone). */
  conflictRecheckMs: number;
}

export const readyOf = (cluster: any): string | undefined => cluster?.status?.conditions?.find((c: any) => c?.type === 'Ready')?.status;

/** Thrown to retry with backoff; carries no stack worth logging. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

export function executionReconciler(d: ExecutionDeps) {
  const target = (cluster: string): MemberTarget | undefined => {
    const client = d.members.get(cluster);
    return client && { cluster, client, mapper: d.mapper, informers: d.informers, namespaces: d.namespaces, versions: d.versions };
  };

  const writeConditions = (work: Work, wants: WantCondition[]) =>
    patchStatus(d.client, WORKS, work, (w) => {
      let conds = w.status?.conditions ?? [];
      for (const want of wants) conds = setCondition(conds, want, d.clock.now());
      return conds === (w.status?.conditions ?? []) ? undefined : { conditions: conds };
    });

  async function finalize(work: Work, ref: WorkRef, cluster: string): Promise<void> {
    const finalizers = work.metadata.finalizers ?? [];
    if (!finalizers.includes(EXECUTION_FINALIZER)) return;
    const clusterObj = d.clusters.getByName(undefined, cluster);
    const t = clusterObj && target(cluster);
    // Preserved objects stay on the member, released from Flotilla; the rest is removed.
    const preserve = work.spec.preserveResourcesOnDeletion === true;
    if (t) {
      const ready = readyOf(clusterObj);
      if (ready === 'True' || ready === undefined) {
        try {
          for (const m of work.spec.workload?.manifests ?? []) await (preserve ? releaseManifest(t, ref, m) : deleteManifest(t, ref, m));
          if (!preserve) for (const o of d.applied.of(`${ref.namespace}/${ref.name}`).values()) if (o.cluster === cluster) await deleteApplied(t, o);
        } catch (e) {
          // A leaving cluster that refuses us (its credentials went first) or stopped answering
          // cannot be cleaned up; waiting would only block the unjoin.
          const hopeless = clusterObj.metadata?.deletionTimestamp && e instanceof ApiError && [0, 401, 403].includes(e.code);
          if (!hopeless) throw e;
          d.log.warn({ err: e, work: `${ref.namespace}/${ref.name}`, cluster }, 'leaving cluster cannot be cleaned up; its objects stay');
        }
      } else if (!clusterObj.metadata?.deletionTimestamp) {
        throw new RetryLater(`cluster ${cluster} is not ready; what Work ${ref.namespace}/${ref.name} applied is removed when it is back`);
      }
    }
    await patchFinalizers(d.client, WORKS, work, finalizers.filter((f) => f !== EXECUTION_FINALIZER));
  }

  return async function reconcile(key: string): Promise<Result | void> {
    const work = d.works.get(key);
    if (!work) return;
    const namespace = work.metadata.namespace!;
    const cluster = clusterNameOf(namespace);
    if (!cluster) return; // not an execution namespace: not ours to apply
    const ref: WorkRef & { permanentId?: string } = { namespace, name: work.metadata.name!, permanentId: work.metadata.labels?.[WORK_PERMANENT_ID_LABEL] };
    if (work.metadata.deletionTimestamp) return finalize(work, ref, cluster);

    const clusterObj = d.clusters.getByName(undefined, cluster);
    if (!clusterObj || clusterObj.metadata?.deletionTimestamp) {
      const message = clusterObj ? `cluster ${cluster} is being removed` : `cluster ${cluster} is not joined`;
      await writeConditions(work, [{ type: WORK_CONDITIONS.Applied, status: 'False', reason: 'ClusterNotFound', message, observedGeneration: work.metadata.generation }]);
      return; // a Cluster event brings the Work back
    }
    if (!(work.metadata.finalizers ?? []).includes(EXECUTION_FINALIZER)) {
      await patchFinalizers(d.client, WORKS, work, [...(work.metadata.finalizers ?? []), EXECUTION_FINALIZER]);
      return; // the update event brings the Work back, with its new resourceVersion
    }
    if (work.spec.suspendDispatching === true) {
      await writeConditions(work, [{ type: WORK_CONDITIONS.Dispatching, status: 'False', reason: 'SuspendDispatching', message: 'Work dispatching is in a suspended state.' }]);
      return;
    }
    const resumed: WantCondition[] = findCondition(work.status?.conditions, WORK_CONDITIONS.Dispatching)
      ? [{ type: WORK_CONDITIONS.Dispatching, status: 'True', reason: 'Dispatching', message: `Work is being dispatched to cluster ${cluster}.` }]
      : [];

    const ready = readyOf(clusterObj);
    const t = target(cluster);
    if ((ready !== undefined && ready !== 'True') || !t) {
      const applied = findCondition(work.status?.conditions, WORK_CONDITIONS.Applied);
      if (applied?.observedGeneration !== work.metadata.generation) {
        const message = `cluster ${cluster} is not ready; the Work is applied when it is back`;
        await writeConditions(work, [...resumed, { type: WORK_CONDITIONS.Applied, status: 'False', reason: 'ClusterNotReady', message, observedGeneration: work.metadata.generation }]);
      }
      throw new RetryLater(`cluster ${cluster} is not ready`);
    }

    const manifests = work.spec.workload?.manifests ?? [];
    const results: ManifestResult[] = [];
    for (let i = 0; i < manifests.length; i++) results.push(await applyManifest(t, { ...ref, metadata: work.metadata }, manifests[i], i));

    // Objects applied earlier whose manifests are gone; only after every manifest applied, so a
    // transient failure can never make a declared object look orphaned.
    if (results.every((r) => r.ok)) {
      const declared = new Set(results.flatMap((r) => (r.ok ? [r.key] : [])));
      for (const [k, o] of d.applied.of(key)) {
        if (o.cluster === cluster && !declared.has(k) && d.informers.get(cluster, o.gvr)?.hasSynced) await deleteApplied(t, o);
      }
    }

    const { condition: applied, events } = appliedOutcome(work, results, cluster);
    for (const e of events) d.events.event(e.on, e.type, e.reason, e.message);
    await writeConditions(work, [...resumed, applied]);
    if (results.some((r) => !r.ok && r.retry)) throw new RetryLater(applied.message);
    if (results.some((r) => !r.ok && r.conflict)) return { requeueAfter: d.conflictRecheckMs };
    if (results.some((r) => !r.ok)) d.log.info({ work: key, cluster }, applied.message);
  };
}
