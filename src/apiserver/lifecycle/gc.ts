/**
 * The garbage collector, as kube-controller-manager runs it, inside the API server so that a
 * standalone server and every simulated cluster behave like a whole Kubernetes control plane:
 * - background: a dependent whose owners are all gone is deleted;
 * - foreground: an owner deleted with propagationPolicy=Foreground keeps the
 *   "foregroundDeletion" finalizer until its blocking dependents are gone;
 * - orphan: an owner deleted with propagationPolicy=Orphan has its dependents' ownerReferences
 *   removed, then its "orphan" finalizer.
 * Dependents are indexed by owner uid from the watch cache; work is retried with backoff.
 */
import type { Logger } from 'pino';
import type { RestRegistry } from '../registry/rest.js';
import { ResourceRegistry } from '../resources/registry.js';
import { apiVersionOf, type ResourceType } from '../resources/types.js';
import type { CacheWatcher, CacheEvent } from '../watchcache/cache.js';
import type { CachedObject } from '../watchcache/object.js';
import { StatusError } from '../errors.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

interface Ref {
  prefix: string;
  key: string;
}

export class GarbageCollector {
  /** owner uid → dependents ("prefix|key"). */
  readonly #dependents = new Map<string, Set<string>>();
  /** dependent "prefix|key" → owner uids it references. */
  readonly #owners = new Map<string, string[]>();
  /** uid → "prefix|key" of owners being deleted with a GC finalizer. */
  readonly #finalizing = new Map<string, string>();
  readonly #queue = new Set<string>();
  readonly #attempts = new Map<string, number>();
  readonly #watched = new Map<string, { cache: { watchers: Set<CacheWatcher> }; w: CacheWatcher }>();
  #scheduled = false;
  #stopped = false;
  #busy: Promise<void> = Promise.resolve();

  constructor(
    readonly registry: RestRegistry,
    readonly resources: ResourceRegistry,
    readonly log: Logger,
  ) {}

  start(): void {
    for (const rt of this.resources.all()) this.#watchType(rt);
    this.resources.onChange((change, rt) => {
      if (change === 'add') void this.registry.caches.add(ResourceRegistry.storagePrefix(rt)).then(() => this.#watchType(rt));
    });
  }

  #watchType(rt: ResourceType): void {
    const prefix = ResourceRegistry.storagePrefix(rt);
    if (this.#watched.has(prefix) || this.#stopped) return;
    const cache = this.registry.caches.cache(prefix);
    if (!cache) return;
    const w: CacheWatcher = { onEvent: (ev) => this.#onEvent(prefix, ev), onClose: () => this.#watched.delete(prefix) };
    cache.watchers.add(w);
    this.#watched.set(prefix, { cache, w });
    // Objects already stored: index them and check what may have been left over.
    for (const obj of cache.objects.values()) {
      this.#index(prefix, obj);
      if (this.#owners.has(`${prefix}|${obj.key}`)) this.#enqueue(`dep|${prefix}|${obj.key}`);
      if (hasGcFinalizer(obj)) {
        const uid = uidOf(obj);
        if (uid) this.#finalizing.set(uid, `${prefix}|${obj.key}`);
        this.#enqueue(`owner|${prefix}|${obj.key}`);
      }
    }
  }

  #onEvent(prefix: string, ev: CacheEvent): void {
    const id = `${prefix}|${ev.obj.key}`;
    if (ev.type === 'DELETED') {
      const owners = this.#owners.get(id);
      this.#unindex(id);
      // An owner waiting for its dependents may now be free.
      for (const uid of owners ?? []) {
        const owner = this.#finalizing.get(uid);
        if (owner) this.#enqueue(`owner|${owner}`);
      }
      const uid = uidOf(ev.obj);
      if (uid) this.#finalizing.delete(uid);
      if (uid) for (const dep of this.#dependents.get(uid) ?? []) this.#enqueue(`dep|${dep}`);
      return;
    }
    this.#index(prefix, ev.obj);
    if (hasGcFinalizer(ev.obj)) {
      const uid = uidOf(ev.obj);
      if (uid) this.#finalizing.set(uid, id);
      this.#enqueue(`owner|${id}`);
    }
    if (this.#owners.has(id) && ev.type === 'ADDED') this.#enqueue(`dep|${id}`);
  }

  #index(prefix: string, obj: CachedObject): void {
    const id = `${prefix}|${obj.key}`;
    if (!obj.json.includes('"ownerReferences"')) {
      if (this.#owners.has(id)) this.#unindex(id);
      return;
    }
    const refs: any[] = obj.object().metadata?.ownerReferences ?? [];
    const uids = refs.map((r) => r.uid).filter(Boolean);
    this.#unindex(id);
    if (!uids.length) return;
    this.#owners.set(id, uids);
    for (const u of uids) {
      let s = this.#dependents.get(u);
      if (!s) this.#dependents.set(u, (s = new Set()));
      s.add(id);
    }
  }

  #unindex(id: string): void {
    for (const u of this.#owners.get(id) ?? []) {
      const s = this.#dependents.get(u);
      s?.delete(id);
      if (s && !s.size) this.#dependents.delete(u);
    }
    this.#owners.delete(id);
  }

  #enqueue(item: string, delayMs = 0): void {
    if (this.#stopped) return;
    if (delayMs > 0) {
      setTimeout(() => this.#enqueue(item), delayMs).unref();
      return;
    }
    this.#queue.add(item);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => void (this.#busy = this.#drain()));
    }
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    while (this.#queue.size && !this.#stopped) {
      const item = this.#queue.values().next().value as string;
      this.#queue.delete(item);
      const [kind, prefix, key] = item.split('|') as [string, string, string];
      try {
        if (kind === 'dep') await this.#checkDependent({ prefix, key });
        else await this.#checkOwner({ prefix, key });
        this.#attempts.delete(item);
      } catch (err) {
        const n = (this.#attempts.get(item) ?? 0) + 1;
        this.#attempts.set(item, n);
        this.log.debug({ err, item }, 'garbage collection failed; retrying');
        this.#enqueue(item, Math.min(100 * 2 ** n, 10_000));
      }
    }
  }

  #typeOf(prefix: string): ResourceType | undefined {
    return this.resources.all().find((rt) => ResourceRegistry.storagePrefix(rt) === prefix);
  }

  #ownerType(apiVersion: string, kind: string): ResourceType | undefined {
    return this.resources.all().find((rt) => rt.kind === kind && apiVersionOf(rt) === apiVersion) ?? this.resources.all().find((rt) => rt.kind === kind && apiVersion.split('/')[0] === rt.group && rt.custom);
  }

  /** The owner as stored, if it is the one referenced (same uid). */
  #findOwner(ref: any, namespace: string): CachedObject | undefined {
    const rt = this.#ownerType(ref.apiVersion, ref.kind);
    if (!rt) return undefined;
    const obj = this.registry.cacheOf(rt).get(this.registry.key(rt, rt.namespaced ? namespace : '', ref.name));
    return obj && uidOf(obj) === ref.uid ? obj : undefined;
  }

  async #checkDependent(d: Ref): Promise<void> {
    const rt = this.#typeOf(d.prefix);
    const obj = rt && this.registry.caches.cache(d.prefix)?.get(d.key);
    if (!rt || !obj) return;
    const cur = obj.object();
    const refs: any[] = cur.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const solid: any[] = [];
    const dangling: any[] = [];
    const waiting: any[] = [];
    for (const ref of refs) {
      const owner = this.#findOwner(ref, obj.namespace);
      if (!owner) dangling.push(ref);
      else if (owner.json.includes(`"${FOREGROUND}"`) && owner.object().metadata.deletionTimestamp) waiting.push(ref);
      else solid.push(ref);
    }
    const scope = { rt, namespace: obj.namespace, name: obj.name, subresource: '' as const };
    if (solid.length) {
      if (!dangling.length) return;
      const gone = new Set(dangling.map((r) => r.uid));
      await this.#update(scope, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r: any) => !gone.has(r.uid));
        return o;
      });
      return;
    }
    if (cur.metadata.deletionTimestamp) return;
    const foreground = waiting.some((r) => r.blockOwnerDeletion);
    await this.#delete(scope, foreground ? 'Foreground' : 'Background', cur.metadata.uid);
  }

  async #checkOwner(o: Ref): Promise<void> {
    const rt = this.#typeOf(o.prefix);
    const obj = rt && this.registry.caches.cache(o.prefix)?.get(o.key);
    if (!rt || !obj) return;
    const cur = obj.object();
    const md = cur.metadata;
    if (!md.deletionTimestamp) return;
    const finalizers: string[] = md.finalizers ?? [];
    const deps = [...(this.#dependents.get(md.uid) ?? [])];
    const scope = { rt, namespace: obj.namespace, name: obj.name, subresource: '' as const };
    if (finalizers.includes(ORPHAN)) {
      for (const dep of deps) {
        const [prefix, key] = dep.split('|') as [string, string];
        const drt = this.#typeOf(prefix);
        const dobj = this.registry.caches.cache(prefix)?.get(key);
        if (!drt || !dobj) continue;
        await this.#update({ rt: drt, namespace: dobj.namespace, name: dobj.name, subresource: '' }, (x) => {
          x.metadata.ownerReferences = (x.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== md.uid);
          if (!x.metadata.ownerReferences.length) delete x.metadata.ownerReferences;
          return x;
        });
      }
      await this.#removeFinalizer(scope, ORPHAN);
      return;
    }
    if (finalizers.includes(FOREGROUND)) {
      let blocking = 0;
      for (const dep of deps) {
        const [prefix, key] = dep.split('|') as [string, string];
        const dobj = this.registry.caches.cache(prefix)?.get(key);
        if (!dobj) continue;
        const ref = (dobj.object().metadata.ownerReferences ?? []).find((r: any) => r.uid === md.uid);
        if (ref?.blockOwnerDeletion) blocking++;
        this.#enqueue(`dep|${dep}`);
      }
      if (blocking === 0) await this.#removeFinalizer(scope, FOREGROUND);
    }
  }

  async #removeFinalizer(scope: { rt: ResourceType; namespace: string; name: string; subresource: '' }, f: string): Promise<void> {
    await this.#update(scope, (x) => {
      x.metadata.finalizers = (x.metadata.finalizers ?? []).filter((y: string) => y !== f);
      return x;
    });
  }

  async #update(scope: { rt: ResourceType; namespace: string; name: string; subresource: '' }, fn: (o: any) => any): Promise<void> {
    try {
      await this.registry.update(scope, (o) => {
        const next = fn(o);
        delete next.metadata.resourceVersion;
        return next;
      }, { fieldManager: 'garbage-collector' });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }

  async #delete(scope: { rt: ResourceType; namespace: string; name: string; subresource: '' }, policy: 'Foreground' | 'Background', uid: string): Promise<void> {
    try {
      await this.registry.delete(scope, { propagationPolicy: policy, preconditions: { uid } });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const { cache, w } of this.#watched.values()) cache.watchers.delete(w);
    this.#watched.clear();
    await this.#busy.catch(() => undefined);
  }
}

function uidOf(obj: CachedObject): string | undefined {
  return obj.object().metadata?.uid;
}

function hasGcFinalizer(obj: CachedObject): boolean {
  return (obj.json.includes(`"${FOREGROUND}"`) || obj.json.includes(`"${ORPHAN}"`)) && obj.json.includes('"deletionTimestamp"');
}
