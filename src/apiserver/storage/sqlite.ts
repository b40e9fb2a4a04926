import Database from 'better-sqlite3';
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
import { maxKey, rangeEnd } from './keys.js';
import { SortedKeys } from './sorted-keys.js';
import { WatchHub } from './watch-hub.js';
import type { EventRow, ListRow, Statements } from './sqlite-schema.js';
import { initSchema, prepareStatements } from './sqlite-schema.js';

export interface SqliteStoreOptions {
  /**
   * NORMAL (default): an acknowledged write survives a crash of this process (it is in the WAL);
   * an OS crash or power loss may lose the last commits. FULL: fsync at every commit, so nothing
   * acknowledged is ever lost; group commit amortises the fsync over concurrent writes.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Most writes committed in one transaction (default 1000), so one flush cannot stall the event loop for long. */
  maxBatch?: number;
  /** How long to wait for a lock held by another connection (default 5000 ms). */
  busyTimeoutMs?: number;
  /** SQLite page cache size (default 8 MiB: reads are served by the watch cache, so a large page cache would mostly duplicate it). */
  cacheSizeMiB?: number;
}

/** Where a live key's current value is: the row at modRev. */
interface IndexEntry {
  createRev: number;
  modRev: number;
}

/** A key's state as a write in a batch sees it; value is known when an earlier write in the batch set it. */
type Current = IndexEntry & { value?: string };

interface PendingWrite {
  kind: 'create' | 'update' | 'delete';
  key: string;
  value: string;
  expected: number;
  resolve: (r: WriteResult & { prev?: KeyValue }) => void;
  reject: (e: Error) => void;
}

/** Revisions of history deleted per compaction transaction, so compaction interleaves with writes. */
const COMPACT_CHUNK = 5000;

/**
 * The default backend: a revision log in SQLite plus an in-memory index of live keys.
 *
 * Like etcd (whose treeIndex keeps every key in memory), the store keeps key → {createRev,
 * modRev} for every live key in memory, sorted. Measured against a kine-style log alone and a
 * log plus an on-disk current-state table (raw SQL, 100k keys × 3 versions, 1.5 KB values): the
 * index writes as fast as the bare log (~13k writes/s; the extra table cost ~40%) and lists at the
 * current revision as fast as the extra table (500-item page ≈ 2 ms vs ≈ 7 ms). Preconditions
 * are checked against it without a query. Lists at older revisions (continue tokens) and watch
 * replay read the log.
 *
 * Writes are group-committed: every write issued before the next macrotask joins one
 * transaction; each is checked on its own against the state the writes before it in the batch
 * left, so one failing write does not fail the others. The promises resolve only after COMMIT,
 * then watchers get the batch's events in revision order.
 *
 * The file is opened with locking_mode=EXCLUSIVE: the revision counter and key index live in this
 * process, so a second writer would fork history. A second opener fails after busyTimeoutMs.
 */
export class SqliteStore implements Store {
  private rev: number;
  private compacted: number;
  private compactDone: number;
  private readonly index = new Map<string, IndexEntry>();
  private readonly keys: SortedKeys;
  private readonly s: Statements;
  private readonly hub: WatchHub;
  private readonly maxBatch: number;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private closing = false;
  /** Committed write transactions and the writes in them, for metrics (writes / commits = batch size). */
  readonly stats = { commits: 0, writes: 0 };
  /** Tail of the chain of compactions, which run one after another. */
  private compaction: Promise<void> = Promise.resolve();

  static open(path: string, opts: SqliteStoreOptions = {}): SqliteStore {
    const sync = opts.synchronous ?? 'NORMAL';
    if (sync !== 'NORMAL' && sync !== 'FULL') throw new TypeError(`sqlite store: synchronous must be NORMAL or FULL, got ${String(sync)}`);
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
      // Before WAL is entered, so SQLite keeps the WAL index in heap memory instead of a -shm file.
      db.pragma('locking_mode = EXCLUSIVE');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`sqlite store: could not enable WAL (journal_mode is ${String(mode)})`);
      db.pragma(`synchronous = ${sync}`);
      db.pragma(`cache_size = ${-1024 * (opts.cacheSizeMiB ?? 8)}`);
      // The WAL is reused after each checkpoint; this truncates it when a burst made it large.
      db.pragma('journal_size_limit = 67108864');
      // Take the exclusive lock now, so a second opener fails here rather than at its first write.
      db.exec('BEGIN IMMEDIATE; COMMIT');
      return new SqliteStore(db, opts);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    opts: SqliteStoreOptions,
  ) {
    const meta = initSchema(db);
    this.s = prepareStatements(db);
    this.maxBatch = opts.maxBatch ?? 1000;
    this.compacted = meta.compacted;
    this.compactDone = meta.compact_done;
    this.rev = Math.max((this.s.maxRev.get() as number | null) ?? 0, this.compacted);
    const live: string[] = [];
    for (const row of this.s.latestPerKey.iterate() as IterableIterator<[string, number, number, number]>) {
      const [key, modRev, createRev, deleted] = row;
      if (deleted) continue;
      live.push(key);
      this.index.set(key, { createRev, modRev });
    }
    // SQLite's BINARY order on UTF-8 text is code-point order, the order SortedKeys keeps.
    this.keys = SortedKeys.fromSorted(live);
    this.hub = new WatchHub({
      currentRevision: () => this.rev,
      compactedRevision: () => this.compacted,
      readEvents: (after, prefix, limit) => this.readEvents(after, prefix, limit),
    });
    // A compaction interrupted by a crash or close resumes where it stopped.
    if (this.compactDone < this.compacted) this.deleteHistoryUpTo(this.compacted).catch(() => {});
  }

  async get(key: string): Promise<KeyValue | null> {
    this.assertOpen();
    const e = this.index.get(key);
    if (!e) return null;
    return { key, value: this.s.valueAt.get(e.modRev) as string, createRevision: e.createRev, modRevision: e.modRev };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const at = this.checkReadRevision(opts.revision);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const start = opts.startKey ? maxKey(prefix, opts.startKey) : prefix;
    return at === this.rev ? this.listCurrent(prefix, start, limit) : this.listAt(prefix, start, limit, at);
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    let n = 0;
    this.keys.scan(prefix, (key) => key.startsWith(prefix) && ++n > 0);
    return n;
  }

  create(key: string, value: string): Promise<WriteResult> {
    return this.enqueue('create', key, value, 0).then((r) => ({ revision: r.revision }));
  }

  update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    return this.enqueue('update', key, value, expectedModRevision).then((r) => ({ revision: r.revision }));
  }

  delete(key: string, expectedModRevision: number): Promise<DeleteResult> {
    return this.enqueue('delete', key, '', expectedModRevision).then((r) => ({ revision: r.revision, prev: r.prev! }));
  }

  watch(prefix: string, opts: WatchOptions): Watch {
    return this.hub.watch(prefix, opts);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  /**
   * Marks history before revision as gone (durably, at once), then deletes the superseded rows
   * in chunks of COMPACT_CHUNK revisions, one transaction each, yielding to the event loop in
   * between. Only rows written since the previous compaction are visited.
   */
  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.rev) throw futureRevision(revision, this.rev);
    if (revision <= this.compacted) return this.compaction; // never moves backwards
    this.s.setMeta.run(revision, 'compacted');
    this.compacted = revision;
    return this.deleteHistoryUpTo(revision);
  }

  compactedRevision(): number {
    return this.compacted;
  }

  /** Commits writes already issued, ends watches, waits for a running compaction chunk, closes the file. */
  async close(): Promise<void> {
    if (this.closing) return;
    while (this.pending.length > 0) this.flush();
    this.closing = true;
    this.hub.close();
    await this.compaction;
    this.db.close();
  }

  private enqueue(kind: PendingWrite['kind'], key: string, value: string, expected: number) {
    return new Promise<WriteResult & { prev?: KeyValue }>((resolve, reject) => {
      if (this.closing) return reject(new StoreError('Unavailable', 'store is closed'));
      this.pending.push({ kind, key, value, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // A macrotask rather than a microtask: writes issued from many promise chains in the
        // same turn (Promise.all over async functions) all land in the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits up to maxBatch pending writes in one transaction, then resolves them and notifies watchers. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (this.pending.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0 || !this.db.open) return;
    // The batch's view of the index: earlier writes in the batch are seen by later ones.
    const overlay = new Map<string, Current | null>();
    const outcomes: (StoreEvent | Error)[] = [];
    let rev = this.rev;
    try {
      this.db.transaction(() => {
        for (const w of batch) {
          const got = overlay.get(w.key);
          const cur: Current | null = got !== undefined ? got : (this.index.get(w.key) ?? null);
          const err = checkWrite(w, cur);
          if (err) {
            outcomes.push(err);
            continue;
          }
          const next = rev + 1;
          const prev: KeyValue | undefined = cur
            ? {
                key: w.key,
                value: cur.value ?? (this.s.valueAt.get(cur.modRev) as string),
                createRevision: cur.createRev,
                modRevision: cur.modRev,
              }
            : undefined;
          const createRev = cur ? cur.createRev : next;
          const deleted = w.kind === 'delete';
          try {
            this.s.insert.run(next, w.key, createRev, cur ? cur.modRev : null, deleted ? 1 : 0, deleted ? null : w.value);
          } catch (e) {
            // SQLite undoes just the failed statement unless it had to roll back the whole
            // transaction (I/O error, disk full): then nothing in the batch may be acknowledged.
            if (!this.db.inTransaction) throw e;
            outcomes.push(unavailable(e));
            continue;
          }
          rev = next;
          overlay.set(w.key, deleted ? null : { createRev, modRev: next, value: w.value });
          // Frozen because every watcher shares them (as MemoryStore's are).
          const kv: KeyValue = Object.freeze(
            deleted ? { ...prev!, modRevision: next } : { key: w.key, value: w.value, createRevision: createRev, modRevision: next },
          );
          const type = deleted ? 'delete' : 'put';
          outcomes.push(Object.freeze(prev ? { type, kv, prev: Object.freeze(prev) } : { type, kv }));
        }
      })();
    } catch (e) {
      const err = unavailable(e);
      for (const w of batch) w.reject(err);
      return;
    }
    this.rev = rev;
    this.stats.commits++;
    this.stats.writes += batch.length;
    for (const [key, entry] of overlay) {
      if (entry) {
        if (!this.index.has(key)) this.keys.add(key);
        this.index.set(key, { createRev: entry.createRev, modRev: entry.modRev });
      } else if (this.index.delete(key)) {
        this.keys.delete(key);
      }
    }
    const events: StoreEvent[] = [];
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o instanceof Error) return w.reject(o);
      events.push(o);
      w.resolve({ revision: o.kv.modRevision, prev: o.prev });
    });
    this.hub.publish(events);
  }

  private listCurrent(prefix: string, start: string, limit: number): ListResult {
    const keys: string[] = [];
    let more = false;
    this.keys.scan(start, (key) => {
      if (!key.startsWith(prefix)) return false;
      if (limit && keys.length === limit) {
        more = true;
        return false;
      }
      keys.push(key);
      return true;
    });
    const entries = keys.map((k) => this.index.get(k)!);
    const values = new Map(this.s.valuesAt.all(JSON.stringify(entries.map((e) => e.modRev))) as [number, string][]);
    const items = keys.map((key, i) => {
      const e = entries[i]!;
      return { key, value: values.get(e.modRev)!, createRevision: e.createRev, modRevision: e.modRev };
    });
    return { items, revision: this.rev, more };
  }

  private listAt(prefix: string, start: string, limit: number, at: number): ListResult {
    const end = rangeEnd(prefix);
    const n = limit ? limit + 1 : -1; // one extra row tells whether there is more
    const rows = (
      end === null ? this.s.listAtUnbounded.all(start, at, n) : this.s.listAtBounded.all(start, end, at, n)
    ) as ListRow[];
    const more = limit > 0 && rows.length > limit;
    if (more) rows.pop();
    const items = rows.map(([key, rev, createRev, , value]) => ({
      key,
      value: value!,
      createRevision: createRev,
      modRevision: rev,
    }));
    return { items, revision: at, more };
  }

  private readEvents(after: number, prefix: string, limit: number): StoreEvent[] {
    const end = rangeEnd(prefix);
    const rows = (
      end === null
        ? this.s.eventsUnbounded.all(after, prefix, limit)
        : this.s.eventsBounded.all(after, prefix, end, limit)
    ) as EventRow[];
    return rows.map(([rev, key, createRev, deleted, value, prevRev, prevCreateRev, prevValue]) => {
      const prev: KeyValue | undefined =
        prevRev === null ? undefined : { key, value: prevValue!, createRevision: prevCreateRev!, modRevision: prevRev };
      if (deleted) return { type: 'delete', kv: { ...prev!, modRevision: rev }, prev: prev! };
      const kv = { key, value: value!, createRevision: createRev, modRevision: rev };
      return prev ? { type: 'put', kv, prev } : { type: 'put', kv };
    });
  }

  /** Queues the deletion behind any running one; a close stops it between chunks (reopen resumes). */
  private deleteHistoryUpTo(target: number): Promise<void> {
    const run = this.compaction.then(() => this.deleteHistory(target));
    this.compaction = run.catch(() => {});
    return run;
  }

  private async deleteHistory(target: number): Promise<void> {
    while (this.compactDone < target && !this.closing) {
      const from = this.compactDone;
      const to = Math.min(target, from + COMPACT_CHUNK);
      this.db.transaction(() => {
        // Superseded rows first: the subquery needs the tombstones' prev_rev.
        this.s.compactSuperseded.run(from, to);
        this.s.compactTombstones.run(from, to);
        this.s.setMeta.run(to, 'compact_done');
      })();
      this.compactDone = to;
      if (to < target) await new Promise((r) => setImmediate(r));
    }
  }

  private checkReadRevision(revision: number | undefined): number {
    if (!revision) return this.rev;
    if (revision > this.rev) throw futureRevision(revision, this.rev);
    if (revision < this.compacted) throw compacted(revision, this.compacted);
    return revision;
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreError('Unavailable', 'store is closed');
  }
}

function checkWrite(w: PendingWrite, cur: IndexEntry | null): Error | null {
  if (w.kind === 'create') return cur ? keyExists(w.key) : null;
  if (!cur) return keyNotFound(w.key);
  if (w.expected !== 0 && cur.modRev !== w.expected) return conflict(w.key, w.expected, cur.modRev);
  return null;
}

function unavailable(e: unknown): StoreError {
  return new StoreError('Unavailable', `sqlite: ${e instanceof Error ? e.message : String(e)}`);
}
