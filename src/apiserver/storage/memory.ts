import type {
  DeleteResult,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  StoreEvent,
  Watch,
  WatchOptions,
  WriteResult,
} from './store.js';
import { StoreError, compacted, conflict, futureRevision, keyExists, keyNotFound } from './store.js';
import { maxKey } from './keys.js';
import { SortedKeys } from './sorted-keys.js';
import { WatchHub } from './watch-hub.js';

/** One write to a key: its value from rev on, or null when rev deleted it. */
interface Version {
  rev: number;
  kv: KeyValue | null;
}

/**
 * In-memory MVCC store for tests and simulated clusters.
 *
 * Per-key version arrays answer gets and lists at any retained revision; an event log indexed by
 * revision (revisions are contiguous, so log[rev - compacted - 1] is rev's event) answers watch
 * replay. Writes apply synchronously in call order, so the revision order is the call order.
 * Stored KeyValues and events are frozen and shared with callers: copying every list item would
 * cost more than it protects, and freezing turns an accidental mutation into a loud TypeError.
 */
export class MemoryStore implements Store {
  private rev = 0;
  private compacted = 0;
  private closed = false;
  private readonly versions = new Map<string, Version[]>();
  /** Keys with any retained version, for lists at older revisions. */
  private readonly allKeys = new SortedKeys();
  /** Keys that exist now, so current lists and counts skip deleted keys' history. */
  private readonly liveKeys = new SortedKeys();
  /** Events for revisions compacted+1 .. rev, in order. */
  private log: StoreEvent[] = [];
  private readonly hub = new WatchHub({
    currentRevision: () => this.rev,
    compactedRevision: () => this.compacted,
    readEvents: (after, prefix, limit) => this.readEvents(after, prefix, limit),
  });

  async get(key: string): Promise<KeyValue | null> {
    this.assertOpen();
    return this.latest(key);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const at = this.checkReadRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const start = opts.startKey ? maxKey(prefix, opts.startKey) : prefix;
    const items: KeyValue[] = [];
    let more = false;
    const current = at === this.rev;
    (current ? this.liveKeys : this.allKeys).scan(start, (key) => {
      if (!key.startsWith(prefix)) return false;
      const kv = current ? this.latest(key) : this.valueAt(key, at);
      if (!kv) return true;
      if (items.length === limit) {
        more = true;
        return false;
      }
      items.push(kv);
      return true;
    });
    return { items, revision: at, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    let n = 0;
    this.liveKeys.scan(prefix, (key) => key.startsWith(prefix) && ++n > 0);
    return n;
  }

  async create(key: string, value: string): Promise<WriteResult> {
    this.assertOpen();
    if (this.latest(key)) throw keyExists(key);
    const rev = this.rev + 1;
    const kv = Object.freeze({ key, value, createRevision: rev, modRevision: rev });
    this.append(key, { rev, kv }, Object.freeze({ type: 'put', kv }));
    return { revision: rev };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    this.assertOpen();
    const prev = this.checkPrecondition(key, expectedModRevision);
    const rev = this.rev + 1;
    const kv = Object.freeze({ key, value, createRevision: prev.createRevision, modRevision: rev });
    this.append(key, { rev, kv }, Object.freeze({ type: 'put', kv, prev }));
    return { revision: rev };
  }

  async delete(key: string, expectedModRevision: number): Promise<DeleteResult> {
    this.assertOpen();
    const prev = this.checkPrecondition(key, expectedModRevision);
    const rev = this.rev + 1;
    const kv = Object.freeze({ ...prev, modRevision: rev });
    this.append(key, { rev, kv: null }, Object.freeze({ type: 'delete', kv, prev }));
    return { revision: rev, prev };
  }

  watch(prefix: string, opts: WatchOptions): Watch {
    return this.hub.watch(prefix, opts);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.rev) throw futureRevision(revision, this.rev);
    if (revision <= this.compacted) return; // already done; compaction never moves backwards
    // Only keys written in (compacted, revision] can hold versions that are now superseded.
    const dropped = this.log.slice(0, revision - this.compacted);
    this.log = this.log.slice(revision - this.compacted);
    this.compacted = revision;
    for (const key of new Set(dropped.map((e) => e.kv.key))) this.compactKey(key, revision);
  }

  compactedRevision(): number {
    return this.compacted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
  }

  private append(key: string, version: Version, event: StoreEvent): void {
    let vs = this.versions.get(key);
    if (!vs) {
      vs = [];
      this.versions.set(key, vs);
      this.allKeys.add(key);
    }
    vs.push(version);
    if (version.kv) this.liveKeys.add(key);
    else this.liveKeys.delete(key);
    this.rev = version.rev;
    this.log.push(event);
    this.hub.publish([event]);
  }

  /** Keeps the latest version at or before revision (dropped if it is a deletion) and all later ones. */
  private compactKey(key: string, revision: number): void {
    const vs = this.versions.get(key);
    if (!vs) return;
    const i = lastAtOrBefore(vs, revision);
    if (i < 0) return;
    vs.splice(0, vs[i]!.kv ? i : i + 1);
    if (vs.length === 0) {
      this.versions.delete(key);
      this.allKeys.delete(key);
    }
  }

  private checkPrecondition(key: string, expectedModRevision: number): KeyValue {
    const cur = this.latest(key);
    if (!cur) throw keyNotFound(key);
    if (expectedModRevision !== 0 && cur.modRevision !== expectedModRevision) {
      throw conflict(key, expectedModRevision, cur.modRevision);
    }
    return cur;
  }

  private checkReadRevision(revision: number | undefined): number {
    if (!revision) return this.rev;
    if (revision > this.rev) throw futureRevision(revision, this.rev);
    if (revision < this.compacted) throw compacted(revision, this.compacted);
    return revision;
  }

  private latest(key: string): KeyValue | null {
    const vs = this.versions.get(key);
    return vs ? vs[vs.length - 1]!.kv : null;
  }

  private valueAt(key: string, revision: number): KeyValue | null {
    const vs = this.versions.get(key)!;
    const i = lastAtOrBefore(vs, revision);
    return i < 0 ? null : vs[i]!.kv;
  }

  private readEvents(after: number, prefix: string, limit: number): StoreEvent[] {
    const out: StoreEvent[] = [];
    for (let i = Math.max(0, after - this.compacted); i < this.log.length && out.length < limit; i++) {
      const e = this.log[i]!;
      if (e.kv.key.startsWith(prefix)) out.push(e);
    }
    return out;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('Unavailable', 'store is closed');
  }
}

/** Index of the last version with rev <= revision, or -1. */
function lastAtOrBefore(vs: readonly Version[], revision: number): number {
  let lo = 0;
  let hi = vs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (vs[mid]!.rev <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
