/**
 * Namespace deletion, as kube-controller-manager's namespace controller does it: a deleted
 * namespace is Terminating; everything in it is deleted (finalizers respected, so it may take
 * a while); once it is empty the "kubernetes" spec finalizer is cleared and the namespace goes.
 * It lives in the API server so that a standalone server (and every simulated cluster) behaves.
 */
import type { Logger } from 'pino';
import type { RestRegistry } from '../registry/rest.js';
import { ResourceRegistry } from '../resources/registry.js';
import { StatusError } from '../errors.js';

const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

export class NamespaceLifecycle {
  readonly #pending = new Map<string, { attempt: number; timer?: NodeJS.Timeout }>();
  #stopped = false;

  constructor(
    readonly registry: RestRegistry,
    readonly resources: ResourceRegistry,
    readonly log: Logger,
  ) {}

  /** Pick up namespaces that were terminating when the server last stopped. */
  resume(): void {
    const nsType = this.resources.lookup('', 'v1', 'namespaces')!;
    for (const obj of this.registry.cacheOf(nsType).objects.values()) {
      if (obj.json.includes('"deletionTimestamp"')) this.enqueue(obj.name);
    }
  }

  enqueue(ns: string, delayMs = 0): void {
    if (this.#stopped) return;
    const entry = this.#pending.get(ns) ?? { attempt: 0 };
    if (entry.timer) return;
    this.#pending.set(ns, entry);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.#process(ns).then(
        (done) => {
          if (done) this.#pending.delete(ns);
          else this.enqueue(ns, RETRY_MS[Math.min(entry.attempt++, RETRY_MS.length - 1)]);
        },
        (err) => {
          this.log.warn({ err, namespace: ns }, 'namespace cleanup failed; retrying');
          this.enqueue(ns, RETRY_MS[Math.min(entry.attempt++, RETRY_MS.length - 1)]);
        },
      );
    }, delayMs);
  }

  /** One pass: delete what is left; finalize when nothing is. Returns true when finished. */
  async #process(ns: string): Promise<boolean> {
    const nsType = this.resources.lookup('', 'v1', 'namespaces')!;
    const nsObj = this.registry.cacheOf(nsType).get(this.registry.key(nsType, '', ns));
    if (!nsObj || !nsObj.json.includes('"deletionTimestamp"')) return true;
    let remaining = 0;
    const seen = new Set<string>();
    for (const rt of this.resources.all()) {
      if (!rt.namespaced) continue;
      const prefix = ResourceRegistry.storagePrefix(rt);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      const cache = this.registry.caches.cache(prefix);
      if (!cache) continue;
      const inNs = `${prefix}${ns}/`;
      for (const [key, obj] of cache.objects) {
        if (!key.startsWith(inNs)) continue;
        remaining++;
        if (obj.json.includes('"deletionTimestamp"')) continue;
        try {
          await this.registry.delete({ rt, namespace: ns, name: obj.name, subresource: '' }, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
        }
      }
    }
    if (remaining > 0) return false;
    await this.registry.update(
      { rt: nsType, namespace: '', name: ns, subresource: '' },
      (cur) => {
        cur.spec = { ...(cur.spec ?? {}), finalizers: [] };
        return cur;
      },
      {},
    );
    this.log.info({ namespace: ns }, 'namespace deleted');
    return true;
  }

  stop(): void {
    this.#stopped = true;
    for (const e of this.#pending.values()) if (e.timer) clearTimeout(e.timer);
    this.#pending.clear();
  }
}
