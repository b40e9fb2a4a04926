/**
 * The node lifecycle controller's part that matters to workloads: a node whose Ready
 * condition is not True gets the not-ready/unreachable NoSchedule + NoExecute taints and its
 * pods are marked NotReady; when Ready comes back the taints go. Taint-based eviction then
 * deletes pods on NoExecute-tainted nodes once their toleration runs out (300 s by default, the
 * DefaultTolerationSeconds admission plugin's value; tolerationSeconds honoured), so their
 * owners replace them on healthy nodes.
 */
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { Controller } from '../controller/controller.js';
import { isConflict, isNotFound } from '../client/client.js';
import { keyOf, type Informer } from '../client/informer.js';
import { R } from '../client/resources.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, toleratesTaint } from './scheduling/taints.js';
import { FIELD_MANAGER, forEachLimit, type SimContext } from './context.js';
import { isPodReady, isTerminal, type PodIndex } from './pod-index.js';
import { rfc3339 } from './stage-template.js';

const MANAGED = new Set([TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]);

/** The node's taints with the condition-driven ones made to match its Ready condition; undefined when nothing changes. */
export function reconcileConditionTaints(node: Node, now: string): Taint[] | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const key = !ready || ready.status === 'True' ? undefined : ready.status === 'Unknown' ? TAINT_NODE_UNREACHABLE : TAINT_NODE_NOT_READY;
  const cur = node.spec?.taints ?? [];
  const kept = cur.filter((t) => !MANAGED.has(t.key) || t.key === key);
  const want = [...kept];
  if (key) {
    if (!kept.some((t) => t.key === key && t.effect === 'NoSchedule')) want.push({ key, effect: 'NoSchedule' });
    if (!kept.some((t) => t.key === key && t.effect === 'NoExecute')) want.push({ key, effect: 'NoExecute', timeAdded: now });
  }
  return JSON.stringify(want) === JSON.stringify(cur) ? undefined : want;
}

/** The pod's tolerations plus what DefaultTolerationSeconds admission would have added. */
export function withDefaultTolerations(tolerations: readonly Toleration[], seconds: number): Toleration[] {
  const out = [...tolerations];
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    const has = tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    if (!has) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  return out;
}

/**
 * Milliseconds from now until the pod must be evicted from a node with these taints: 0 for
 * an untolerated NoExecute taint, undefined when it may stay forever (taint_eviction.go's
 * getMinTolerationTime, counted from when the taint was added).
 */
export function evictionDelay(pod: Pod, taints: readonly Taint[], now: number, defaultSeconds: number): number | undefined {
  const noExec = taints.filter((t) => t.effect === 'NoExecute');
  if (noExec.length === 0) return undefined;
  const tolerations = withDefaultTolerations(pod.spec?.tolerations ?? [], defaultSeconds);
  let min: number | undefined;
  let since = now;
  for (const taint of noExec) {
    const used = tolerations.filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) if (typeof t.tolerationSeconds === 'number') min = Math.min(min ?? Infinity, Math.max(0, t.tolerationSeconds));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    if (!Number.isNaN(added)) since = Math.min(since, added);
  }
  if (min === undefined) return undefined;
  return Math.max(0, since + min * 1000 - now);
}

export function startNodeLifecycle(ctx: SimContext, pods: PodIndex): { lifecycle: Controller; eviction: Controller } {
  const nodes: Informer<Node> = ctx.factory.for<Node>(R.nodes);
  const common = { clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics };

  const lifecycle = new Controller({
    name: 'node-lifecycle',
    ...common,
    reconcile: async (name) => {
      const node = nodes.getByName(undefined, name);
      if (!node) return;
      const taints = reconcileConditionTaints(node, rfc3339(ctx.clock.now()));
      try {
        if (taints) {
          const patch = { metadata: { resourceVersion: node.metadata!.resourceVersion }, spec: { taints: taints.length ? taints : null } };
          await ctx.client.patch(R.nodes, name, patch, 'merge', { fieldManager: FIELD_MANAGER });
        }
        const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
        if (ready && ready.status !== 'True') await markPodsNotReady(ctx, pods.onNode(name));
      } catch (e) {
        if (isConflict(e)) return { requeueAfter: 50 }; // our cache is behind; the newer object is on its way
        throw e;
      }
    },
  });

  const eviction = new Controller({
    name: 'taint-eviction',
    ...common,
    workers: 4,
    reconcile: async (key) => {
      const pod = pods.get(key);
      if (!pod?.spec?.nodeName || pod.metadata?.deletionTimestamp || isTerminal(pod)) return;
      const node = nodes.getByName(undefined, pod.spec.nodeName);
      if (!node) return;
      const wait = evictionDelay(pod, node.spec?.taints ?? [], ctx.clock.now(), ctx.timing.defaultTolerationSeconds);
      if (wait === undefined) return;
      if (wait > 0) return { requeueAfter: wait };
      ctx.log.info({ namespace: pod.metadata?.namespace, name: pod.metadata?.name, node: node.metadata?.name }, 'evicting pod from tainted node');
      try {
        await ctx.client.delete(R.pods, pod.metadata!.name!, { namespace: pod.metadata!.namespace, preconditions: { uid: pod.metadata!.uid! } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    },
  });

  nodes.on({
    add: (n) => lifecycle.enqueue(n.metadata!.name!),
    update: (old, n) => {
      const name = n.metadata!.name!;
      const readyOf = (x: Node) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      if (readyOf(old) !== readyOf(n) || JSON.stringify(old.spec?.taints) !== JSON.stringify(n.spec?.taints)) lifecycle.enqueue(name);
      if (JSON.stringify(old.spec?.taints) !== JSON.stringify(n.spec?.taints)) for (const p of pods.onNode(name)) eviction.enqueue(keyOf(p));
    },
  });
  pods.onChange((p, _old, deleted) => {
    if (deleted || !p.spec?.nodeName) return;
    const node = nodes.getByName(undefined, p.spec.nodeName);
    if (node?.spec?.taints?.some((t) => t.effect === 'NoExecute')) eviction.enqueue(keyOf(p));
    // A pod Ready on a node that is not (bound or reported late) is marked NotReady too.
    const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True' && isPodReady(p)) lifecycle.enqueue(p.spec.nodeName);
  });
  lifecycle.start(ctx.signal);
  eviction.start(ctx.signal);
  return { lifecycle, eviction };
}

/** nodelifecycle's MarkPodsNotReady: Ready=False on every pod of a node that stopped reporting. */
async function markPodsNotReady(ctx: SimContext, pods: Pod[]): Promise<void> {
  const now = rfc3339(ctx.clock.now());
  await forEachLimit(
    pods.filter((p) => isPodReady(p) && !isTerminal(p)),
    8,
    async (p) => {
      const conditions = (p.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      try {
        await ctx.client.update(R.pods, { ...p, status: { ...p.status, conditions } }, { subresource: 'status', fieldManager: FIELD_MANAGER });
      } catch (e) {
        if (!isNotFound(e)) throw e; // a conflict retries through the controller
      }
    },
  );
}
