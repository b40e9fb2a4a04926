/**
 * Execution: applies each Work's manifests to its member cluster (server-side apply, conflict
 * resolution, retained member fields) and removes them when the Work goes. Also the member-side
 * machinery the status controllers share: ownership marks, member informers, discovery-based
 * REST mapping, events and status writes.
 */
export { startExecution } from './controller.js';
export { sharedMemberInformers, MemberInformers, gvrKey, trimForCache, type MemberInformer, type MemberObjectHandler, type MemberEventType } from './member-informers.js';
export { LeanInformer, type LeanInformerOptions } from './lean-informer.js';
export { RestMapper, NotServedError, parseResourceList, type Mapping } from './restmapper.js';
export { sharedEventRecorder, EventRecorder, type InvolvedObject, type EventType } from './events.js';
export { patchStatus, patchFinalizers } from './status-write.js';
export { setCondition, findCondition, isTrue, rfc3339, type Condition, type WantCondition } from './conditions.js';
export { manifestId, splitApiVersion, describeId, appliedConfiguration, type ManifestId } from './manifest.js';
export { retainForApply, replicasOwnedByScaler } from './retain.js';
export * from './ownership.js';
export { WORKS, RESOURCE_BINDINGS, CLUSTER_RESOURCE_BINDINGS, CLUSTERS } from './resources.js';
