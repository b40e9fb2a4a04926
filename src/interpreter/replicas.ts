/**
 * InterpretReplica and ReviseReplica for built-in kinds, with Karmada's semantics
 * (pkg/resourceinterpreter/default/native/replica.go, revisereplica.go, helper.GenerateReplicaRequirements):
 *
 *   Deployment, StatefulSet, ReplicaSet   spec.replicas
 *   Job                                   spec.parallelism, capped by spec.completions (a Job never
 *                                         runs more pods at once than it has completions left)
 *   Pod                                   1
 *   CronJob, DaemonSet, anything else     0 and no requirements: Karmada has no replica knowledge for
 *                                         them, so they are propagated whole (Duplicated) to each cluster
 *
 * Deliberate differences from Karmada, all about what the stored object already implies:
 *  - an unset spec.replicas / spec.parallelism counts as 1 (the API server's default), not 0;
 *  - ReplicaSet is interpreted (Karmada only revises/health-checks it);
 *  - per-replica requests use Kubernetes' own formula (sidecar-aware, pod-level resources), where
 *    Karmada ignores restartable init containers; requests default to limits first, as Karmada does;
 *  - requirements.namespace is the workload's namespace (Karmada copies the pod template's, which
 *    is normally empty) and is always set, as is priorityClassName when the pod names one.
 */
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { podRequests } from '../simulator/scheduling/requests.js';
import { defaultFormatFor, formatQuantity, type ResourceList } from '../util/quantity.js';
import { clone, getIn, kindKeyOf, num, setIn } from './object.js';
import { namespaceOf, podSpecOf } from './pod-template.js';
import type { JsonObject, NodeClaim, ReplicaRequirements, ReplicaResult, ReviseOptions } from './types.js';

/** Requests default to limits for each resource only limited (core/v1 SetDefaults_Pod). */
function withRequestsFromLimits(c: Container): Container {
  const limits = c.resources?.limits;
  if (!limits) return c;
  const requests = { ...limits, ...c.resources?.requests };
  return { ...c, resources: { ...c.resources, requests } };
}

/** Effective per-pod requests as canonical quantities; undefined when nothing is requested. */
export function podResourceRequest(spec: PodSpec): ResourceList | undefined {
  const pod = {
    spec: {
      ...spec,
      containers: (spec.containers ?? []).map(withRequestsFromLimits),
      initContainers: (spec.initContainers ?? []).map(withRequestsFromLimits),
    },
  };
  const milli = podRequests(pod, { includePodCount: false });
  const out: ResourceList = {};
  for (const [name, v] of Object.entries(milli).sort(([a], [b]) => a.localeCompare(b))) {
    if (v <= 0n) continue;
    // Karmada counts everything but CPU in whole units (Quantity.Value rounds up).
    const amount = name === 'cpu' ? v : ((v + 999n) / 1000n) * 1000n;
    out[name] = formatQuantity(amount, defaultFormatFor(name));
  }
  return Object.keys(out).length ? out : undefined;
}

/** GenerateNodeClaimByPodSpec: undefined when the pod constrains nothing. */
function nodeClaimOf(spec: PodSpec): NodeClaim | undefined {
  const claim: NodeClaim = {};
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length) claim.nodeSelector = { ...spec.nodeSelector };
  if (spec.tolerations?.length) claim.tolerations = clone(spec.tolerations);
  const hard = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (hard) claim.hardNodeAffinity = clone(hard);
  return Object.keys(claim).length ? claim : undefined;
}

/** GenerateReplicaRequirements: undefined when there is neither a node claim nor a request. */
export function replicaRequirementsOf(spec: PodSpec | undefined, namespace: string): ReplicaRequirements | undefined {
  if (!spec) return undefined;
  const nodeClaim = nodeClaimOf(spec);
  const resourceRequest = podResourceRequest(spec);
  if (!nodeClaim && !resourceRequest) return undefined;
  const req: ReplicaRequirements = {};
  if (nodeClaim) req.nodeClaim = nodeClaim;
  if (resourceRequest) req.resourceRequest = resourceRequest;
  req.namespace = namespace;
  if (spec.priorityClassName) req.priorityClassName = spec.priorityClassName;
  return req;
}

function result(obj: JsonObject, replicas: number): ReplicaResult {
  const requirements = replicaRequirementsOf(podSpecOf(obj), namespaceOf(obj));
  return requirements ? { replicas, requirements } : { replicas };
}

const specReplicas = (obj: JsonObject): ReplicaResult => result(obj, num(getIn(obj, 'spec', 'replicas')) ?? 1);

function jobReplicas(obj: JsonObject): ReplicaResult {
  let replicas = num(getIn(obj, 'spec', 'parallelism')) ?? 1;
  const completions = num(getIn(obj, 'spec', 'completions'));
  if (completions !== undefined && completions < replicas) replicas = completions;
  return result(obj, replicas);
}

/** Native InterpretReplica, by kindKey. */
export const NATIVE_REPLICAS: Readonly<Record<string, (obj: JsonObject) => ReplicaResult>> = {
  'apps/Deployment': specReplicas,
  'apps/StatefulSet': specReplicas,
  'apps/ReplicaSet': specReplicas,
  'batch/Job': jobReplicas,
  '/Pod': (obj) => result(obj, 1),
};

function setReplicas(field: string) {
  return (obj: JsonObject, replicas: number): JsonObject => {
    const out = clone(obj);
    setIn(out, ['spec', field], replicas);
    return out;
  };
}

function reviseJob(obj: JsonObject, replicas: number, opts?: ReviseOptions): JsonObject {
  const out = setReplicas('parallelism')(obj, replicas);
  // Karmada's binding controller splits completions separately (divideJobCompletions) and only
  // when the Job had completions: a work-queue Job leaves it unset and so must we.
  if (opts?.completions !== undefined) setIn(out, ['spec', 'completions'], opts.completions);
  return out;
}

/** Native ReviseReplica, by kindKey. */
export const NATIVE_REVISE_REPLICA: Readonly<Record<string, (obj: JsonObject, replicas: number, opts?: ReviseOptions) => JsonObject>> = {
  'apps/Deployment': setReplicas('replicas'),
  'apps/StatefulSet': setReplicas('replicas'),
  'apps/ReplicaSet': setReplicas('replicas'),
  'batch/Job': reviseJob,
};

/** Replicas and per-replica requirements from built-in knowledge; {replicas: 0} for other kinds. */
export function getReplicas(obj: JsonObject): ReplicaResult {
  return NATIVE_REPLICAS[kindKeyOf(obj)]?.(obj) ?? { replicas: 0 };
}

/** A copy of obj set to run `replicas` replicas in one cluster; other kinds come back unchanged (copied). */
export function reviseReplica(obj: JsonObject, replicas: number, opts?: ReviseOptions): JsonObject {
  const fn = NATIVE_REVISE_REPLICA[kindKeyOf(obj)];
  return fn ? fn(obj, replicas, opts) : clone(obj);
}
