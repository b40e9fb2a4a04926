/**
 * Defaulting, as pure functions that return a defaulted copy (the input is never changed).
 *
 * Two layers, applied in the order Kubernetes applies them:
 *  1. schemaDefaults: the `default`s the CRD schemas carry (conflictResolution Abort, preemption
 *     Never, priority 0, schedulerName default-scheduler, replicaSchedulingType Divided,
 *     tolerationSeconds 300, purgeMode Gracefully), read from the same TypeBox schemas, filled in
 *     only where the enclosing object exists, exactly as structural defaulting does.
 *  2. What karmada-webhook's mutating handlers (and the Cluster API strategy) do on top.
 * The defaultX functions run both, so in-process code sees what a client reading from the API
 * server would see.
 */
import { randomUUID } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Cluster, ResourceModel } from './cluster.js';
import { ClusterSchema } from './cluster.js';
import type { ClusterOverridePolicy, ClusterPropagationPolicy, OverridePolicy, PropagationPolicy, PropagationSpec } from './policy.js';
import { ClusterOverridePolicySchema, ClusterPropagationPolicySchema, OverridePolicySchema, PropagationPolicySchema } from './policy.js';
import type { ApplicationFailoverBehavior, Placement, SpreadConstraint } from './placement.js';
import { isGracefulPurgeMode } from './placement.js';
import type { ClusterResourceBinding, ResourceBinding, Work } from './work.js';
import { ClusterResourceBindingSchema, ResourceBindingSchema, WorkSchema } from './work.js';
import { FINALIZERS, PERMANENT_ID_LABELS, SERVICE_IMPORT } from './wellknown.js';
import type { ObjectMeta } from './common.js';

export interface DefaultingContext {
  /** Karmada adds the permanent-id label and the finalizer to policies on create only. */
  operation?: 'CREATE' | 'UPDATE';
  /** Makes permanent IDs deterministic in tests; a random UUID otherwise. */
  newId?: () => string;
  /** The clock for Cluster taint timeAdded. */
  now?: () => Date;
}

/** The defaultGracePeriodSeconds the webhook sets for graceful application failover. */
export const DEFAULT_APPLICATION_GRACE_PERIOD_SECONDS = 600;

/** Structural defaulting from the schema's `default`s; returns a copy. */
export function schemaDefaults<T>(schema: TSchema, obj: T): T {
  return Value.Default(schema, structuredClone(obj)) as T;
}

/** PropagationPolicy: schema defaults, then karmada-webhook's PropagationPolicy mutation. */
export function defaultPropagationPolicy(pp: PropagationPolicy, ctx: DefaultingContext = {}): PropagationPolicy {
  const out = schemaDefaults(PropagationPolicySchema, pp);
  out.spec = mutatePropagationSpec(out.spec, out.metadata.namespace);
  if (ctx.operation === 'CREATE') markCreated(out.metadata, PERMANENT_ID_LABELS.PropagationPolicy, FINALIZERS.PropagationPolicy, ctx);
  return out;
}

/** ClusterPropagationPolicy: as PropagationPolicy, without namespace defaulting of selectors. */
export function defaultClusterPropagationPolicy(cpp: ClusterPropagationPolicy, ctx: DefaultingContext = {}): ClusterPropagationPolicy {
  const out = schemaDefaults(ClusterPropagationPolicySchema, cpp);
  out.spec = mutatePropagationSpec(out.spec, undefined);
  if (ctx.operation === 'CREATE') markCreated(out.metadata, PERMANENT_ID_LABELS.ClusterPropagationPolicy, FINALIZERS.ClusterPropagationPolicy, ctx);
  return out;
}

/**
 * The webhook's changes to a PropagationSpec (expects schema defaults applied): selectors without a
 * namespace get the policy's; a ServiceImport selector turns propagateDeps on; spread constraints,
 * division preference and application failover get their defaults.
 */
export function mutatePropagationSpec(spec: PropagationSpec, namespace: string | undefined): PropagationSpec {
  const out = structuredClone(spec);
  if (namespace) for (const rs of out.resourceSelectors) if (!rs.namespace) rs.namespace = namespace;
  if (out.resourceSelectors.some((rs) => rs.apiVersion === SERVICE_IMPORT.apiVersion && rs.kind === SERVICE_IMPORT.kind)) out.propagateDeps = true;
  if (out.placement) out.placement = defaultPlacement(out.placement);
  if (out.failover?.application) out.failover.application = defaultApplicationFailover(out.failover.application);
  return out;
}

/** Spread constraints and, for Divided scheduling, the Weighted division preference. */
export function defaultPlacement(placement: Placement): Placement {
  const out = structuredClone(placement);
  if (out.spreadConstraints) out.spreadConstraints = out.spreadConstraints.map(defaultSpreadConstraint);
  const rs = out.replicaScheduling;
  // An unset type inside a present replicaScheduling is Divided (the CRD default), so treat it so
  // even when schema defaults were skipped.
  if (rs && (rs.replicaSchedulingType ?? 'Divided') === 'Divided' && !rs.replicaDivisionPreference) rs.replicaDivisionPreference = 'Weighted';
  return out;
}

/** spreadByField cluster when neither field nor label is given; minGroups 1 when 0 or unset. */
export function defaultSpreadConstraint(c: SpreadConstraint): SpreadConstraint {
  const out = { ...c };
  if (!out.spreadByField && !out.spreadByLabel) out.spreadByField = 'cluster';
  if (!out.minGroups) out.minGroups = 1;
  return out;
}

/** A graceful purge mode without gracePeriodSeconds waits 600s. */
export function defaultApplicationFailover(app: ApplicationFailoverBehavior): ApplicationFailoverBehavior {
  const out = structuredClone(app);
  out.purgeMode ??= 'Gracefully';
  if (isGracefulPurgeMode(out.purgeMode) && out.gracePeriodSeconds === undefined) out.gracePeriodSeconds = DEFAULT_APPLICATION_GRACE_PERIOD_SECONDS;
  return out;
}

/** OverridePolicy: resource selectors without a namespace get the policy's. */
export function defaultOverridePolicy(op: OverridePolicy): OverridePolicy {
  const out = schemaDefaults(OverridePolicySchema, op);
  const ns = out.metadata.namespace;
  if (ns) for (const rs of out.spec.resourceSelectors ?? []) if (!rs.namespace) rs.namespace = ns;
  return out;
}

/** ClusterOverridePolicy: schema defaults only (Karmada has no mutating webhook for it). */
export function defaultClusterOverridePolicy(cop: ClusterOverridePolicy): ClusterOverridePolicy {
  return schemaDefaults(ClusterOverridePolicySchema, cop);
}

/** Bindings and Works keep a permanent ID label from their first write. */
export function defaultResourceBinding(rb: ResourceBinding, ctx: DefaultingContext = {}): ResourceBinding {
  const out = schemaDefaults(ResourceBindingSchema, rb);
  ensurePermanentID(out.metadata, PERMANENT_ID_LABELS.ResourceBinding, ctx);
  return out;
}

export function defaultClusterResourceBinding(crb: ClusterResourceBinding, ctx: DefaultingContext = {}): ClusterResourceBinding {
  const out = schemaDefaults(ClusterResourceBindingSchema, crb);
  ensurePermanentID(out.metadata, PERMANENT_ID_LABELS.ClusterResourceBinding, ctx);
  return out;
}

export function defaultWork(work: Work, ctx: DefaultingContext = {}): Work {
  const out = schemaDefaults(WorkSchema, work);
  ensurePermanentID(out.metadata, PERMANENT_ID_LABELS.Work, ctx);
  return out;
}

export interface ClusterDefaultingOptions extends DefaultingContext {
  /** Karmada's CustomizedClusterResourceModeling gate (on by default): give clusters default grades. */
  resourceModels?: boolean;
}

/**
 * Cluster, as Karmada's Cluster API strategy prepares it: NoExecute taints get timeAdded, the
 * deprecated zone moves into zones, and resource models are defaulted and standardised.
 */
export function defaultCluster(cluster: Cluster, opts: ClusterDefaultingOptions = {}): Cluster {
  const out = schemaDefaults(ClusterSchema, cluster);
  const now = (opts.now ?? (() => new Date()))();
  for (const t of out.spec.taints ?? []) if (t.effect === 'NoExecute' && !t.timeAdded) t.timeAdded = rfc3339(now);
  if (out.spec.zone && !out.spec.zones?.length) {
    out.spec.zones = [out.spec.zone];
    delete out.spec.zone;
  }
  if ((opts.resourceModels ?? true) && !out.spec.resourceModels?.length) out.spec.resourceModels = defaultClusterResourceModels();
  if (out.spec.resourceModels?.length) out.spec.resourceModels = standardizeResourceModels(out.spec.resourceModels);
  return out;
}

/** Largest int64, which Karmada stores as the open upper bound of the last grade. */
export const MAX_INT64_QUANTITY = '9223372036854775807';

/** Karmada's nine default grades: cpu [2^(g-1), 2^g) cores and memory [2^(g+2), 2^(g+3)) GiB for g >= 2. */
export function defaultClusterResourceModels(): ResourceModel[] {
  const cpu = ['0', '1', '2', '4', '8', '16', '32', '64', '128', MAX_INT64_QUANTITY];
  const mem = ['0', '4Gi', '16Gi', '32Gi', '64Gi', '128Gi', '256Gi', '512Gi', '1Ti', MAX_INT64_QUANTITY];
  return Array.from({ length: 9 }, (_, grade) => ({
    grade,
    ranges: [
      { name: 'cpu', min: cpu[grade]!, max: cpu[grade + 1]! },
      { name: 'memory', min: mem[grade]!, max: mem[grade + 1]! },
    ],
  }));
}

/** Sorted by grade; the first grade starts at 0 and the last is unbounded. */
export function standardizeResourceModels(models: ResourceModel[]): ResourceModel[] {
  const out = structuredClone(models).sort((a, b) => a.grade - b.grade);
  for (const r of out[0]?.ranges ?? []) r.min = '0';
  for (const r of out[out.length - 1]?.ranges ?? []) r.max = MAX_INT64_QUANTITY;
  return out;
}

function markCreated(meta: ObjectMeta, label: string, finalizer: string, ctx: DefaultingContext): void {
  // On create the system owns the label: a value sent by the client is replaced, as Karmada does.
  meta.labels = { ...meta.labels, [label]: (ctx.newId ?? randomUUID)() };
  if (!meta.finalizers?.includes(finalizer)) meta.finalizers = [...(meta.finalizers ?? []), finalizer];
}

function ensurePermanentID(meta: ObjectMeta, label: string, ctx: DefaultingContext): void {
  if (!meta.labels?.[label]) meta.labels = { ...meta.labels, [label]: (ctx.newId ?? randomUUID)() };
}

/** Kubernetes' metav1.Time form: seconds precision, UTC. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
