/**
 * The execution controller's wiring: which events bring a Work to reconcile.
 *
 *  - Work added, or changed in spec (generation), deletion, finalizers or annotations (the
 *    conflict resolution); status writes, which are most Work updates, do not.
 *  - Its Cluster joined, turned Ready, or is going away: every Work in its execution namespace.
 *  - A member object a Work applied was deleted, or changed by someone else (Karmada's
 *    objectwatcher): that Work, so the declared state is restored.
 */
import { clusterNameOf, executionSpaceName } from '../../api/names.js';
import type { Work } from '../../api/work.js';
import { Controller } from '../../controller/controller.js';
import { ItemExponentialFailureRateLimiter, MaxOfRateLimiter, BucketRateLimiter } from '../../controller/ratelimit.js';
import type { StartController } from '../manager.js';
import { AppliedIndex } from './applied-index.js';
import { sharedEventRecorder } from './events.js';
import { gvrKey, sharedMemberInformers } from './member-informers.js';
import { MemberNamespaces } from './namespaces.js';
import { EXECUTION_FINALIZER, ownerOf } from './ownership.js';
import { executionReconciler, readyOf, RetryLater } from './reconcile.js';
import { WORKS } from './resources.js';
import { RestMapper } from './restmapper.js';
import { VersionRecord } from './versions.js';

/** Retries back off to 30 s at most: a member coming back is also signalled by its Cluster. */
const MAX_RETRY_MS = 30_000;

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace}/${o.metadata?.name}`;

/** Whether a Work update can change what execution does. */
function workChanged(a: Work, b: Work): boolean {
  const ma = a.metadata;
  const mb = b.metadata;
  return (
    ma.generation !== mb.generation ||
    !!ma.deletionTimestamp !== !!mb.deletionTimestamp ||
    (ma.finalizers ?? []).includes(EXECUTION_FINALIZER) !== (mb.finalizers ?? []).includes(EXECUTION_FINALIZER) ||
    JSON.stringify(ma.annotations ?? {}) !== JSON.stringify(mb.annotations ?? {})
  );
}

export const startExecution: StartController = (ctx) => {
  const works = ctx.factory.for<Work>(WORKS);
  const clusters = ctx.members.clusters;
  const informers = sharedMemberInformers(ctx);
  const versions = new VersionRecord();
  const applied = new AppliedIndex();
  const namespaces = new MemberNamespaces();
  const mapper = new RestMapper(10_000, () => ctx.clock.now());
  // Failed attempts per Work, for the backoff of expected failures (RetryLater).
  const waits = new Map<string, number>();
  // Work keys per execution namespace, to requeue a cluster's Works without scanning all.
  const byNamespace = new Map<string, Set<string>>();

  const reconcile = executionReconciler({
    client: ctx.client,
    works,
    clusters,
    members: ctx.members,
    informers,
    mapper,
    namespaces,
    versions,
    applied,
    events: sharedEventRecorder(ctx),
    clock: ctx.clock,
    log: ctx.log,
    conflictRecheckMs: 60_000,
  });
  const controller = new Controller<string>({
    name: 'execution',
    // Reconciles wait on member round trips, not CPU: many run at once, each key still one at a time.
    workers: Math.max(ctx.options.workers, 32),
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    rateLimiter: new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter<string>(100, MAX_RETRY_MS), new BucketRateLimiter<string>(50, 500, ctx.clock)),
    reconcile: async (key, rc) => {
      try {
        const r = await reconcile(key);
        waits.delete(key);
        return r;
      } catch (e) {
        if (!(e instanceof RetryLater)) throw e;
        // Expected while a member is away or failing (and reported on the Work and the template):
        // back off without logging an error each time.
        const n = (waits.get(key) ?? 0) + 1;
        waits.set(key, n);
        rc.log.debug({ reason: e.message, attempt: n }, 'retrying later');
        return { requeueAfter: Math.min(100 * 2 ** (n - 1), MAX_RETRY_MS) };
      }
    },
  });

  const index = (w: Work, add: boolean) => {
    const ns = w.metadata.namespace!;
    if (!clusterNameOf(ns)) return;
    let s = byNamespace.get(ns);
    if (add) {
      if (!s) byNamespace.set(ns, (s = new Set()));
      s.add(keyOf(w));
    } else {
      s?.delete(keyOf(w));
      if (s && !s.size) byNamespace.delete(ns);
    }
  };
  const requeueCluster = (name: string) => {
    for (const k of byNamespace.get(executionSpaceName(name)) ?? []) controller.enqueue(k);
  };

  works.on({
    add: (w) => {
      index(w, true);
      controller.enqueue(keyOf(w));
    },
    update: (o, n) => {
      if (workChanged(o, n)) controller.enqueue(keyOf(n));
    },
    delete: (w) => {
      index(w, false);
      waits.delete(keyOf(w));
    },
  });
  clusters.on({
    add: (c: any) => requeueCluster(c.metadata.name),
    update: (o: any, n: any) => {
      const back = readyOf(n) === 'True' && readyOf(o) !== 'True';
      const leaving = !!n.metadata.deletionTimestamp && !o.metadata.deletionTimestamp;
      if (back || leaving) requeueCluster(n.metadata.name);
    },
    delete: (c: any) => {
      const name = c.metadata.name;
      versions.forgetCluster(name);
      applied.forgetCluster(name);
      namespaces.forget(name);
      mapper.forget(name);
      requeueCluster(name);
    },
  });
  informers.on((cluster, gvr, type, obj, old) => {
    applied.observe(cluster, gvr, type, obj, old);
    const owner = ownerOf(obj);
    if (!owner || clusterNameOf(owner.namespace) !== cluster) return;
    const workKey = `${owner.namespace}/${owner.name}`;
    const work = works.get(workKey);
    if (!work || work.metadata.deletionTimestamp || work.spec.suspendDispatching === true) return;
    const vkey = VersionRecord.key(cluster, gvrKey(gvr), obj.metadata?.namespace, obj.metadata?.name);
    if (type === 'delete' || (type === 'update' && versions.changedOutOfBand(vkey, obj))) {
      ctx.log.info({ cluster, work: workKey, resource: gvr.resource, namespace: obj.metadata?.namespace, name: obj.metadata?.name, event: type }, 'member object changed out of band; re-applying');
      controller.enqueue(workKey);
    }
  });

  void Promise.all([works.synced(), clusters.synced(), ctx.members.secrets.synced()]).then(() => controller.start(ctx.signal));
  return { stop: () => controller.stop() };
};
