/**
 * The simulated nodes of a cluster: registration (what a kubelet reports about its machine),
 * Lease heartbeats in kube-node-lease, and failure injection. A failed node carries the
 * annotation sim.flotilla.io/node-failed: its kubelet is "dead", so its lease stops, the
 * node-fail stage reports its conditions Unknown, and the node lifecycle controller taints it
 * and evicts its pods. Removing the annotation (heal, or kubectl) brings it back.
 */
import { createHash } from 'node:crypto';
import type { Node } from 'kubernetes-types/core/v1.js';
import { isAlreadyExists, isNotFound } from '../client/client.js';
import { R } from '../client/resources.js';
import type { TimerHandle } from '../util/clock.js';
import { FIELD_MANAGER, forEachLimit, type SimContext } from './context.js';
import { nodeCount, type ClusterSpec } from './fleet.js';
import { intToIp, nodePodPrefix, parseCidr, subnet } from './ipam.js';

export const NODE_FAILED = 'sim.flotilla.io/node-failed';
export const POOL_LABEL = 'sim.flotilla.io/node-pool';
export const LEASE_NAMESPACE = 'kube-node-lease';

const uuidFrom = (s: string): string => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The Node objects a cluster's kubelets register (without conditions: the node-ready stage reports those). */
export function buildNodes(c: ClusterSpec): Node[] {
  const podCidr = parseCidr(c.podCIDR);
  const nodeCidr = parseCidr(c.nodeCIDR);
  const prefix = nodePodPrefix(podCidr, nodeCount(c));
  const nodes: Node[] = [];
  let n = 0;
  for (const pool of c.pools) {
    for (let i = 0; i < pool.count; i++, n++) {
      const name = pool.name === 'node' ? `${c.name}-node-${i}` : `${c.name}-${pool.name}-${i}`;
      const zone = c.zones[n % c.zones.length]!;
      const range = subnet(podCidr, prefix, n).text;
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'beta.kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'kubernetes.io/os': 'linux',
            'kubernetes.io/hostname': name,
            'node.kubernetes.io/instance-type': pool.instanceType,
            'topology.kubernetes.io/region': c.region,
            'topology.kubernetes.io/zone': zone,
            [POOL_LABEL]: pool.name,
            ...pool.labels,
          },
          annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
        },
        spec: {
          podCIDR: range,
          podCIDRs: [range],
          providerID: `flotilla-sim://${c.provider}/${c.region}/${zone}/${name}`,
          ...(pool.taints.length ? { taints: pool.taints } : {}),
        },
        status: {
          capacity: { ...pool.capacity },
          allocatable: { ...pool.capacity },
          addresses: [
            { type: 'InternalIP', address: intToIp(nodeCidr.base + 10 + n) },
            { type: 'Hostname', address: name },
          ],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            architecture: 'amd64',
            bootID: uuidFrom(`${c.name}/${name}/boot`),
            containerRuntimeVersion: 'containerd://1.7.22',
            kernelVersion: '6.8.0-flotilla-sim',
            kubeProxyVersion: c.kubernetesVersion,
            kubeletVersion: c.kubernetesVersion,
            machineID: uuidFrom(`${c.name}/${name}/machine`).replace(/-/g, ''),
            operatingSystem: 'linux',
            osImage: 'Flotilla simulated node',
            systemUUID: uuidFrom(`${c.name}/${name}/system`),
          },
        },
      });
    }
  }
  return nodes;
}

/** metav1.MicroTime, as Leases carry it. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

export class NodeAgent {
  readonly #ctx: SimContext;
  readonly #nodes: Node[];
  #timer?: TimerHandle;
  #next = 0;
  #stopped = false;

  constructor(ctx: SimContext) {
    this.#ctx = ctx;
    this.#nodes = buildNodes(ctx.cluster);
    ctx.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  get names(): string[] {
    return this.#nodes.map((n) => n.metadata!.name!);
  }

  /** Creates the nodes that do not exist yet (a restarted cluster keeps its nodes as they were), and their Leases. */
  async register(): Promise<void> {
    await forEachLimit(this.#nodes, 16, async (node) => {
      try {
        await this.#ctx.client.create(R.nodes, node, { fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    });
    const failed = this.#failed();
    await forEachLimit(
      this.#nodes.filter((n) => !failed.has(n.metadata!.name!)),
      16,
      (n) => this.#renew(n.metadata!.name!, true),
    );
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) this.#ctx.clock.clearTimeout(this.#timer);
  }

  // Renewals are spread evenly over the interval (one node per tick), as independent kubelets
  // would be, instead of every node of every cluster at the same instant.
  #schedule(): void {
    if (this.#stopped || this.#nodes.length === 0) return;
    const tick = this.#ctx.timing.leaseRenewMs / this.#nodes.length;
    this.#timer = this.#ctx.clock.setTimeout(() => {
      const name = this.#nodes[this.#next++ % this.#nodes.length]!.metadata!.name!;
      this.#schedule();
      if (this.#failed().has(name)) return;
      this.#renew(name, false).catch((e) => {
        if (!this.#stopped) this.#ctx.log.warn({ err: e, node: name }, 'lease renewal failed');
      });
    }, tick);
  }

  #failed(): Set<string> {
    const informer = this.#ctx.factory.for<Node>(R.nodes);
    return new Set(informer.list().filter((n) => n.metadata?.annotations?.[NODE_FAILED]).map((n) => n.metadata!.name!));
  }

  /** Renews a node's Lease, creating it when missing (`create` first when it is likely new). */
  async #renew(name: string, createFirst: boolean): Promise<void> {
    if (this.#stopped) return;
    const spec = { holderIdentity: name, leaseDurationSeconds: this.#ctx.timing.leaseDurationSeconds, renewTime: microTime(this.#ctx.clock.now()) };
    const patch = () => this.#ctx.client.patch(R.leases, name, { spec }, 'merge', { namespace: LEASE_NAMESPACE, fieldManager: FIELD_MANAGER });
    const create = () => {
      const owner = this.#ctx.factory.for<Node>(R.nodes).getByName(undefined, name);
      const lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: LEASE_NAMESPACE,
          ...(owner?.metadata?.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: owner.metadata.uid }] } : {}),
        },
        spec,
      };
      return this.#ctx.client.create(R.leases, lease, { fieldManager: FIELD_MANAGER });
    };
    try {
      await (createFirst ? create() : patch());
    } catch (e) {
      if (createFirst && isAlreadyExists(e)) await patch();
      else if (!createFirst && isNotFound(e)) await create();
      else throw e;
    }
  }

  /**
   * Kills the kubelets of round(rate × nodes) live nodes (at least one; chosen at random), or of the named
   * nodes. Returns the nodes failed.
   */
  async failNodes(opts: { rate?: number; names?: string[] }): Promise<string[]> {
    const informer = this.#ctx.factory.for<Node>(R.nodes);
    let names = opts.names;
    if (!names) {
      const live = this.names.filter((n) => !informer.getByName(undefined, n)?.metadata?.annotations?.[NODE_FAILED]);
      const rate = opts.rate ?? 0;
      const k = Math.min(live.length, Math.max(rate > 0 ? 1 : 0, Math.round(rate * this.#nodes.length)));
      names = shuffle(live).slice(0, k).sort();
    }
    await forEachLimit(names, 16, (n) => this.#annotate(n, 'true'));
    this.#ctx.log.info({ nodes: names }, 'node failures injected');
    return names;
  }

  /** Brings every failed node back; returns their names. */
  async healNodes(): Promise<string[]> {
    const informer = this.#ctx.factory.for<Node>(R.nodes);
    const failed = informer
      .list()
      .filter((n) => n.metadata?.annotations?.[NODE_FAILED])
      .map((n) => n.metadata!.name!);
    await forEachLimit(failed, 16, (n) => this.#annotate(n, null));
    if (failed.length) this.#ctx.log.info({ nodes: failed }, 'failed nodes healed');
    return failed;
  }

  async #annotate(node: string, value: string | null): Promise<void> {
    await this.#ctx.client.patch(R.nodes, node, { metadata: { annotations: { [NODE_FAILED]: value } } }, 'merge', { fieldManager: FIELD_MANAGER });
  }
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
