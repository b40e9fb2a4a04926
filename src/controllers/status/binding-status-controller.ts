/**
 * bindingStatus: ResourceBinding and ClusterResourceBinding status from their Works
 * (./binding-aggregate.ts), then the template's status from that (./template-status.ts).
 * A binding is reconciled when it is created or its spec changes, and whenever one of its
 * Works changes (which is how member status arrives: member object → Work.status →
 * here). Both writes happen only when something differs; failures become Events on the
 * template, and are retried with backoff.
 */
import type { ResourceBinding, Work } from '../../api/work.js';
import { Controller } from '../../controller/controller.js';
import { jsonEqual } from '../../interpreter/object.js';
import type { StartController } from '../manager.js';
import { CLUSTER_RESOURCE_BINDINGS, patchStatus, RESOURCE_BINDINGS, RestMapper, setCondition, sharedEventRecorder, WORKS } from '../execution/index.js';
import { aggregateItems, fullyAppliedCondition } from './binding-aggregate.js';
import { bindingIdRef, BindingIndex, crbKey, rbKey } from './binding-index.js';
import { writeTemplateStatus } from './template-status.js';

/** How long a Work event waits for its siblings' events before the binding is reconciled. */
const WORK_SETTLE_MS = 100;

const workKeyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace}/${o.metadata?.name}`;

export const startBindingStatus: StartController = (ctx) => {
  const works = ctx.factory.for<Work>(WORKS);
  const rbs = ctx.factory.for<ResourceBinding>(RESOURCE_BINDINGS);
  const crbs = ctx.factory.for<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
  const index = new BindingIndex();
  const mapper = new RestMapper(10_000, () => ctx.clock.now());
  const events = sharedEventRecorder(ctx);

  async function reconcile(key: string) {
    const cluster = key.startsWith('crb:');
    const name = key.slice(cluster ? 4 : 3);
    const binding = cluster ? crbs.get(name) : rbs.get(name);
    if (!binding || binding.metadata.deletionTimestamp) return;
    const idRef = bindingIdRef(cluster ? 'crb' : 'rb', binding);
    const ws = index
      .worksOf(key, idRef)
      .map((k) => works.get(k))
      .filter((w): w is Work => !!w);
    const resource = binding.spec.resource;
    const items = aggregateItems(resource, ws);
    const now = ctx.clock.now();
    await patchStatus(ctx.client, cluster ? CLUSTER_RESOURCE_BINDINGS : RESOURCE_BINDINGS, binding, (b) => {
      const conditions = setCondition(b.status?.conditions, fullyAppliedCondition(b.spec, items), now);
      if (jsonEqual(b.status?.aggregatedStatus ?? [], items) && conditions === (b.status?.conditions ?? [])) return undefined;
      return { aggregatedStatus: items, conditions };
    });
    try {
      await writeTemplateStatus(ctx.client, mapper, { ...resource, namespace: resource.namespace ?? binding.metadata.namespace }, items, new Date(now));
    } catch (e) {
      const involved = { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name, uid: resource.uid };
      events.event(involved, 'Warning', 'AggregateStatusFailed', `Failed to write the status aggregated from member clusters: ${(e as Error).message}`);
      throw e;
    }
  }

  const controller = new Controller<string>({
    name: 'bindingStatus',
    workers: Math.max(ctx.options.workers, 8),
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    reconcile: async (key) => reconcile(key),
  });

  // A binding hears from each of its Works, usually within moments of each other (created
  // together, applied together, then their member statuses): gathering what arrives within
  // WORK_SETTLE_MS into one reconcile saves a status write per Work and its conflicts.
  const onWork = (w: Work | undefined, key: string) => {
    for (const b of index.setWork(key, w)) controller.enqueueAfter(b, WORK_SETTLE_MS);
  };
  works.on({
    add: (w) => onWork(w, workKeyOf(w)),
    update: (_, w) => onWork(w, workKeyOf(w)),
    delete: (w) => onWork(undefined, workKeyOf(w)),
  });
  const watchBindings = (inf: typeof rbs, kind: 'rb' | 'crb') => {
    const keyOf = (b: ResourceBinding) => (kind === 'rb' ? rbKey(b.metadata.namespace!, b.metadata.name!) : crbKey(b.metadata.name!));
    inf.on({
      add: (b) => {
        index.setBinding(keyOf(b), bindingIdRef(kind, b));
        controller.enqueue(keyOf(b));
      },
      update: (a, b) => {
        index.setBinding(keyOf(b), bindingIdRef(kind, b));
        if (a.metadata.generation !== b.metadata.generation) controller.enqueue(keyOf(b));
      },
      delete: (b) => index.forgetBinding(bindingIdRef(kind, b)),
    });
  };
  watchBindings(rbs, 'rb');
  watchBindings(crbs, 'crb');
  void Promise.all([works.synced(), rbs.synced(), crbs.synced()]).then(() => controller.start(ctx.signal));
  return { stop: () => controller.stop() };
};
