/**
 * Which Works belong to which binding, from the marks Karmada's binding controller puts on a
 * Work. All Karmada versions' marks are read, so Works from any binding controller are found:
 *
 *   label resourcebinding.karmada.io/permanent-id           = the ResourceBinding's permanent id
 *   label clusterresourcebinding.karmada.io/permanent-id    = the ClusterResourceBinding's
 *   annotation or label resourcebinding.karmada.io/namespace + resourcebinding.karmada.io/name
 *   annotation or label clusterresourcebinding.karmada.io/name
 *
 * Binding keys are "rb:<namespace>/<name>" and "crb:<name>".
 */
import { PERMANENT_ID_LABELS } from '../../api/wellknown.js';

export const RB_NAMESPACE_KEY = 'resourcebinding.karmada.io/namespace';
export const RB_NAME_KEY = 'resourcebinding.karmada.io/name';
export const CRB_NAME_KEY = 'clusterresourcebinding.karmada.io/name';
export const RB_ID_LABEL = PERMANENT_ID_LABELS.ResourceBinding;
export const CRB_ID_LABEL = PERMANENT_ID_LABELS.ClusterResourceBinding;

type Obj = { metadata?: { namespace?: string; name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

export const rbKey = (namespace: string, name: string) => `rb:${namespace}/${name}`;
export const crbKey = (name: string) => `crb:${name}`;

/** The references a Work carries: binding keys, and "rbid:" / "crbid:" permanent ids. */
export function workBindingRefs(work: Obj): string[] {
  const l = work.metadata?.labels ?? {};
  const a = work.metadata?.annotations ?? {};
  const refs: string[] = [];
  if (l[RB_ID_LABEL]) refs.push(`rbid:${l[RB_ID_LABEL]}`);
  if (l[CRB_ID_LABEL]) refs.push(`crbid:${l[CRB_ID_LABEL]}`);
  const ns = a[RB_NAMESPACE_KEY] ?? l[RB_NAMESPACE_KEY];
  const name = a[RB_NAME_KEY] ?? l[RB_NAME_KEY];
  if (ns && name) refs.push(rbKey(ns, name));
  const crb = a[CRB_NAME_KEY] ?? l[CRB_NAME_KEY];
  if (crb) refs.push(crbKey(crb));
  return refs;
}

/** The permanent-id reference of a binding object, if it has one. */
export function bindingIdRef(kind: 'rb' | 'crb', binding: Obj): string | undefined {
  const id = binding.metadata?.labels?.[kind === 'rb' ? RB_ID_LABEL : CRB_ID_LABEL];
  return id ? `${kind}id:${id}` : undefined;
}

export class BindingIndex {
  readonly #works = new Map<string, Set<string>>();
  readonly #refsOf = new Map<string, string[]>();
  readonly #bindingOfId = new Map<string, string>();

  /** Records a Work's references (undefined: it was deleted); returns the binding keys concerned before and after. */
  setWork(workKey: string, work: Obj | undefined): string[] {
    const before = this.#refsOf.get(workKey) ?? [];
    for (const r of before) {
      const s = this.#works.get(r);
      s?.delete(workKey);
      if (s && !s.size) this.#works.delete(r);
    }
    const after = work ? workBindingRefs(work) : [];
    if (after.length) this.#refsOf.set(workKey, after);
    else this.#refsOf.delete(workKey);
    for (const r of after) {
      let s = this.#works.get(r);
      if (!s) this.#works.set(r, (s = new Set()));
      s.add(workKey);
    }
    return [...new Set([...before, ...after].map((r) => this.#resolve(r)).filter((k): k is string => !!k))];
  }

  /** Records which binding a permanent id belongs to (undefined id: nothing to record). */
  setBinding(bindingKey: string, idRef: string | undefined): void {
    if (idRef) this.#bindingOfId.set(idRef, bindingKey);
  }

  forgetBinding(idRef: string | undefined): void {
    if (idRef) this.#bindingOfId.delete(idRef);
  }

  /** Work keys of a binding, by its key and its permanent id. */
  worksOf(bindingKey: string, idRef: string | undefined): string[] {
    const out = new Set(this.#works.get(bindingKey) ?? []);
    if (idRef) for (const k of this.#works.get(idRef) ?? []) out.add(k);
    return [...out];
  }

  #resolve(ref: string): string | undefined {
    return ref.startsWith('rbid:') || ref.startsWith('crbid:') ? this.#bindingOfId.get(ref) : ref;
  }
}
