/** The control-plane resources the execution and status controllers read and write. */
import { ref } from '../../client/client.js';

export const WORKS = ref('work.karmada.io/v1alpha1', 'works');
export const RESOURCE_BINDINGS = ref('work.karmada.io/v1alpha2', 'resourcebindings');
export const CLUSTER_RESOURCE_BINDINGS = ref('work.karmada.io/v1alpha2', 'clusterresourcebindings', false);
export { CLUSTERS } from '../../member/clients.js';
