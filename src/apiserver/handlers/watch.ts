/**
 * Watch: a chunked stream of newline-delimited JSON events served from the watch cache.
 * Starts from "" / "0" (synthetic ADDED events first), from an exact resourceVersion (replay
 * from the cache window, 410 Expired if older), or as a streaming list (sendInitialEvents,
 * ending with the initial-events-end bookmark). Bookmarks are periodic when asked for.
 * A selector change between versions turns into ADDED/DELETED for that watcher, as in Kubernetes.
 */
import type { ResourceRequest } from './resource.js';
import { parseListOptions } from './resource.js';
import type { RestRegistry } from '../registry/rest.js';
import { tooLargeRV } from '../registry/rest.js';
import { errors, StatusError } from '../errors.js';
import { apiVersionOf } from '../resources/types.js';
import { ResourceRegistry } from '../resources/registry.js';
import type { CacheEvent, CacheWatcher, EventType } from '../watchcache/cache.js';
import { servedJSON, type CachedObject } from '../watchcache/object.js';
import { tableFor, wantsTable } from './table.js';
import type { ApiMetrics } from '../metrics.js';

/** A watcher's gathered lines are written when they reach this size, or at the end of the turn. */
const FLUSH_BYTES = 1 << 20;

/** The event line plain watchers share, per event (and served version, for custom resources). */
const sharedLines = new WeakMap<CacheEvent, { apiVersion: string; text: string }>();

export interface WatchConfig {
  bookmarkIntervalMs: number;
  /** Default stream lifetime when the client sends no timeoutSeconds (randomised up to 2x, as kube does). */
  minRequestTimeoutMs: number;
  /** A watcher whose socket buffer grows past this is too slow and is closed. */
  maxBufferedBytes: number;
}

export async function handleWatch(registry: RestRegistry, r: ResourceRequest, cfg: WatchConfig, metrics: ApiMetrics): Promise<number> {
  const { rt, res, req, query } = r;
  const opts = parseListOptions(rt, query);
  const rv = opts.resourceVersion ?? '';
  const sendInitial = query.get('sendInitialEvents');
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const table = wantsTable(req.headers.accept);
  if (sendInitial !== null) {
    if (opts.resourceVersionMatch !== 'NotOlderThan')
      throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
        { reason: 'FieldValueInvalid', field: 'resourceVersionMatch', message: "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan" },
      ]);
    if (sendInitial === 'true' && !bookmarks)
      throw errors.invalid('meta.k8s.io', 'ListOptions', '', [
        { reason: 'FieldValueInvalid', field: 'allowWatchBookmarks', message: 'Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true' },
      ]);
  } else if (opts.resourceVersionMatch) throw errors.badRequest('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');

  const timeoutParam = query.get('timeoutSeconds');
  let timeoutMs = cfg.minRequestTimeoutMs * (1 + Math.random());
  if (timeoutParam !== null) {
    if (!/^\d+$/.test(timeoutParam)) throw errors.badRequest(`invalid timeoutSeconds: ${timeoutParam}`);
    timeoutMs = Number(timeoutParam) * 1000;
  }

  // Where the stream starts.
  let afterRev = 0;
  let snapshot = rv === '' || rv === '0' || sendInitial === 'true';
  if (rv !== '' && rv !== '0') {
    if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
    afterRev = Number(rv);
    const current = await registry.store.currentRevision();
    if (afterRev > current) throw tooLargeRV(afterRev, current);
    await registry.caches.waitFor(afterRev).catch(() => {
      throw errors.timeout(`Too large resource version: ${afterRev}`);
    });
  } else if (rv === '' ) await registry.caches.fresh();
  if (sendInitial === 'false') snapshot = false;

  const cache = registry.cacheOf(rt);
  const nsPrefix = rt.namespaced && r.namespace ? `${ResourceRegistry.storagePrefix(rt)}${r.namespace}/` : '';
  const nameFilter = r.name;
  const matches = (o: CachedObject) =>
    (!nsPrefix || o.key.startsWith(nsPrefix)) &&
    (!nameFilter || o.name === nameFilter) &&
    (!opts.labelSelector || opts.labelSelector.matches(o.labels)) &&
    (!opts.fieldSelector || opts.fieldSelector.matches(o.fields(rt.fields)));

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const kind = rt.kind;
  const apiVersion = apiVersionOf(rt);
  const labels = { group: rt.group, resource: rt.resource };
  let closed = false;
  let lastRev = afterRev;

  // Lines are gathered and written once per turn of the event loop (or per MiB): a burst of
  // events, a replay or a snapshot becomes a few large chunks instead of one write, one chunk
  // header and one TLS record per event.
  let pending = '';
  let pendingLines = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (closed || !pending) return;
    res.write(pending);
    metrics.watchEvents.inc(labels, pendingLines);
    pending = '';
    pendingLines = 0;
    if (res.writableLength > cfg.maxBufferedBytes) finish('slow consumer');
  };
  const write = (line: string): void => {
    if (closed) return;
    pending += line;
    pendingLines++;
    if (pending.length >= FLUSH_BYTES) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const eventLine = (type: EventType, obj: CachedObject, rev: number): string => {
    if (table) return JSON.stringify({ type, object: tableFor(rt, [withRV(obj, rev)], { includeObject: 'PartialObjectMetadata' }) }) + '\n';
    const json = servedJSON(rt, rev === obj.rev ? obj.json : JSON.stringify(withRV(obj, rev)));
    return `{"type":"${type}","object":${json}}\n`;
  };
  const bookmark = (annotations?: Record<string, string>): string =>
    JSON.stringify({ type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion: String(Math.max(lastRev, registry.caches.revision)), ...(annotations ? { annotations } : {}) } } }) + '\n';

  const watcher: CacheWatcher = {
    onEvent(ev) {
      const now = matches(ev.obj);
      const before = ev.prev ? matches(ev.prev) : false;
      let type: EventType | null = null;
      let obj = ev.obj;
      if (ev.type === 'DELETED') type = before ? 'DELETED' : null;
      else if (now && before) type = 'MODIFIED';
      else if (now) type = 'ADDED';
      else if (before) {
        type = 'DELETED';
        obj = ev.prev!;
      }
      lastRev = ev.rev;
      if (!type) return;
      if (type === ev.type && !table && obj === ev.obj) {
        // Every plain watcher of this version of the resource sends the same line: build it once.
        let line = sharedLines.get(ev);
        if (line?.apiVersion !== apiVersion) sharedLines.set(ev, (line = { apiVersion, text: eventLine(type, obj, ev.rev) }));
        write(line.text);
      } else write(eventLine(type, obj, ev.rev));
    },
    onClose(reason) {
      finish(reason);
    },
  };

  // Snapshot/replay and registration happen in one synchronous block: no event can slip between.
  if (!snapshot && afterRev < cache.startRev) {
    const status = new StatusError('Expired', `too old resource version: ${afterRev} (${cache.startRev})`).toStatus();
    res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    return 200;
  }
  if (snapshot) {
    lastRev = registry.caches.revision;
    for (const key of cache.sortedKeys()) {
      const o = cache.objects.get(key)!;
      if (matches(o)) write(eventLine('ADDED', o, o.rev));
    }
    if (sendInitial === 'true') write(bookmark({ 'k8s.io/initial-events-end': 'true' }));
  } else {
    for (const ev of cache.eventsAfter(afterRev)) watcher.onEvent(ev);
  }
  cache.watchers.add(watcher);
  metrics.watchers.inc(labels);

  const timers: NodeJS.Timeout[] = [];
  if (bookmarks && cfg.bookmarkIntervalMs > 0) timers.push(setInterval(() => write(bookmark()), cfg.bookmarkIntervalMs));
  timers.push(setTimeout(() => {
    if (bookmarks) write(bookmark());
    finish('timeout');
  }, timeoutMs));

  function finish(_why: string): void {
    if (closed) return;
    if (pending && !res.destroyed) {
      res.write(pending);
      metrics.watchEvents.inc(labels, pendingLines);
      pending = '';
    }
    closed = true;
    for (const t of timers) clearTimeout(t);
    cache.watchers.delete(watcher);
    metrics.watchers.dec(labels);
    res.end();
  }
  req.on('close', () => finish('client closed'));
  res.on('error', () => finish('socket error'));
  return 200;
}

function withRV(obj: CachedObject, rev: number): any {
  const o = obj.object();
  o.metadata.resourceVersion = String(rev);
  return o;
}
