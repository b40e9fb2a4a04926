/** Karmada's well-known keys the interpreter reads (values as in pkg/apis/work/v1alpha2 and pkg/util). */

/**
 * Stamped by the binding controller on every manifest it puts in a Work: the template's
 * metadata.generation the manifest was built from. Reflected back with the member's status, it
 * tells aggregation whether a cluster is running the latest template (see aggregateStatus).
 */
export const RESOURCE_TEMPLATE_GENERATION_ANNOTATION = 'resourcetemplate.karmada.io/generation';

/** On a template (and so on its member copies): "true" hands spec.replicas to the member (its HPA). */
export const RETAIN_REPLICAS_LABEL = 'resourcetemplate.karmada.io/retain-replicas';

/** Comma-separated annotation keys Karmada propagated last time (to tell member-added keys from removed ones). */
export const MANAGED_ANNOTATIONS_ANNOTATION = 'resourcetemplate.karmada.io/managed-annotations';

/** Comma-separated label keys Karmada propagated last time. */
export const MANAGED_LABELS_ANNOTATION = 'resourcetemplate.karmada.io/managed-labels';
