/**
 * The policies as the detector reads them: from informers, with the defaults Karmada's admission
 * webhook would have applied (Flotilla serves the kinds without the webhook), indexed by
 * namespace and cached until a policy changes, so a burst of templates neither re-lists nor
 * re-defaults the same policies.
 */
import type { Informer } from '../../client/informer.js';
import type { ClusterOverridePolicy, ClusterPropagationPolicy, OverridePolicy, PropagationPolicy } from '../../api/index.js';
import { defaultClusterPropagationPolicy, defaultPropagationPolicy } from '../../api/index.js';
import type { AnyPolicy } from './build.js';
import type { PolicyKind } from './match.js';

const defaulted = new WeakMap<object, AnyPolicy>();

export function withDefaults(kind: PolicyKind, p: AnyPolicy): AnyPolicy {
  let d = defaulted.get(p);
  if (!d) {
    d = kind === 'PropagationPolicy' ? defaultPropagationPolicy(p as PropagationPolicy) : defaultClusterPropagationPolicy(p as ClusterPropagationPolicy);
    defaulted.set(p, d);
  }
  return d;
}

export class PolicyInformers {
  #byNamespace: Map<string, AnyPolicy[]> | undefined;
  #cluster: AnyPolicy[] | undefined;

  constructor(
    readonly pps: Informer<PropagationPolicy>,
    readonly cpps: Informer<ClusterPropagationPolicy>,
    readonly ops: Informer<OverridePolicy>,
    readonly cops: Informer<ClusterOverridePolicy>,
  ) {
    const dropPP = () => (this.#byNamespace = undefined);
    const dropCPP = () => (this.#cluster = undefined);
    pps.on({ add: dropPP, update: dropPP, delete: dropPP });
    cpps.on({ add: dropCPP, update: dropCPP, delete: dropCPP });
  }

  /** PropagationPolicies of one namespace, defaulted. */
  propagationPolicies(namespace: string): AnyPolicy[] {
    if (!namespace) return [];
    if (!this.#byNamespace) {
      const m = new Map<string, AnyPolicy[]>();
      for (const p of this.pps.list()) {
        const ns = p.metadata.namespace ?? '';
        let list = m.get(ns);
        if (!list) m.set(ns, (list = []));
        list.push(withDefaults('PropagationPolicy', p));
      }
      this.#byNamespace = m;
    }
    return this.#byNamespace.get(namespace) ?? [];
  }

  clusterPropagationPolicies(): AnyPolicy[] {
    this.#cluster ??= this.cpps.list().map((p) => withDefaults('ClusterPropagationPolicy', p));
    return this.#cluster;
  }

  /**
   * The dependentOverrides the policy waits for that do not exist yet (OverridePolicies of its
   * namespace for a PP, ClusterOverridePolicies for a CPP).
   */
  missingDependentOverrides(kind: PolicyKind, p: AnyPolicy): string[] {
    const names = p.spec.dependentOverrides ?? [];
    if (kind === 'PropagationPolicy') return names.filter((n) => !this.ops.getByName(p.metadata.namespace, n));
    return names.filter((n) => !this.cops.getByName(undefined, n));
  }
}
