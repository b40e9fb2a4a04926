/**
 * One pass of the deployment controller over one Deployment (sync.go, rolling.go,
 * recreate.go): find or create the new ReplicaSet, move replicas between ReplicaSets one step,
 * clean up old revisions and write status. The pass keeps the objects it wrote, so later steps
 * never act on what the informer has not delivered yet.
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { canonicalJSON } from './hash.js';
import { newReplicaSet } from './deployment-newrs.js';
import { isRollingUpdate, maxSurge, newReplicaSetTarget, oldReplicaSetsScaleDown, replicaSetsToCleanUp, scaleSteps } from './deployment-scale.js';
import { calculateStatus, deploymentComplete, rolloutStatus } from './deployment-status.js';
import {
  activeReplicaSets,
  actualReplicaCount,
  DESIRED_REPLICAS,
  findOldReplicaSets,
  intAnnotation,
  REVISION,
  replicasAnnotationsNeedUpdate,
  setReplicasAnnotations,
  specReplicas,
} from './deployment-util.js';
import { controllerRefOf, omitEmpty } from './util.js';

/** Deployment status fields Kubernetes omits when zero. */
const OMIT_ZERO: readonly (keyof DeploymentStatus)[] = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];

export interface SyncResult {
  /** When to look again for a progress-deadline timeout. */
  recheckAt?: number;
}

export class DeploymentSync {
  constructor(
    readonly client: KubeClient,
    readonly now: () => number,
    public d: Deployment,
    public rsList: ReplicaSet[],
    /** Pods of the deployment's ReplicaSets (Recreate waits for them to go). */
    readonly pods: readonly Pod[],
  ) {}

  get ns(): string {
    return this.d.metadata!.namespace!;
  }

  /** Replaces a ReplicaSet in the working list with what the server returned. */
  track(rs: ReplicaSet): ReplicaSet {
    const i = this.rsList.findIndex((x) => x.metadata?.uid === rs.metadata?.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  /** Writes status when it differs from what the deployment reports. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    const next = omitEmpty(status, OMIT_ZERO);
    if (canonicalJSON(next) === canonicalJSON(omitEmpty(this.d.status ?? {}, OMIT_ZERO))) return;
    this.d = await this.client.update<Deployment>(R.deployments, { ...this.d, status: next }, { subresource: 'status' });
  }

  /** The deployment's own revision annotation (written on the object: /status keeps metadata here). */
  async setDeploymentRevision(revision: string | undefined): Promise<void> {
    if (!revision || this.d.metadata?.annotations?.[REVISION] === revision) return;
    const patch = { metadata: { resourceVersion: this.d.metadata?.resourceVersion, annotations: { [REVISION]: revision } } };
    this.d = await this.client.patch<Deployment>(R.deployments, this.d.metadata!.name!, patch, 'merge', { namespace: this.ns });
  }

  /** scaleReplicaSet: writes size and replicas annotations when either differs; true when the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, replicas: number): Promise<boolean> {
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const sizeChanged = specReplicas(rs) !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas };
    setReplicasAnnotations(copy, desired, max);
    this.track(await this.client.update<ReplicaSet>(R.replicasets, copy));
    return sizeChanged;
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and all old ones. */
  async replicaSets(create: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(this.d, this.rsList).all;
    const newRS = await newReplicaSet(this, oldRSs, create);
    return { newRS, oldRSs: findOldReplicaSets(this.d, this.rsList).all.filter((rs) => rs.metadata?.uid !== newRS?.metadata?.uid) };
  }

  /** isScalingEvent: an active ReplicaSet was sized for a different deployment size. */
  async isScalingEvent(): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSets(false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS);
      return desired !== undefined && desired !== specReplicas(this.d);
    });
  }

  /** sync(): scaling (proportional when mid-rollout) and, when paused, history cleanup. */
  async scaleAndStatus(): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSets(false);
    for (const step of scaleSteps(this.d, newRS, oldRSs)) await this.scaleReplicaSet(step.rs, step.replicas);
    if (this.d.spec?.paused) await this.cleanup(oldRSs);
    const fresh = this.replicaSetsNow(newRS, oldRSs);
    await this.writeStatus(calculateStatus([...fresh.oldRSs, fresh.newRS], fresh.newRS, this.d, this.now()));
    return {};
  }

  /** The latest copies (after this pass's writes) of the given ReplicaSets. */
  replicaSetsNow(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const latest = (rs: ReplicaSet) => this.rsList.find((x) => x.metadata?.uid === rs.metadata?.uid) ?? rs;
    return { newRS: newRS && latest(newRS), oldRSs: oldRSs.map(latest) };
  }

  /** Status only, for a deployment being deleted (syncStatusOnly). */
  async statusOnly(): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSets(false);
    await this.writeStatus(calculateStatus([...oldRSs, newRS], newRS, this.d, this.now()));
    return {};
  }

  /** rolloutRolling: grow the new ReplicaSet within maxSurge, else shrink old ones within maxUnavailable. */
  async rolling(): Promise<SyncResult> {
    const first = await this.replicaSets(true);
    const newRS = first.newRS!;
    const target = newReplicaSetTarget(this.d, [...first.oldRSs, newRS], newRS);
    if (target !== undefined && (await this.scaleReplicaSet(newRS, target))) return this.rolloutStatus(first.newRS, first.oldRSs);
    const cur = this.replicaSetsNow(newRS, first.oldRSs);
    let scaledDown = false;
    for (const step of oldReplicaSetsScaleDown(this.d, [...cur.oldRSs, cur.newRS], cur.oldRSs, cur.newRS)) {
      if (await this.scaleReplicaSet(step.rs, step.replicas)) scaledDown = true;
    }
    if (!scaledDown && deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(cur.oldRSs);
    return this.rolloutStatus(cur.newRS, cur.oldRSs);
  }

  /** rolloutRecreate: all old pods gone before the new ReplicaSet gets any. */
  async recreate(): Promise<SyncResult> {
    let { newRS, oldRSs } = await this.replicaSets(false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if (await this.scaleReplicaSet(rs, 0)) scaledDown = true;
    if (scaledDown || this.#oldPodsRunning(newRS, this.replicaSetsNow(newRS, oldRSs).oldRSs)) return this.rolloutStatus(newRS, oldRSs);
    if (!newRS) ({ newRS, oldRSs } = await this.replicaSets(true));
    await this.scaleReplicaSet(this.replicaSetsNow(newRS, oldRSs).newRS!, specReplicas(this.d));
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(oldRSs);
    return this.rolloutStatus(newRS, oldRSs);
  }

  /** Old ReplicaSets still report pods, or a pod of theirs has not finished. */
  #oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    const uids = new Set(this.rsList.map((rs) => rs.metadata?.uid));
    return this.pods.some((p) => {
      const owner = controllerRefOf(p)?.uid;
      if (!owner || !uids.has(owner) || owner === newRS?.metadata?.uid) return false;
      return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
    });
  }

  async rolloutStatus(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<SyncResult> {
    const cur = this.replicaSetsNow(newRS, oldRSs);
    const { status, recheckAt } = rolloutStatus(this.d, [...cur.oldRSs, cur.newRS], cur.newRS, this.now());
    await this.writeStatus(status);
    return recheckAt === undefined ? {} : { recheckAt };
  }

  /** Deletes old, empty ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(this.d, this.replicaSetsNow(undefined, oldRSs).oldRSs)) {
      try {
        await this.client.delete(R.replicasets, rs.metadata!.name!, { namespace: this.ns, preconditions: { uid: rs.metadata!.uid! } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

export { isRollingUpdate };
