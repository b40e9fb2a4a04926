/**
 * The cluster Lease (coordination.k8s.io/v1, namespace karmada-cluster, named after the cluster,
 * holder flotilla-controller-manager): renewed on every healthy probe, so its renewTime is the
 * last time the member answered. That is the heartbeat Karmada's pull-mode agent gives, made
 * available for push mode too; it also lets the monitor resume its grace periods after a
 * restart. The Lease is owned by its Cluster, so it goes when the Cluster goes.
 */
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { NAMESPACE_KARMADA_CLUSTER } from '../../api/names.js';
import { CLUSTER_API_VERSION } from '../../api/cluster.js';

export const LEASE_HOLDER = 'flotilla-controller-manager';

/** metav1.MicroTime. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class ClusterLeases {
  readonly #last = new Map<string, any>();

  constructor(readonly client: KubeClient) {}

  /** The lease's renewTime (ms), read once per cluster; undefined when there is none. */
  async lastRenewed(cluster: string): Promise<number | undefined> {
    let lease = this.#last.get(cluster);
    if (!lease) {
      try {
        lease = await this.client.get(R.leases, cluster, NAMESPACE_KARMADA_CLUSTER);
        this.#last.set(cluster, lease);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return undefined;
      }
    }
    const t = Date.parse(lease?.spec?.renewTime ?? '');
    return Number.isNaN(t) ? undefined : t;
  }

  async renew(cluster: { metadata: { name?: string; uid?: string } }, nowMs: number, durationSeconds: number): Promise<void> {
    const name = cluster.metadata.name!;
    const spec = { holderIdentity: LEASE_HOLDER, leaseDurationSeconds: durationSeconds, renewTime: microTime(nowMs) };
    const cur = this.#last.get(name);
    if (cur) {
      try {
        this.#last.set(name, await this.client.update(R.leases, { ...cur, spec: { ...cur.spec, ...spec } }));
        return;
      } catch (e) {
        this.#last.delete(name);
        if (!isNotFound(e) && !isConflict(e)) throw e;
        if (isConflict(e)) return; // someone else wrote it; the next renewal reads it again
      }
    }
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: NAMESPACE_KARMADA_CLUSTER,
        ownerReferences: [{ apiVersion: CLUSTER_API_VERSION, kind: 'Cluster', name, uid: cluster.metadata.uid!, blockOwnerDeletion: false }],
      },
      spec: { ...spec, acquireTime: microTime(nowMs) },
    };
    try {
      this.#last.set(name, await this.client.create(R.leases, lease));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      this.#last.set(name, await this.client.get(R.leases, name, NAMESPACE_KARMADA_CLUSTER));
      await this.renew(cluster, nowMs, durationSeconds);
    }
  }

  forget(cluster: string): void {
    this.#last.delete(cluster);
  }
}
