/**
 * What the failover controllers (taint, eviction, appfailover, failback) share for reading and
 * writing bindings: the resource refs, one view over the ResourceBinding and
 * ClusterResourceBinding informers (keys "ns/name" and "name", as the detector and binding
 * controllers use), an index of bindings by target cluster, the conditional write, and Events on
 * a binding and its template.
 */
import type { Cluster, ClusterPropagationPolicy, ClusterResourceBinding, ClusterTaintPolicy, PropagationPolicy, ResourceBinding } from '../../api/index.js';
import { ref, type KubeClient } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Informer } from '../../client/informer.js';
import type { AnyBinding } from '../../failover/binding.js';
import { bindingKey, targetNames } from '../../failover/binding.js';
import { CLUSTERS } from '../../member/clients.js';
import type { EventRecorder, EventType } from '../execution/events.js';

export const REFS = {
  clusters: CLUSTERS,
  resourceBindings: ref('work.karmada.io/v1alpha2', 'resourcebindings', true),
  clusterResourceBindings: ref('work.karmada.io/v1alpha2', 'clusterresourcebindings', false),
  propagationPolicies: ref('policy.karmada.io/v1alpha1', 'propagationpolicies', true),
  clusterPropagationPolicies: ref('policy.karmada.io/v1alpha1', 'clusterpropagationpolicies', false),
  clusterTaintPolicies: ref('policy.karmada.io/v1alpha1', 'clustertaintpolicies', false),
} as const;

export const bindingRef = (b: { kind: string }) => (b.kind === 'ClusterResourceBinding' ? REFS.clusterResourceBindings : REFS.resourceBindings);

export interface BindingHandler {
  add?(b: AnyBinding): void;
  update?(old: AnyBinding, b: AnyBinding): void;
  delete?(b: AnyBinding): void;
}

/** Both binding kinds through one door. */
export class Bindings {
  readonly rbs: Informer<ResourceBinding>;
  readonly crbs: Informer<ClusterResourceBinding>;

  constructor(factory: InformerFactory) {
    this.rbs = factory.for<ResourceBinding>(REFS.resourceBindings);
    this.crbs = factory.for<ClusterResourceBinding>(REFS.clusterResourceBindings);
  }

  get(key: string): AnyBinding | undefined {
    return key.includes('/') ? this.rbs.get(key) : this.crbs.get(key);
  }

  list(): AnyBinding[] {
    return [...this.rbs.list(), ...this.crbs.list()];
  }

  on(h: BindingHandler): void {
    this.rbs.on(h as never);
    this.crbs.on(h as never);
  }

  synced(): Promise<void> {
    return Promise.all([this.rbs.synced(), this.crbs.synced()]).then(() => undefined);
  }
}

/** Informers of the other kinds failover reads. */
export const clusterInformer = (factory: InformerFactory) => factory.for<Cluster>(REFS.clusters);
export const policyInformers = (factory: InformerFactory) => ({
  pps: factory.for<PropagationPolicy>(REFS.propagationPolicies),
  cpps: factory.for<ClusterPropagationPolicy>(REFS.clusterPropagationPolicies),
});
export const taintPolicyInformer = (factory: InformerFactory) => factory.for<ClusterTaintPolicy>(REFS.clusterTaintPolicies);

/** Which bindings target which cluster (spec.clusters), kept from informer events. */
export class ClusterBindingIndex {
  readonly #byCluster = new Map<string, Set<string>>();
  readonly #clustersOf = new Map<string, string[]>();

  set(b: AnyBinding): void {
    const key = bindingKey(b);
    this.remove(key);
    const names = targetNames(b);
    this.#clustersOf.set(key, names);
    for (const c of names) {
      let s = this.#byCluster.get(c);
      if (!s) this.#byCluster.set(c, (s = new Set()));
      s.add(key);
    }
  }

  remove(key: string): void {
    for (const c of this.#clustersOf.get(key) ?? []) {
      const s = this.#byCluster.get(c);
      s?.delete(key);
      if (s && !s.size) this.#byCluster.delete(c);
    }
    this.#clustersOf.delete(key);
  }

  on(cluster: string): string[] {
    return [...(this.#byCluster.get(cluster) ?? [])];
  }
}

/**
 * Writes a binding's spec and metadata (PUT) with its resourceVersion as precondition: the
 * decision was made on that version, so a concurrent change (the scheduler, the detector) makes
 * the write fail with 409 and the reconcile retries on fresh data instead of undoing it.
 */
export function writeBinding<T extends AnyBinding>(client: KubeClient, b: T): Promise<T> {
  if (!b.metadata.resourceVersion) throw new Error(`binding ${bindingKey(b)} has no resourceVersion to write against`);
  return client.update<T>(bindingRef(b), b, { namespace: b.metadata.namespace });
}

/** The Event target for a binding, and for the template it propagates. */
export const bindingObject = (b: AnyBinding) => ({ apiVersion: b.apiVersion, kind: b.kind, name: b.metadata.name ?? '', namespace: b.metadata.namespace, uid: b.metadata.uid });
export const templateObject = (b: AnyBinding) => {
  const r = b.spec.resource;
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace, uid: r.uid };
};

/** The same Event on the binding and its template (Karmada's EmitClusterEvictionEventFor*). */
export function recordBoth(events: EventRecorder, b: AnyBinding, type: EventType, reason: string, message: string): void {
  events.event(bindingObject(b), type, reason, message);
  events.event(templateObject(b), type, reason, message);
}
