/**
 * The Deployment controller (pkg/controller/deployment): Deployment → ReplicaSets named
 * `<deployment>-<pod-template-hash>`, rolling updates within maxSurge / maxUnavailable,
 * Recreate, proportional scaling, pause, revision history and the status that
 * `kubectl rollout status` and `kubectl wait --for=condition=Available` read.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import { claimObjects } from './claim.js';
import { pausedConditionStatus } from './deployment-status.js';
import { DeploymentSync, type SyncResult } from './deployment-sync.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { resolveOwner, routeOwned, routeOwners } from './owned.js';
import { controllerRefOf, isEmptySelector, namespacedKey, requeueAt, selectorFor, splitKey } from './util.js';

export class DeploymentController {
  readonly controller: Controller<string>;

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
  ) {
    this.controller = makeController(env, 'deployment', (key, ctx) => this.reconcile(key, ctx));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.deployments, enqueue);
    routeOwned(inf.replicasets, { ownerKind: 'Deployment', owners: inf.deployments, enqueue });
    // Recreate waits for the old pods to be gone, which only pod deletions reveal.
    inf.pods.on({
      delete: (pod: Pod) => {
        const rs = resolveOwner(inf.replicasets, 'ReplicaSet', pod.metadata?.namespace, controllerRefOf(pod));
        const d = rs && (resolveOwner(inf.deployments, 'Deployment', rs.metadata?.namespace, controllerRefOf(rs)) as Deployment | undefined);
        if (d?.spec?.strategy?.type === 'Recreate') enqueue(namespacedKey(d));
      },
    });
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.inf.deployments.get(key) as Deployment | undefined;
    if (!cached) return;
    const d = structuredClone(cached);
    const now = () => this.env.clock.now();
    const { namespace } = splitKey(key);

    if (isEmptySelector(d.spec?.selector)) {
      // A deployment selecting every pod is refused; only its generation is acknowledged.
      ctx.log.warn('This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.env.client.update(R.deployments, { ...d, status: { ...d.status, observedGeneration: d.metadata?.generation } }, { subresource: 'status' });
      }
      return;
    }

    const rsList = await claimObjects(inNamespace(this.inf.replicasets, namespace) as ReplicaSet[], {
      owner: d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      selector: selectorFor(d.spec?.selector),
      canAdopt: () => this.#canAdopt(d),
      patch: (rs, patch) => this.env.client.patch<ReplicaSet>(R.replicasets, rs.metadata!.name!, patch, 'merge', { namespace }),
    });
    const recreate = d.spec?.strategy?.type === 'Recreate';
    const sync = new DeploymentSync(this.env.client, now, d, rsList, recreate ? this.#podsOf(rsList, namespace) : []);

    let result: SyncResult;
    if (d.metadata?.deletionTimestamp) {
      result = await sync.statusOnly();
    } else {
      const paused = pausedConditionStatus(sync.d, now());
      if (paused) await sync.writeStatus(paused);
      if (sync.d.spec?.paused || (await sync.isScalingEvent())) result = await sync.scaleAndStatus();
      else if (recreate) result = await sync.recreate();
      else result = await sync.rolling();
    }
    return requeueAt(result.recheckAt, now());
  }

  async #canAdopt(d: Deployment): Promise<boolean> {
    try {
      const fresh = await this.env.client.get<Deployment>(R.deployments, d.metadata!.name!, d.metadata!.namespace);
      return fresh.metadata?.uid === d.metadata?.uid && !fresh.metadata?.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Pods controlled by the deployment's ReplicaSets (getPodMapForDeployment). */
  #podsOf(rsList: readonly ReplicaSet[], namespace: string): Pod[] {
    const uids = new Set(rsList.map((rs) => rs.metadata?.uid));
    return (inNamespace(this.inf.pods, namespace) as Pod[]).filter((p) => uids.has(controllerRefOf(p)?.uid));
  }
}
