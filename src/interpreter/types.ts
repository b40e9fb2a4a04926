/**
 * Shapes shared by the resource interpreter: what it reads (plain JSON objects as stored by the
 * API server) and what it produces (Karmada's ReplicaRequirements, AggregatedStatusItem, health,
 * dependency references). Field names follow Karmada's JSON so results can be written into
 * ResourceBinding / Work objects unchanged.
 */
import type { NodeSelector, Toleration } from 'kubernetes-types/core/v1.js';
import type { ResourceList } from '../util/quantity.js';

/** A decoded JSON object (a Kubernetes object, a status, a fragment of either). */
export type JsonObject = Record<string, unknown>;

/** Karmada's ResourceHealth values. */
export type Health = 'Healthy' | 'Unhealthy' | 'Unknown';

/** ReplicaRequirements.nodeClaim: the scheduling constraints every replica carries. */
export interface NodeClaim {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  hardNodeAffinity?: NodeSelector;
}

/** ResourceBinding.spec.replicaRequirements (work.karmada.io/v1alpha2). */
export interface ReplicaRequirements {
  nodeClaim?: NodeClaim;
  /** Per-replica requests, canonical quantity strings; absent when the pod requests nothing. */
  resourceRequest?: ResourceList;
  namespace?: string;
  priorityClassName?: string;
}

/** What GetReplicas yields: the replica count and, when known, what each replica needs. */
export interface ReplicaResult {
  replicas: number;
  requirements?: ReplicaRequirements;
}

/** One cluster's entry of ResourceBinding.status.aggregatedStatus. */
export interface AggregatedStatusItem {
  clusterName: string;
  /** The reflected status (reflectStatus of the member object); absent until collected. */
  status?: JsonObject;
  /** Whether the last apply to the cluster succeeded; only `true` lets the cluster count as up to date. */
  applied?: boolean;
  appliedMessage?: string;
  health?: Health;
}

/** config.karmada.io DependentObjectReference (name form; labelSelector is not produced natively). */
export interface DependencyRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Options for operations that stamp times (conditions). */
export interface AggregateOptions {
  /** Clock for condition timestamps; defaults to the current time. */
  now?: Date;
}

/** Extra inputs to reviseReplica that Karmada's binding controller passes separately. */
export interface ReviseOptions {
  /** A Job's share of spec.completions for this cluster (see divideJobCompletions). */
  completions?: number;
}

/**
 * Everything known about one kind, one function per interpreter operation (Karmada's
 * InterpreterOperation names in comments). A missing function means "no knowledge"; the
 * registry then falls through to the next source and finally to the generic behaviour.
 */
export interface KindInterpreter {
  /** InterpretReplica */
  getReplicas?(obj: JsonObject): ReplicaResult;
  /** ReviseReplica */
  reviseReplica?(obj: JsonObject, replicas: number, opts?: ReviseOptions): JsonObject;
  /** InterpretStatus: what goes into Work.status.manifestStatuses[].status. */
  reflectStatus?(obj: JsonObject): JsonObject | undefined;
  /** AggregateStatus: the template's new .status. */
  aggregateStatus?(template: JsonObject, items: readonly AggregatedStatusItem[], opts?: AggregateOptions): JsonObject | undefined;
  /** InterpretHealth */
  interpretHealth?(obj: JsonObject): Health;
  /** InterpretDependency */
  getDependencies?(obj: JsonObject): DependencyRef[];
  /** Retain: kind-specific fields of the member object to keep (metadata is handled for every kind). */
  retain?(desired: JsonObject, observed: JsonObject): JsonObject;
}

/** The operations of KindInterpreter, for per-operation lookups. */
export type InterpreterOperation = keyof KindInterpreter;

/**
 * One place interpreter knowledge comes from (built-ins, declarative rules, later perhaps
 * TypeScript plugins or webhooks). A registry asks its sources in order, per operation.
 */
export interface InterpreterSource {
  readonly name: string;
  lookup(apiVersion: string, kind: string): KindInterpreter | undefined;
}
