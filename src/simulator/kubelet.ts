/**
 * The simulated kubelets of a cluster, all in one: the pod and node stage engines, plus what
 * the templates need from the node side (pod IPs from each node's pod range, host IPs). Pods
 * on a failed node are left alone (its kubelet is dead) until the node comes back.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../client/client.js';
import { keyOf, type Informer } from '../client/informer.js';
import { R } from '../client/resources.js';
import { FIELD_MANAGER, forEachLimit, type SimContext } from './context.js';
import { PodIpam } from './ipam.js';
import { NODE_FAILED } from './nodes.js';
import { isTerminal, type PodIndex } from './pod-index.js';
import { StageEngine } from './stage-engine.js';
import { rfc3339 } from './stage-template.js';

export interface Kubelet {
  pods: StageEngine;
  nodes: StageEngine;
}

const internalIP = (n: Node | undefined) => n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
const failed = (n: Node | undefined) => !!n?.metadata?.annotations?.[NODE_FAILED];

/** Starts the stage engines once the informers have synced (so IPs in use are known first). */
export async function startKubelet(ctx: SimContext, pods: PodIndex): Promise<Kubelet> {
  const nodes: Informer<Node> = ctx.factory.for<Node>(R.nodes);
  const ipam = new PodIpam();
  const common = { stages: ctx.stages, client: ctx.client, clock: ctx.clock, log: ctx.log, timeScale: ctx.timing.timeScale };
  const podEngine = new StageEngine({
    ...common,
    resource: 'pod',
    ref: R.pods,
    informer: pods.informer,
    paused: (p: Pod) => failed(nodes.getByName(undefined, p.spec?.nodeName ?? '')),
    context: (p: Pod) => {
      const node = nodes.getByName(undefined, p.spec?.nodeName ?? '');
      const hostIP = internalIP(node);
      return {
        hostIP: () => hostIP,
        podIP: () => (p.spec?.hostNetwork ? hostIP : ipam.assign(keyOf(p), p.spec!.nodeName!, p.status?.podIP)),
      };
    },
  });
  const nodeEngine = new StageEngine({ ...common, resource: 'node', ref: R.nodes, informer: nodes });

  const track = (n: Node) => {
    const cidr = n.spec?.podCIDR;
    if (cidr) ipam.setNodeRange(n.metadata!.name!, cidr);
  };
  nodes.on({
    add: track,
    update: (old, n) => {
      track(n);
      // The node's kubelet is back: its pods move on from where they were.
      if (failed(old) && !failed(n)) podEngine.resync((p: Pod) => p.spec?.nodeName === n.metadata?.name);
    },
  });
  pods.onChange((p, _old, deleted) => {
    if (deleted || isTerminal(p)) ipam.release(keyOf(p));
  });

  await Promise.all([nodes.synced(), pods.informer.synced()]);
  for (const n of nodes.list()) track(n);
  for (const p of pods.informer.list()) {
    if (p.spec?.nodeName && p.status?.podIP && !isTerminal(p) && !p.spec.hostNetwork) ipam.assign(keyOf(p), p.spec.nodeName, p.status.podIP);
  }
  podEngine.start();
  nodeEngine.start();
  ctx.signal.addEventListener('abort', () => {
    podEngine.stop();
    nodeEngine.stop();
  });
  return { pods: podEngine, nodes: nodeEngine };
}

/**
 * After a whole-cluster outage every container restarted: running pods lose readiness and
 * their containers wait with one more restart; the pod-ready stage then brings them back.
 */
export async function restartPods(ctx: SimContext, pods: readonly Pod[]): Promise<number> {
  const now = rfc3339(ctx.clock.now());
  const running = pods.filter((p) => p.spec?.nodeName && p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  await forEachLimit(running, 16, async (p) => {
    const conditions = (p.status?.conditions ?? []).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now } : c,
    );
    const containerStatuses = (p.status?.containerStatuses ?? []).map((s) => ({
      ...s,
      ready: false,
      started: false,
      restartCount: (s.restartCount ?? 0) + 1,
      ...(s.state?.running ? { lastState: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: s.state.running.startedAt, finishedAt: now } } } : {}),
      state: { waiting: { reason: 'ContainerCreating' } },
    }));
    try {
      await ctx.client.update(R.pods, { ...p, status: { ...p.status, conditions, containerStatuses } }, { subresource: 'status', fieldManager: FIELD_MANAGER });
    } catch (e) {
      if (!isNotFound(e)) ctx.log.warn({ err: e, namespace: p.metadata?.namespace, name: p.metadata?.name }, 'could not restart pod');
    }
  });
  return running.length;
}
