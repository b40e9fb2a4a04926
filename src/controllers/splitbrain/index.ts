/**
 * splitBrain: removes copies a member cluster kept while it was away after the control plane
 * moved them (src/failover/splitbrain.ts decides, ./sweep.ts lists, confirms and deletes).
 *
 * The normal path needs no sweeper: an evicted cluster's Work keeps its execution finalizer until
 * the member answers and the copy is deleted. The sweeper catches what that path cannot see, a
 * copy whose Work is already gone (finalizer removed by hand, execution namespace recreated, a
 * control plane restored from a backup). A cluster is swept when its Ready condition turns True
 * after being anything else (the partition healed, the cluster came back), and every
 * `intervalMs` while it stays Ready. Nothing is swept before the Work and binding caches have
 * synced, and each deletion is confirmed by live reads of the control plane: never on a guess.
 * Every deletion is logged and recorded as an Event on the Cluster (and on the binding, when it
 * still exists).
 */
import type { Cluster, Work } from '../../api/index.js';
import { isNotFound, type KubeClient } from '../../client/client.js';
import { Controller } from '../../controller/controller.js';
import { bindingKey, type AnyBinding } from '../../failover/binding.js';
import type { BindingRef } from '../../failover/splitbrain.js';
import { sharedEventRecorder } from '../execution/events.js';
import { WORKS } from '../execution/resources.js';
import type { StartController } from '../manager.js';
import { bindingObject, Bindings, clusterInformer, REFS } from '../taint/bindings.js';
import { sweepMember, type ApiEnablement } from './sweep.js';

export { listableResources, sweepMember, type SweepDeps, type SweepResult } from './sweep.js';

/** Event reason on the Cluster (and the binding) for each copy removed. */
export const ORPHAN_DELETED_REASON = 'SplitBrainCopyDeleted';

export interface SplitBrainOptions {
  /** Sweep every Ready cluster this often (ms); default 5 minutes. */
  intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 5 * 60_000;

const readyOf = (c: Cluster | undefined) => c?.status?.conditions?.find((x) => x.type === 'Ready')?.status;

const getOrUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
};

function bindingGetter(client: KubeClient) {
  return (r: BindingRef) =>
    getOrUndefined(
      r.kind === 'ResourceBinding' ? client.get<AnyBinding>(REFS.resourceBindings, r.name, r.namespace) : client.get<AnyBinding>(REFS.clusterResourceBindings, r.name),
    );
}

export function splitBrainSweeper(o: SplitBrainOptions = {}): StartController {
  const intervalMs = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  return (ctx) => {
    const clusters = clusterInformer(ctx.factory);
    const works = ctx.factory.for<Work>(WORKS);
    const bindings = new Bindings(ctx.factory);
    const events = sharedEventRecorder(ctx);

    const reconcile = async (name: string) => {
      const c = clusters.getByName(undefined, name);
      if (!c || c.metadata.deletionTimestamp) return;
      if (readyOf(c) !== 'True') return; // swept again when it turns Ready
      const member = ctx.members.get(name);
      if (!member) return { requeueAfter: intervalMs };
      const enablements = (c.status?.apiEnablements ?? []) as ApiEnablement[];
      const r = await sweepMember({
        cluster: name,
        member,
        enablements,
        workExists: (ns, n) => works.getByName(ns, n) !== undefined,
        binding: (ref) => bindings.get(ref.kind === 'ResourceBinding' ? `${ref.namespace}/${ref.name}` : ref.name),
        getWork: (ns, n) => getOrUndefined(ctx.client.get(WORKS, n, ns)),
        getBinding: bindingGetter(ctx.client),
        log: ctx.log,
        signal: ctx.signal,
        deleted: (d) => {
          const what = `${d.object.kind} ${d.object.metadata.namespace ? `${d.object.metadata.namespace}/` : ''}${d.object.metadata.name}`;
          const msg = `Deleted ${what} from ${name}: ${d.reason}.`;
          events.event({ apiVersion: c.apiVersion, kind: 'Cluster', name, uid: c.metadata.uid }, 'Warning', ORPHAN_DELETED_REASON, msg);
          const key = bindingKeyOf(d.object.metadata.annotations ?? {});
          const b = key ? bindings.get(key) : undefined;
          if (b) events.event(bindingObject(b), 'Warning', ORPHAN_DELETED_REASON, msg);
        },
      });
      ctx.log.debug({ cluster: name, listed: r.listed, deleted: r.deleted.length, pending: r.pending.length, spared: r.spared }, 'split-brain sweep');
      return { requeueAfter: intervalMs };
    };

    const controller = new Controller<string>({ name: 'splitBrain', workers: 1, clock: ctx.clock, logger: ctx.log, metrics: ctx.metrics, reconcile });
    clusters.on({
      add: (c) => {
        if (readyOf(c) === 'True') controller.enqueue(c.metadata.name!);
      },
      update: (old, c) => {
        if (readyOf(old) !== 'True' && readyOf(c) === 'True') controller.enqueue(c.metadata.name!);
      },
    });
    void Promise.all([clusters.synced(), works.synced(), bindings.synced()]).then(() => {
      if (!ctx.signal.aborted) controller.start(ctx.signal);
    });
    return { stop: () => controller.stop() };
  };
}

function bindingKeyOf(a: Record<string, string>): string | undefined {
  if (a['resourcebinding.karmada.io/name']) return bindingKey({ metadata: { name: a['resourcebinding.karmada.io/name'], namespace: a['resourcebinding.karmada.io/namespace'] } });
  if (a['clusterresourcebinding.karmada.io/name']) return a['clusterresourcebinding.karmada.io/name'];
  return undefined;
}

/** The manager's entry (registry.ts): sweeps on Ready transitions and every 5 minutes. */
export const startSplitBrain: StartController = splitBrainSweeper();
