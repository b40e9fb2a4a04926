/**
 * apimachinery's shared messages: the envelope (runtime), object metadata (meta/v1), and the two
 * value types with custom JSON forms (intstr.IntOrString, resource.Quantity).
 * Sources: k8s.io/apimachinery pkg/runtime, pkg/apis/meta/v1, pkg/util/intstr, pkg/api/resource.
 */
import type { GroupSpec } from './schema.js';

/** The `k8s\0` envelope body and RawExtension. */
export const runtime: GroupSpec = {
  pkg: 'runtime',
  messages: {
    TypeMeta: { apiVersion: [1, 'string'], kind: [2, 'string'] },
    Unknown: { typeMeta: [1, 'TypeMeta'], raw: [2, 'bytes'], contentEncoding: [3, 'string'], contentType: [4, 'string'] },
    // JSON form is the raw bytes themselves (they hold JSON); decode.ts special-cases it.
    RawExtension: { raw: [1, 'bytes'] },
  },
};

/** JSON: a number when type is 0, the string when type is 1 (decode.ts special-cases it). */
export const intstr: GroupSpec = {
  pkg: 'intstr',
  messages: { IntOrString: { type: [1, 'int64'], intVal: [2, 'int32'], strVal: [3, 'string'] } },
};

/** JSON: the canonical string; Go writes "0" for the zero Quantity (decode.ts special-cases it). */
export const resource: GroupSpec = {
  pkg: 'resource',
  messages: { Quantity: { string: [1, 'string'] } },
};

/**
 * client-go encodes the DeleteOptions body of a typed Delete in the client's own group version,
 * so it may arrive under any of them.
 */
const deleteOptionsVersions = [
  'meta.k8s.io/v1',
  'v1',
  'apps/v1',
  'batch/v1',
  'rbac.authorization.k8s.io/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'scheduling.k8s.io/v1',
  'autoscaling/v1',
  'coordination.k8s.io/v1',
];

export const meta: GroupSpec = {
  pkg: 'meta',
  kinds: Object.fromEntries(deleteOptionsVersions.map((v) => [v, ['DeleteOptions']])),
  messages: {
    // Time/MicroTime are RFC 3339 strings in JSON; a zero value is sent as an empty message.
    Time: { seconds: [1, 'int64'], nanos: [2, 'int32'] },
    MicroTime: { seconds: [1, 'int64'], nanos: [2, 'int32'] },
    // JSON form is the raw JSON object itself.
    FieldsV1: { Raw: [1, 'bytes'] },
    ObjectMeta: {
      name: [1, 'string'],
      generateName: [2, 'string'],
      namespace: [3, 'string'],
      selfLink: [4, 'string'],
      uid: [5, 'string'],
      resourceVersion: [6, 'string'],
      generation: [7, 'int64'],
      creationTimestamp: [8, 'Time'],
      deletionTimestamp: [9, 'Time', 'p'],
      deletionGracePeriodSeconds: [10, 'int64', 'p'],
      labels: [11, 'map<string>'],
      annotations: [12, 'map<string>'],
      ownerReferences: [13, '[]OwnerReference'],
      finalizers: [14, '[]string'],
      managedFields: [17, '[]ManagedFieldsEntry'],
    },
    OwnerReference: {
      apiVersion: [5, 'string', 'r'],
      kind: [1, 'string', 'r'],
      name: [3, 'string', 'r'],
      uid: [4, 'string', 'r'],
      controller: [6, 'bool', 'p'],
      blockOwnerDeletion: [7, 'bool', 'p'],
    },
    ManagedFieldsEntry: {
      manager: [1, 'string'],
      operation: [2, 'string'],
      apiVersion: [3, 'string'],
      time: [4, 'Time', 'p'],
      fieldsType: [6, 'string'],
      fieldsV1: [7, 'FieldsV1', 'p'],
      subresource: [8, 'string'],
    },
    LabelSelector: { matchLabels: [1, 'map<string>'], matchExpressions: [2, '[]LabelSelectorRequirement'] },
    LabelSelectorRequirement: { key: [1, 'string', 'r'], operator: [2, 'string', 'r'], values: [3, '[]string'] },
    DeleteOptions: {
      gracePeriodSeconds: [1, 'int64', 'p'],
      preconditions: [2, 'Preconditions'],
      orphanDependents: [3, 'bool', 'p'],
      propagationPolicy: [4, 'string', 'p'],
      dryRun: [5, '[]string'],
      ignoreStoreReadErrorWithClusterBreakingPotential: [6, 'bool', 'p'],
    },
    Preconditions: { uid: [1, 'string', 'p'], resourceVersion: [2, 'string', 'p'] },
    Condition: {
      type: [1, 'string', 'r'],
      status: [2, 'string', 'r'],
      observedGeneration: [3, 'int64'],
      lastTransitionTime: [4, 'Time', 'r'],
      reason: [5, 'string', 'r'],
      message: [6, 'string', 'r'],
    },
  },
};
