/**
 * The generic registry: create, read, update, patch and delete for any resource type, on top
 * of the Store (writes, compare-and-swap on modRevision) and the watch cache (reads). This is
 * Kubernetes' genericregistry.Store in small: identity and immutability, generation, status and
 * scale subresources, finalizers and graceful deletion, dryRun, optimistic concurrency.
 */
import type { Store, KeyValue } from '../storage/store.js';
import { StoreError } from '../storage/store.js';
import { errors, StatusError, type StatusCause } from '../errors.js';
import { ResourceRegistry } from '../resources/registry.js';
import { apiVersionOf, type ResourceType } from '../resources/types.js';
import { CacheManager } from '../watchcache/cache.js';
import { CachedObject, encodeForStorage, withResourceVersion } from '../watchcache/object.js';
import { generateName, keepImmutableMeta, namespaceMismatch, nowRFC3339, setCreateIdentity, validateMeta } from './meta.js';
import { normalize, prepareForCreate, prepareForUpdate, specChanged, validateKind, type Subresource } from './strategy.js';
import type { LabelSelector } from '../../selectors/labels.js';
import type { FieldSelector } from '../../selectors/fields.js';

export interface Scope {
  rt: ResourceType;
  /** '' for cluster-scoped resources or cluster-wide lists. */
  namespace: string;
  name: string;
  subresource: Subresource;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** The request's fieldValidation; admission plugins that prune (CRDs) refuse unknown fields under Strict. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Where admission puts warnings for the client (the handler sends them as Warning headers). */
  warnings?: string[];
}

export interface WriteResult {
  /** JSON of the stored object with its resourceVersion. */
  json: string;
  created: boolean;
  /** False when the write changed nothing (no new revision). */
  changed: boolean;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: CachedObject[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * Admission plugins: CRD schemas (defaulting, pruning, validation), field managers and the like
 * plug in here without the registry knowing them. `old` is undefined on create.
 */
export interface Admission {
  /** Mutate the object about to be stored (defaults, pruning, managedFields). */
  mutate?(rt: ResourceType, obj: any, old: any | undefined, o: WriteOptions & { subresource: Subresource }): void;
  /** Extra validation; causes make the write fail with 422. */
  validate?(rt: ResourceType, obj: any, old: any | undefined): StatusCause[];
}

/** A function that turns the current object into the desired one (update, patch). */
export type Mutation = (current: any) => any | Promise<any>;

const MAX_CAS_RETRIES = 16;

export class RestRegistry {
  /** Hook for the namespace lifecycle: called after a namespace is marked for deletion. */
  onNamespaceTerminating?: (name: string) => void;
  readonly admission: Admission[] = [];
  /** With a garbage collector running, Foreground and Orphan deletions get their finalizers. */
  gcEnabled = false;

  constructor(
    readonly store: Store,
    readonly caches: CacheManager,
    readonly resources: ResourceRegistry,
    readonly now: () => number = Date.now,
  ) {}

  key(rt: ResourceType, namespace: string, name: string): string {
    const p = ResourceRegistry.storagePrefix(rt);
    return rt.namespaced ? `${p}${namespace}/${name}` : `${p}${name}`;
  }

  cacheOf(rt: ResourceType) {
    const c = this.caches.cache(ResourceRegistry.storagePrefix(rt));
    if (!c) throw errors.unavailable(`the cache for ${rt.resource} is not ready`);
    return c;
  }

  /** Consistent read of one object (from the cache, once it has caught up with storage). */
  async get(s: Scope, resourceVersion?: string): Promise<CachedObject> {
    if (resourceVersion !== '0') await this.#fresh();
    const obj = this.cacheOf(s.rt).get(this.key(s.rt, s.namespace, s.name));
    if (!obj) throw errors.notFound(s.rt.group, s.rt.resource, s.name);
    return obj;
  }

  async #fresh(): Promise<void> {
    try {
      await this.caches.fresh();
    } catch (e) {
      throw storeError(e);
    }
  }

  async list(rt: ResourceType, namespace: string, o: ListOptions): Promise<ListResult> {
    const cache = this.cacheOf(rt);
    const rv = o.resourceVersion ?? '';
    const match = o.resourceVersionMatch ?? '';
    if (match && !rv) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (match && match !== 'NotOlderThan' && match !== 'Exact') throw errors.badRequest(`resourceVersionMatch: Unsupported value: "${match}"`);
    if (o.continue && rv && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
    const prefix = ResourceRegistry.storagePrefix(rt) + (rt.namespaced && namespace ? `${namespace}/` : '');
    const matches = (obj: CachedObject) =>
      (!o.labelSelector || o.labelSelector.matches(obj.labels)) && (!o.fieldSelector || o.fieldSelector.matches(obj.fields(rt.fields)));
    const limit = o.limit && o.limit > 0 ? o.limit : 0;

    let token: { rv: number; start: string } | undefined;
    if (o.continue) token = decodeContinue(o.continue, prefix);

    const exactRev = match === 'Exact' ? parseRV(rv) : 0;
    if (token || exactRev) {
      // An older snapshot: served from storage at that revision.
      return this.#listFromStore(prefix, token?.rv ?? exactRev, token?.start, limit, matches, rt);
    }

    if (rv === '' ) await this.#fresh();
    else if (rv !== '0') {
      const want = parseRV(rv);
      const current = await this.store.currentRevision();
      if (want > current) throw tooLargeRV(want, current);
      await this.caches.waitFor(want).catch((e) => Promise.reject(storeError(e)));
    }
    const revision = this.caches.revision;
    const keys = cache.sortedKeys();
    const items: CachedObject[] = [];
    let i = prefix === ResourceRegistry.storagePrefix(rt) ? 0 : lowerBound(keys, prefix);
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (!k.startsWith(prefix)) break;
      const obj = cache.objects.get(k)!;
      if (!matches(obj)) continue;
      if (limit && items.length === limit) {
        return { items, revision, continue: encodeContinue(revision, items[items.length - 1]!.key + '\0') };
      }
      items.push(obj);
    }
    return { items, revision };
  }

  async #listFromStore(prefix: string, revision: number, start: string | undefined, limit: number, matches: (o: CachedObject) => boolean, rt: ResourceType): Promise<ListResult> {
    const items: CachedObject[] = [];
    let startKey = start;
    const pageSize = Math.max(limit || 500, 500);
    for (;;) {
      let page;
      try {
        page = await this.store.list(prefix, { revision, limit: pageSize, startKey });
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Compacted')
          throw errors.expired(
            start !== undefined
              ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'
              : `too old resource version: ${revision} (${this.store.compactedRevision()})`,
          );
        throw storeError(e);
      }
      for (const kv of page.items) {
        const obj = fromKV(kv);
        if (!matches(obj)) continue;
        if (limit && items.length === limit) return { items, revision, continue: encodeContinue(revision, items[items.length - 1]!.key + '\0') };
        items.push(obj);
      }
      if (!page.more || page.items.length === 0) return { items, revision };
      startKey = page.items[page.items.length - 1]!.key + '\0';
    }
  }

  async create(s: Scope, body: any, o: WriteOptions): Promise<WriteResult> {
    const { rt } = s;
    checkTypeMeta(rt, body);
    body.metadata ??= {};
    const mismatch = namespaceMismatch(rt, body, s.namespace);
    if (mismatch) throw errors.badRequest(mismatch);
    if (rt.namespaced) await this.#requireNamespace(s.namespace, true);
    const gen = body.metadata.generateName;
    if (!body.metadata.name && gen) body.metadata.name = generateName(gen);
    setCreateIdentity(body, this.now());
    normalize(rt, body);
    prepareForCreate(rt, body);
    for (const a of this.admission) a.mutate?.(rt, body, undefined, { ...o, subresource: '' });
    const name = body.metadata.name;
    const causes = [...validateMeta(rt, body), ...validateKind(rt, body)];
    for (const a of this.admission) if (a.validate) causes.push(...a.validate(rt, body, undefined));
    if (causes.length) throw errors.invalid(rt.group, rt.kind, name ?? '', causes);
    await this.beforeCreate?.(rt, body);
    for (let attempt = 0; ; attempt++) {
      const enc = encodeForStorage(body);
      if (o.dryRun) {
        if (this.cacheOf(rt).get(this.key(rt, s.namespace, name))) throw errors.alreadyExists(rt.group, rt.resource, name);
        return { json: enc, created: true, changed: false };
      }
      try {
        const { revision } = await this.store.create(this.key(rt, s.namespace, body.metadata.name), enc);
        return { json: withResourceVersion(enc, revision), created: true, changed: true };
      } catch (e) {
        if (e instanceof StoreError && e.code === 'KeyExists') {
          if (gen && attempt < 5 && body.metadata.name.startsWith(gen)) {
            body.metadata.name = generateName(gen);
            continue;
          }
          throw errors.alreadyExists(rt.group, rt.resource, body.metadata.name);
        }
        throw storeError(e);
      }
    }
  }

  /** Hook for kinds that need server-side allocation on create (service IPs); set by the server. */
  beforeCreate?: (rt: ResourceType, obj: any) => void | Promise<void>;

  /**
   * Read-modify-write with compare-and-swap. `mutate` receives a fresh copy of the stored
   * object; a returned object with metadata.resourceVersion set acts as a precondition.
   */
  async update(s: Scope, mutate: Mutation, o: WriteOptions & { createIfMissing?: () => any }): Promise<WriteResult> {
    const { rt } = s;
    const key = this.key(rt, s.namespace, s.name);
    await this.#fresh();
    let cur: KeyValue | null = cachedKV(this.cacheOf(rt).get(key));
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      if (!cur) {
        if (o.createIfMissing) return this.create(s, o.createIfMissing(), o);
        throw errors.notFound(rt.group, rt.resource, s.name);
      }
      const old = JSON.parse(cur.value);
      old.metadata.resourceVersion = String(cur.modRevision);
      // A second parse is the cheapest deep copy of plain JSON (faster than structuredClone).
      const copy = JSON.parse(cur.value);
      copy.metadata.resourceVersion = old.metadata.resourceVersion;
      let next = await mutate(copy);
      if (!next || typeof next !== 'object' || Array.isArray(next)) throw errors.badRequest('the request body must be an object');
      next.metadata ??= {};
      const wantRV = next.metadata.resourceVersion;
      if (wantRV !== undefined && wantRV !== '' && wantRV !== String(cur.modRevision)) {
        if (attempt === 0) {
          cur = await this.#storeGet(key);
          continue;
        }
        throw errors.conflict(rt.group, rt.resource, s.name);
      }
      checkTypeMeta(rt, next);
      if (next.metadata.name !== undefined && next.metadata.name !== s.name)
        throw errors.badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${s.name})`);
      if (rt.namespaced && next.metadata.namespace !== undefined && next.metadata.namespace !== s.namespace)
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      next.apiVersion = old.apiVersion;
      next.kind = old.kind;
      keepImmutableMeta(next, old);
      normalize(rt, next);
      next = prepareForUpdate(rt, next, old, s.subresource);
      for (const a of this.admission) a.mutate?.(rt, next, old, { ...o, subresource: s.subresource });
      if ((rt.hasGeneration || rt.custom) && specChanged(next, old)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      const causes: StatusCause[] = [...validateMeta(rt, next, old), ...validateKind(rt, next, old)];
      for (const a of this.admission) if (a.validate) causes.push(...a.validate(rt, next, old));
      if (causes.length) throw errors.invalid(rt.group, rt.kind, s.name, causes);

      const enc = encodeForStorage(next);
      // Stored values are encodeForStorage output, so the old encoding is the stored string, or
      // the cached one, which carries its resourceVersion.
      if (enc === cur.value || withResourceVersion(enc, cur.modRevision) === cur.value) return { json: withResourceVersion(enc, cur.modRevision), created: false, changed: false };
      // Emptying the finalizers of an object being deleted completes the deletion.
      const finishDelete = next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !blockingSpecFinalizers(rt, next);
      if (o.dryRun) return { json: withResourceVersion(enc, cur.modRevision), created: false, changed: false };
      try {
        if (finishDelete) {
          const { revision } = await this.store.delete(key, cur.modRevision);
          return { json: withResourceVersion(enc, revision), created: false, changed: true };
        }
        const { revision } = await this.store.update(key, enc, cur.modRevision);
        return { json: withResourceVersion(enc, revision), created: false, changed: true };
      } catch (e) {
        if (e instanceof StoreError && (e.code === 'Conflict' || e.code === 'NotFound')) {
          if (wantRV) throw errors.conflict(rt.group, rt.resource, s.name);
          cur = await this.#storeGet(key);
          continue;
        }
        throw storeError(e);
      }
    }
    throw errors.conflict(rt.group, rt.resource, s.name, 'too many concurrent writers, please retry');
  }

  async #storeGet(key: string): Promise<KeyValue | null> {
    try {
      return await this.store.get(key);
    } catch (e) {
      throw storeError(e);
    }
  }

  async delete(s: Scope, o: DeleteOptions): Promise<{ json: string; deleted: boolean }> {
    const { rt } = s;
    const key = this.key(rt, s.namespace, s.name);
    await this.#fresh();
    let cur: KeyValue | null = cachedKV(this.cacheOf(rt).get(key));
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      if (!cur) throw errors.notFound(rt.group, rt.resource, s.name);
      const obj = JSON.parse(cur.value);
      const md = obj.metadata;
      const pre = o.preconditions;
      if (pre?.uid && pre.uid !== md.uid)
        throw errors.conflict(rt.group, rt.resource, s.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${md.uid}`);
      if (pre?.resourceVersion && pre.resourceVersion !== String(cur.modRevision))
        throw errors.conflict(rt.group, rt.resource, s.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.modRevision}`);

      const graceful = this.#gracePeriod(rt, obj, o);
      if (this.gcEnabled && !md.deletionTimestamp && (o.propagationPolicy === 'Foreground' || o.propagationPolicy === 'Orphan')) {
        const f = o.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : 'orphan';
        md.finalizers = [...new Set([...(md.finalizers ?? []), f])];
      }
      const finalizers: string[] = md.finalizers ?? [];
      const mustWait = finalizers.length > 0 || graceful > 0 || blockingSpecFinalizers(rt, obj);
      if (mustWait) {
        // Mark for deletion; the object goes when its finalizers (or the kubelet) let it.
        let changed = false;
        if (!md.deletionTimestamp) {
          md.deletionTimestamp = nowRFC3339(this.now() + graceful * 1000);
          md.deletionGracePeriodSeconds = graceful;
          if (rt.strategy === 'namespace') obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
          changed = true;
        } else if (graceful < (md.deletionGracePeriodSeconds ?? 0)) {
          md.deletionTimestamp = nowRFC3339(this.now() + graceful * 1000);
          md.deletionGracePeriodSeconds = graceful;
          changed = true;
        }
        if (!changed || o.dryRun) return { json: withResourceVersion(encodeForStorage(obj), cur.modRevision), deleted: false };
        const enc = encodeForStorage(obj);
        try {
          const { revision } = await this.store.update(key, enc, cur.modRevision);
          if (rt.strategy === 'namespace') this.onNamespaceTerminating?.(s.name);
          return { json: withResourceVersion(enc, revision), deleted: false };
        } catch (e) {
          if (e instanceof StoreError && (e.code === 'Conflict' || e.code === 'NotFound')) {
            cur = await this.#storeGet(key);
            continue;
          }
          throw storeError(e);
        }
      }
      if (o.dryRun) return { json: withResourceVersion(encodeForStorage(obj), cur.modRevision), deleted: true };
      try {
        const { revision } = await this.store.delete(key, cur.modRevision);
        return { json: withResourceVersion(encodeForStorage(obj), revision), deleted: true };
      } catch (e) {
        if (e instanceof StoreError && (e.code === 'Conflict' || e.code === 'NotFound')) {
          cur = await this.#storeGet(key);
          continue;
        }
        throw storeError(e);
      }
    }
    throw errors.conflict(rt.group, rt.resource, s.name, 'too many concurrent writers, please retry');
  }

  /** Pods bound to a node are deleted gracefully (the kubelet finishes the job); all else at once. */
  #gracePeriod(rt: ResourceType, obj: any, o: DeleteOptions): number {
    if (rt.strategy !== 'pod' || !obj.spec?.nodeName) return 0;
    const phase = obj.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = o.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  async #requireNamespace(ns: string, forCreate: boolean): Promise<void> {
    const nsType = this.resources.lookup('', 'v1', 'namespaces')!;
    const cache = this.cacheOf(nsType);
    let obj = cache.get(this.key(nsType, '', ns));
    if (!obj) {
      await this.#fresh();
      obj = cache.get(this.key(nsType, '', ns));
    }
    if (!obj) throw errors.notFound('', 'namespaces', ns);
    if (forCreate && obj.json.includes('"deletionTimestamp"')) {
      const md = obj.object().metadata;
      if (md.deletionTimestamp)
        throw new StatusError('Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`, {
          name: ns,
          kind: 'namespaces',
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
        });
    }
  }
}

/** Namespaces carry spec.finalizers ("kubernetes") that the namespace lifecycle clears. */
function blockingSpecFinalizers(rt: ResourceType, obj: any): boolean {
  return rt.strategy === 'namespace' && (obj.spec?.finalizers?.length ?? 0) > 0;
}

function cachedKV(obj: CachedObject | undefined): KeyValue | null {
  if (!obj) return null;
  return { key: obj.key, value: obj.json, modRevision: obj.rev, createRevision: obj.createRev };
}

function fromKV(kv: KeyValue): CachedObject {
  return CachedObject.fromStorage(kv.key, kv.value, kv.modRevision, kv.createRevision);
}

export function checkTypeMeta(rt: ResourceType, body: any): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be a JSON or YAML object');
  const want = apiVersionOf(rt);
  if (body.apiVersion === undefined && body.kind === undefined) {
    body.apiVersion = want;
    body.kind = rt.kind;
    return;
  }
  if (body.kind !== rt.kind || (body.apiVersion !== want && !(rt.custom && typeof body.apiVersion === 'string' && body.apiVersion.startsWith(rt.group + '/'))))
    throw errors.badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${want}) or the kind in the data (${body.kind}) does not match the expected kind (${rt.kind})`,
    );
}

function parseRV(rv: string): number {
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return Number(rv);
}

export function tooLargeRV(want: number, current: number): StatusError {
  return errors.timeout(`Too large resource version: ${want}, current: ${current}`, [
    { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
  ]);
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string, prefix: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (typeof t.rv === 'number' && typeof t.start === 'string' && t.start.startsWith(prefix)) return t;
  } catch {
    // fall through
  }
  throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function storeError(e: unknown): Error {
  if (e instanceof StatusError) return e;
  if (e instanceof StoreError) {
    if (e.code === 'Compacted') return errors.expired(e.message);
    if (e.code === 'Unavailable') return errors.unavailable(`storage is unavailable: ${e.message}`);
  }
  return errors.internal((e as Error)?.message ?? String(e));
}
