/**
 * Events expire, as with kube-apiserver's --event-ttl (default 1 h), so they cannot grow
 * without bound. Kubernetes does it with etcd leases; we sweep both event resources
 * (core/v1 and events.k8s.io/v1) periodically and delete what is older than the TTL.
 */
import type { Logger } from 'pino';
import type { RestRegistry } from '../registry/rest.js';
import type { ResourceRegistry } from '../resources/registry.js';

export class EventReaper {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    readonly registry: RestRegistry,
    readonly resources: ResourceRegistry,
    readonly ttlMs: number,
    readonly log: Logger,
    public now: () => number = Date.now,
  ) {
    if (ttlMs > 0) {
      this.#timer = setInterval(() => void this.sweep(), Math.max(1000, Math.min(ttlMs / 4, 60_000)));
      this.#timer.unref();
    }
  }

  /** Deletes expired events; returns how many. */
  async sweep(): Promise<number> {
    let n = 0;
    const cutoff = this.now() - this.ttlMs;
    for (const rt of [this.resources.lookup('', 'v1', 'events'), this.resources.lookup('events.k8s.io', 'v1', 'events')]) {
      if (!rt) continue;
      for (const obj of [...this.registry.cacheOf(rt).objects.values()]) {
        const e = obj.object();
        const last = Date.parse(e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.metadata.creationTimestamp);
        if (!(last < cutoff)) continue;
        try {
          await this.registry.delete({ rt, namespace: obj.namespace, name: obj.name, subresource: '' }, {});
          n++;
        } catch (err) {
          this.log.debug({ err, name: obj.name }, 'event expiry failed');
        }
      }
    }
    return n;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
