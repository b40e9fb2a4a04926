/**
 * Works by the binding they belong to (from the binding annotations Karmada puts on every Work),
 * so finding a binding's Works — orphans included — never lists all Works.
 */
import type { Work } from '../../api/index.js';
import type { Informer } from '../../client/informer.js';
import { BINDING_REF_ANNOTATIONS } from '../detector/index.js';

/** The binding key (`ns/name` or `name`) a Work names, if any. */
export function bindingKeyOfWork(w: Work): string | undefined {
  const a = w.metadata.annotations ?? {};
  const rbName = a[BINDING_REF_ANNOTATIONS.rbName];
  if (rbName) return `${a[BINDING_REF_ANNOTATIONS.rbNamespace] ?? ''}/${rbName}`;
  return a[BINDING_REF_ANNOTATIONS.crbName] || undefined;
}

const workKey = (w: Work) => `${w.metadata.namespace}/${w.metadata.name}`;

export class WorkIndex {
  readonly #byBinding = new Map<string, Set<string>>();

  constructor(readonly works: Informer<Work>) {}

  /** Keeps the index in step with the informer; `onChange` hears of each Work event's binding. */
  register(onChange: (bindingKey: string, before: Work | undefined, after: Work | undefined) => void): void {
    const move = (before: Work | undefined, after: Work | undefined) => {
      const kb = before && bindingKeyOfWork(before);
      const ka = after && bindingKeyOfWork(after);
      if (kb && kb !== ka) this.#byBinding.get(kb)?.delete(workKey(before));
      if (ka) {
        let set = this.#byBinding.get(ka);
        if (!set) this.#byBinding.set(ka, (set = new Set()));
        set.add(workKey(after));
      }
      if (!after && kb) {
        const set = this.#byBinding.get(kb);
        set?.delete(workKey(before));
        if (set?.size === 0) this.#byBinding.delete(kb);
      }
      const key = ka ?? kb;
      if (key) onChange(key, before, after);
    };
    this.works.on({ add: (w) => move(undefined, w), update: move, delete: (w) => move(w, undefined) });
  }

  /** The binding's Works as the cache has them. */
  of(bindingKey: string): Work[] {
    const out: Work[] = [];
    for (const k of this.#byBinding.get(bindingKey) ?? []) {
      const w = this.works.get(k);
      if (w) out.push(w);
    }
    return out;
  }
}
