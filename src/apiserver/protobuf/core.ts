/**
 * core/v1 (apiVersion "v1"): the objects `kubectl create` makes (Namespace, ConfigMap, Secret,
 * ServiceAccount, Service, ResourceQuota), what Go controllers commonly write (Pod, Binding,
 * Event), and the small reference types shared across groups.
 * The pod tree lives in core-pod.ts, core-container.ts and core-volume.ts.
 */
import { mergeMessages, type GroupSpec, type MessageSpec } from './schema.js';
import { containerMessages } from './core-container.js';
import { podMessages } from './core-pod.js';
import { volumeMessages } from './core-volume.js';

const objectMessages: Record<string, MessageSpec> = {
  Namespace: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'NamespaceSpec'], status: [3, 'NamespaceStatus'] },
  NamespaceSpec: { finalizers: [1, '[]string'] },
  NamespaceStatus: { phase: [1, 'string'], conditions: [2, '[]NamespaceCondition'] },
  NamespaceCondition: {
    type: [1, 'string', 'r'],
    status: [2, 'string', 'r'],
    lastTransitionTime: [4, 'meta.Time'],
    reason: [5, 'string'],
    message: [6, 'string'],
  },
  ConfigMap: {
    metadata: [1, 'meta.ObjectMeta'],
    immutable: [4, 'bool', 'p'],
    data: [2, 'map<string>'],
    binaryData: [3, 'map<bytes>'],
  },
  Secret: {
    metadata: [1, 'meta.ObjectMeta'],
    immutable: [5, 'bool', 'p'],
    data: [2, 'map<bytes>'],
    stringData: [4, 'map<string>'],
    type: [3, 'string'],
  },
  ServiceAccount: {
    metadata: [1, 'meta.ObjectMeta'],
    secrets: [2, '[]ObjectReference'],
    imagePullSecrets: [3, '[]LocalObjectReference'],
    automountServiceAccountToken: [4, 'bool', 'p'],
  },
  Service: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'ServiceSpec'], status: [3, 'ServiceStatus'] },
  ServiceSpec: {
    ports: [1, '[]ServicePort'],
    selector: [2, 'map<string>'],
    clusterIP: [3, 'string'],
    clusterIPs: [18, '[]string'],
    type: [4, 'string'],
    externalIPs: [5, '[]string'],
    sessionAffinity: [7, 'string'],
    loadBalancerIP: [8, 'string'],
    loadBalancerSourceRanges: [9, '[]string'],
    externalName: [10, 'string'],
    externalTrafficPolicy: [11, 'string'],
    healthCheckNodePort: [12, 'int32'],
    publishNotReadyAddresses: [13, 'bool'],
    sessionAffinityConfig: [14, 'SessionAffinityConfig'],
    ipFamilies: [19, '[]string'],
    ipFamilyPolicy: [17, 'string', 'p'],
    allocateLoadBalancerNodePorts: [20, 'bool', 'p'],
    loadBalancerClass: [21, 'string', 'p'],
    internalTrafficPolicy: [22, 'string', 'p'],
    trafficDistribution: [23, 'string', 'p'],
  },
  // targetPort is a value IntOrString: Go always writes it, as 0 when unset.
  ServicePort: {
    name: [1, 'string'],
    protocol: [2, 'string'],
    appProtocol: [6, 'string', 'p'],
    port: [3, 'int32', 'r'],
    targetPort: [4, 'intstr.IntOrString'],
    nodePort: [5, 'int32'],
  },
  SessionAffinityConfig: { clientIP: [1, 'ClientIPConfig'] },
  ClientIPConfig: { timeoutSeconds: [1, 'int32', 'p'] },
  ServiceStatus: { loadBalancer: [1, 'LoadBalancerStatus'], conditions: [2, '[]meta.Condition'] },
  LoadBalancerStatus: { ingress: [1, '[]LoadBalancerIngress'] },
  LoadBalancerIngress: { ip: [1, 'string'], hostname: [2, 'string'], ipMode: [3, 'string', 'p'], ports: [4, '[]PortStatus'] },
  PortStatus: { port: [1, 'int32', 'r'], protocol: [2, 'string', 'r'], error: [3, 'string', 'p'] },
  ResourceQuota: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'ResourceQuotaSpec'], status: [3, 'ResourceQuotaStatus'] },
  ResourceQuotaSpec: { hard: [1, 'map<resource.Quantity>'], scopes: [2, '[]string'], scopeSelector: [3, 'ScopeSelector'] },
  ScopeSelector: { matchExpressions: [1, '[]ScopedResourceSelectorRequirement'] },
  ScopedResourceSelectorRequirement: { scopeName: [1, 'string', 'r'], operator: [2, 'string', 'r'], values: [3, '[]string'] },
  ResourceQuotaStatus: { hard: [1, 'map<resource.Quantity>'], used: [2, 'map<resource.Quantity>'] },

  // pods/binding: what schedulers built on client-go POST.
  Binding: { metadata: [1, 'meta.ObjectMeta'], target: [2, 'ObjectReference'] },
  // core/v1 events, as client-go's event recorders write them.
  Event: {
    metadata: [1, 'meta.ObjectMeta'],
    involvedObject: [2, 'ObjectReference'],
    reason: [3, 'string'],
    message: [4, 'string'],
    source: [5, 'EventSource'],
    firstTimestamp: [6, 'meta.Time'],
    lastTimestamp: [7, 'meta.Time'],
    count: [8, 'int32'],
    type: [9, 'string'],
    eventTime: [10, 'meta.MicroTime'],
    series: [11, 'EventSeries'],
    action: [12, 'string'],
    related: [13, 'ObjectReference'],
    reportingComponent: [14, 'string', 'r'],
    reportingInstance: [15, 'string', 'r'],
  },
  EventSource: { component: [1, 'string'], host: [2, 'string'] },
  EventSeries: { count: [1, 'int32'], lastObservedTime: [2, 'meta.MicroTime'] },

  ObjectReference: {
    kind: [1, 'string'],
    namespace: [2, 'string'],
    name: [3, 'string'],
    uid: [4, 'string'],
    apiVersion: [5, 'string'],
    resourceVersion: [6, 'string'],
    fieldPath: [7, 'string'],
  },
  LocalObjectReference: { name: [1, 'string'] },
  TypedLocalObjectReference: { apiGroup: [1, 'string', 'pr'], kind: [2, 'string', 'r'], name: [3, 'string', 'r'] },
  TypedObjectReference: { apiGroup: [1, 'string', 'pr'], kind: [2, 'string', 'r'], name: [3, 'string', 'r'], namespace: [4, 'string', 'p'] },
};

export const core: GroupSpec = {
  pkg: 'core',
  kinds: { v1: ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'ResourceQuota', 'Pod', 'Binding', 'Event'] },
  messages: mergeMessages(objectMessages, podMessages, containerMessages, volumeMessages),
};
