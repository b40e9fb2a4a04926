/**
 * workStatus: Work.status.manifestStatuses from the member objects the Work applied, watched
 * (never polled) through the shared member informers: an event on an object brings its Work
 * (found from the object's ownership mark) to reconcile, and reconcile reads only caches. A
 * Work whose manifests changed is reconciled too, so entries follow the manifest list. The
 * status is written only when it differs.
 *
 * Re-applying objects changed or deleted out of band is execution's part (it listens to the
 * same informers); this controller only reports.
 */
import { clusterNameOf } from '../../api/names.js';
import type { Work } from '../../api/work.js';
import { Controller } from '../../controller/controller.js';
import { jsonEqual } from '../../interpreter/object.js';
import type { StartController } from '../manager.js';
import { manifestId, NotServedError, ownerOf, patchStatus, RestMapper, sameWork, sharedMemberInformers, WORKS, type Mapping } from '../execution/index.js';
import { manifestStatuses, type Observed } from './manifest-status.js';

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace}/${o.metadata?.name}`;

export const startWorkStatus: StartController = (ctx) => {
  const works = ctx.factory.for<Work>(WORKS);
  const informers = sharedMemberInformers(ctx);
  const mapper = new RestMapper(10_000, () => ctx.clock.now());
  const retries = new Map<string, number>();

  async function reconcile(key: string) {
    const work = works.get(key);
    if (!work || work.metadata.deletionTimestamp) return void retries.delete(key);
    const namespace = work.metadata.namespace!;
    const cluster = clusterNameOf(namespace);
    if (!cluster) return;
    const ref = { namespace, name: work.metadata.name! };
    const observed: Observed[] = [];
    // Partial knowledge (a kind not resolved yet, an informer not synced yet, typically after a
    // restart or while the member is away) is not written: it would wipe statuses that are still
    // the best known, and the template's aggregated status would dip with them.
    let incomplete = false;
    const manifests = work.spec.workload?.manifests ?? [];
    for (let ordinal = 0; ordinal < manifests.length; ordinal++) {
      const id = manifestId(manifests[ordinal]);
      if (!id) continue;
      let mapping: Mapping | undefined = mapper.cached(cluster, id.apiVersion, id.kind);
      if (!mapping) {
        const client = ctx.members.get(cluster);
        try {
          if (!client) throw new Error('no client');
          mapping = await mapper.resolve(client, cluster, id.apiVersion, id.kind);
        } catch (e) {
          if (e instanceof NotServedError) continue; // execution reports kinds the member does not serve
          incomplete = true;
          continue;
        }
      }
      const inf = informers.ensure(cluster, mapping);
      if (!inf?.hasSynced) {
        incomplete = true;
        continue;
      }
      const obj = inf.getByName(mapping.namespaced ? id.namespace || 'default' : undefined, id.name);
      if (obj && sameWork(ownerOf(obj), ref)) observed.push({ ordinal, mapping, obj });
    }
    if (incomplete) {
      // Backing off: a member that is away would otherwise be asked for discovery again and again.
      const n = (retries.get(key) ?? 0) + 1;
      retries.set(key, n);
      return { requeueAfter: Math.min(500 * 2 ** (n - 1), 30_000) };
    }
    retries.delete(key);
    const next = manifestStatuses(observed);
    // No precondition: the statuses come from the member, not from the Work, so the last write is right.
    await patchStatus(ctx.client, WORKS, work, (w) => (jsonEqual(w.status?.manifestStatuses ?? [], next) ? undefined : { manifestStatuses: next }), { precondition: false });
  }

  const controller = new Controller<string>({
    name: 'workStatus',
    workers: Math.max(ctx.options.workers, 8),
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    reconcile: async (key) => reconcile(key),
  });
  works.on({
    add: (w) => controller.enqueue(keyOf(w)),
    update: (a, b) => {
      if (a.metadata.generation !== b.metadata.generation) controller.enqueue(keyOf(b));
    },
  });
  informers.on((cluster, _gvr, _type, obj) => {
    const owner = ownerOf(obj);
    if (owner && clusterNameOf(owner.namespace) === cluster) controller.enqueue(`${owner.namespace}/${owner.name}`);
  });
  ctx.members.clusters.on({ delete: (c: any) => mapper.forget(c.metadata.name) });
  void Promise.all([works.synced(), ctx.members.clusters.synced(), ctx.members.secrets.synced()]).then(() => controller.start(ctx.signal));
  return { stop: () => controller.stop() };
};
