/** ResourceRefs of the Karmada kinds the detector, scheduler and binding controllers read and write. */
import { ref } from '../../client/client.js';
import { CLUSTERS } from '../../member/clients.js';

export const REFS = {
  clusters: CLUSTERS,
  propagationPolicies: ref('policy.karmada.io/v1alpha1', 'propagationpolicies', true),
  clusterPropagationPolicies: ref('policy.karmada.io/v1alpha1', 'clusterpropagationpolicies', false),
  overridePolicies: ref('policy.karmada.io/v1alpha1', 'overridepolicies', true),
  clusterOverridePolicies: ref('policy.karmada.io/v1alpha1', 'clusteroverridepolicies', false),
  resourceBindings: ref('work.karmada.io/v1alpha2', 'resourcebindings', true),
  clusterResourceBindings: ref('work.karmada.io/v1alpha2', 'clusterresourcebindings', false),
  works: ref('work.karmada.io/v1alpha1', 'works', true),
  workloadRebalancers: ref('apps.karmada.io/v1alpha1', 'workloadrebalancers', false),
} as const;

export type BindingKind = 'ResourceBinding' | 'ClusterResourceBinding';

/** The binding kind for a template: namespaced templates get ResourceBindings. */
export const bindingKindFor = (namespace: string | undefined): BindingKind => (namespace ? 'ResourceBinding' : 'ClusterResourceBinding');

export const bindingRef = (kind: BindingKind) => (kind === 'ResourceBinding' ? REFS.resourceBindings : REFS.clusterResourceBindings);
