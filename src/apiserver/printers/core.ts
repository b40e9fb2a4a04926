/**
 * Printers for the core ("") API group.
 */
import type {
  ComponentStatus,
  ConfigMap,
  ContainerStatus,
  Endpoints,
  Event,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import { age, humanDuration, parseTime } from './age.js';
import { ageCol, containerCols, integer, nameCol, nameColumnDef, printer, str, wide } from './define.js';
import type { Column } from './define.js';
import {
  accessModes,
  byteCompare,
  containerCells,
  firstNonEmpty,
  formatLabels,
  int,
  joinHostPort,
  sortedUnique,
} from './format.js';
import { canonicalQuantity } from './quantity.js';
import type { Printer, TableRowCondition } from './types.js';

// ---------------------------------------------------------------- pods

export interface PodSummary {
  /** READY: "ready/total". */
  ready: string;
  /** STATUS, as kubectl computes it. */
  status: string;
  /** RESTARTS: "3" or "3 (5m ago)". */
  restarts: string;
}

/** The later of a running maximum and a container's last termination time. */
function laterTermination(current: number | undefined, c: ContainerStatus): number | undefined {
  const t = parseTime(c.lastState?.terminated?.finishedAt);
  if (t === undefined || Number.isNaN(t)) return current;
  return current === undefined || t > current ? t : current;
}

const terminatedReason = (t: { reason?: string; signal?: number; exitCode: number }, prefix: string): string =>
  t.reason ? `${prefix}${t.reason}` : t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;

/** READY, STATUS and RESTARTS of a pod, computed the way kubectl shows them. */
export function podSummary(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = spec?.initContainers ?? [];
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));

  // Sidecars (restartable init containers) count as containers of the pod.
  const total = (spec?.containers ?? []).length + initSpecs.filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += int(c.restartCount);
    lastRestart = laterTermination(lastRestart, c);
    const sidecar = sidecars.has(c.name);
    if (sidecar) {
      sidecarRestarts += int(c.restartCount);
      lastSidecarRestart = laterTermination(lastSidecarRestart, c);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) reason = terminatedReason(term, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).find((c) => c.type === 'Initialized')?.status === 'True';
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += int(c.restartCount);
      lastRestart = laterTermination(lastRestart, c);
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term) reason = terminatedReason(term, '');
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but another still runs is shown as running.
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const ok = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

const podConditions = (pod: Pod): TableRowCondition[] | undefined => {
  switch (pod.status?.phase) {
    case 'Succeeded':
      return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    case 'Failed':
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    default:
      return undefined;
  }
};

const pods = printer<Pod, PodSummary>(
  [
    nameCol(),
    str('Ready', 'The aggregate readiness state of this pod for accepting traffic.', (_p, _n, s) => s.ready),
    str('Status', 'The aggregate status of the containers in this pod.', (_p, _n, s) => s.status),
    str(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      (_p, _n, s) => s.restarts,
    ),
    ageCol(),
    wide(str('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', (p) =>
      firstNonEmpty(p.status?.podIPs?.[0]?.ip, p.status?.podIP, '<none>'),
    )),
    wide(str('Node', 'NodeName indicates in which node this pod is scheduled.', (p) => firstNonEmpty(p.spec?.nodeName, '<none>'))),
    wide(str('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', (p) =>
      firstNonEmpty(p.status?.nominatedNodeName, '<none>'),
    )),
    wide(str('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', readinessGates)),
  ],
  { derive: podSummary, conditions: podConditions },
);

// ---------------------------------------------------------------- nodes

/** STATUS of a node: "Ready", "NotReady", "Unknown", with ",SchedulingDisabled" when cordoned. */
export function nodeStatus(node: Node): string {
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') ready = c.status;
  const parts = [ready === undefined ? 'Unknown' : ready === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** ROLES of a node, from node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels. */
export function nodeRoles(node: Node): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.push(role);
    } else if (k === 'kubernetes.io/role' && v) roles.push(v);
  }
  return sortedUnique(roles).join(',') || '<none>';
}

const nodeAddress = (node: Node, type: string): string =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

const nodes = printer<Node>([
  nameCol(),
  str('Status', 'The status of the node', nodeStatus),
  str('Roles', 'The roles of the node', nodeRoles),
  ageCol(),
  str('Version', 'Kubelet Version reported by the node.', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
  wide(str('Internal-IP', 'List of addresses reachable to the node.', (n) => nodeAddress(n, 'InternalIP'))),
  wide(str('External-IP', 'List of addresses reachable to the node.', (n) => nodeAddress(n, 'ExternalIP'))),
  wide(str('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', (n) =>
    firstNonEmpty(n.status?.nodeInfo?.osImage, '<unknown>'),
  )),
  wide(str('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", (n) =>
    firstNonEmpty(n.status?.nodeInfo?.kernelVersion, '<unknown>'),
  )),
  wide(str('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', (n) =>
    firstNonEmpty(n.status?.nodeInfo?.containerRuntimeVersion, '<unknown>'),
  )),
]);

// ---------------------------------------------------------------- services and endpoints

/** PORT(S): "80/TCP,443:30443/TCP", "<none>" when there are none. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = p.protocol || 'TCP';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
}

/** Load-balancer ingress points: IPs (else hostnames), sorted and de-duplicated. */
export function loadBalancerIngress(ingress: readonly { ip?: string; hostname?: string }[] | undefined): string {
  return sortedUnique((ingress ?? []).map((i) => i.ip || i.hostname || '').filter((x) => x !== '')).join(',');
}

/** EXTERNAL-IP of a service. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const services = printer<Service>([
  nameCol(),
  str('Type', 'type determines how the Service is exposed.', (s) => s.spec?.type ?? 'ClusterIP'),
  str('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.', (s) =>
    firstNonEmpty(s.spec?.clusterIPs?.[0], s.spec?.clusterIP, '<none>'),
  ),
  str('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.', serviceExternalIP),
  str('Port(s)', 'The list of ports that are exposed by this service.', servicePorts),
  ageCol(),
  wide(str('Selector', 'Route service traffic to pods with label keys and values matching this selector.', (s) => formatLabels(s.spec?.selector))),
]);

/** ENDPOINTS: "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...", "<none>" without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (s: string) => {
    if (list.length === max) more = true;
    else list.push(s);
  };
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addrs.length;
      for (const a of addrs) add(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) add(joinHostPort(a.ip, p.port));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

const endpoints = printer<Endpoints>([
  nameCol(),
  str('Endpoints', 'The set of all endpoints is the union of all subsets.', formatEndpoints),
  ageCol(),
]);

// ---------------------------------------------------------------- events

/** An events.k8s.io/v1 Event as the core/v1 shape the printer reads. */
export function eventsV1ToCore(e: any): Event {
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  } as Event;
}

interface EventSummary {
  first: string;
  last: string;
  count: number;
}

function eventSummary(e: Event, now: Date): EventSummary {
  const first = parseTime(e.firstTimestamp) === undefined ? age(e.eventTime, now) : age(e.firstTimestamp, now);
  let last = parseTime(e.lastTimestamp) === undefined ? first : age(e.lastTimestamp, now);
  let count = int(e.count);
  if (e.series) {
    last = age(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) {
    count = 1; // singleton events carry no count in the new API
  }
  return { first, last, count };
}

function eventColumns<T>(toCore: (o: T) => Event): Column<T, EventSummary>[] {
  const c = (f: (e: Event, s: EventSummary) => unknown) => (o: T, _now: Date, s: EventSummary) => f(toCore(o), s);
  return [
    str('Last Seen', 'The time at which the most recent occurrence of this event was recorded.', c((_e, s) => s.last)),
    str('Type', 'Type of this event (Normal, Warning), new types could be added in the future', c((e) => e.type ?? '')),
    str('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.', c((e) => e.reason ?? '')),
    str('Object', 'The object that this event is about.', c((e) => {
      const kind = (e.involvedObject?.kind ?? '').toLowerCase();
      return e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    })),
    wide(str('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', c((e) => e.involvedObject?.fieldPath ?? ''))),
    wide(str('Source', 'The component reporting this event. Should be a short machine understandable string.', c((e) => {
      const component = firstNonEmpty(e.source?.component, e.reportingComponent);
      const instance = firstNonEmpty(e.source?.host, e.reportingInstance);
      return instance ? `${component}, ${instance}` : component;
    }))),
    str('Message', 'A human-readable description of the status of this operation.', c((e) => (e.message ?? '').trim())),
    wide(str('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', c((_e, s) => s.first))),
    wide(str('Count', 'The number of times this event has occurred.', c((_e, s) => s.count))),
    wide({ def: nameColumnDef(), cell: c((e) => e.metadata?.name ?? '') }),
  ];
}

/** Printer for events of either API (core/v1 or events.k8s.io/v1). */
function eventPrinter<T>(toCore: (o: T) => Event): Printer {
  return printer<T, EventSummary>(eventColumns(toCore), { derive: (o, now) => eventSummary(toCore(o), now) });
}

// ---------------------------------------------------------------- storage

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

const pvClass = (pv: PersistentVolume): string =>
  pv.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
const pvcClass = (pvc: PersistentVolumeClaim): string =>
  pvc.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? pvc.spec?.storageClassName ?? '';

const persistentVolumes = printer<PersistentVolume>([
  nameCol(),
  str('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.', (pv) => canonicalQuantity(pv.spec?.capacity?.storage)),
  str('Access Modes', 'accessModes contains all ways the volume can be mounted.', (pv) => accessModes(pv.spec?.accessModes)),
  str('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.', (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? ''),
  str('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.', (pv) =>
    pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
  ),
  str('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.', (pv) =>
    pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '',
  ),
  str('StorageClass', 'StorageClass of the pv', pvClass),
  str('VolumeAttributesClass', 'VolumeAttributesClass of the pv', (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>'),
  str('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.', (pv) => pv.status?.reason ?? ''),
  ageCol(),
  wide(str('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', (pv) => pv.spec?.volumeMode ?? '<unset>')),
]);

const persistentVolumeClaims = printer<PersistentVolumeClaim>([
  nameCol(),
  str('Status', 'phase represents the current phase of PersistentVolumeClaim.', (c) =>
    c.metadata?.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? ''),
  ),
  str('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.', (c) => c.spec?.volumeName ?? ''),
  str('Capacity', 'capacity represents the actual resources of the underlying volume.', (c) =>
    c.spec?.volumeName ? canonicalQuantity(c.status?.capacity?.storage) : '',
  ),
  str('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.', (c) =>
    c.spec?.volumeName ? accessModes(c.status?.accessModes) : '',
  ),
  str('StorageClass', 'StorageClass of the pvc', pvcClass),
  str('VolumeAttributesClass', 'VolumeAttributesClass of the pvc', (c) => c.spec?.volumeAttributesClassName ?? '<unset>'),
  ageCol(),
  wide(str('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', (c) => c.spec?.volumeMode ?? '<unset>')),
]);

// ---------------------------------------------------------------- quota

/** REQUEST and LIMIT of a quota: "cpu: 100m/1, pods: 2/10" from status.hard/used, limits.* apart. */
export function quotaColumns(q: ResourceQuota): [string, string] {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort(byteCompare)) {
    const pieces = name.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limit : request;
    target.push(`${name}: ${canonicalQuantity(used[name])}/${canonicalQuantity(hard[name])}`);
  }
  return [request.join(', '), limit.join(', ')];
}

const resourceQuotas = printer<ResourceQuota>([
  nameCol(),
  str('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.', (q) => quotaColumns(q)[0]),
  str('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', (q) => quotaColumns(q)[1]),
  ageCol(),
]);

// ---------------------------------------------------------------- the rest

const namespaces = printer<Namespace>([
  nameCol(),
  str('Status', 'The status of the namespace', (ns) => ns.status?.phase ?? ''),
  ageCol(),
]);

const configMaps = printer<ConfigMap>([
  nameCol(),
  integer('Data', 'Data contains the configuration data.', (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length),
  ageCol(),
]);

const secrets = printer<Secret>([
  nameCol(),
  str('Type', 'Used to facilitate programmatic handling of secret data.', (s) => s.type || 'Opaque'),
  integer('Data', 'Data contains the secret data.', (s) => Object.keys(s.data ?? {}).length),
  ageCol(),
]);

const serviceAccounts = printer<ServiceAccount>([
  nameCol(),
  integer('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', (sa) => (sa.secrets ?? []).length),
  ageCol(),
]);

const replicationControllers = printer<ReplicationController>([
  nameCol(),
  integer('Desired', 'Replicas is the number of desired replicas.', (rc) => rc.spec?.replicas ?? 1),
  integer('Current', 'Replicas is the most recently observed number of replicas.', (rc) => int(rc.status?.replicas)),
  integer('Ready', 'The number of ready replicas for this replication controller.', (rc) => int(rc.status?.readyReplicas)),
  ageCol(),
  ...containerCols<ReplicationController>(),
  wide(str('Selector', 'Selector is a label query over pods that should match the Replicas count.', (rc) => formatLabels(rc.spec?.selector))),
]);

const podTemplates = printer<PodTemplate>([
  nameCol(),
  str('Containers', 'Names of each container in the template.', (t) => containerCells(t.template?.spec?.containers)[0]),
  str('Images', 'Images referenced by each container in the template.', (t) => containerCells(t.template?.spec?.containers)[1]),
  str('Pod Labels', 'The labels for the pod template.', (t) => formatLabels(t.template?.metadata?.labels)),
]);

const componentStatuses = printer<ComponentStatus, { status: string; message: string; error: string }>(
  [
    nameCol(),
    str('Status', 'Status of the component conditions', (_c, _n, d) => d.status),
    str('Message', 'Message of the component conditions', (_c, _n, d) => d.message),
    str('Error', 'Error of the component conditions', (_c, _n, d) => d.error),
  ],
  {
    derive: (cs) => {
      const h = (cs.conditions ?? []).find((c) => c.type === 'Healthy');
      if (!h) return { status: 'Unknown', message: '', error: '' };
      return { status: h.status === 'True' ? 'Healthy' : 'Unhealthy', message: h.message ?? '', error: h.error ?? '' };
    },
  },
);

/** Printers of the core group, by resource. */
export const corePrinters: Record<string, Printer> = {
  pods,
  nodes,
  services,
  endpoints,
  events: eventPrinter<Event>((e) => e),
  namespaces,
  configmaps: configMaps,
  secrets,
  serviceaccounts: serviceAccounts,
  persistentvolumes: persistentVolumes,
  persistentvolumeclaims: persistentVolumeClaims,
  resourcequotas: resourceQuotas,
  replicationcontrollers: replicationControllers,
  podtemplates: podTemplates,
  componentstatuses: componentStatuses,
};

/** events.k8s.io events print like core events (kube serves both from one store). */
export const eventsV1Printer: Printer = eventPrinter<unknown>(eventsV1ToCore);
