/**
 * The simulated kube-scheduler: binds Pending pods without a node using the pure scheduling
 * functions (fit.ts) over the nodes and the pods already bound (terminating ones included
 * until gone, plus pods bound by this scheduler that the informer has not shown yet). Binds
 * through pods/binding as kube-scheduler does; a pod that fits nowhere gets
 * PodScheduled=False/Unschedulable with kube-scheduler's FitError message and is retried
 * when nodes or pods change.
 */
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { Controller } from '../controller/controller.js';
import { isConflict, isNotFound } from '../client/client.js';
import { keyOf } from '../client/informer.js';
import { R } from '../client/resources.js';
import { addPodToNodeInfo, buildNodeInfo, schedule, type NodeInfo, type ScheduleResult } from './scheduling/fit.js';
import { FIELD_MANAGER, type SimContext } from './context.js';
import { isTerminal, type PodIndex } from './pod-index.js';
import { rfc3339 } from './stage-template.js';

export const SCHEDULER_NAME = 'default-scheduler';
/** How often pods that fit nowhere are tried again even without a change (kube-scheduler: 5 min). */
const UNSCHEDULABLE_RETRY_MS = 60_000;

/** Whether this scheduler should place the pod now. */
export function needsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && !isTerminal(pod) && (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME;
}

/**
 * NodeInfos for scheduling: each node with its bound pods, plus the assumed ones (bound by us,
 * not yet seen bound). `base` may come from a cache; it must reflect the node's bound pods.
 */
export function nodeInfos(
  nodes: readonly Node[],
  podsOn: (node: string) => readonly Pod[],
  assumed: ReadonlyMap<string, { node: string; pod: Pod }> = new Map(),
  base: (node: Node) => NodeInfo = (n) => buildNodeInfo(n, podsOn(n.metadata?.name ?? '')),
): NodeInfo[] {
  const extra = new Map<string, Pod[]>();
  for (const a of assumed.values()) extra.set(a.node, [...(extra.get(a.node) ?? []), a.pod]);
  return nodes.map((n) => {
    const name = n.metadata?.name ?? '';
    let info = base(n);
    const more = extra.get(name);
    if (more) {
      const seen = new Set(podsOn(name).map(keyOf));
      for (const p of more) if (!seen.has(keyOf(p))) info = addPodToNodeInfo(info, p);
    }
    return info;
  });
}

/** The PodScheduled condition for an unschedulable pod, or undefined when the pod already says so. */
export function unschedulableCondition(pod: Pod, result: Extract<ScheduleResult, { unschedulable: true }>, now: string): PodCondition | undefined {
  const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (cur?.status === 'False' && cur.reason === result.reason && cur.message === result.message) return undefined;
  return { type: 'PodScheduled', status: 'False', reason: result.reason, message: result.message, lastProbeTime: null as unknown as string, lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : now };
}

export function bindingFor(pod: Pod, node: string) {
  return { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata!.name!, namespace: pod.metadata!.namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
}

export class Scheduler {
  readonly controller: Controller;
  /** Pods bound by us that the informer has not caught up with: their resources are taken. */
  readonly #assumed = new Map<string, { node: string; pod: Pod }>();
  readonly #unschedulable = new Set<string>();
  /** NodeInfo per node, valid while neither the node nor its pods change. */
  readonly #infos = new Map<string, { node: Node; info: NodeInfo }>();
  readonly #ctx: SimContext;
  readonly #pods: PodIndex;
  /** Bindings made (for tests and benchmarks). */
  bound = 0;

  constructor(ctx: SimContext, pods: PodIndex) {
    this.#ctx = ctx;
    this.#pods = pods;
    this.controller = new Controller({ name: 'scheduler', clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile: (key) => this.#reconcile(key) });
    const nodes = ctx.factory.for<Node>(R.nodes);
    pods.onChange((p, old, deleted) => {
      const key = keyOf(p);
      // Only binding, leaving and finishing change a node's accounting; status updates do not.
      if (deleted || !old || old.spec?.nodeName !== p.spec?.nodeName || isTerminal(old) !== isTerminal(p)) {
        if (p.spec?.nodeName) this.#infos.delete(p.spec.nodeName);
        if (old?.spec?.nodeName) this.#infos.delete(old.spec.nodeName);
      }
      if (deleted || p.spec?.nodeName) this.#assumed.delete(key);
      if (deleted) this.#unschedulable.delete(key);
      else if (needsScheduling(p)) this.controller.enqueue(key);
      // Room may have been freed: a pod went away, finished, or moved.
      if (old?.spec?.nodeName && (deleted || isTerminal(p) !== isTerminal(old))) this.#retryUnschedulable();
    });
    nodes.on({
      add: () => this.#retryUnschedulable(),
      update: (old, n) => {
        if (schedulingRelevant(old) !== schedulingRelevant(n)) this.#retryUnschedulable();
      },
    });
  }

  start(): void {
    this.controller.start(this.#ctx.signal);
  }

  #baseInfo(node: Node): NodeInfo {
    const name = node.metadata?.name ?? '';
    const hit = this.#infos.get(name);
    if (hit && hit.node === node) return hit.info;
    const info = buildNodeInfo(node, this.#pods.onNode(name));
    this.#infos.set(name, { node, info });
    return info;
  }

  #retryUnschedulable(): void {
    for (const k of this.#unschedulable) this.controller.enqueue(k);
  }

  async #reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const pod = this.#pods.get(key);
    if (!pod || !needsScheduling(pod)) {
      this.#unschedulable.delete(key);
      return;
    }
    if (this.#assumed.has(key)) return;
    const nodes = this.#ctx.factory.for<Node>(R.nodes).list();
    const infos = nodeInfos(nodes, (n) => this.#pods.onNode(n), this.#assumed, (n) => this.#baseInfo(n));
    const result = schedule(pod, infos, { seed: this.#ctx.cluster.name });
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    if ('node' in result) {
      try {
        await this.#ctx.client.request('POST', this.#ctx.client.path(R.pods, ns, name, 'binding'), bindingFor(pod, result.node));
      } catch (e) {
        if (isNotFound(e) || isConflict(e)) return; // gone, or bound meanwhile
        throw e;
      }
      this.#assumed.set(key, { node: result.node, pod: { ...pod, spec: { ...pod.spec!, nodeName: result.node } } });
      this.#unschedulable.delete(key);
      this.bound++;
      this.#ctx.log.debug({ namespace: ns, name, node: result.node }, 'pod bound');
      return;
    }
    this.#unschedulable.add(key);
    const cond = unschedulableCondition(pod, result, rfc3339(this.#ctx.clock.now()));
    if (cond) {
      // A merge patch, as kube-scheduler patches status: nobody else writes an unbound pod's conditions.
      const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), cond];
      const status: Pod['status'] = { conditions, ...(result.nominatedNode ? { nominatedNodeName: result.nominatedNode } : {}) };
      try {
        await this.#ctx.client.patch(R.pods, name, { status }, 'merge', { namespace: ns, subresource: 'status', fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      this.#ctx.log.info({ namespace: ns, name, reason: result.message }, 'pod unschedulable');
    }
    // Preemption found room by evicting lower-priority pods: evict them, then retry.
    for (const v of result.victims ?? []) {
      await this.#ctx.client.delete(R.pods, v.name, { namespace: v.namespace }).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
    }
    return { requeueAfter: UNSCHEDULABLE_RETRY_MS };
  }
}

/** What about a node can change where pods fit (heartbeats are not). */
function schedulingRelevant(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable, ready]);
}
