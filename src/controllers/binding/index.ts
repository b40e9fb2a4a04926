/**
 * The binding controller: turns each ResourceBinding / ClusterResourceBinding with target
 * clusters into one Work per cluster (see reconcile.ts). Re-syncs a binding when it changes,
 * when one of its Works is changed or deleted by someone else, when an override policy that may
 * select its template changes, and when a target cluster's labels or fields change (override
 * rules select clusters by them).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Cluster, ClusterOverridePolicy, ClusterResourceBinding, OverridePolicy, ResourceBinding, Work } from '../../api/index.js';
import { Controller } from '../../controller/index.js';
import { interpreterFor } from '../../interpreter/index.js';
import { Discovery, EventRecorder, REFS, type AnyBinding, type Template } from '../detector/index.js';
import type { Running, StartController } from '../manager.js';
import { overrideAffects, type OverridePolicyLike } from './override-watch.js';
import { reconcileBinding, type BindingDeps } from './reconcile.js';
import { TemplateSource } from './templates.js';
import { WorkIndex } from './work-index.js';
import { targetClusters } from './works.js';

export { replicasFor, reviseForCluster, stampManifest, pruneIrrelevantFields, conflictResolution, bindingLinks } from './manifest.js';
export { targetClusters, keptClusters, orphanWorks, suspendDispatching, desiredWork } from './works.js';
export { nextOverrideConditions, OVERRIDES_APPLIED } from './override-condition.js';
export { overrideAffects } from './override-watch.js';
export { bindingKeyOfWork } from './work-index.js';

const keyOf = (b: AnyBinding) => (b.metadata.namespace ? `${b.metadata.namespace}/${b.metadata.name}` : (b.metadata.name ?? ''));

export const startBinding: StartController = (ctx) => {
  const { client, factory, log } = ctx;
  const rbs = factory.for<ResourceBinding>(REFS.resourceBindings);
  const crbs = factory.for<ClusterResourceBinding>(REFS.clusterResourceBindings);
  const works = factory.for<Work>(REFS.works);
  const clusters = factory.for<Cluster>(REFS.clusters);
  const ops = factory.for<OverridePolicy>(REFS.overridePolicies);
  const cops = factory.for<ClusterOverridePolicy>(REFS.clusterOverridePolicies);
  const discovery = new Discovery(client);
  const templates = new TemplateSource(client, factory, discovery);
  const index = new WorkIndex(works);
  const deps: BindingDeps = {
    client,
    rbs,
    crbs,
    works,
    index,
    clusters,
    ops,
    cops,
    templates,
    events: new EventRecorder(client, 'flotilla-binding-controller', ctx.clock, log),
    interpreter: interpreterFor,
    clock: ctx.clock,
    log,
    namespaces: new Set(),
  };
  const ctl = new Controller<string>({ clock: ctx.clock, logger: log, metrics: ctx.metrics, workers: ctx.options.workers, name: 'binding', reconcile: (key) => reconcileBinding(deps, key) });

  const onBinding = {
    add: (b: AnyBinding) => ctl.enqueue(keyOf(b)),
    update: (a: AnyBinding, b: AnyBinding) => {
      // Spec (generation), deletion, or the identity labels Works copy.
      if (a.metadata.generation !== b.metadata.generation || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp || !isDeepStrictEqual(a.metadata.labels, b.metadata.labels)) {
        ctl.enqueue(keyOf(b));
      }
    },
    delete: (b: AnyBinding) => ctl.enqueue(keyOf(b)),
  };
  rbs.on(onBinding);
  crbs.on(onBinding);

  // A Work changed or removed by someone else is put back; status updates are not our business.
  index.register((key, before, after) => {
    if (!after || !before || !isDeepStrictEqual(before.spec, after.spec) || !isDeepStrictEqual(before.metadata.labels, after.metadata.labels)) ctl.enqueue(key);
  });

  const cachedTemplate = (b: AnyBinding): Template | undefined => {
    const r = b.spec.resource;
    const ref = discovery.cached(r.apiVersion, r.kind);
    return ref ? factory.for<Template>(ref).getByName(r.namespace || undefined, r.name) : undefined;
  };
  const onOverride = (...ps: (OverridePolicyLike | undefined)[]) => {
    for (const b of [...rbs.list(), ...crbs.list()]) {
      if (!b.spec.clusters?.length && !b.spec.requiredBy?.length) continue;
      const t = cachedTemplate(b);
      if (ps.some((p) => p && overrideAffects(p, b, t))) ctl.enqueue(keyOf(b));
    }
  };
  for (const inf of [ops, cops] as const) {
    (inf as typeof ops).on({ add: (p) => onOverride(p), update: (a, b) => (isDeepStrictEqual(a.spec, b.spec) ? undefined : onOverride(a, b)), delete: (p) => onOverride(p) });
  }

  clusters.on({
    update: (a, b) => {
      const fields = (c: Cluster) => [c.metadata.labels, c.spec.provider, c.spec.region, c.spec.zones];
      if (isDeepStrictEqual(fields(a), fields(b))) return;
      const name = b.metadata.name;
      for (const x of [...rbs.list(), ...crbs.list()]) if (targetClusters(x).some((c) => c.name === name)) ctl.enqueue(keyOf(x));
    },
  });

  void Promise.all([rbs.synced(), crbs.synced(), works.synced(), clusters.synced(), ops.synced(), cops.synced()]).then(() => {
    if (!ctx.signal.aborted) ctl.start(ctx.signal);
  });

  const running: Running = {
    async stop() {
      await ctl.stop();
    },
  };
  return running;
};
