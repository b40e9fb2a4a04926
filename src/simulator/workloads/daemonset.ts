/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per eligible node, pinned to it by
 * required node affinity on metadata.name (as Kubernetes does; the scheduler then binds it),
 * or bound directly with spec.nodeName when configured; finished pods replaced (failed ones
 * with backoff); rolling updates within maxUnavailable; status counts per node.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import { claimObjects } from './claim.js';
import { daemonPodTolerations, daemonSetStatus, DS_HASH_LABEL, nodeActions, pinToNode, podsByNode, rollingUpdateVictims, templateHash } from './daemonset-util.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { Expectations } from './expectations.js';
import { routeOwned, routeOwners } from './owned.js';
import { isNamespaceTerminating, podFromTemplate, slowStartBatch, SLOW_START_INITIAL_BATCH } from './podcontrol.js';
import { availableAt, earliest, sameJSON, isEmptySelector, namespacedKey, newControllerRef, requeueAt, selectorFor, splitKey } from './util.js';

export interface DaemonSetOptions {
  /** Also set spec.nodeName on new daemon pods, so no scheduler is needed (default false: the scheduler binds them). */
  bindDirectly?: boolean;
}

/** Failed daemon pods are replaced after 1 s, doubling up to 15 min (failedPodsBackoff). */
const BACKOFF_INITIAL_MS = 1000;
const BACKOFF_MAX_MS = 15 * 60 * 1000;

export class DaemonSetController {
  readonly controller: Controller<string>;
  readonly expectations: Expectations;
  readonly #backoff = new Map<string, { delay: number; at: number }>();

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
    readonly options: DaemonSetOptions = {},
  ) {
    this.expectations = new Expectations(env.clock);
    this.controller = makeController(env, 'daemonset', (key, ctx) => this.reconcile(key, ctx));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.daemonsets, enqueue, this.expectations);
    routeOwned(inf.pods, { ownerKind: 'DaemonSet', owners: inf.daemonsets, enqueue, expectations: this.expectations });
    const all = () => inf.daemonsets.list().forEach((ds) => enqueue(namespacedKey(ds)));
    const placement = (n: Node) => JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable]);
    inf.nodes.on({ add: all, delete: all, update: (a: Node, b: Node) => placement(a) !== placement(b) && all() });
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const ds = this.inf.daemonsets.get(key) as DaemonSet | undefined;
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    if (isEmptySelector(ds.spec?.selector) || ds.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const pods = await claimObjects(inNamespace(this.inf.pods, namespace) as Pod[], {
      owner: ds,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'DaemonSet',
      selector: selectorFor(ds.spec?.selector),
      canAdopt: async () => {
        const fresh = await this.env.client.get<DaemonSet>(R.daemonsets, ds.metadata!.name!, namespace).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
        return !!fresh && fresh.metadata?.uid === ds.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
      patch: (pod, patch) => this.env.client.patch<Pod>(R.pods, pod.metadata!.name!, patch, 'merge', { namespace }),
    });
    const nodes = this.inf.nodes.list() as Node[];
    const hash = templateHash(ds);
    const now = this.env.clock.now();
    let wake: number | undefined;
    let error: unknown;
    const acted = this.expectations.satisfied(key);
    if (acted) {
      try {
        wake = await this.#manage(key, ds, nodes, podsByNode(pods), hash, now);
        if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
          await this.#sync(key, ds, rollingUpdateVictims(ds, nodes, podsByNode(pods), hash, now), []);
        }
      } catch (e) {
        error = e;
      }
    }
    const status = daemonSetStatus(ds, nodes, podsByNode(pods), hash, acted, now);
    if (!sameJSON(ds.status ?? {}, status)) await this.env.client.update(R.daemonsets, { ...ds, status }, { subresource: 'status' });
    if (error) throw error;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    ctx.log.trace({ desired: status.desiredNumberScheduled }, 'Synced');
    return requeueAt(earliest(wake, ...pods.map((p) => availableAt(p, minReady, now))), now);
  }

  /** manage(): per-node creations and deletions, plus pods pinned to nodes that no longer exist. Returns when a backoff ends. */
  async #manage(key: string, ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string, now: number): Promise<number | undefined> {
    const create: string[] = [];
    const remove: Pod[] = [];
    let wake: number | undefined;
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const bkey = `${ds.metadata?.uid}/${name}`;
      const b = this.#backoff.get(bkey);
      const inBackoff = !!b && now - b.at < b.delay;
      const a = nodeActions(node, byNode.get(name) ?? [], ds, inBackoff);
      if (a.create) create.push(name);
      remove.push(...a.remove);
      if (a.failed && inBackoff) wake = earliest(wake, b!.at + b!.delay);
      else if (a.failed) {
        const delay = b && now - b.at <= 2 * BACKOFF_MAX_MS ? Math.min(b.delay * 2, BACKOFF_MAX_MS) : BACKOFF_INITIAL_MS;
        this.#backoff.set(bkey, { delay, at: now });
      }
    }
    const known = new Set(nodes.map((n) => n.metadata?.name));
    for (const [name, pods] of byNode) if (!known.has(name)) remove.push(...pods.filter((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp));
    await this.#sync(key, ds, remove, create, hash);
    return wake;
  }

  /** syncNodes: creates pods for nodes and deletes pods, recording expectations first. */
  async #sync(key: string, ds: DaemonSet, remove: Pod[], createOn: string[], hash = templateHash(ds)): Promise<void> {
    if (!remove.length && !createOn.length) return;
    const namespace = ds.metadata!.namespace!;
    this.expectations.expect(key, createOn.length, remove.map(namespacedKey));
    const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet');
    const template = ds.spec?.template;
    const { successes, error } = await slowStartBatch(createOn.length, SLOW_START_INITIAL_BATCH, async (i) => {
      const nodeName = createOn[i]!;
      const pod = podFromTemplate(template, ds.metadata!.name!, ref, { labels: { [DS_HASH_LABEL]: hash } });
      pod.spec!.tolerations = daemonPodTolerations(template?.spec);
      pod.spec!.affinity = pinToNode(template?.spec?.affinity, nodeName);
      if (this.options.bindDirectly) pod.spec!.nodeName = nodeName;
      try {
        await this.env.client.create(R.pods, pod, { namespace });
      } catch (e) {
        if (!isNamespaceTerminating(e)) throw e;
      }
    });
    for (let i = successes; i < createOn.length; i++) this.expectations.creationObserved(key);
    const results = await Promise.allSettled(
      remove.map(async (pod) => {
        try {
          await this.env.client.delete(R.pods, pod.metadata!.name!, { namespace });
        } catch (e) {
          this.expectations.deletionObserved(key, namespacedKey(pod));
          if (!isNotFound(e)) throw e;
        }
      }),
    );
    if (error) throw error;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
