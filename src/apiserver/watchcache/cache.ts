/**
 * The watch cache: the current state of every served resource in memory plus a window of
 * recent events, fed by ONE storage watch over the whole keyspace. Lists and gets are served
 * from memory; many watchers of a resource cost one storage read per event, not one per
 * watcher; a watch from a resourceVersion older than the window answers 410 Expired.
 *
 * Because one watch carries every write in revision order, the manager's revision says how
 * fresh every resource cache is: a consistent read waits until it reaches the store's current
 * revision (Kubernetes' "consistent list from cache").
 */
import type { Store, StoreEvent } from '../storage/store.js';
import { StoreError } from '../storage/store.js';
import { CachedObject } from './object.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  rev: number;
  obj: CachedObject;
  /** The previous version (MODIFIED, DELETED). */
  prev?: CachedObject;
}

export interface CacheWatcher {
  /** Called synchronously, in revision order, for every event of this resource after the watch's start. */
  onEvent(ev: CacheEvent): void;
  /** The cache is going away (resource removed or server stopping). */
  onClose(reason: string): void;
}

export class ResourceCache {
  readonly objects = new Map<string, CachedObject>();
  #sorted: string[] | null = null;
  readonly #events: CacheEvent[] = [];
  #head = 0; // index of the oldest event in the ring
  /** Events after this revision are all in the window. */
  startRev: number;
  /** Revision of the last event of this resource. */
  lastEventRev = 0;
  readonly watchers = new Set<CacheWatcher>();

  constructor(
    readonly prefix: string,
    readonly capacity: number,
    loadedAt: number,
  ) {
    this.startRev = loadedAt;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Keys in storage (byte) order, optionally under a sub-prefix (a namespace). */
  sortedKeys(): string[] {
    if (!this.#sorted) this.#sorted = [...this.objects.keys()].sort(byteOrder);
    return this.#sorted;
  }

  apply(ev: StoreEvent): void {
    const { kv } = ev;
    const prev = this.objects.get(kv.key);
    let event: CacheEvent;
    if (ev.type === 'delete') {
      if (!prev) return;
      this.objects.delete(kv.key);
      this.#sorted = null;
      // The DELETED event carries the last state with the deletion's revision.
      const last = CachedObject.fromStorage(kv.key, kv.value, kv.modRevision, kv.createRevision);
      event = { type: 'DELETED', rev: kv.modRevision, obj: last, prev };
    } else {
      const obj = CachedObject.fromStorage(kv.key, kv.value, kv.modRevision, kv.createRevision);
      if (!prev) this.#sorted = null;
      this.objects.set(kv.key, obj);
      event = { type: prev ? 'MODIFIED' : 'ADDED', rev: kv.modRevision, obj, prev };
    }
    this.lastEventRev = event.rev;
    this.#push(event);
    for (const w of this.watchers) w.onEvent(event);
  }

  #push(ev: CacheEvent): void {
    if (this.capacity <= 0) {
      this.startRev = ev.rev;
      return;
    }
    if (this.#events.length < this.capacity) {
      this.#events.push(ev);
      return;
    }
    const evicted = this.#events[this.#head]!;
    this.startRev = evicted.rev;
    this.#events[this.#head] = ev;
    this.#head = (this.#head + 1) % this.capacity;
  }

  /** Events with rev > afterRev, oldest first. Caller checks afterRev >= startRev. */
  eventsAfter(afterRev: number): CacheEvent[] {
    const n = this.#events.length;
    const out: CacheEvent[] = [];
    for (let i = 0; i < n; i++) {
      const ev = this.#events[(this.#head + i) % n]!;
      if (ev.rev > afterRev) out.push(ev);
    }
    return out;
  }

  close(reason: string): void {
    for (const w of this.watchers) w.onClose(reason);
    this.watchers.clear();
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Backoff between attempts to re-establish a failed storage watch. */
const RESUME_MIN_MS = 100;
const RESUME_MAX_MS = 2000;

export class CacheManager {
  readonly #caches = new Map<string, ResourceCache>();
  /** Resources whose initial list is in flight: events for them are buffered. */
  readonly #loading = new Map<string, StoreEvent[]>();
  readonly #adding = new Map<string, Promise<ResourceCache>>();
  readonly #waiters: { rev: number; resolve: () => void }[] = [];
  #watch: { cancel(): void } | null = null;
  /** Every write up to this revision has been applied to every cache. */
  revision = 0;
  #failed: Error | null = null;
  #stopped = false;
  #retry: NodeJS.Timeout | null = null;
  #backoffMs = RESUME_MIN_MS;

  constructor(
    readonly store: Store,
    readonly capacity = 10_000,
    readonly root = '/registry/',
  ) {}

  async start(prefixes: string[]): Promise<void> {
    this.revision = await this.store.currentRevision();
    const at = this.revision;
    await Promise.all(prefixes.map((p) => this.#load(p, at)));
    this.#watchFrom(at);
  }

  #watchFrom(rev: number): void {
    this.#watch = this.store.watch(this.root, { afterRevision: rev, onEvents: (evs) => this.#onEvents(evs), onError: (err) => this.#onWatchError(err) });
  }

  /**
   * The storage watch failed (etcd unreachable, say): consistent reads fail with the error (503)
   * until it is back. It resumes from this.revision, so cache watchers see a pause, not a gap;
   * only when that history was compacted meanwhile are the caches reloaded, closing their
   * watchers (clients re-list, as after a 410).
   */
  #onWatchError(err: Error): void {
    this.#failed = err;
    this.#watch = null;
    if (this.#stopped) return;
    this.#retry = setTimeout(() => void this.#resume(), this.#backoffMs);
    this.#retry.unref(); // the server's sockets keep the process alive, not this
    this.#backoffMs = Math.min(this.#backoffMs * 2, RESUME_MAX_MS);
  }

  async #resume(): Promise<void> {
    this.#retry = null;
    try {
      if (this.#failed instanceof StoreError && this.#failed.code === 'Compacted') await this.#reload();
      else {
        await this.store.currentRevision(); // reachable again?
        if (this.#stopped) return;
        this.#watchFrom(this.revision);
      }
      this.#failed = null;
      this.#wake();
    } catch (e) {
      if (!this.#stopped) this.#onWatchError(e as Error);
    }
  }

  async #reload(): Promise<void> {
    const at = await this.store.currentRevision();
    const old = new Map(this.#caches);
    await Promise.all([...old.keys()].map((p) => this.#load(p, at)));
    for (const [p, c] of old) if (this.#caches.get(p) !== c) c.close('the watch cache was reloaded after its history was compacted');
    if (at > this.revision) this.revision = at;
    if (!this.#stopped) this.#watchFrom(at);
  }

  get failed(): Error | null {
    return this.#failed;
  }

  cache(prefix: string): ResourceCache | undefined {
    return this.#caches.get(prefix);
  }

  /** Start caching a resource added at runtime (a new CRD). */
  add(prefix: string): Promise<ResourceCache> {
    const existing = this.#caches.get(prefix);
    if (existing) return Promise.resolve(existing);
    let p = this.#adding.get(prefix);
    if (!p) {
      p = this.#load(prefix, this.revision).then(() => this.#caches.get(prefix)!);
      this.#adding.set(prefix, p);
      void p.finally(() => this.#adding.delete(prefix));
    }
    return p;
  }

  remove(prefix: string): void {
    this.#caches.get(prefix)?.close('resource removed');
    this.#caches.delete(prefix);
  }

  async #load(prefix: string, at: number): Promise<void> {
    this.#loading.set(prefix, []);
    const cache = new ResourceCache(prefix, this.capacity, at);
    let startKey: string | undefined;
    for (;;) {
      const page = await this.store.list(prefix, { revision: at, limit: 5000, startKey });
      for (const kv of page.items) cache.objects.set(kv.key, CachedObject.fromStorage(kv.key, kv.value, kv.modRevision, kv.createRevision));
      if (!page.more || page.items.length === 0) break;
      startKey = page.items[page.items.length - 1]!.key + '\0';
    }
    const buffered = this.#loading.get(prefix) ?? [];
    this.#loading.delete(prefix);
    for (const ev of buffered) if (ev.kv.modRevision > at) cache.apply(ev);
    this.#caches.set(prefix, cache);
  }

  #onEvents(evs: StoreEvent[]): void {
    this.#backoffMs = RESUME_MIN_MS;
    for (const ev of evs) {
      const prefix = this.#prefixOf(ev.kv.key);
      if (prefix !== undefined) {
        const c = this.#caches.get(prefix);
        if (c) c.apply(ev);
        else this.#loading.get(prefix)?.push(ev);
      }
      if (ev.kv.modRevision > this.revision) this.revision = ev.kv.modRevision;
    }
    this.#wake();
  }

  /** "/registry/apps/deployments/ns/name" -> "/registry/apps/deployments/". */
  #prefixOf(key: string): string | undefined {
    if (!key.startsWith(this.root)) return undefined;
    const a = key.indexOf('/', this.root.length);
    const b = a < 0 ? -1 : key.indexOf('/', a + 1);
    return b < 0 ? undefined : key.slice(0, b + 1);
  }

  #wake(): void {
    if (!this.#waiters.length) return;
    const still: { rev: number; resolve: () => void }[] = [];
    for (const w of this.#waiters) {
      if (w.rev <= this.revision) w.resolve();
      else still.push(w);
    }
    this.#waiters.length = 0;
    this.#waiters.push(...still);
  }

  /** Resolves once every write up to rev is in the caches; rejects after timeoutMs. */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (rev <= this.revision) return Promise.resolve();
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(entry);
        if (i >= 0) this.#waiters.splice(i, 1);
        // A cache that cannot catch up is storage trouble: 503, and the client retries.
        reject(new StoreError('Unavailable', `watch cache did not reach revision ${rev} within ${timeoutMs}ms (at ${this.revision})`));
      }, timeoutMs);
      const entry = {
        rev,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(entry);
    });
  }

  /** Wait until the caches reflect everything committed so far (a consistent read). */
  async fresh(): Promise<void> {
    const rev = await this.store.currentRevision();
    await this.waitFor(rev);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#watch?.cancel();
    for (const c of this.#caches.values()) c.close('server shutting down');
  }
}
