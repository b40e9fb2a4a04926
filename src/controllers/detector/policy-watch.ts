/**
 * Policy changes re-evaluate what they select: a policy event enqueues every template of the
 * kinds its selectors name that it selects or has claimed (the template reconcile then decides,
 * with all policies in view, who owns it). Kinds not served yet are retried, and looked up again
 * whenever a CRD changes.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { AnyPolicy } from './build.js';
import { FINALIZERS } from '../../api/wellknown.js';
import type { Template } from './build.js';
import { effectiveSelectors, matchLevel, type PolicyKind } from './match.js';
import { withDefaults, type PolicyInformers } from './policies.js';
import { REFS } from './refs.js';
import { isSkippedKind, templateKey, type TemplateWatchers } from './templates.js';

export const policyKey = (kind: PolicyKind, namespace: string | undefined, name: string) => `${kind}|${namespace ?? ''}|${name}`;

function parsePolicyKey(key: string): { kind: PolicyKind; namespace: string; name: string } {
  const [kind, namespace = '', name = ''] = key.split('|');
  return { kind: kind as PolicyKind, namespace, name };
}

export class PolicyWatch {
  /** Last state of deleted policies, until their templates have been enqueued. */
  readonly #deleted = new Map<string, AnyPolicy>();
  /** Policies naming kinds discovery does not know yet. */
  readonly #unresolved = new Set<string>();

  constructor(
    readonly client: KubeClient,
    readonly policies: PolicyInformers,
    readonly watchers: TemplateWatchers,
    readonly enqueuePolicy: (key: string) => void,
    readonly enqueueTemplate: (key: string) => void,
    readonly log: Logger,
  ) {}

  /** Wires the informer handlers. */
  register(crds: Informer): void {
    const on = (kind: PolicyKind, inf: Informer<AnyPolicy>) =>
      inf.on({
        add: (p) => this.enqueuePolicy(policyKey(kind, p.metadata.namespace, p.metadata.name ?? '')),
        update: (a, b) => {
          // Spec (generation), the permanent-id label or deletion: anything else cannot change a match.
          const changed =
            a.metadata.generation !== b.metadata.generation ||
            JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {}) ||
            a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp;
          if (changed) this.enqueuePolicy(policyKey(kind, b.metadata.namespace, b.metadata.name ?? ''));
        },
        delete: (p) => {
          const key = policyKey(kind, p.metadata.namespace, p.metadata.name ?? '');
          this.#deleted.set(key, p);
          this.enqueuePolicy(key);
        },
      });
    on('PropagationPolicy', this.policies.pps as Informer<AnyPolicy>);
    on('ClusterPropagationPolicy', this.policies.cpps as Informer<AnyPolicy>);
    const retry = () => {
      for (const key of this.#unresolved) this.enqueuePolicy(key);
    };
    crds.on({ add: retry, update: retry });
  }

  async reconcile(key: string): Promise<void> {
    const { kind, namespace, name } = parsePolicyKey(key);
    const inf = (kind === 'PropagationPolicy' ? this.policies.pps : this.policies.cpps) as Informer<AnyPolicy>;
    const live = inf.getByName(namespace || undefined, name);
    const raw = live ?? this.#deleted.get(key);
    if (!raw) return;
    // Whatever it claimed must be looked at again (it may have lost the template)...
    const keys = new Set(this.watchers.claimedBy(key));
    const unresolved: string[] = [];
    if (live) {
      // ...and whatever it now selects (it may win the template).
      const policy = withDefaults(kind, live);
      for (const rs of effectiveSelectors(kind, policy)) {
        if (isSkippedKind(rs.apiVersion, rs.kind)) continue;
        const w = await this.watchers.ensure(rs.apiVersion, rs.kind);
        if (!w) {
          unresolved.push(`${rs.apiVersion}/${rs.kind}`);
          continue;
        }
        const add = (t: Template | undefined) => {
          if (t && matchLevel(kind, policy, t) > 0) keys.add(templateKey(w.apiVersion, w.kind, t.metadata.namespace, t.metadata.name));
        };
        // A named template is looked up; other selectors need the kind's whole list.
        if (rs.name && (rs.namespace || !w.ref.namespaced)) add(w.informer.getByName(w.ref.namespaced ? rs.namespace! : undefined, rs.name));
        else for (const t of w.informer.list()) add(t);
      }
    }
    for (const k of keys) this.enqueueTemplate(k);
    this.#deleted.delete(key);
    if (live?.metadata.deletionTimestamp) await this.#releaseFinalizer(kind, live);
    if (unresolved.length) {
      this.#unresolved.add(key);
      this.log.info({ policy: key, kinds: unresolved }, 'policy selects kinds the server does not serve (yet)');
      throw new Error(`resource kinds not served yet: ${unresolved.join(', ')}`);
    }
    this.#unresolved.delete(key);
  }

  /**
   * Karmada's webhook gives policies a finalizer; templates are released by their own
   * reconciles (the policy is no longer a candidate), so it can go at once.
   */
  async #releaseFinalizer(kind: PolicyKind, p: AnyPolicy): Promise<void> {
    const fin = FINALIZERS[kind];
    const list = p.metadata.finalizers ?? [];
    if (!list.includes(fin)) return;
    const ref = kind === 'PropagationPolicy' ? REFS.propagationPolicies : REFS.clusterPropagationPolicies;
    await this.client.patch(ref, p.metadata.name!, { metadata: { resourceVersion: p.metadata.resourceVersion, finalizers: list.filter((f) => f !== fin) } }, 'merge', {
      namespace: p.metadata.namespace,
    });
  }
}
