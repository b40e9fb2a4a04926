/**
 * Karmada's well-known label, annotation and finalizer keys that the detector, scheduler and
 * binding controllers write, with Karmada's exact strings (pkg/apis/{policy,work}/... and
 * pkg/util/constants.go), so objects written by Flotilla read the same to Karmada tooling.
 * Permanent-id labels and policy finalizers live in src/api/wellknown.ts; these are the rest.
 */
export { PERMANENT_ID_LABELS } from '../../api/wellknown.js';

/** On a claimed template and its binding: which policy claimed it (names; the ids are labels). */
export const CLAIM_ANNOTATIONS = {
  ppNamespace: 'propagationpolicy.karmada.io/namespace',
  ppName: 'propagationpolicy.karmada.io/name',
  cppName: 'clusterpropagationpolicy.karmada.io/name',
} as const;

/** On a Work and on its manifest: the binding it was derived from. */
export const BINDING_REF_ANNOTATIONS = {
  rbNamespace: 'resourcebinding.karmada.io/namespace',
  rbName: 'resourcebinding.karmada.io/name',
  crbName: 'clusterresourcebinding.karmada.io/name',
} as const;

/** On a manifest: the Work that carries it. */
export const WORK_REF_ANNOTATIONS = { namespace: 'work.karmada.io/namespace', name: 'work.karmada.io/name' } as const;

/** On a manifest: the template's uid, so member-side events can name the template. */
export const TEMPLATE_UID_ANNOTATION = 'resourcetemplate.karmada.io/uid';

/** On a Work and its manifest: "overwrite" or "abort" (what to do with a pre-existing member object). */
export const CONFLICT_RESOLUTION_ANNOTATION = 'work.karmada.io/conflict-resolution';

/** On every manifest Flotilla puts in a member cluster. */
export const MANAGED_BY_LABEL = 'karmada.io/managed';

/** Held by a binding until its Works are deleted. */
export const BINDING_FINALIZERS = {
  ResourceBinding: 'karmada.io/binding-controller',
  ClusterResourceBinding: 'karmada.io/cluster-resource-binding-controller',
} as const;

/** Put on each Work at creation; the execution controller removes it after cleaning the member. */
export const EXECUTION_FINALIZER = 'karmada.io/execution-controller';

/** Held by a binding with propagateDeps until its attached bindings no longer list it. */
export const DEPENDENCIES_FINALIZER = 'karmada.io/binding-dependencies-distributor';

/** On a binding with propagateDeps: JSON list of the dependencies last distributed. */
export const DEPENDENCIES_ANNOTATION = 'resourcebinding.karmada.io/dependencies';

/** On an attached binding: `<prefix><hash of parent ns/name>` = `<ns>_<name>` per parent binding. */
export const DEPENDED_BY_LABEL_PREFIX = 'resourcebinding.karmada.io/depended-by-';

/** On a binding: the placement (JSON) its current spec.clusters was decided with. */
export const APPLIED_PLACEMENT_ANNOTATION = 'policy.karmada.io/applied-placement';

/** On a binding: the scheduler's full explanation (JSON) of its last decision; read by `flotilla explain`. */
export const EXPLANATION_ANNOTATION = 'scheduler.flotilla.io/explanation';

/** The scheduler name bindings get when the policy names none. */
export const DEFAULT_SCHEDULER = 'default-scheduler';
