/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods,
 * adopting matching orphans and releasing pods that stopped matching, and reports status
 * through the /status subresource. It reads only its informers and acts only through the API.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import { claimObjects } from './claim.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { Expectations } from './expectations.js';
import { routeOwned, routeOwners } from './owned.js';
import { isNamespaceTerminating, podFromTemplate, slowStartBatch, SLOW_START_INITIAL_BATCH } from './podcontrol.js';
import { podsToDelete } from './pod-ranking.js';
import { calculateReplicaSetStatus, nextAvailabilityChange, replicaDiff, replicaSetStatusChanged } from './replicaset-status.js';
import { controllerRefOf, isPodActive, namespacedKey, newControllerRef, requeueAt, selectorFor, splitKey } from './util.js';

export class ReplicaSetController {
  readonly controller: Controller<string>;
  readonly expectations: Expectations;

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
  ) {
    this.expectations = new Expectations(env.clock);
    this.controller = makeController(env, 'replicaset', (key, ctx) => this.reconcile(key, ctx));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.replicasets, enqueue, this.expectations);
    routeOwned(inf.pods, { ownerKind: 'ReplicaSet', owners: inf.replicasets, enqueue, expectations: this.expectations });
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const rs = this.inf.replicasets.get(key) as ReplicaSet | undefined;
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const { namespace } = splitKey(key);
    // Expectations first: a pod created after this check is then at worst counted twice, never missed.
    const needsSync = this.expectations.satisfied(key);
    const active = (inNamespace(this.inf.pods, namespace) as Pod[]).filter(isPodActive);
    const pods = await claimObjects(active, {
      owner: rs,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'ReplicaSet',
      selector: selectorFor(rs.spec?.selector),
      canAdopt: () => this.#canAdopt(rs),
      patch: (pod, patch) => this.env.client.patch<Pod>(R.pods, pod.metadata!.name!, patch, 'merge', { namespace }),
    });

    let manageError: Error | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.#manage(key, rs, pods, ctx);
      } catch (e) {
        manageError = e instanceof Error ? e : new Error(String(e));
      }
    }

    const now = this.env.clock.now();
    const status = calculateReplicaSetStatus(rs, pods, manageError, now);
    if (replicaSetStatusChanged(rs, status)) {
      status.observedGeneration = rs.metadata?.generation ?? 0;
      await this.env.client.update(R.replicasets, { ...rs, status }, { subresource: 'status' });
    }
    if (manageError) throw manageError;
    // Ready pods become available minReadySeconds later without any event to say so.
    return requeueAt(nextAvailabilityChange(pods, rs.spec?.minReadySeconds ?? 0, now), now);
  }

  async #canAdopt(rs: ReplicaSet): Promise<boolean> {
    try {
      const fresh = await this.env.client.get<ReplicaSet>(R.replicasets, rs.metadata!.name!, rs.metadata!.namespace);
      return fresh.metadata?.uid === rs.metadata?.uid && !fresh.metadata?.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async #manage(key: string, rs: ReplicaSet, pods: Pod[], ctx: ReconcileContext): Promise<void> {
    const diff = replicaDiff(pods.length, rs.spec?.replicas ?? 1);
    const namespace = rs.metadata!.namespace!;
    if (diff > 0) {
      this.expectations.expectCreations(key, diff);
      const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH, async () => {
        const pod = podFromTemplate(rs.spec?.template, rs.metadata!.name!, ref);
        try {
          await this.env.client.create(R.pods, pod, { namespace });
        } catch (e) {
          if (!isNamespaceTerminating(e)) throw e;
        }
      });
      // Pods never created (failed or skipped) will never be observed.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error) {
        ctx.log.info({ err: error, created: successes, wanted: diff }, 'Failed creating pods');
        throw error;
      }
      return;
    }
    if (diff < 0) {
      const victims = podsToDelete(pods, this.#relatedPods(rs), -diff, this.env.clock.now());
      this.expectations.expectDeletions(key, victims.map(namespacedKey));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.env.client.delete(R.pods, pod.metadata!.name!, { namespace });
          } catch (e) {
            this.expectations.deletionObserved(key, namespacedKey(pod));
            if (!isNotFound(e)) throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /**
   * Pods of this ReplicaSet and of its siblings (ReplicaSets with the same controller), used to
   * spread deletions away from nodes that run many of them (getIndirectlyRelatedPods).
   */
  #relatedPods(rs: ReplicaSet): Pod[] {
    const ns = rs.metadata?.namespace ?? '';
    const ctrl = controllerRefOf(rs);
    const siblings = ctrl
      ? (inNamespace(this.inf.replicasets, ns) as ReplicaSet[]).filter((o) => controllerRefOf(o)?.uid === ctrl.uid)
      : [rs];
    const uids = new Set(siblings.map((o) => o.metadata?.uid));
    return (inNamespace(this.inf.pods, ns) as Pod[]).filter((p) => uids.has(controllerRefOf(p)?.uid));
  }
}
