/**
 * The set of resources the server currently serves: built-ins at start, CRDs added and removed
 * at runtime. Discovery, OpenAPI and routing all read from here, so a new CRD shows up
 * everywhere at once. Listeners hear about changes (the watch cache starts a cache per type).
 */
import { apiVersionOf, type ResourceType } from './types.js';

export type GroupVersion = { group: string; version: string };

export class ResourceRegistry {
  readonly #byGVR = new Map<string, ResourceType>();
  readonly #listeners = new Set<(change: 'add' | 'remove', rt: ResourceType) => void>();
  /** Bumped on every change, so cached discovery documents know when to rebuild. */
  generation = 0;

  constructor(initial: ResourceType[] = []) {
    for (const rt of initial) this.#byGVR.set(key(rt.group, rt.version, rt.resource), rt);
  }

  add(rt: ResourceType): void {
    this.#byGVR.set(key(rt.group, rt.version, rt.resource), rt);
    this.generation++;
    for (const l of this.#listeners) l('add', rt);
  }

  remove(group: string, version: string, resource: string): void {
    const k = key(group, version, resource);
    const rt = this.#byGVR.get(k);
    if (!rt) return;
    this.#byGVR.delete(k);
    this.generation++;
    for (const l of this.#listeners) l('remove', rt);
  }

  onChange(fn: (change: 'add' | 'remove', rt: ResourceType) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.#byGVR.get(key(group, version, resource));
  }

  all(): ResourceType[] {
    return [...this.#byGVR.values()];
  }

  /** Group versions in discovery order: core first, then groups by name; versions newest first. */
  groupVersions(): GroupVersion[] {
    const seen = new Map<string, Set<string>>();
    for (const rt of this.#byGVR.values()) {
      if (!seen.has(rt.group)) seen.set(rt.group, new Set());
      seen.get(rt.group)!.add(rt.version);
    }
    const groups = [...seen.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
    return groups.flatMap((g) => sortVersions([...seen.get(g)!]).map((v) => ({ group: g, version: v })));
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return [...this.#byGVR.values()].filter((rt) => rt.group === group && rt.version === version);
  }

  hasGroupVersion(group: string, version: string): boolean {
    for (const rt of this.#byGVR.values()) if (rt.group === group && rt.version === version) return true;
    return false;
  }

  /** The storage prefix under which objects of this group/resource live (shared by all versions). */
  static storagePrefix(rt: { group: string; resource: string }): string {
    return `/registry/${rt.group || 'core'}/${rt.resource}/`;
  }
}

function key(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [sa, ma, na] = rank(a);
    const [sb, mb, nb] = rank(b);
    return sb - sa || mb - ma || nb - na || a.localeCompare(b);
  });
}

export { apiVersionOf };
