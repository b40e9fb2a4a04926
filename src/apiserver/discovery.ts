/**
 * Discovery documents, legacy (APIVersions, APIGroupList, APIResourceList) and aggregated
 * (apidiscovery.k8s.io/v2 APIGroupDiscoveryList, which kubectl prefers: two requests instead
 * of one per group-version). Rebuilt only when the set of resources changes.
 */
import { sortVersions, type ResourceRegistry } from './resources/registry.js';
import type { ResourceType } from './resources/types.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export class Discovery {
  #gen = -1;
  #cache = new Map<string, string>();

  constructor(readonly resources: ResourceRegistry) {}

  #memo(key: string, build: () => unknown): string {
    if (this.#gen !== this.resources.generation) {
      this.#cache.clear();
      this.#gen = this.resources.generation;
    }
    let v = this.#cache.get(key);
    if (v === undefined) {
      v = JSON.stringify(build());
      this.#cache.set(key, v);
    }
    return v;
  }

  apiVersions(): string {
    return this.#memo('api', () => ({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
    }));
  }

  #groups(): { name: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const rt of this.resources.all()) {
      if (!rt.group) continue;
      if (!byGroup.has(rt.group)) byGroup.set(rt.group, new Set());
      byGroup.get(rt.group)!.add(rt.version);
    }
    return [...byGroup.keys()].sort().map((name) => ({ name, versions: sortVersions([...byGroup.get(name)!]) }));
  }

  apiGroupList(): string {
    return this.#memo('apis', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.#groups().map((g) => groupDoc(g.name, g.versions)),
    }));
  }

  apiGroup(group: string): string | undefined {
    const g = this.#groups().find((x) => x.name === group);
    if (!g) return undefined;
    return this.#memo(`group/${group}`, () => ({ kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.name, g.versions) }));
  }

  resourceList(group: string, version: string): string | undefined {
    if (!this.resources.hasGroupVersion(group, version)) return undefined;
    return this.#memo(`rl/${group}/${version}`, () => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group ? `${group}/${version}` : version,
      resources: this.#sorted(group, version).flatMap(legacyEntries),
    }));
  }

  /** Aggregated discovery: core only for /api, every other group for /apis. */
  aggregated(core: boolean): string {
    return this.#memo(core ? 'agg/api' : 'agg/apis', () => {
      const groups = core ? [{ name: '', versions: ['v1'] }] : this.#groups();
      return {
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2',
        metadata: {},
        items: groups.map((g) => ({
          metadata: { name: g.name, creationTimestamp: null },
          versions: g.versions.map((v) => ({
            version: v,
            freshness: 'Current',
            resources: this.#sorted(g.name, v).map(aggregatedEntry),
          })),
        })),
      };
    });
  }

  #sorted(group: string, version: string): ResourceType[] {
    return this.resources.resourcesIn(group, version).sort((a, b) => a.resource.localeCompare(b.resource));
  }
}

function groupDoc(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

function legacyEntries(rt: ResourceType) {
  const base = {
    name: rt.resource,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: rt.verbs,
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    storageVersionHash: '',
  };
  const out: object[] = [base];
  if (rt.subresources.status) out.push({ name: `${rt.resource}/status`, singularName: '', namespaced: rt.namespaced, kind: rt.kind, verbs: ['get', 'patch', 'update'] });
  if (rt.subresources.scale)
    out.push({ name: `${rt.resource}/scale`, singularName: '', namespaced: rt.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  return out;
}

function aggregatedEntry(rt: ResourceType) {
  const subresources: object[] = [];
  if (rt.subresources.status)
    subresources.push({ subresource: 'status', responseKind: { group: rt.group, version: rt.version, kind: rt.kind }, verbs: ['get', 'patch', 'update'] });
  if (rt.subresources.scale)
    subresources.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  return {
    resource: rt.resource,
    responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: rt.verbs,
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}
