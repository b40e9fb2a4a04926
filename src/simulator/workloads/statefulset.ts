/**
 * The StatefulSet controller (pkg/controller/statefulset): ordered pods `<set>-<ordinal>`
 * with their claims (created Bound), scale-down from the highest ordinal, rolling updates with
 * a partition, ControllerRevisions for the templates, and status.
 */
import { randomUUID } from 'node:crypto';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import { claimObjects } from './claim.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { routeOwned, routeOwners } from './owned.js';
import { planStatefulSet, type StsAction } from './statefulset-plan.js';
import {
  byRevisionNumber,
  claimsFor,
  countPods,
  equalRevision,
  newRevision,
  ordinalOf,
  podRevision,
  statefulSetStatus,
  statusDiffers,
} from './statefulset-util.js';
import { isControlledBy, requeueAt, selectorFor, splitKey } from './util.js';

export class StatefulSetController {
  readonly controller: Controller<string>;

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
  ) {
    this.controller = makeController(env, 'statefulset', (key, ctx) => this.reconcile(key, ctx));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.statefulsets, enqueue);
    routeOwned(inf.pods, { ownerKind: 'StatefulSet', owners: inf.statefulsets, enqueue });
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const set = this.inf.statefulsets.get(key) as StatefulSet | undefined;
    if (!set) return;
    const { namespace, name } = splitKey(key);
    const candidates = (inNamespace(this.inf.pods, namespace) as Pod[]).filter((p) => ordinalOf(name, p.metadata?.name) >= 0 || isControlledBy(p, set));
    const pods = await claimObjects(candidates, {
      owner: set,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'StatefulSet',
      selector: selectorFor(set.spec?.selector),
      canAdopt: async () => {
        const fresh = await this.env.client.get<StatefulSet>(R.statefulsets, name, namespace).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
        return !!fresh && fresh.metadata?.uid === set.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
      patch: (pod, patch) => this.env.client.patch<Pod>(R.pods, pod.metadata!.name!, patch, 'merge', { namespace }),
    });

    const revisions = (inNamespace(this.inf.controllerrevisions, namespace) as ControllerRevision[]).filter((r) => isControlledBy(r, set)).sort(byRevisionNumber);
    let collisionCount = set.status?.collisionCount ?? 0;
    const { current, update, count } = await this.#revisions(set, revisions, collisionCount);
    collisionCount = count;

    const now = this.env.clock.now();
    const plan = planStatefulSet({ set, pods, currentRevision: current, updateRevision: update, nowMs: now });
    let actionError: unknown;
    try {
      for (const a of plan.actions) await this.#execute(set, a, ctx);
    } catch (e) {
      actionError = e;
    }

    const counts = countPods(plan.pods, set.spec?.minReadySeconds ?? 0, current.metadata!.name!, update.metadata!.name!, now);
    const status = statefulSetStatus(set, counts, current.metadata!.name!, update.metadata!.name!, collisionCount);
    if (statusDiffers(set, status)) await this.env.client.update(R.statefulsets, { ...set, status }, { subresource: 'status' });
    if (actionError) throw actionError;
    await this.#truncateHistory(set, pods, [...revisions.filter((r) => r.metadata?.uid !== update.metadata?.uid), update].sort(byRevisionNumber), current, update);
    return requeueAt(plan.wakeAt, now);
  }

  /** getStatefulSetRevisions: the revision for the current template (made or renumbered) and the current one. */
  async #revisions(set: StatefulSet, revisions: ControllerRevision[], collisionCount: number): Promise<{ current: ControllerRevision; update: ControllerRevision; count: number }> {
    const last = revisions[revisions.length - 1];
    let update = newRevision(set, last ? last.revision + 1 : 1, collisionCount);
    const equal = revisions.filter((r) => equalRevision(r, update));
    const lastEqual = equal[equal.length - 1];
    if (lastEqual && last && lastEqual.metadata?.uid === last.metadata?.uid) {
      update = last;
    } else if (lastEqual) {
      // Back to an older template: that revision becomes the newest again.
      update = await this.env.client.update<ControllerRevision>(R.controllerrevisions, { ...lastEqual, revision: update.revision });
    } else {
      for (;;) {
        try {
          update = await this.env.client.create<ControllerRevision>(R.controllerrevisions, update);
          break;
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          const found = await this.env.client.get<ControllerRevision>(R.controllerrevisions, update.metadata!.name!, set.metadata!.namespace);
          if (equalRevision(found, update) && isControlledBy(found, set)) {
            update = found;
            break;
          }
          // Someone else's revision has this name: change the hash with the collision count.
          collisionCount++;
          update = newRevision(set, update.revision, collisionCount);
        }
      }
    }
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, count: collisionCount };
  }

  async #execute(set: StatefulSet, a: StsAction, ctx: ReconcileContext): Promise<void> {
    const namespace = set.metadata!.namespace!;
    switch (a.type) {
      case 'claims':
        await this.#ensureClaims(set, a.ordinal);
        return;
      case 'create':
        await this.#ensureClaims(set, a.ordinal);
        try {
          await this.env.client.create(R.pods, a.pod, { namespace });
        } catch (e) {
          // Pod names are the lock: it exists, the cache has not caught up.
          if (!isAlreadyExists(e)) throw e;
        }
        return;
      case 'delete': {
        ctx.log.debug({ pod: a.pod.metadata?.name, why: a.why }, 'Deleting pod');
        try {
          await this.env.client.delete(R.pods, a.pod.metadata!.name!, { namespace, preconditions: { uid: a.pod.metadata!.uid! } });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        if (a.why === 'scale-down' && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
          for (const c of claimsFor(set, ordinalOf(set.metadata!.name!, a.pod.metadata?.name))) {
            await this.env.client.delete(R.persistentvolumeclaims, c.metadata!.name!, { namespace }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
          }
        }
        return;
      }
    }
  }

  /** Creates the ordinal's missing claims, Bound at once. */
  async #ensureClaims(set: StatefulSet, ordinal: number): Promise<void> {
    const namespace = set.metadata!.namespace!;
    for (const claim of claimsFor(set, ordinal)) {
      if (this.inf.pvcs.getByName(namespace, claim.metadata!.name!)) continue;
      // Bound to a volume that exists only in name, as a dynamic provisioner would name it.
      claim.spec = { ...claim.spec, volumeName: `pvc-${randomUUID()}` };
      claim.metadata!.annotations = { ...claim.metadata!.annotations, 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
      try {
        const created = await this.env.client.create<PersistentVolumeClaim>(R.persistentvolumeclaims, claim, { namespace });
        // Servers that drop status on create get it through /status.
        if (created.status?.phase !== 'Bound') {
          await this.env.client.update(R.persistentvolumeclaims, { ...created, status: claim.status }, { subresource: 'status' });
        }
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
  }

  /** Deletes revisions no pod uses beyond revisionHistoryLimit, oldest first (truncateHistory). */
  async #truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const live = new Set([current.metadata?.name, update.metadata?.name, ...pods.map(podRevision)]);
    const history = revisions.filter((r) => !live.has(r.metadata?.name));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    for (const r of history.slice(0, Math.max(0, history.length - limit))) {
      await this.env.client.delete(R.controllerrevisions, r.metadata!.name!, { namespace: set.metadata!.namespace! }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
  }
}
