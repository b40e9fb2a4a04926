/**
 * The detector (Karmada's ResourceDetector and dependencies distributor): watches the kinds that
 * PropagationPolicies and ClusterPropagationPolicies select, gives every template its policy and
 * a ResourceBinding / ClusterResourceBinding, and gives the dependencies of propagateDeps
 * workloads attached bindings. Three work queues: templates, policies, and dependency parents.
 */
import type { ClusterOverridePolicy, ClusterPropagationPolicy, ClusterResourceBinding, OverridePolicy, PropagationPolicy, ResourceBinding } from '../../api/index.js';
import { R } from '../../client/resources.js';
import { Controller } from '../../controller/index.js';
import { interpreterFor } from '../../interpreter/index.js';
import type { Running, StartController } from '../manager.js';
import { DependencyDistributor } from './deps.js';
import { Discovery } from './discovery.js';
import { EventRecorder } from './events.js';
import { PolicyInformers } from './policies.js';
import { PolicyWatch } from './policy-watch.js';
import { reconcileTemplate } from './reconcile.js';
import { REFS } from './refs.js';
import { templateKey, TemplateWatchers } from './templates.js';

export { Discovery } from './discovery.js';
export { EventRecorder, involvedOf, type InvolvedObject } from './events.js';
export { REFS, bindingKindFor, bindingRef, type BindingKind } from './refs.js';
export * from './keys.js';
export { claimOf, selectPolicy, bestPolicy, matchLevel, type Claim, type PolicyKind, type PolicyLike, type Selection } from './match.js';
export { claimMetadata, claimPatch, hasClaim, policyID, withClaim } from './claim.js';
export { buildBinding, controllerRef, type AnyBinding, type AnyPolicy, type Template } from './build.js';
export { attachParent, detachParent, dependedByLabel, dependenciesAnnotation } from './dependencies.js';
export { templateChanged, templateKey, parseTemplateKey } from './templates.js';

export const startDetector: StartController = (ctx) => {
  const { client, factory, log } = ctx;
  const common = { clock: ctx.clock, logger: log, metrics: ctx.metrics, workers: ctx.options.workers };
  const events = new EventRecorder(client, 'flotilla-detector', ctx.clock, log);
  const policies = new PolicyInformers(
    factory.for<PropagationPolicy>(REFS.propagationPolicies),
    factory.for<ClusterPropagationPolicy>(REFS.clusterPropagationPolicies),
    factory.for<OverridePolicy>(REFS.overridePolicies),
    factory.for<ClusterOverridePolicy>(REFS.clusterOverridePolicies),
  );
  const rbs = factory.for<ResourceBinding>(REFS.resourceBindings);
  const crbs = factory.for<ClusterResourceBinding>(REFS.clusterResourceBindings);
  const crds = factory.for(R.crds);

  let templates: Controller;
  const watchers = new TemplateWatchers(factory, new Discovery(client), (k) => templates.enqueue(k), log);
  templates = new Controller<string>({
    ...common,
    // Each template costs two writes in a row (claim, binding): reconciles wait on the control
    // plane, not the CPU, and a burst of templates needs many of them in flight.
    workers: Math.max(ctx.options.workers, 16),
    name: 'detector',
    reconcile: (key) => reconcileTemplate({ client, watchers, policies, rbs, crbs, events, interpreter: interpreterFor, log }, key),
  });
  let policyCtl: Controller;
  const policyWatch = new PolicyWatch(client, policies, watchers, (k) => policyCtl.enqueue(k), (k) => templates.enqueue(k), log);
  policyCtl = new Controller<string>({ ...common, name: 'detector-policies', reconcile: (key) => policyWatch.reconcile(key) });
  policyWatch.register(crds);

  let depsCtl: Controller;
  const deps = new DependencyDistributor({ client, factory, rbs, watchers, interpreter: interpreterFor, events, enqueue: (k) => depsCtl.enqueue(k), log });
  depsCtl = new Controller<string>({ ...common, name: 'dependencies-distributor', reconcile: (key) => deps.reconcile(key) });
  deps.register();

  // A binding deleted by hand comes back while its template is still claimed.
  const recreate = (b: ResourceBinding | ClusterResourceBinding) => {
    const r = b.spec.resource;
    if (watchers.get(r.apiVersion, r.kind)) templates.enqueue(templateKey(r.apiVersion, r.kind, r.namespace, r.name));
  };
  rbs.on({ delete: recreate });
  crbs.on({ delete: recreate });

  // Reconciles read caches: start them only once the caches are filled.
  void Promise.all([policies.pps.synced(), policies.cpps.synced(), policies.ops.synced(), policies.cops.synced(), rbs.synced(), crbs.synced()]).then(() => {
    if (ctx.signal.aborted) return;
    templates.start(ctx.signal);
    policyCtl.start(ctx.signal);
    depsCtl.start(ctx.signal);
  });

  const running: Running = {
    async stop() {
      await Promise.all([templates.stop(), policyCtl.stop(), depsCtl.stop()]);
    },
  };
  return running;
};
