/**
 * An informer that keeps what a transform makes of each object instead of the object itself
 * (client-go's SetTransform), for watches on member clusters whose caches would otherwise
 * dominate the controller's memory: managedFields alone is often half an object. Same contract
 * as ../../client/informer.ts: list, then watch from the list's resourceVersion with bookmarks;
 * 410 relists, and the relist's differences become events.
 *
 * Unlike it, a failed list/watch backs off only up to `maxBackoffMs`, and kick() retries at once:
 * a member that comes back is picked up without waiting out a long backoff.
 */
import type { Logger } from 'pino';
import { ApiError, type KubeClient, type ResourceRef, type WatchEvent } from '../../client/client.js';
import { keyOf, type EventHandler } from '../../client/informer.js';

export interface LeanInformerOptions<T> {
  labelSelector?: string;
  fieldSelector?: string;
  transform: (obj: any) => T;
  log?: Logger;
  maxBackoffMs?: number;
}

type Keyed = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

export class LeanInformer<T> {
  readonly #store = new Map<string, T>();
  readonly #rvs = new Map<string, string>();
  readonly #handlers: EventHandler<T>[] = [];
  readonly #abort = new AbortController();
  readonly #waiters: (() => void)[] = [];
  #rv = '';
  #synced = false;
  #wake?: () => void;

  constructor(
    readonly client: KubeClient,
    readonly ref: ResourceRef,
    readonly opts: LeanInformerOptions<T>,
  ) {}

  get hasSynced(): boolean {
    return this.#synced;
  }

  synced(): Promise<void> {
    return this.#synced ? Promise.resolve() : new Promise((r) => this.#waiters.push(r));
  }

  on(h: EventHandler<T>): this {
    this.#handlers.push(h);
    if (this.#synced) for (const o of this.#store.values()) h.add?.(o);
    return this;
  }

  get(key: string): T | undefined {
    return this.#store.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.#store.values()];
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#abort.abort();
    this.#wake?.();
  }

  /** Retries a failed list/watch now instead of after its backoff. */
  kick(): void {
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let backoff = 0;
    while (!signal.aborted) {
      try {
        if (!this.#rv) await this.#relist();
        backoff = 0;
        const o = this.opts;
        await this.client.watch(
          this.ref,
          { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, resourceVersion: this.#rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
          (ev) => this.#event(ev),
          signal,
        );
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.code === 410) {
          this.#rv = '';
          continue;
        }
        backoff = Math.min(backoff ? backoff * 2 : 200, this.opts.maxBackoffMs ?? 5_000);
        this.opts.log?.debug({ err: e, resource: this.ref.resource, backoffMs: backoff }, 'list/watch failed; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }

  async #relist(): Promise<void> {
    const list = await this.client.listAll<Keyed>(this.ref, { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
    const fresh = new Map<string, Keyed>();
    for (const item of list.items) fresh.set(keyOf(item), item);
    for (const [k, old] of [...this.#store]) {
      if (fresh.has(k)) continue;
      this.#store.delete(k);
      this.#rvs.delete(k);
      for (const h of this.#handlers) h.delete?.(old);
    }
    for (const [k, obj] of fresh) {
      const rv = obj.metadata?.resourceVersion ?? '';
      if (this.#store.has(k) && this.#rvs.get(k) === rv) continue;
      this.#put(k, obj);
    }
    this.#rv = list.metadata.resourceVersion ?? '';
    if (!this.#synced) {
      this.#synced = true;
      for (const w of this.#waiters.splice(0)) w();
    }
  }

  #put(k: string, obj: Keyed): void {
    const old = this.#store.get(k);
    const next = this.opts.transform(obj);
    this.#store.set(k, next);
    this.#rvs.set(k, obj.metadata?.resourceVersion ?? '');
    for (const h of this.#handlers) old === undefined ? h.add?.(next) : h.update?.(old, next);
  }

  #event(ev: WatchEvent<Keyed>): void {
    if (ev.type === 'ERROR') {
      const s = ev.object as any;
      throw new ApiError(s?.code ?? 500, s?.reason ?? 'Unknown', s?.message ?? 'watch error', s);
    }
    const rv = ev.object?.metadata?.resourceVersion;
    if (rv) this.#rv = rv;
    if (ev.type === 'BOOKMARK') return;
    const k = keyOf(ev.object);
    if (ev.type === 'DELETED') {
      const old = this.#store.get(k);
      this.#store.delete(k);
      this.#rvs.delete(k);
      const gone = old ?? this.opts.transform(ev.object);
      for (const h of this.#handlers) h.delete?.(gone);
      return;
    }
    this.#put(k, ev.object);
  }
}
