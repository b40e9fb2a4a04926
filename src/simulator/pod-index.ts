/**
 * Pods of one cluster indexed by node and by namespace, fed by the shared pod informer, so the
 * scheduler, node lifecycle and endpoints controllers do not scan every pod per decision.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyOf, type Informer } from '../client/informer.js';

export type PodListener = (pod: Pod, old: Pod | undefined, deleted: boolean) => void;

export class PodIndex {
  readonly #byNode = new Map<string, Map<string, Pod>>();
  readonly #byNamespace = new Map<string, Map<string, Pod>>();
  readonly #listeners: PodListener[] = [];

  constructor(readonly informer: Informer<Pod>) {
    informer.on({
      add: (p) => this.#put(p, undefined),
      update: (old, p) => this.#put(p, old),
      delete: (p) => {
        this.#remove(p);
        for (const l of this.#listeners) l(p, p, true);
      },
    });
  }

  /** Called after the index took the change in. */
  onChange(l: PodListener): void {
    this.#listeners.push(l);
  }

  /** Pods bound to node, terminating ones included (they hold resources until gone). */
  onNode(node: string): Pod[] {
    return [...(this.#byNode.get(node)?.values() ?? [])];
  }

  inNamespace(ns: string): Pod[] {
    return [...(this.#byNamespace.get(ns)?.values() ?? [])];
  }

  get(key: string): Pod | undefined {
    return this.informer.get(key);
  }

  #put(p: Pod, old: Pod | undefined): void {
    if (old) this.#remove(old);
    const key = keyOf(p);
    const node = p.spec?.nodeName;
    if (node) mapOf(this.#byNode, node).set(key, p);
    mapOf(this.#byNamespace, p.metadata?.namespace ?? '').set(key, p);
    for (const l of this.#listeners) l(p, old, false);
  }

  #remove(p: Pod): void {
    const key = keyOf(p);
    const node = p.spec?.nodeName;
    if (node) dropFrom(this.#byNode, node, key);
    dropFrom(this.#byNamespace, p.metadata?.namespace ?? '', key);
  }
}

function mapOf<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let inner = m.get(k);
  if (!inner) m.set(k, (inner = new Map()));
  return inner;
}

function dropFrom<V>(m: Map<string, Map<string, V>>, k: string, key: string): void {
  const inner = m.get(k);
  if (!inner) return;
  inner.delete(key);
  if (inner.size === 0) m.delete(k);
}

export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export const isPodReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
