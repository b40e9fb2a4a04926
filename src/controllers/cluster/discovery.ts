/**
 * status.apiEnablements from the member's discovery: every group-version it serves with its
 * resources (name, kind), subresources left out, sorted (Karmada's getAPIEnablements). Aggregated
 * discovery (apidiscovery.k8s.io/v2: two requests for the whole API) is asked first; a server
 * that answers with the legacy documents is walked one group-version at a time, and what could
 * be read is kept when some group-version fails (partial, as Karmada reports it).
 */
import type { KubeClient } from '../../client/client.js';

export interface APIEnablement {
  groupVersion: string;
  resources: { name: string; kind: string }[];
}

export interface Enablements {
  enablements: APIEnablement[];
  /** Group-versions that could not be read (the list is partial when non-empty). */
  failed: string[];
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

function finish(map: Map<string, Map<string, string>>): APIEnablement[] {
  return [...map.entries()]
    .map(([groupVersion, rs]) => ({ groupVersion, resources: [...rs.entries()].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }))
    .sort((a, b) => (a.groupVersion < b.groupVersion ? -1 : a.groupVersion > b.groupVersion ? 1 : 0));
}

/** Enablements from APIGroupDiscoveryList documents (for /api and /apis). */
export function fromAggregated(docs: readonly any[]): APIEnablement[] {
  const map = new Map<string, Map<string, string>>();
  for (const doc of docs) {
    for (const g of Array.isArray(doc?.items) ? doc.items : []) {
      const group = String(g?.metadata?.name ?? '');
      for (const v of Array.isArray(g?.versions) ? g.versions : []) {
        const gv = group ? `${group}/${v.version}` : String(v.version);
        const rs = map.get(gv) ?? new Map<string, string>();
        for (const r of Array.isArray(v?.resources) ? v.resources : []) {
          if (typeof r?.resource === 'string' && !r.resource.includes('/')) rs.set(r.resource, String(r.responseKind?.kind ?? ''));
        }
        map.set(gv, rs);
      }
    }
  }
  return finish(map);
}

/** Enablements from legacy APIResourceList documents. */
export function fromResourceLists(lists: readonly any[]): APIEnablement[] {
  const map = new Map<string, Map<string, string>>();
  for (const l of lists) {
    if (typeof l?.groupVersion !== 'string') continue;
    const rs = map.get(l.groupVersion) ?? new Map<string, string>();
    for (const r of Array.isArray(l.resources) ? l.resources : []) if (typeof r?.name === 'string' && !r.name.includes('/')) rs.set(r.name, String(r.kind ?? ''));
    map.set(l.groupVersion, rs);
  }
  return finish(map);
}

const isAggregated = (doc: any) => doc?.kind === 'APIGroupDiscoveryList';

export async function fetchEnablements(client: KubeClient, timeoutMs: number): Promise<Enablements> {
  const get = (path: string, accept = 'application/json') => client.request('GET', path, undefined, { accept }, AbortSignal.timeout(timeoutMs));
  const [core, groups] = await Promise.all([get('/api', AGGREGATED), get('/apis', AGGREGATED)]);
  if (isAggregated(core) && isAggregated(groups)) return { enablements: fromAggregated([core, groups]), failed: [] };
  const gvs = [...(Array.isArray(core?.versions) ? core.versions.map((v: string) => ({ path: `/api/${v}`, gv: v })) : [])];
  for (const g of Array.isArray(groups?.groups) ? groups.groups : []) for (const v of g.versions ?? []) gvs.push({ path: `/apis/${v.groupVersion}`, gv: v.groupVersion });
  const failed: string[] = [];
  const lists = await Promise.all(
    gvs.map(({ path, gv }) =>
      get(path).catch(() => {
        failed.push(gv);
        return undefined;
      }),
    ),
  );
  return { enablements: fromResourceLists(lists.filter(Boolean)), failed: failed.sort() };
}
