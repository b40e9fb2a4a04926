/**
 * The built-in kinds Flotilla serves, with the discovery facts kubectl relies on (short names,
 * categories, scope, subresources) and the field selectors each kind supports. One line per kind.
 */
import { STANDARD_VERBS, type ResourceType, type ScaleSubresource } from './types.js';

type Opts = Partial<Omit<ResourceType, 'group' | 'version' | 'kind' | 'resource'>> & { cluster?: boolean; all?: boolean };

function r(group: string, version: string, kind: string, resource: string, o: Opts = {}): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    resource,
    singular: kind.toLowerCase(),
    namespaced: !o.cluster,
    shortNames: o.shortNames ?? [],
    categories: o.all ? ['all'] : (o.categories ?? []),
    verbs: o.verbs ?? STANDARD_VERBS,
    subresources: o.subresources ?? {},
    hasGeneration: o.hasGeneration ?? false,
    nameRule: o.nameRule ?? 'subdomain',
    fields: o.fields,
    strategy: o.strategy,
  };
}

const get = (obj: any, path: string): string | undefined => {
  let cur = obj;
  for (const p of path.split('.')) {
    if (cur == null) return undefined;
    cur = cur[p];
  }
  return cur == null ? undefined : String(cur);
};
const fieldsAt = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, (o: any) => get(o, p)]));

const replicasScale: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.spec.selector',
};
const status = { status: true };
const statusAndScale = { status: true, scale: replicasScale };

const podFields = {
  ...fieldsAt('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'),
  'spec.hostNetwork': (o: any) => String(Boolean(o?.spec?.hostNetwork)),
};
const eventFields = {
  ...fieldsAt(
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'type',
  ),
  source: (o: any) => o?.reportingComponent || o?.source?.component || '',
};
const eventsV1Fields = fieldsAt(
  'regarding.kind',
  'regarding.namespace',
  'regarding.name',
  'regarding.uid',
  'regarding.apiVersion',
  'regarding.resourceVersion',
  'regarding.fieldPath',
  'reason',
  'reportingController',
  'type',
);

export const BUILTIN_RESOURCES: ResourceType[] = [
  r('', 'v1', 'Namespace', 'namespaces', { cluster: true, shortNames: ['ns'], subresources: status, nameRule: 'label', fields: fieldsAt('status.phase'), strategy: 'namespace' }),
  r('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets', { fields: fieldsAt('type'), strategy: 'secret' }),
  r('', 'v1', 'Service', 'services', { shortNames: ['svc'], all: true, subresources: status, nameRule: 'label', strategy: 'service' }),
  r('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  r('', 'v1', 'Pod', 'pods', { shortNames: ['po'], all: true, subresources: status, fields: podFields, strategy: 'pod' }),
  r('', 'v1', 'Node', 'nodes', { cluster: true, shortNames: ['no'], subresources: status, fields: fieldsAt('spec.unschedulable'), strategy: 'node' }),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  r('', 'v1', 'Event', 'events', { shortNames: ['ev'], fields: eventFields }),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', { cluster: true, shortNames: ['pv'], subresources: status }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], subresources: status }),
  r('', 'v1', 'ResourceQuota', 'resourcequotas', { shortNames: ['quota'], subresources: status }),
  r('', 'v1', 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  r('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], all: true, subresources: statusAndScale, hasGeneration: true, strategy: 'workload' }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], all: true, subresources: statusAndScale, hasGeneration: true, strategy: 'workload', fields: fieldsAt('status.replicas') }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', { shortNames: ['sts'], all: true, subresources: statusAndScale, hasGeneration: true, strategy: 'workload' }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', { shortNames: ['ds'], all: true, subresources: status, hasGeneration: true, strategy: 'workload' }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  r('batch', 'v1', 'Job', 'jobs', { all: true, subresources: status, hasGeneration: true, strategy: 'workload', fields: fieldsAt('status.successful') }),
  r('batch', 'v1', 'CronJob', 'cronjobs', { shortNames: ['cj'], all: true, subresources: status, hasGeneration: true, strategy: 'workload' }),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { shortNames: ['hpa'], all: true, subresources: status, hasGeneration: true }),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { shortNames: ['pdb'], subresources: status, hasGeneration: true }),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: status, hasGeneration: true }),
  r('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', { cluster: true }),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { shortNames: ['netpol'], hasGeneration: true }),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', { nameRule: 'path' }),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', { nameRule: 'path' }),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', { cluster: true, nameRule: 'path' }),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', { cluster: true, nameRule: 'path' }),
  r('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', { cluster: true, shortNames: ['pc'] }),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { cluster: true, shortNames: ['sc'] }),
  r('events.k8s.io', 'v1', 'Event', 'events', { fields: eventsV1Fields }),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', {
    cluster: true,
    shortNames: ['crd', 'crds'],
    subresources: status,
    hasGeneration: true,
  }),
];
