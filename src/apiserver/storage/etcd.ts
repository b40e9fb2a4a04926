/**
 * The Store on etcd, for high availability: several API servers share one etcd cluster, and
 * etcd's revision is the Store revision (so resourceVersion is etcd's mod_revision, as in
 * Kubernetes). Writes are single transactions whose compares are the Store's preconditions;
 * reads are linearizable (a write acknowledged by any server is visible to the next read on
 * every server); lists are paged so no etcd response nears the gRPC message limit; every
 * request has a deadline, so a stopped etcd gives StoreError('Unavailable'), never a hang.
 *
 *   const store = await EtcdStore.open({ endpoints: ['http://127.0.0.1:2379'], prefix: '/flotilla' });
 */
import type { Etcd3, IKeyValue, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import type { DeleteResult, KeyValue, ListOptions, ListResult, Store, Watch, WatchOptions, WriteResult } from './store.js';
import { StoreError, compacted, conflict, futureRevision, keyExists, keyNotFound } from './store.js';
import { connect, isTooLarge, prefixEndBytes, storeErrorOf, type EtcdConnection } from './etcd-client.js';
import { EtcdWatch, type WatchHost } from './etcd-watch.js';

export interface EtcdStoreOptions extends EtcdConnection {
  /**
   * Every key is stored as prefix + key (default ''), so several systems can share one etcd. A
   * byte prefix, as in Kubernetes' --etcd-prefix: API server keys start with "/registry/", so
   * "/flotilla" and "/flotilla2" do not overlap, but list("") would see both.
   */
  prefix?: string;
  /** Deadline of each etcd request, and of establishing a watch (default 5 s). */
  requestTimeoutMs?: number;
  /**
   * The etcd revision reported as Store revision 0 (default 0: resourceVersion = etcd revision).
   * A fresh etcd is at revision 1 and its first write is 2; the conformance suite, whose contract
   * starts an empty store at 0, passes 1.
   */
  revisionBase?: number;
}

/**
 * Lists aim for pages of about PAGE_BYTES (the gRPC limit is MAX_RESPONSE_BYTES): the first page
 * is FIRST_PAGE_KEYS keys, later ones are sized by the average value seen so far.
 */
const PAGE_BYTES = 2 * 1024 * 1024;
const FIRST_PAGE_KEYS = 100;
const MAX_PAGE_KEYS = 5000;

export class EtcdStore implements Store, WatchHost {
  readonly client: Etcd3;
  readonly timeoutMs: number;
  readonly #prefix: string;
  readonly #base: number;
  readonly #endpoints: number;
  /** Highest etcd revision seen in any response. */
  #known = 0;
  /** etcd's compaction revision as far as we know (lists at or after it work). */
  #compactedEtcd = 0;
  #closed = false;
  readonly #watches = new Set<EtcdWatch>();
  #revInFlight: Promise<number> | null = null;
  #revNext: Promise<number> | null = null;

  /** Connects and reads the current and compacted revisions; retries until waitMs has passed. */
  static async open(o: EtcdStoreOptions, waitMs = 0): Promise<EtcdStore> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const s = new EtcdStore(o);
      try {
        await s.currentRevision();
        await s.#probeCompacted();
        return s;
      } catch (e) {
        await s.close();
        if (!(e instanceof StoreError && e.code === 'Unavailable') || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  constructor(o: EtcdStoreOptions) {
    this.client = connect(o);
    this.#prefix = o.prefix ?? '';
    this.#base = o.revisionBase ?? 0;
    this.#endpoints = o.endpoints.length;
    this.timeoutMs = o.requestTimeoutMs ?? 5000;
  }

  // --- revisions and keys ---------------------------------------------------------------

  rev(etcdRevision: string | number): number {
    return Math.max(0, Number(etcdRevision) - this.#base);
  }

  #etcdRev(storeRevision: number): number {
    return storeRevision + this.#base;
  }

  observe(etcdRevision: string): void {
    const r = Number(etcdRevision);
    if (r > this.#known) this.#known = r;
  }

  compactedTo(etcdRevision: number): void {
    if (etcdRevision > this.#compactedEtcd) this.#compactedEtcd = etcdRevision;
  }

  #key(key: string): Buffer {
    const b = Buffer.from(this.#prefix + key);
    // etcd has no empty key; "\0" is the first key there is.
    return b.length ? b : Buffer.from([0]);
  }

  #end(prefix: string): Buffer {
    return prefixEndBytes(Buffer.from(this.#prefix + prefix));
  }

  kv(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.toString('utf8').slice(this.#prefix.length),
      value: kv.value.toString('utf8'),
      createRevision: this.rev(kv.create_revision),
      modRevision: this.rev(kv.mod_revision),
    };
  }

  // --- requests -------------------------------------------------------------------------

  #check(): void {
    if (this.#closed) throw new StoreError('Unavailable', 'store is closed');
  }

  #deadline() {
    return { deadline: Date.now() + this.timeoutMs };
  }

  /** A read, tried once more per extra endpoint when one is unreachable (reads are idempotent). */
  async #range(req: IRangeRequest): Promise<IRangeResponse> {
    this.#check();
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.client.kv.range(req, this.#deadline());
        this.observe(res.header.revision);
        return res;
      } catch (e) {
        if (isTooLarge(e)) throw e;
        const err = storeErrorOf(e);
        if (!(err instanceof StoreError && err.code === 'Unavailable') || attempt >= this.#endpoints || this.#closed) throw err;
      }
    }
  }

  /** A write: never retried, since a lost answer may hide a commit. */
  async #txn(req: ITxnRequest): Promise<ITxnResponse> {
    this.#check();
    try {
      const res = await this.client.kv.txn(req, this.#deadline());
      this.observe(res.header.revision);
      return res;
    } catch (e) {
      throw storeErrorOf(e);
    }
  }

  // --- Store ----------------------------------------------------------------------------

  async get(key: string): Promise<KeyValue | null> {
    const res = await this.#range({ key: this.#key(key) });
    return res.kvs[0] ? this.kv(res.kvs[0]) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const want = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    if (opts.revision && opts.revision < this.compactedRevision()) throw compacted(opts.revision, this.compactedRevision());
    // Later pages are read at the first page's revision, so the list is one snapshot.
    let at = opts.revision ? this.#etcdRev(opts.revision) : 0;
    let key = opts.startKey !== undefined ? this.#key(opts.startKey) : this.#key(prefix);
    const end = this.#end(prefix);
    const items: KeyValue[] = [];
    let pageKeys = FIRST_PAGE_KEYS;
    let bytes = 0;
    for (;;) {
      const limit = Math.min(pageKeys, want - items.length);
      let res: IRangeResponse;
      try {
        res = await this.#range({ key, range_end: end, revision: at, limit });
      } catch (e) {
        // Values larger than the average so far: retry with a smaller page.
        if (isTooLarge(e) && pageKeys > 1) {
          pageKeys = Math.max(1, pageKeys >> 2);
          continue;
        }
        const err = storeErrorOf(e);
        if (err instanceof StoreError && err.code === 'Compacted' && at) this.compactedTo(at + 1);
        throw err instanceof StoreError && err.code === 'Compacted' && opts.revision ? compacted(opts.revision, this.compactedRevision()) : err;
      }
      if (!at) at = Number(res.header.revision);
      for (const kv of res.kvs) {
        items.push(this.kv(kv));
        bytes += kv.key.length + kv.value.length;
      }
      if (items.length) pageKeys = Math.max(1, Math.min(MAX_PAGE_KEYS, Math.floor(PAGE_BYTES / (bytes / items.length))));
      if (!res.more) return { items, revision: this.rev(at), more: false };
      if (items.length >= want) return { items, revision: this.rev(at), more: true };
      key = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }

  async count(prefix: string): Promise<number> {
    const res = await this.#range({ key: this.#key(prefix), range_end: this.#end(prefix), count_only: true });
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<WriteResult> {
    const k = this.#key(key);
    const res = await this.#txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
    });
    if (!res.succeeded) throw keyExists(key);
    return { revision: this.rev(res.header.revision) };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    const k = this.#key(key);
    const res = await this.#txn({
      compare: [this.#precondition(k, expectedModRevision)],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.#failure(key, expectedModRevision, res);
    return { revision: this.rev(res.header.revision) };
  }

  async delete(key: string, expectedModRevision: number): Promise<DeleteResult> {
    const k = this.#key(key);
    const res = await this.#txn({
      compare: [this.#precondition(k, expectedModRevision)],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.#failure(key, expectedModRevision, res);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw keyNotFound(key); // cannot happen: the compare saw the key
    return { revision: this.rev(res.header.revision), prev: this.kv(prev) };
  }

  /** 0: the key exists (created at some revision); otherwise its mod_revision matches. */
  #precondition(k: Buffer, expected: number) {
    return expected > 0
      ? { key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: this.#etcdRev(expected) }
      : { key: k, target: 'Create' as const, result: 'Greater' as const, create_revision: 0 };
  }

  #failure(key: string, expected: number, res: ITxnResponse): StoreError {
    const cur = res.responses[0]?.response_range?.kvs[0];
    return cur ? conflict(key, expected, this.rev(cur.mod_revision)) : keyNotFound(key);
  }

  watch(prefix: string, opts: WatchOptions): Watch {
    this.#check();
    const after = opts.afterRevision;
    const compactedRev = this.compactedRevision();
    if (after < compactedRev) throw compacted(after, compactedRev);
    // Judged against the newest revision this store has seen: callers watch from revisions it gave them.
    const known = this.rev(this.#known);
    if (after > known) throw futureRevision(after, known);
    const w: EtcdWatch = new EtcdWatch(
      this,
      { key: this.#key(prefix), end: this.#end(prefix), startRevision: this.#etcdRev(after) + 1 },
      {
        ...opts,
        onError: (err) => {
          this.#watches.delete(w);
          opts.onError?.(err);
        },
      },
    );
    this.#watches.add(w);
    w.start();
    return {
      cancel: () => {
        this.#watches.delete(w);
        w.cancel();
      },
    };
  }

  /**
   * A count-only read of one key: etcd answers with its current revision in the header. Every
   * consistent read of the API server asks this, so concurrent callers share requests: one that
   * arrives while a request is in flight waits for the next one, which starts after it arrived
   * and so still sees every write acknowledged before the call (linearizable).
   */
  currentRevision(): Promise<number> {
    if (!this.#revInFlight) {
      this.#revInFlight = this.#range({ key: this.#key(''), count_only: true })
        .then((res) => this.rev(res.header.revision))
        .finally(() => (this.#revInFlight = null));
      return this.#revInFlight;
    }
    this.#revNext ??= this.#revInFlight
      .catch(() => undefined)
      .then(() => {
        this.#revNext = null;
        return this.currentRevision();
      });
    return this.#revNext;
  }

  async compact(revision: number): Promise<void> {
    this.#check();
    if (revision <= this.compactedRevision()) return;
    try {
      await this.client.kv.compact({ revision: this.#etcdRev(revision) }, this.#deadline());
    } catch (e) {
      const err = storeErrorOf(e);
      if (err instanceof StoreError && err.code === 'FutureRevision') throw futureRevision(revision, this.rev(this.#known));
      // Another API server compacted further already: nothing left to do.
      if (!(err instanceof StoreError && err.code === 'Compacted')) throw err;
    }
    this.compactedTo(this.#etcdRev(revision));
  }

  compactedRevision(): number {
    return this.rev(this.#compactedEtcd);
  }

  /**
   * etcd does not report its compaction revision, but a read at a revision below it fails:
   * binary search for the oldest readable revision (about log2(revision) count-only reads).
   */
  async #probeCompacted(): Promise<void> {
    const readable = async (r: number) => {
      try {
        await this.#range({ key: this.#key(''), revision: r, count_only: true });
        return true;
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Compacted') return false;
        throw e;
      }
    };
    let hi = this.#known;
    if (hi <= 1 || (await readable(1))) return;
    let lo = 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.compactedTo(hi);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of [...this.#watches]) w.abort(new StoreError('Unavailable', 'store is closed'));
    this.#watches.clear();
    this.client.close();
  }
}
