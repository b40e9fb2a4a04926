/**
 * The resources a server serves, from aggregated discovery (apidiscovery.k8s.io/v2: two
 * requests, what kubectl asks for first) with the legacy documents as the fallback for servers
 * that predate it (one request per group). Core resources come first, so "events" means v1
 * events as it does for kubectl.
 */
import type { KubeClient } from '../client/client.js';
import { qualifiedName, resolveKind, type ApiResource } from './kinds.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedResource {
  resource: string;
  responseKind?: { kind: string };
  scope: 'Namespaced' | 'Cluster';
  singularResource?: string;
  shortNames?: string[];
  verbs?: string[];
}
interface AggregatedList {
  kind?: string;
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[] }[] }[];
}
interface LegacyResourceList {
  resources?: { name: string; singularName?: string; namespaced: boolean; kind: string; verbs?: string[]; shortNames?: string[] }[];
}

/** Flattens an APIGroupDiscoveryList (the first version of each group is its preferred one). */
export function fromAggregated(doc: AggregatedList): ApiResource[] {
  const out: ApiResource[] = [];
  for (const g of doc.items ?? []) {
    (g.versions ?? []).forEach((v, i) => {
      for (const r of v.resources ?? []) {
        out.push({
          group: g.metadata?.name ?? '',
          version: v.version,
          resource: r.resource,
          namespaced: r.scope === 'Namespaced',
          kind: r.responseKind?.kind ?? '',
          singular: r.singularResource ?? '',
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
          preferred: i === 0,
        });
      }
    });
  }
  return out;
}

function fromLegacy(group: string, version: string, preferred: boolean, list: LegacyResourceList): ApiResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      resource: r.name,
      namespaced: r.namespaced,
      kind: r.kind,
      singular: r.singularName || r.kind.toLowerCase(),
      shortNames: r.shortNames ?? [],
      verbs: r.verbs ?? [],
      preferred,
    }));
}

async function legacy(client: KubeClient): Promise<ApiResource[]> {
  const groups = await client.request<{ groups?: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[] }>('GET', '/apis');
  const lists = await Promise.all([
    client.request<LegacyResourceList>('GET', '/api/v1').then((l) => fromLegacy('', 'v1', true, l)),
    ...(groups.groups ?? []).flatMap((g) =>
      g.versions.map((v) =>
        client
          .request<LegacyResourceList>('GET', `/apis/${g.name}/${v.version}`)
          .then((l) => fromLegacy(g.name, v.version, v.version === (g.preferredVersion?.version ?? g.versions[0]?.version), l))
          // An unavailable aggregated API (metrics.k8s.io often is) must not hide the rest.
          .catch(() => [] as ApiResource[]),
      ),
    ),
  ]);
  return lists.flat();
}

/** Everything the server serves, core first. */
export async function discover(client: KubeClient): Promise<ApiResource[]> {
  const [core, groups] = await Promise.all([
    client.request<AggregatedList>('GET', '/api', undefined, { accept: AGGREGATED }),
    client.request<AggregatedList>('GET', '/apis', undefined, { accept: AGGREGATED }),
  ]);
  if (core?.kind !== 'APIGroupDiscoveryList' || groups?.kind !== 'APIGroupDiscoveryList') return legacy(client);
  return [...fromAggregated(core), ...fromAggregated(groups)];
}

/** Resolves KIND on one server, with kubectl's message when it serves no such thing. */
export async function resolveOn(client: KubeClient, kind: string, where: string): Promise<ApiResource> {
  const r = resolveKind(kind, await discover(client));
  if (!r) throw new Error(`${where} doesn't have a resource type "${kind}"`);
  return r;
}

export { qualifiedName };
