/**
 * A shared informer, client-go style: list, then watch from the list's resourceVersion, keep
 * a local store, and tell handlers about adds, updates and deletes. A watch that ends is
 * resumed from the last resourceVersion (bookmarks keep it fresh); 410 Expired means relist,
 * and the relist's differences become events, so handlers never miss a change.
 */
import type { Logger } from 'pino';
import { ApiError, type KubeClient, type ResourceRef, type WatchEvent } from './client.js';
import { realClock, type Clock } from '../util/clock.js';

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  log?: Logger;
  /** Server-side watch lifetime; randomised like client-go's reflector (default 5–10 min). */
  watchTimeoutSeconds?: number;
  /**
   * Keep metadata.managedFields in the cache. By default they are dropped as objects arrive
   * (client-go's TransformStripManagedFields): no controller reads them, they are often a third
   * of an object, and an update sent without them keeps the server's (as in Kubernetes).
   */
  keepManagedFields?: boolean;
}

type Obj = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

export const keyOf = (o: Obj): string => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? ''));

export class Informer<T extends Obj = any> {
  readonly #store = new Map<string, T>();
  readonly #handlers: EventHandler<T>[] = [];
  #rv = '';
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  #abort = new AbortController();
  readonly #clock: Clock;

  constructor(
    readonly client: KubeClient,
    readonly ref: ResourceRef,
    readonly opts: InformerOptions = {},
  ) {
    this.#clock = opts.clock ?? realClock;
  }

  on(h: EventHandler<T>): this {
    this.#handlers.push(h);
    // Late handlers get the current state as adds, like client-go's AddEventHandler.
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

  get hasSynced(): boolean {
    return this.#synced;
  }

  get resourceVersion(): string {
    return this.#rv;
  }

  synced(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((r) => this.#syncWaiters.push(r));
  }

  start(signal?: AbortSignal): void {
    if (signal) signal.addEventListener('abort', () => this.stop(), { once: true });
    void this.#run();
  }

  stop(): void {
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    let backoff = 0;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        if (!this.#rv) await this.#relist();
        backoff = 0;
        await this.client.watch<T>(
          this.ref,
          {
            namespace: this.opts.namespace,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            resourceVersion: this.#rv,
            allowWatchBookmarks: true,
            timeoutSeconds: this.opts.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300),
          },
          (ev) => this.#onEvent(ev),
          signal,
        );
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.code === 410) {
          this.#rv = '';
          continue;
        }
        backoff = Math.min(backoff ? backoff * 2 : 200, 30_000);
        this.opts.log?.debug({ err: e, resource: this.ref.resource, backoffMs: backoff }, 'informer list/watch failed; retrying');
        await this.#clock.sleep(backoff, signal).catch(() => undefined);
      }
    }
  }

  async #relist(): Promise<void> {
    const list = await this.client.listAll<T>(this.ref, { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
    const fresh = new Map<string, T>();
    for (const item of list.items) fresh.set(keyOf(item), this.#trim(item));
    for (const [k, old] of this.#store) {
      if (!fresh.has(k)) {
        this.#store.delete(k);
        for (const h of this.#handlers) h.delete?.(old);
      }
    }
    for (const [k, obj] of fresh) {
      const old = this.#store.get(k);
      this.#store.set(k, obj);
      if (!old) for (const h of this.#handlers) h.add?.(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) for (const h of this.#handlers) h.update?.(old, obj);
    }
    this.#rv = list.metadata.resourceVersion ?? '';
    if (!this.#synced) {
      this.#synced = true;
      for (const w of this.#syncWaiters.splice(0)) w();
    }
  }

  /** The object as cached: parsed for this informer alone, so trimmed in place. */
  #trim(obj: T): T {
    const md = obj?.metadata as { managedFields?: unknown } | undefined;
    if (md?.managedFields !== undefined && !this.opts.keepManagedFields) delete md.managedFields;
    return obj;
  }

  #onEvent(ev: WatchEvent<T>): void {
    if (ev.type === 'ERROR') {
      const status = ev.object as any;
      throw new ApiError(status?.code ?? 500, status?.reason ?? 'Unknown', status?.message ?? 'watch error', status);
    }
    const rv = ev.object?.metadata?.resourceVersion;
    if (rv) this.#rv = rv;
    if (ev.type === 'BOOKMARK') return;
    this.#trim(ev.object);
    const k = keyOf(ev.object);
    const old = this.#store.get(k);
    if (ev.type === 'DELETED') {
      this.#store.delete(k);
      for (const h of this.#handlers) h.delete?.(old ?? ev.object);
      return;
    }
    this.#store.set(k, ev.object);
    if (old) for (const h of this.#handlers) h.update?.(old, ev.object);
    else for (const h of this.#handlers) h.add?.(ev.object);
  }
}
