/**
 * Prometheus metrics of one API server (each server owns its registry, because simulated
 * member clusters run many servers in one process). Names follow kube-apiserver's.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from './storage/store.js';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'API requests by verb, resource and HTTP code.',
    labelNames: ['verb', 'group', 'resource', 'subresource', 'code'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'API request latency (watches excluded) by verb and resource.',
    labelNames: ['verb', 'group', 'resource'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly watchers = new Gauge({
    name: 'apiserver_registered_watchers',
    help: 'Open watches by resource.',
    labelNames: ['group', 'resource'],
    registers: [this.registry],
  });
  readonly watchEvents = new Counter({
    name: 'apiserver_watch_events_total',
    help: 'Watch events sent, by resource.',
    labelNames: ['group', 'resource'],
    registers: [this.registry],
  });
  readonly storage = new Histogram({
    name: 'flotilla_storage_operation_duration_seconds',
    help: 'Storage operation latency by operation.',
    labelNames: ['operation'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  /** Wrap a store so every operation's latency is observed. */
  instrument(store: Store): Store {
    const h = this.storage;
    const timed =
      <A extends unknown[], R>(op: string, fn: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        const end = h.startTimer({ operation: op });
        try {
          return await fn(...a);
        } finally {
          end();
        }
      };
    return {
      get: timed('get', store.get.bind(store)),
      list: timed('list', store.list.bind(store)),
      count: timed('count', store.count.bind(store)),
      create: timed('create', store.create.bind(store)),
      update: timed('update', store.update.bind(store)),
      delete: timed('delete', store.delete.bind(store)),
      compact: timed('compact', store.compact.bind(store)),
      currentRevision: store.currentRevision.bind(store),
      compactedRevision: store.compactedRevision.bind(store),
      watch: store.watch.bind(store),
      close: store.close.bind(store),
    };
  }
}
