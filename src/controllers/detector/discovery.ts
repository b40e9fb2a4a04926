/**
 * apiVersion + kind → the REST resource (plural, scope), from the control plane's discovery
 * (GET /api/v1, /apis/<group>/<version>). Found kinds are cached for good; a kind not served
 * (yet) is asked again next time, because CRDs are installed at runtime.
 */
import { ApiError, type KubeClient, type ResourceRef } from '../../client/client.js';

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

const gvPath = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

export class Discovery {
  readonly #found = new Map<string, ResourceRef>();
  readonly #inflight = new Map<string, Promise<ResourceRef | undefined>>();

  constructor(readonly client: KubeClient) {}

  /** The cached answer, without asking the server. */
  cached(apiVersion: string, kind: string): ResourceRef | undefined {
    return this.#found.get(`${apiVersion}|${kind}`);
  }

  /**
   * The resource serving `kind`, or undefined when the group/version does not serve it now.
   * Transport and server errors are thrown (the caller retries).
   */
  async resolve(apiVersion: string, kind: string): Promise<ResourceRef | undefined> {
    const key = `${apiVersion}|${kind}`;
    const hit = this.#found.get(key);
    if (hit) return hit;
    // One request per group/version however many templates ask at once.
    let p = this.#inflight.get(apiVersion);
    if (!p) {
      p = this.#fetch(apiVersion).finally(() => this.#inflight.delete(apiVersion));
      this.#inflight.set(apiVersion, p);
    }
    await p;
    return this.#found.get(key);
  }

  async #fetch(apiVersion: string): Promise<undefined> {
    let list: APIResourceList;
    try {
      list = await this.client.request<APIResourceList>('GET', gvPath(apiVersion));
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    }
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue; // subresources (deployments/scale) share the kind
      this.#found.set(`${apiVersion}|${r.kind}`, { group, version, resource: r.name, namespaced: r.namespaced });
    }
    return undefined;
  }
}
