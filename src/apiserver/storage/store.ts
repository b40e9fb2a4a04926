/**
 * The revisioned key-value store every API server backend implements.
 *
 * Modelled on etcd: one global revision that every write bumps by exactly one; each key
 * remembers the revision that created it and the one that last modified it; history is kept
 * until compaction, so lists can be served at an older revision and watches can resume from
 * one. Values are opaque strings (the API server stores JSON without metadata.resourceVersion;
 * the resourceVersion of an object is its modRevision).
 *
 * Backends: memory (tests, simulated clusters), sqlite (the default), etcd (HA).
 * All of them pass the one conformance suite in ./conformance.ts.
 */

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export type WatchEventType = 'put' | 'delete';

export interface StoreEvent {
  type: WatchEventType;
  /** The key after the write; for 'delete', the last value before deletion, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The previous value, when there was one (a put that created the key has none). */
  prev?: KeyValue;
}

export interface ListOptions {
  /**
   * Serve the list as of this revision; 0 or undefined means the current revision. Fails with
   * StoreError('Compacted') below compactedRevision() and StoreError('FutureRevision') above the
   * current revision.
   */
  revision?: number;
  /** Return at most this many items (0 or undefined: all). */
  limit?: number;
  /** Start at this key (inclusive); must be inside the prefix. Used for continue tokens. */
  startKey?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was served at. */
  revision: number;
  /** True when more keys exist after the last item under the prefix at that revision. */
  more: boolean;
}

export interface WriteResult {
  revision: number;
}

export interface DeleteResult {
  revision: number;
  /** The value that was deleted. */
  prev: KeyValue;
}

/** A watch delivers events in revision order; call cancel to stop it. */
export interface Watch {
  cancel(): void;
}

export interface WatchOptions {
  /**
   * Deliver events with revision > afterRevision: history first, then live events. watch() throws
   * StoreError('Compacted') if afterRevision < compactedRevision() and StoreError('FutureRevision')
   * if it is above the current revision.
   */
  afterRevision: number;
  /**
   * Called with events in revision order, never re-entrantly from inside a store call; one call
   * may carry several events (e.g. one committed batch). Events are shared between watchers:
   * do not mutate them.
   */
  onEvents: (events: StoreEvent[]) => void;
  /** Called once if the watch fails (e.g. the backend lost its connection); no events follow. */
  onError?: (err: Error) => void;
}

export interface Store {
  /** The latest value of key, or null. */
  get(key: string): Promise<KeyValue | null>;
  /** Keys that start with prefix, in byte order of key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Counts keys under prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /** Fails with StoreError('KeyExists') if key exists. */
  create(key: string, value: string): Promise<WriteResult>;
  /**
   * Replaces key's value if its modRevision equals expectedModRevision (0 = no precondition).
   * StoreError('NotFound') if absent; StoreError('Conflict') on a mismatch.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<WriteResult>;
  /**
   * Deletes key if its modRevision equals expectedModRevision (0 = no precondition); NotFound and
   * Conflict as for update. Watchers get a 'delete' event whose kv is the deleted value with
   * modRevision set to the delete's revision.
   */
  delete(key: string, expectedModRevision: number): Promise<DeleteResult>;
  /** Watch keys under prefix. */
  watch(prefix: string, opts: WatchOptions): Watch;
  /** The revision of the last write (0 for a store never written). Compaction does not change it. */
  currentRevision(): Promise<number>;
  /**
   * Forget history before revision: lists at a revision < it and watches after a revision < it
   * then fail with StoreError('Compacted'). The latest version of every key is always kept.
   * A revision above the current one fails with FutureRevision; one at or below
   * compactedRevision() is a no-op.
   */
  compact(revision: number): Promise<void>;
  /** The revision of the last compaction (0 if none): history after it is served. */
  compactedRevision(): number;
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'FutureRevision' | 'Unavailable',
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const keyExists = (key: string) => new StoreError('KeyExists', `key exists: ${key}`, key);
export const keyNotFound = (key: string) => new StoreError('NotFound', `key not found: ${key}`, key);
export const conflict = (key: string, expected: number, actual: number) =>
  new StoreError('Conflict', `revision mismatch on ${key}: expected ${expected}, have ${actual}`, key);
export const compacted = (revision: number, compactedRev: number) =>
  new StoreError('Compacted', `revision ${revision} has been compacted (oldest kept is ${compactedRev + 1})`);
export const futureRevision = (revision: number, current: number) =>
  new StoreError('FutureRevision', `revision ${revision} is newer than the current revision ${current}`);

/** The smallest string greater than every string that starts with prefix (for range scans). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
