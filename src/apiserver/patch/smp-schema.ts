/**
 * Strategic-merge-patch metadata for built-in kinds: the `patchStrategy` / `patchMergeKey`
 * struct tags of k8s.io/api, restated as small schema trees that smp.ts walks.
 *
 * A schema node says how a JSON value at that position is patched:
 *   - struct  : an object with known fields; fields not listed are `any`.
 *   - map     : an object with arbitrary keys (labels, resources.limits, ConfigMap data).
 *   - list    : `merge` (items matched by `mergeKey`; a primitive set when there is no key)
 *               or `atomic` (the patch replaces the whole list; the Kubernetes default).
 *   - any     : nothing known: objects merge key by key, lists are atomic.
 *   - opaque  : embedded raw JSON (runtime.RawExtension-like): replaced verbatim, no directives.
 *
 * `retainKeys` mirrors patchStrategy "retainKeys" (struct) and "merge,retainKeys" (list items).
 * The server honours a `$retainKeys` directive wherever it appears, exactly as upstream does;
 * the flag documents where kubectl generates it.
 *
 * Only fields with non-default behaviour (or on the way to one) need to be declared; a few
 * atomic lists are spelled out because they are the ones users expect to merge and don't.
 * Source: k8s.io/api {core,apps,batch,autoscaling,policy}/v1 and meta/v1 types.go.
 */

export interface SmpStruct {
  readonly kind: 'struct';
  readonly fields: Readonly<Record<string, SmpType>>;
  /** patchStrategy:"retainKeys" — a one-of struct; kubectl sends `$retainKeys` for it. */
  readonly retainKeys?: boolean;
}

export interface SmpMap {
  readonly kind: 'map';
  readonly values: SmpType;
}

export interface SmpList {
  readonly kind: 'list';
  readonly strategy: 'merge' | 'atomic';
  /** patchMergeKey; absent on a merge list means a set of primitives (e.g. finalizers). */
  readonly mergeKey?: string;
  /** patchStrategy:"merge,retainKeys" — each item is a one-of struct (e.g. volumes). */
  readonly retainKeys?: boolean;
  readonly items: SmpType;
}

export interface SmpAny {
  readonly kind: 'any';
}

export interface SmpOpaque {
  readonly kind: 'opaque';
}

export type SmpType = SmpStruct | SmpMap | SmpList | SmpAny | SmpOpaque;

// ---------------------------------------------------------------------------------------------
// Builders

export const ANY: SmpAny = Object.freeze({ kind: 'any' });
export const OPAQUE: SmpOpaque = Object.freeze({ kind: 'opaque' });

function struct(fields: Record<string, SmpType>, opts: { retainKeys?: boolean } = {}): SmpStruct {
  return Object.freeze({ kind: 'struct', fields: Object.freeze(fields), ...(opts.retainKeys ? { retainKeys: true } : {}) });
}
const map = (values: SmpType = ANY): SmpMap => Object.freeze({ kind: 'map', values });
/** patchStrategy:"merge" patchMergeKey:<key> (or "merge,retainKeys" with `retainKeys`). */
const mergeBy = (mergeKey: string, items: SmpType = ANY, opts: { retainKeys?: boolean } = {}): SmpList =>
  Object.freeze({ kind: 'list', strategy: 'merge', mergeKey, items, ...(opts.retainKeys ? { retainKeys: true } : {}) });
/** patchStrategy:"merge" on a list of primitives: a set (union on patch). */
const set = (): SmpList => Object.freeze({ kind: 'list', strategy: 'merge', items: ANY });
/** No patchStrategy: replaced as a whole. */
const atomic = (items: SmpType = ANY): SmpList => Object.freeze({ kind: 'list', strategy: 'atomic', items });

// ---------------------------------------------------------------------------------------------
// Shared types

/** meta/v1 ObjectMeta. */
export const ObjectMeta = struct({
  labels: map(),
  annotations: map(),
  finalizers: set(),
  ownerReferences: mergeBy('uid'),
  managedFields: atomic(),
});

const LabelSelector = struct({ matchLabels: map(), matchExpressions: atomic() });
const ResourceRequirements = struct({ limits: map(), requests: map(), claims: atomic() });
/** status.conditions everywhere it carries patchMergeKey "type". */
const conditions = mergeBy('type');
const StatusWithConditions = struct({ conditions });

/** core/v1 Container; EphemeralContainerCommon carries the same tags. */
const Container = struct({
  command: atomic(),
  args: atomic(),
  ports: mergeBy('containerPort'),
  envFrom: atomic(),
  env: mergeBy('name'),
  resources: ResourceRequirements,
  resizePolicy: atomic(),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
});

/** core/v1 PodSpec. */
const PodSpec = struct({
  volumes: mergeBy('name', ANY, { retainKeys: true }),
  initContainers: mergeBy('name', Container),
  containers: mergeBy('name', Container),
  ephemeralContainers: mergeBy('name', Container),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: mergeBy('name', ANY, { retainKeys: true }),
  tolerations: atomic(),
  readinessGates: atomic(),
  nodeSelector: map(),
  overhead: map(),
});

const PodTemplateSpec = struct({ metadata: ObjectMeta, spec: PodSpec });

/** core/v1 PodStatus. */
const PodStatus = struct({
  conditions,
  podIPs: mergeBy('ip'),
  hostIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeBy('name', ANY, { retainKeys: true }),
  initContainerStatuses: atomic(),
  containerStatuses: atomic(),
  ephemeralContainerStatuses: atomic(),
});

const ServiceSpec = struct({
  ports: mergeBy('port'), // real key; SSA uses (port, protocol) but SMP only `port`
  selector: map(),
  clusterIPs: atomic(),
  externalIPs: atomic(),
  ipFamilies: atomic(),
});

const NodeStatus = struct({
  conditions,
  addresses: mergeBy('type'),
  capacity: map(),
  allocatable: map(),
  images: atomic(),
  volumesInUse: atomic(),
  volumesAttached: atomic(),
});

const PersistentVolumeClaimSpec = struct({ accessModes: atomic(), selector: LabelSelector, resources: ResourceRequirements });

const JobSpec = struct({ selector: LabelSelector, template: PodTemplateSpec });

/** A top-level object: every kind gets ObjectMeta. */
const object = (fields: Record<string, SmpType> = {}): SmpStruct => struct({ metadata: ObjectMeta, ...fields });

// ---------------------------------------------------------------------------------------------
// The table: group ("" = core) → kind → schema. Versions share patch metadata.

const TABLE: Readonly<Record<string, Readonly<Record<string, SmpStruct>>>> = {
  '': {
    Pod: object({ spec: PodSpec, status: PodStatus }),
    PodTemplate: object({ template: PodTemplateSpec }),
    ReplicationController: object({
      spec: struct({ selector: map(), template: PodTemplateSpec }),
      status: StatusWithConditions,
    }),
    Service: object({
      spec: ServiceSpec,
      status: struct({ conditions, loadBalancer: struct({ ingress: atomic() }) }),
    }),
    ServiceAccount: object({ secrets: mergeBy('name'), imagePullSecrets: atomic() }),
    Node: object({ spec: struct({ podCIDRs: set(), taints: atomic() }), status: NodeStatus }),
    Namespace: object({ spec: struct({ finalizers: atomic() }), status: StatusWithConditions }),
    ConfigMap: object({ data: map(), binaryData: map() }),
    Secret: object({ data: map(), stringData: map() }),
    PersistentVolumeClaim: object({
      spec: PersistentVolumeClaimSpec,
      status: struct({ conditions, accessModes: atomic(), capacity: map(), allocatedResources: map() }),
    }),
    PersistentVolume: object({ spec: struct({ accessModes: atomic(), capacity: map(), mountOptions: atomic() }) }),
    Endpoints: object({ subsets: atomic() }),
    ComponentStatus: object({ conditions }),
    ResourceQuota: object({ spec: struct({ hard: map(), scopes: atomic() }), status: struct({ hard: map(), used: map() }) }),
    LimitRange: object({ spec: struct({ limits: atomic() }) }),
    Event: object(),
  },
  apps: {
    Deployment: object({
      spec: struct({
        selector: LabelSelector,
        template: PodTemplateSpec,
        strategy: struct({}, { retainKeys: true }),
      }),
      status: StatusWithConditions,
    }),
    ReplicaSet: object({ spec: struct({ selector: LabelSelector, template: PodTemplateSpec }), status: StatusWithConditions }),
    StatefulSet: object({
      spec: struct({
        selector: LabelSelector,
        template: PodTemplateSpec,
        volumeClaimTemplates: atomic(), // no patchStrategy upstream
        // updateStrategy: no patchStrategy upstream (plain struct merge)
      }),
      status: StatusWithConditions,
    }),
    DaemonSet: object({
      spec: struct({
        selector: LabelSelector,
        template: PodTemplateSpec,
        // updateStrategy: no patchStrategy upstream (unlike Deployment.spec.strategy)
      }),
      status: StatusWithConditions,
    }),
    ControllerRevision: object({ data: OPAQUE }),
  },
  batch: {
    Job: object({ spec: JobSpec, status: StatusWithConditions }),
    CronJob: object({
      spec: struct({ jobTemplate: struct({ metadata: ObjectMeta, spec: JobSpec }) }),
      status: struct({ active: atomic() }),
    }),
  },
  autoscaling: {
    HorizontalPodAutoscaler: object({ status: StatusWithConditions }),
  },
  policy: {
    PodDisruptionBudget: object({ spec: struct({ selector: LabelSelector }), status: StatusWithConditions }),
  },
  'apiregistration.k8s.io': {
    APIService: object({ status: StatusWithConditions }),
  },
  'apiextensions.k8s.io': {
    // JSON schemas may carry `$ref`/`$schema` keys; they are data, not directives.
    CustomResourceDefinition: object({ spec: struct({ versions: atomic(OPAQUE), validation: OPAQUE }) }),
  },
  // Built-ins whose only patch metadata is ObjectMeta's.
  'networking.k8s.io': { Ingress: object(), IngressClass: object(), NetworkPolicy: object() },
  'rbac.authorization.k8s.io': { Role: object(), ClusterRole: object(), RoleBinding: object(), ClusterRoleBinding: object() },
  'coordination.k8s.io': { Lease: object() },
  'discovery.k8s.io': { EndpointSlice: object() },
  'events.k8s.io': { Event: object() },
  'scheduling.k8s.io': { PriorityClass: object() },
  'storage.k8s.io': { StorageClass: object(), CSIDriver: object(), CSINode: object(), VolumeAttachment: object() },
  'certificates.k8s.io': { CertificateSigningRequest: object() },
  'admissionregistration.k8s.io': { MutatingWebhookConfiguration: object(), ValidatingWebhookConfiguration: object() },
  'flowcontrol.apiserver.k8s.io': { FlowSchema: object(), PriorityLevelConfiguration: object() },
};

/**
 * Schema for kinds not in the table: ObjectMeta semantics for `metadata` (they hold for every
 * Kubernetes object), and for everything else maps merge and lists are replaced atomically.
 */
export const DEFAULT_SMP_SCHEMA: SmpStruct = object();

const normalizeGroup = (group: string): string => (group === 'core' ? '' : group);

/** Patch metadata for a built-in (group, kind), or undefined when the table does not know it. */
export function builtinSmpSchema(group: string, kind: string): SmpStruct | undefined {
  const byKind = TABLE[normalizeGroup(group)];
  return byKind && Object.hasOwn(byKind, kind) ? byKind[kind] : undefined;
}

/** Patch metadata for (group, kind), falling back to DEFAULT_SMP_SCHEMA. */
export function smpSchemaFor(group: string, kind: string): SmpType {
  return builtinSmpSchema(group, kind) ?? DEFAULT_SMP_SCHEMA;
}

/** The schema of field `key` of an object described by `t`. */
export function fieldSchema(t: SmpType, key: string): SmpType {
  switch (t.kind) {
    case 'struct':
      return Object.hasOwn(t.fields, key) ? (t.fields[key] as SmpType) : ANY;
    case 'map':
      return t.values;
    case 'opaque':
      return OPAQUE;
    default:
      return ANY;
  }
}

/** The schema of the items of a list described by `t`. */
export function itemSchema(t: SmpType): SmpType {
  if (t.kind === 'list') return t.items;
  return t.kind === 'opaque' ? OPAQUE : ANY;
}
