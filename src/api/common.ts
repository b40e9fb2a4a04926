/**
 * Building blocks shared by Flotilla's (Karmada-compatible) API groups: small schema constructors
 * that carry the OpenAPI details a CRD needs (int32/int64 formats, int-or-string, preserve-unknown
 * markers) and the Kubernetes core/meta shapes the groups embed (ObjectMeta, LabelSelector,
 * Toleration, Taint, Condition, NodeSelectorRequirement, ResourceList).
 *
 * Each schema is written once here and serves three uses: the TypeScript type (Static), in-process
 * checks (TypeBox Value), and the CRD's openAPIV3Schema (./structural.ts converts it). Shapes that
 * Kubernetes already defines keep kubernetes-types' TypeScript type (Type.Unsafe) so controllers
 * pass them to and from other code without casts.
 */
import { FormatRegistry, Type } from '@sinclair/typebox';
import type { ArrayOptions, NumberOptions, ObjectOptions, SchemaOptions, Static, StringOptions, TLiteral, TProperties, TSchema, TUnion } from '@sinclair/typebox';
import type { NodeSelector, NodeSelectorRequirement, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Condition, LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1.js';

// TypeBox rejects any string whose format it does not know; metav1.Time is RFC 3339.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));

/** Go int32 (the CRD keeps the format so clients generate the right integer type). */
export const Int32 = (o: NumberOptions = {}) => Type.Integer({ format: 'int32', ...o });
/** Go int64. */
export const Int64 = (o: NumberOptions = {}) => Type.Integer({ format: 'int64', ...o });
/** Go int: controller-gen emits no format for it. */
export const Int = (o: NumberOptions = {}) => Type.Integer(o);
/** metav1.Time: an RFC 3339 string. */
export const Time = (o: StringOptions = {}) => Type.String({ format: 'date-time', ...o });
export const StringList = (o: ArrayOptions = {}) => Type.Array(Type.String(), o);
/** map[string]string */
export const StringMap = (o: ObjectOptions = {}) => Type.Record(Type.String(), Type.String(), o);

/** A closed set of strings; the CRD gets `enum`, TypeScript gets the literal union. */
export function StringEnum<const T extends readonly string[]>(values: T, o: SchemaOptions = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)) as TLiteral<T[number]>[], o);
}

/** intstr.IntOrString. */
export const IntOrString = (o: SchemaOptions = {}) =>
  Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true, ...o });

/** resource.Quantity's serialised pattern, as every Kubernetes CRD carries it. */
export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
/** resource.Quantity: int-or-string; the pattern applies to the string form. */
export const Quantity = (o: SchemaOptions = {}) => IntOrString({ pattern: QUANTITY_PATTERN, ...o });
/** corev1.ResourceList: resource name -> quantity. */
export const ResourceListSchema = Type.Record(Type.String(), Quantity());
export type ResourceList = Static<typeof ResourceListSchema>;

/** An object whose fields Kubernetes keeps without a schema (runtime.RawExtension as status). */
export const PreserveUnknownObject = (o: ObjectOptions = {}) =>
  Type.Record(Type.String(), Type.Unknown(), { 'x-kubernetes-preserve-unknown-fields': true, ...o });
/** apiextensionsv1.JSON: any JSON value, kept as sent. */
export const AnyJSON = (o: SchemaOptions = {}) => Type.Unknown({ 'x-kubernetes-preserve-unknown-fields': true, ...o });
/**
 * A whole Kubernetes object inside another (a Work's manifests): Kubernetes checks its apiVersion,
 * kind and metadata, and keeps the rest as sent.
 */
export const EmbeddedResource = (o: ObjectOptions = {}) =>
  Type.Record(Type.String(), Type.Unknown(), { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true, ...o });

/**
 * metav1.ObjectMeta. The CRD declares metadata as a bare object (Kubernetes validates it itself),
 * so this schema only matters for in-process checks; timestamps stay plain strings because
 * clients often send `creationTimestamp: null`.
 */
export const ObjectMetaSchema = Type.Unsafe<ObjectMeta>(
  Type.Object({
    name: Type.Optional(Type.String()),
    generateName: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Int64()),
    labels: Type.Optional(StringMap()),
    annotations: Type.Optional(StringMap()),
    finalizers: Type.Optional(StringList()),
  }),
);

const LabelSelectorRequirementSchema = Type.Object(
  {
    key: Type.String({ description: 'The label key the requirement applies to.' }),
    operator: Type.String({ description: 'In, NotIn, Exists or DoesNotExist.' }),
    values: Type.Optional(StringList({ 'x-kubernetes-list-type': 'atomic' })),
  },
  { description: 'One label requirement: key, operator and values.' },
);

/** metav1.LabelSelector. */
export const LabelSelectorSchema = Type.Unsafe<LabelSelector>(
  Type.Object(
    {
      matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirementSchema, { 'x-kubernetes-list-type': 'atomic' })),
      matchLabels: Type.Optional(StringMap({ description: 'Labels that must all be present with these values.' })),
    },
    { 'x-kubernetes-map-type': 'atomic', description: 'A label query; expressions and labels are ANDed.' },
  ),
);
export type { LabelSelector };

/** corev1.NodeSelectorRequirement (Karmada reuses it for cluster field selectors). */
export const NodeSelectorRequirementSchema = Type.Unsafe<NodeSelectorRequirement>(
  Type.Object(
    {
      key: Type.String({ description: 'The key the requirement applies to.' }),
      operator: Type.String({ description: 'In, NotIn, Exists, DoesNotExist, Gt or Lt.' }),
      values: Type.Optional(StringList({ 'x-kubernetes-list-type': 'atomic' })),
    },
    { description: 'One requirement: key, operator and values.' },
  ),
);
export type { NodeSelectorRequirement };

/** corev1.NodeSelector (a replica's required node affinity). */
export const NodeSelectorSchema = Type.Unsafe<NodeSelector>(
  Type.Object(
    {
      nodeSelectorTerms: Type.Array(
        Type.Object(
          {
            matchExpressions: Type.Optional(Type.Array(NodeSelectorRequirementSchema, { 'x-kubernetes-list-type': 'atomic' })),
            matchFields: Type.Optional(Type.Array(NodeSelectorRequirementSchema, { 'x-kubernetes-list-type': 'atomic' })),
          },
          { 'x-kubernetes-map-type': 'atomic' },
        ),
        { 'x-kubernetes-list-type': 'atomic', description: 'Terms are ORed.' },
      ),
    },
    { 'x-kubernetes-map-type': 'atomic' },
  ),
);

/** corev1.Toleration. */
export const TolerationSchema = Type.Unsafe<Toleration>(
  Type.Object(
    {
      effect: Type.Optional(Type.String({ description: 'NoSchedule, PreferNoSchedule or NoExecute; empty matches all.' })),
      key: Type.Optional(Type.String({ description: 'Taint key; empty with Exists matches every taint.' })),
      operator: Type.Optional(Type.String({ description: 'Exists or Equal (the default).' })),
      tolerationSeconds: Type.Optional(Int64({ description: 'How long a NoExecute taint is tolerated; unset means forever.' })),
      value: Type.Optional(Type.String()),
    },
    { description: 'Tolerates taints that match key, value and effect with the operator.' },
  ),
);
export type { Toleration };

/** corev1.Taint (on a Cluster). */
export const TaintSchema = Type.Unsafe<Taint>(
  Type.Object(
    {
      effect: Type.String({ description: 'NoSchedule, PreferNoSchedule or NoExecute.' }),
      key: Type.String(),
      timeAdded: Type.Optional(Time({ description: 'When a NoExecute taint was added.' })),
      value: Type.Optional(Type.String()),
    },
    { description: 'A taint: workloads that do not tolerate it are kept off (and, for NoExecute, evicted).' },
  ),
);
export type { Taint };

/** metav1.Condition, with the validation every Kubernetes CRD carries. */
export const ConditionSchema = Type.Unsafe<Condition>(
  Type.Object(
    {
      lastTransitionTime: Time({ description: 'When the status last changed.' }),
      message: Type.String({ maxLength: 32768 }),
      observedGeneration: Type.Optional(Int64({ minimum: 0 })),
      reason: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
      status: StringEnum(['True', 'False', 'Unknown'] as const),
      type: Type.String({
        maxLength: 316,
        pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      }),
    },
    { description: 'One aspect of the current state.' },
  ),
);
export type { Condition, ObjectMeta };

export const ConditionsSchema = (description: string) => Type.Array(ConditionSchema, { description });

/** Health of a propagated object in one member cluster (work.karmada.io ResourceHealth). */
export const RESOURCE_HEALTH = ['Healthy', 'Unhealthy', 'Unknown'] as const;
export type ResourceHealth = (typeof RESOURCE_HEALTH)[number];

/**
 * The envelope every kind shares. apiVersion and kind are literal in the TypeScript type (so a
 * union of kinds narrows on them); the CRD builder replaces them, and metadata, with the bare
 * forms Kubernetes requires at a resource root.
 */
export function KubeObject<A extends string, K extends string, P extends TProperties>(apiVersion: A, kind: K, props: P, description: string) {
  return Type.Object({ apiVersion: Type.Literal(apiVersion), kind: Type.Literal(kind), metadata: ObjectMetaSchema, ...props }, { description });
}

/** Marks a schema optional without repeating Type.Optional at every call site. */
export const Opt = <T extends TSchema>(s: T) => Type.Optional(s);
