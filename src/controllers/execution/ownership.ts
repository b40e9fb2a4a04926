/**
 * How Flotilla marks what it applied to a member cluster, and reads the mark back.
 *
 * Karmada's marks, so its tooling reads ours: the label karmada.io/managed=true on everything
 * applied; the owning Work as annotations work.karmada.io/namespace and work.karmada.io/name
 * (Karmada since v1.8) and, when the values fit a label value, as labels of the same names (older
 * Karmada; lets `kubectl get -l work.karmada.io/name=x` work); the Work's permanent id as a label.
 * Member informers select on the managed label alone, so they hold only what Flotilla applied.
 */
import { PERMANENT_ID_LABELS } from '../../api/wellknown.js';

export const MANAGED_LABEL = 'karmada.io/managed';
export const MANAGED_VALUE = 'true';
export const WORK_NAMESPACE_KEY = 'work.karmada.io/namespace';
export const WORK_NAME_KEY = 'work.karmada.io/name';
export const WORK_PERMANENT_ID_LABEL = PERMANENT_ID_LABELS.Work;
/** On a manifest (Karmada puts it there) or on the Work: overwrite | abort (default). */
export const CONFLICT_RESOLUTION_ANNOTATION = 'work.karmada.io/conflict-resolution';
/** The template's uid, stamped by Karmada's binding controller on manifests. */
export const TEMPLATE_UID_ANNOTATION = 'resourcetemplate.karmada.io/uid';
/** Held by a Work until what it applied is removed from the member (Karmada's name). */
export const EXECUTION_FINALIZER = 'karmada.io/execution-controller';
/** The server-side apply field manager Flotilla applies with on members. */
export const FIELD_MANAGER = 'flotilla';
/** Label selector of every member informer. */
export const MANAGED_SELECTOR = `${MANAGED_LABEL}=${MANAGED_VALUE}`;

/** Every mark stampOwnership may put on an object (what releasing it takes off). */
export const OWNERSHIP_LABELS = [MANAGED_LABEL, WORK_NAMESPACE_KEY, WORK_NAME_KEY, WORK_PERMANENT_ID_LABEL] as const;
export const OWNERSHIP_ANNOTATIONS = [WORK_NAMESPACE_KEY, WORK_NAME_KEY] as const;

export type ConflictResolution = 'Abort' | 'Overwrite';

export interface WorkRef {
  namespace: string;
  name: string;
}

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> };
type Obj = { metadata?: Meta & { name?: string; namespace?: string } };

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const fitsLabel = (v: string) => v.length <= 63 && LABEL_VALUE.test(v);

/** Adds the ownership marks of `work` to an object about to be applied (mutates obj). */
export function stampOwnership(obj: Obj, work: WorkRef & { permanentId?: string }): void {
  const md = (obj.metadata ??= {});
  const labels = (md.labels = { ...(md.labels ?? {}) });
  const annotations = (md.annotations = { ...(md.annotations ?? {}) });
  labels[MANAGED_LABEL] = MANAGED_VALUE;
  annotations[WORK_NAMESPACE_KEY] = work.namespace;
  annotations[WORK_NAME_KEY] = work.name;
  if (fitsLabel(work.namespace) && fitsLabel(work.name)) {
    labels[WORK_NAMESPACE_KEY] = work.namespace;
    labels[WORK_NAME_KEY] = work.name;
  }
  if (work.permanentId && fitsLabel(work.permanentId)) labels[WORK_PERMANENT_ID_LABEL] = work.permanentId;
  // The conflict-resolution instruction is for Flotilla, not for the member object.
  delete annotations[CONFLICT_RESOLUTION_ANNOTATION];
}

/** The Work that applied a member object, or undefined when Flotilla did not apply it. */
export function ownerOf(obj: Obj | undefined): WorkRef | undefined {
  const md = obj?.metadata;
  if (md?.labels?.[MANAGED_LABEL] !== MANAGED_VALUE) return undefined;
  const namespace = md.annotations?.[WORK_NAMESPACE_KEY] ?? md.labels?.[WORK_NAMESPACE_KEY];
  const name = md.annotations?.[WORK_NAME_KEY] ?? md.labels?.[WORK_NAME_KEY];
  return namespace && name ? { namespace, name } : undefined;
}

export const sameWork = (a: WorkRef | undefined, b: WorkRef): boolean => !!a && a.namespace === b.namespace && a.name === b.name;

/**
 * The conflict resolution for one manifest: its own annotation (where Karmada's binding
 * controller puts it), else the Work's annotation, else Abort. Values are matched without
 * regard to case, so both Karmada's `overwrite` and the policy's `Overwrite` work.
 */
export function conflictResolutionOf(manifest: Obj, work: Obj): ConflictResolution {
  const raw = manifest.metadata?.annotations?.[CONFLICT_RESOLUTION_ANNOTATION] ?? work.metadata?.annotations?.[CONFLICT_RESOLUTION_ANNOTATION] ?? '';
  return raw.toLowerCase() === 'overwrite' ? 'Overwrite' : 'Abort';
}
