/**
 * One Store watch on etcd: its own gRPC Watch stream (so a broken stream fails exactly this
 * watch, and cancel is a local stream cancel), started at afterRevision + 1 with prev_kv, so
 * deletes carry the last value and puts their previous one. Large replays arrive as fragments
 * (each bounded by etcd's request size limit) and are delivered once whole.
 *
 * etcd3's Watcher is not used: it reconnects silently, which would hide an outage from the
 * watch cache that must then fail reads with 503 and resume from its own revision.
 */
import type { Etcd3, IDuplexStream, IEvent, IKeyValue, IWatchRequest, IWatchResponse } from 'etcd3';
import type { KeyValue, StoreEvent, Watch, WatchOptions } from './store.js';
import { StoreError, compacted } from './store.js';
import { storeErrorOf } from './etcd-client.js';

/** What a watch needs from its store. */
export interface WatchHost {
  readonly client: Etcd3;
  /** etcd key/value → Store key/value (prefix stripped, revisions mapped). */
  kv(kv: IKeyValue): KeyValue;
  /** An etcd revision → a Store revision. */
  rev(etcdRevision: string | number): number;
  /** A response header was seen (keeps the store's idea of the current revision fresh). */
  observe(etcdRevision: string): void;
  /** etcd said history up to this etcd revision is gone. */
  compactedTo(etcdRevision: number): void;
  /** How long establishing the stream may take. */
  readonly timeoutMs: number;
}

export class EtcdWatch implements Watch {
  #stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  #done = false;
  #created = false;
  #timer: NodeJS.Timeout | undefined;
  /** Events of a fragmented response, delivered when its last fragment arrives. */
  #fragments: IEvent[] = [];

  constructor(
    private readonly host: WatchHost,
    private readonly range: { key: Buffer; end: Buffer; startRevision: number },
    private readonly opts: WatchOptions,
  ) {}

  start(): this {
    this.#timer = setTimeout(() => {
      if (!this.#created) this.#fail(new StoreError('Unavailable', `etcd: watch not established within ${this.host.timeoutMs} ms`));
    }, this.host.timeoutMs);
    this.host.client.watchClient.watch().then(
      (stream) => {
        if (this.#done) return close(stream);
        this.#stream = stream;
        stream.on('data', (res) => this.#onResponse(res));
        stream.on('error', (e) => this.#fail(storeErrorOf(e)));
        stream.on('end', () => this.#fail(new StoreError('Unavailable', 'etcd: the watch stream ended')));
        stream.write({
          create_request: { key: this.range.key, range_end: this.range.end, start_revision: this.range.startRevision, prev_kv: true, fragment: true },
        });
      },
      (e) => this.#fail(storeErrorOf(e)),
    );
    return this;
  }

  cancel(): void {
    if (this.#done) return;
    this.#done = true;
    this.#stop();
  }

  /** Ends the watch with err (the store is closing). */
  abort(err: Error): void {
    this.#fail(err);
  }

  #onResponse(res: IWatchResponse): void {
    if (this.#done) return;
    this.host.observe(res.header.revision);
    if (res.created) {
      this.#created = true;
      clearTimeout(this.#timer);
    }
    const compactRev = Number(res.compact_revision);
    if (compactRev > 0) {
      this.host.compactedTo(compactRev);
      return this.#fail(compacted(this.opts.afterRevision, this.host.rev(compactRev)));
    }
    if (res.canceled) return this.#fail(new StoreError('Unavailable', `etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
    if (!res.events.length) return;
    this.#fragments.push(...res.events);
    if (res.fragment) return;
    const raw = this.#fragments;
    this.#fragments = [];
    const events: StoreEvent[] = [];
    for (const ev of raw) {
      const prev = ev.prev_kv ? this.host.kv(ev.prev_kv) : undefined;
      if (ev.type === 'Delete') {
        // etcd's delete event has only the key; the Store's carries the last value. Without a
        // prev (its revision compacted under us) that cannot be built: resume from a relist.
        if (!prev) return this.#fail(compacted(this.opts.afterRevision, this.host.rev(ev.kv.mod_revision) - 1));
        events.push({ type: 'delete', kv: { ...prev, modRevision: this.host.rev(ev.kv.mod_revision) }, prev });
      } else {
        const kv = this.host.kv(ev.kv);
        events.push(prev ? { type: 'put', kv, prev } : { type: 'put', kv });
      }
    }
    this.opts.onEvents(events);
  }

  #fail(err: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#stop();
    this.opts.onError?.(err);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    if (this.#stream) close(this.#stream);
    this.#stream = undefined;
  }
}

function close(stream: IDuplexStream<IWatchRequest, IWatchResponse>): void {
  // Half-close first: etcd3 marks the endpoint failed when a still-writable stream errors,
  // and a cancel we asked for is no endpoint failure.
  stream.on('error', () => {}); // the cancel's own CANCELLED error
  try {
    stream.end();
    stream.cancel();
  } catch {
    // already closed
  }
}
