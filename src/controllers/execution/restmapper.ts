/**
 * apiVersion + kind → resource, from a cluster's own discovery (one APIResourceList per
 * group-version, fetched once and kept). The member is asked, not the control plane: it is the
 * one that must serve the kind, and a CRD may be installed on one side only.
 *
 * A kind missing from a cached list is looked up again at most every `refreshMs` (a CRD
 * installed later shows up); a failed fetch is not cached, so an unreachable cluster is simply
 * asked again next time.
 */
import { ApiError, type KubeClient, type ResourceRef } from '../../client/client.js';
import { splitApiVersion } from './manifest.js';

export interface Mapping extends ResourceRef {
  kind: string;
  /** The resource has a /status subresource. */
  hasStatus: boolean;
}

interface GroupVersionDoc {
  fetchedAt: number;
  kinds: Map<string, Mapping>;
}

/** The kind is not served by the cluster (a permanent answer until discovery changes). */
export class NotServedError extends Error {
  override name = 'NotServedError';
}

export class RestMapper {
  readonly #docs = new Map<string, GroupVersionDoc>();
  readonly #inflight = new Map<string, Promise<GroupVersionDoc>>();

  constructor(
    readonly refreshMs = 10_000,
    readonly now: () => number = Date.now,
  ) {}

  /** Resolves a kind on the cluster `clusterKey` (a cache key) through `client`. */
  async resolve(client: KubeClient, clusterKey: string, apiVersion: string, kind: string): Promise<Mapping> {
    const key = `${clusterKey}|${apiVersion}`;
    let doc = this.#docs.get(key);
    if (!doc || (!doc.kinds.has(kind) && this.now() - doc.fetchedAt > this.refreshMs)) doc = await this.#fetch(client, key, apiVersion);
    const m = doc.kinds.get(kind);
    if (!m) throw new NotServedError(`the server does not serve ${kind} in ${apiVersion}`);
    return m;
  }

  /** What is cached, without asking the cluster (undefined when unknown). */
  cached(clusterKey: string, apiVersion: string, kind: string): Mapping | undefined {
    return this.#docs.get(`${clusterKey}|${apiVersion}`)?.kinds.get(kind);
  }

  /** Drops everything known about one cluster (it left, or its API may have changed). */
  forget(clusterKey: string): void {
    for (const k of [...this.#docs.keys()]) if (k.startsWith(`${clusterKey}|`)) this.#docs.delete(k);
  }

  #fetch(client: KubeClient, key: string, apiVersion: string): Promise<GroupVersionDoc> {
    let p = this.#inflight.get(key);
    if (p) return p;
    p = (async () => {
      const [group, version] = splitApiVersion(apiVersion);
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      let list: any;
      try {
        list = await client.request('GET', path);
      } catch (e) {
        // A group-version the cluster does not serve at all is an answer, not a failure.
        if (!(e instanceof ApiError && e.code === 404)) throw e;
        list = { resources: [] };
      }
      const doc: GroupVersionDoc = { fetchedAt: this.now(), kinds: parseResourceList(group, version, list) };
      this.#docs.set(key, doc);
      return doc;
    })().finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, p);
    return p;
  }
}

/** kind → mapping from an APIResourceList (subresources mark their parent). */
export function parseResourceList(group: string, version: string, list: any): Map<string, Mapping> {
  const out = new Map<string, Mapping>();
  const resources: any[] = Array.isArray(list?.resources) ? list.resources : [];
  const withStatus = new Set(resources.map((r) => String(r?.name ?? '')).filter((n) => n.endsWith('/status')).map((n) => n.slice(0, -'/status'.length)));
  for (const r of resources) {
    const name = String(r?.name ?? '');
    if (!name || name.includes('/') || typeof r.kind !== 'string') continue;
    out.set(r.kind, { group, version, resource: name, namespaced: r.namespaced === true, kind: r.kind, hasStatus: withStatus.has(name) });
  }
  return out;
}
