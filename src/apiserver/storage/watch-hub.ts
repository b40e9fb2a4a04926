import type { StoreEvent, Watch, WatchOptions } from './store.js';
import { StoreError, compacted, futureRevision } from './store.js';

/** What a backend offers the hub: its revisions and a synchronous read of committed history. */
export interface HistorySource {
  currentRevision(): number;
  compactedRevision(): number;
  /**
   * Events with revision > afterRevision whose key starts with prefix, in revision order, at most
   * limit of them. Returning fewer than limit means history up to currentRevision() is exhausted.
   */
  readEvents(afterRevision: number, prefix: string, limit: number): StoreEvent[];
}

/**
 * Fans committed events out to watchers, shared by the in-process backends.
 *
 * A watcher is either catching up (reading history from the backend in chunks, one chunk per
 * macrotask so a watch from far back cannot stall the event loop or buffer unboundedly) or live
 * (fed by publish() right after each commit). Backends commit and publish in the same
 * synchronous task, so a catch-up step that reaches currentRevision() and turns live cannot miss
 * or repeat an event. Delivery goes through a per-watcher queue drained in a microtask: callbacks
 * never run inside the backend's commit path, and order is kept.
 */
export class WatchHub {
  private readonly live = new Set<Watcher>();
  private readonly all = new Set<Watcher>();
  private closed = false;

  constructor(
    private readonly source: HistorySource,
    private readonly replayChunk = 1000,
  ) {}

  watch(prefix: string, opts: WatchOptions): Watch {
    if (this.closed) throw new StoreError('Unavailable', 'store is closed');
    if (!Number.isSafeInteger(opts.afterRevision) || opts.afterRevision < 0) {
      throw new TypeError(`watch: afterRevision must be a non-negative integer, got ${opts.afterRevision}`);
    }
    const current = this.source.currentRevision();
    if (opts.afterRevision > current) throw futureRevision(opts.afterRevision, current);
    const compactedRev = this.source.compactedRevision();
    if (opts.afterRevision < compactedRev) throw compacted(opts.afterRevision, compactedRev);
    const w = new Watcher(prefix, opts, opts.afterRevision, (x) => this.forget(x));
    this.all.add(w);
    if (opts.afterRevision === current) this.live.add(w);
    else setImmediate(() => this.catchUp(w));
    return { cancel: () => w.cancel() };
  }

  /** Called by the backend right after a commit, with that commit's events in revision order. */
  publish(events: readonly StoreEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1]!.kv.modRevision;
    for (const w of this.live) {
      const mine = w.prefix === '' ? events : events.filter((e) => e.kv.key.startsWith(w.prefix));
      if (mine.length > 0) w.enqueue(mine);
      w.after = last;
    }
  }

  /** Ends every watch with err (after delivering what was already queued). */
  close(err: Error = new StoreError('Unavailable', 'store is closed')): void {
    this.closed = true;
    for (const w of [...this.all]) w.fail(err);
  }

  private catchUp(w: Watcher): void {
    if (w.done) return;
    const compactedRev = this.source.compactedRevision();
    if (w.after < compactedRev) return w.fail(compacted(w.after, compactedRev));
    let events: StoreEvent[];
    try {
      events = this.source.readEvents(w.after, w.prefix, this.replayChunk);
    } catch (err) {
      return w.fail(err instanceof Error ? err : new Error(String(err)));
    }
    if (events.length > 0) {
      w.enqueue(events);
      w.after = events[events.length - 1]!.kv.modRevision;
    }
    if (events.length < this.replayChunk) {
      w.after = this.source.currentRevision();
      this.live.add(w);
    } else {
      setImmediate(() => this.catchUp(w));
    }
  }

  private forget(w: Watcher): void {
    this.live.delete(w);
    this.all.delete(w);
  }
}

class Watcher {
  done = false;
  private failure: Error | undefined;
  private queue: (readonly StoreEvent[])[] = [];
  private scheduled = false;

  constructor(
    readonly prefix: string,
    private readonly opts: WatchOptions,
    /** The revision up to which this watcher has been fed (delivered or queued). */
    public after: number,
    private readonly forget: (w: Watcher) => void,
  ) {}

  enqueue(events: readonly StoreEvent[]): void {
    if (this.done) return;
    this.queue.push(events);
    this.schedule();
  }

  cancel(): void {
    this.done = true;
    this.queue = [];
    this.failure = undefined;
    this.forget(this);
  }

  /** Stops the watch: queued events are still delivered, then onError once. */
  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.failure = err;
    this.forget(this);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.shift()!;
      try {
        this.opts.onEvents(batch as StoreEvent[]);
      } catch (err) {
        // A consumer that throws has lost events it cannot get back: end its watch loudly.
        this.queue = [];
        this.done = true;
        this.forget(this);
        this.failure = err instanceof Error ? err : new Error(String(err));
      }
    }
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      this.opts.onError?.(err);
    }
  }
}
