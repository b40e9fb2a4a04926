/**
 * What every simulated component of one cluster is given: the cluster's spec, a client and
 * shared informers on the cluster's own API (never its storage), the clock, a logger and a
 * signal that stops it. Components run only while the cluster is "up".
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../client/client.js';
import type { InformerFactory } from '../client/factory.js';
import type { Clock } from '../util/clock.js';
import type { ClusterSpec, Timing } from './fleet.js';
import type { Stage } from './stages.js';

export interface SimContext {
  cluster: ClusterSpec;
  timing: Timing;
  stages: readonly Stage[];
  client: KubeClient;
  factory: InformerFactory;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  /** Controller metrics of this cluster (kept off the process-wide registry). */
  metrics: Registry;
}

/** Runs fn over items with at most `limit` in flight; resolves when all settled. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The field manager for every write the simulator makes. */
export const FIELD_MANAGER = 'flotilla-sim';
