/**
 * Namespaces a manifest needs on the member, created before the manifest is applied (a member
 * may never have seen the template's namespace). Known ones are remembered per cluster, so the
 * common case costs no request; a namespace deleted on the member is created again after the
 * apply into it fails (forget()).
 */
import { isAlreadyExists, isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';

export class MemberNamespaces {
  readonly #known = new Map<string, Set<string>>();

  async ensure(client: KubeClient, cluster: string, namespace: string): Promise<void> {
    const known = this.#known.get(cluster);
    if (known?.has(namespace)) return;
    try {
      await client.get(R.namespaces, namespace);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    if (known) known.add(namespace);
    else this.#known.set(cluster, new Set([namespace]));
  }

  forget(cluster: string, namespace?: string): void {
    if (namespace === undefined) this.#known.delete(cluster);
    else this.#known.get(cluster)?.delete(namespace);
  }
}
