/**
 * One resource template: find its policy, claim it, and create or update its binding (Karmada's
 * ResourceDetector.propagateResource / ApplyPolicy / ApplyClusterPolicy). A template that loses
 * its policy keeps its binding — and so keeps running where it is — and gets a Warning event;
 * only its claim metadata goes, so the scheduler leaves the binding alone until a policy claims
 * the template again.
 */
import type { Logger } from 'pino';
import type { ClusterResourceBinding, ResourceBinding } from '../../api/index.js';
import { bindingName, isReservedNamespace } from '../../api/names.js';
import { isAlreadyExists, isConflict, type KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/index.js';
import type { ResolvedInterpreter } from '../../interpreter/index.js';
import { buildBinding, controllerUID, type AnyBinding, type Template } from './build.js';
import { claimMetadata, claimPatch, hasClaim } from './claim.js';
import { involvedOf, type EventRecorder } from './events.js';
import { claimOf, type Claim } from './match.js';
import { selectPolicy } from './match.js';
import type { PolicyInformers } from './policies.js';
import { bindingKindFor, bindingRef } from './refs.js';
import { parseTemplateKey, type TemplateWatchers } from './templates.js';

export interface TemplateDeps {
  client: KubeClient;
  watchers: TemplateWatchers;
  policies: PolicyInformers;
  rbs: Informer<ResourceBinding>;
  crbs: Informer<ClusterResourceBinding>;
  events: EventRecorder;
  interpreter: (apiVersion: string, kind: string) => ResolvedInterpreter;
  log: Logger;
}

/** How long to wait for a policy's dependentOverrides before looking again. */
const DEPENDENT_OVERRIDES_RETRY_MS = 5_000;

const claimText = (c: Claim) => (c.kind === 'PropagationPolicy' ? `PropagationPolicy ${c.namespace}/${c.name}` : `ClusterPropagationPolicy ${c.name}`);

export async function reconcileTemplate(d: TemplateDeps, key: string): Promise<Result | void> {
  const k = parseTemplateKey(key);
  if (k.namespace && isReservedNamespace(k.namespace)) return;
  const watched = d.watchers.get(k.apiVersion, k.kind);
  let t = watched?.informer.getByName(k.namespace || undefined, k.name);
  // Gone: its binding goes with it (ownerReference, garbage collector).
  if (!watched || !t || (t.metadata as { deletionTimestamp?: string }).deletionTimestamp) return;
  const ns = t.metadata.namespace ?? '';
  const bKind = bindingKindFor(ns);
  const bindings: Informer<AnyBinding> = bKind === 'ResourceBinding' ? d.rbs : d.crbs;
  const existing = bindings.getByName(ns || undefined, bindingName(t.kind, t.metadata.name));

  const sel = selectPolicy(t, d.policies.propagationPolicies(ns), d.policies.clusterPropagationPolicies());
  if (!sel) {
    if (hasClaim(t.metadata)) await unbind(d, t, existing, watched.ref);
    return;
  }
  const missing = d.policies.missingDependentOverrides(sel.kind, sel.policy);
  if (missing.length) {
    d.events.event(involvedOf(t), 'Warning', 'DependentOverridesMissing', `Waiting for the override policies ${missing.join(', ')} that ${sel.policy.metadata.name} depends on`);
    return { requeueAfter: DEPENDENT_OVERRIDES_RETRY_MS };
  }

  const policyText = claimText({ kind: sel.kind, namespace: sel.policy.metadata.namespace, name: sel.policy.metadata.name ?? '' });
  const patch = claimPatch(t.metadata, claimMetadata(sel.kind, sel.policy));
  if (patch) {
    // The binding is built from what the server returns, as Karmada's ClaimPolicyForObject does.
    t = await d.client.patch<Template>(watched.ref, t.metadata.name, patch, 'merge', { namespace: ns || undefined });
    if (sel.how === 'preempted') d.events.event(involvedOf(t), 'Normal', 'PreemptPolicySucceed', `${policyText} preempted ${claimText(sel.from!)}`);
  }

  const owner = existing && controllerUID(existing);
  if (owner && owner !== t.metadata.uid) {
    // Karmada kar#2090: a binding left by a deleted template of the same name; wait for the garbage collector.
    throw new Error(`${bKind} ${existing!.metadata.name} belongs to another object (uid ${owner}); waiting for it to be garbage collected`);
  }

  let replicas;
  try {
    replicas = d.interpreter(t.apiVersion, t.kind).getReplicas(t);
  } catch (e) {
    d.events.event(involvedOf(t), 'Warning', 'GetReplicasFailed', (e as Error).message);
    throw e;
  }

  const { binding, changed } = buildBinding({ template: t, policyKind: sel.kind, policy: sel.policy, replicas, existing });
  if (!changed) return;
  const ref = bindingRef(bKind);
  try {
    if (existing) await d.client.update(ref, binding);
    else await d.client.create(ref, binding);
  } catch (e) {
    if (!existing && isAlreadyExists(e)) {
      // The cache had not seen the binding yet: update what is there instead.
      const fresh = await d.client.get<AnyBinding>(ref, binding.metadata.name!, ns || undefined);
      if (controllerUID(fresh) && controllerUID(fresh) !== t.metadata.uid) throw e;
      const again = buildBinding({ template: t, policyKind: sel.kind, policy: sel.policy, replicas, existing: fresh });
      if (again.changed) await d.client.update(ref, again.binding);
      return;
    }
    // A conflict only means the cache was behind; the retry settles it without alarming anyone.
    if (!isConflict(e)) d.events.event(involvedOf(t), 'Warning', 'ApplyPolicyFailed', `Apply ${policyText} failed: ${(e as Error).message}`);
    throw e;
  }
}

/**
 * No policy selects the template any more. Karmada (handlePolicyDeletion) removes the claim from
 * the binding first, then from the template, and leaves the binding — and the Works and member
 * objects behind it — in place.
 */
async function unbind(d: TemplateDeps, t: Template, binding: AnyBinding | undefined, ref: TemplateWatchersRef): Promise<void> {
  const was = claimOf(t);
  if (binding) {
    const bp = claimPatch(binding.metadata, undefined);
    if (bp) await d.client.patch(bindingRef(binding.kind), binding.metadata.name!, bp, 'merge', { namespace: binding.metadata.namespace });
  }
  const tp = claimPatch(t.metadata, undefined);
  if (tp) await d.client.patch(ref, t.metadata.name, tp, 'merge', { namespace: t.metadata.namespace || undefined });
  const where = binding?.spec.clusters?.length ? ` on ${binding.spec.clusters.map((c) => c.name).join(', ')}` : '';
  d.events.event(
    involvedOf(t),
    'Warning',
    'PolicyUnbound',
    `No PropagationPolicy or ClusterPropagationPolicy selects this resource any more${was ? ` (it was claimed by ${claimText(was)})` : ''}; it keeps running where it is${where} until a policy claims it again`,
  );
}

type TemplateWatchersRef = NonNullable<ReturnType<TemplateWatchers['get']>>['ref'];
