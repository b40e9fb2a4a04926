/**
 * One eviction decision of the taint manager: binding B on cluster C (key "C|B"). B is evicted
 * from C when C has a NoExecute taint B's clusterTolerations (as last applied) do not tolerate,
 * or tolerate only for tolerationSeconds that have run out; until then the key comes back when
 * they run out. Each eviction takes a turn from the fleet-wide token bucket. The eviction is one
 * write: C leaves spec.clusters, a GracefulEvictionTask (purgeMode from the policy's
 * failover.cluster, else the default) records it, and the clusters before failover are noted
 * for failback; the binding's resourceVersion is the precondition.
 */
import type { Logger } from 'pino';
import type { Cluster, Taint } from '../../api/index.js';
import type { KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import type { Result } from '../../controller/reconcile.js';
import { clusterTolerations, targetNames, targets } from '../../failover/binding.js';
import { clusterPurgeMode, evictCluster, type ClusterPurgeMode } from '../../failover/eviction.js';
import type { TokenBucket } from '../../failover/ratelimit.js';
import { evictionVerdict, taintString } from '../../failover/tolerations.js';
import { CLUSTERS_BEFORE_FAILOVER_ANNOTATION, EVENT_REASONS, EVICTION_REASONS, PRODUCERS } from '../../failover/wellknown.js';
import type { Clock } from '../../util/clock.js';
import type { EventRecorder } from '../execution/events.js';
import { recordBoth, writeBinding, type Bindings } from './bindings.js';
import type { FailoverMetrics } from './metrics.js';

export const evictionKey = (cluster: string, binding: string) => `${cluster}|${binding}`;
export function parseEvictionKey(key: string): { cluster: string; binding: string } {
  const i = key.indexOf('|');
  return { cluster: key.slice(0, i), binding: key.slice(i + 1) };
}

/** When taints without timeAdded were first seen, per cluster (see tolerations.ts firstSeen). */
export class TaintFirstSeen {
  readonly #seen = new Map<string, Map<string, number>>();

  observe(cluster: string, taints: readonly Taint[] | undefined, now: number): void {
    const bare = (taints ?? []).filter((t) => t.effect === 'NoExecute' && !t.timeAdded);
    if (!bare.length) {
      this.#seen.delete(cluster);
      return;
    }
    const prev = this.#seen.get(cluster) ?? new Map<string, number>();
    const next = new Map<string, number>();
    for (const t of bare) next.set(`${t.key}:${t.effect}`, prev.get(`${t.key}:${t.effect}`) ?? now);
    this.#seen.set(cluster, next);
  }

  get(cluster: string, t: Taint): number | undefined {
    return this.#seen.get(cluster)?.get(`${t.key}:${t.effect}`);
  }

  forget(cluster: string): void {
    this.#seen.delete(cluster);
  }
}

export interface EvictorDeps {
  client: KubeClient;
  bindings: Bindings;
  clusters: Informer<Cluster>;
  bucket: TokenBucket;
  firstSeen: TaintFirstSeen;
  events: EventRecorder;
  metrics: FailoverMetrics;
  clock: Clock;
  log: Logger;
  defaultPurgeMode: ClusterPurgeMode;
}

export class TaintEvictor {
  /** Keys holding a turn in the token bucket, and when that turn comes (ms). */
  readonly #turns = new Map<string, number>();

  constructor(readonly d: EvictorDeps) {}

  /** Gives back a turn that a key no longer needs. */
  #release(key: string): void {
    if (!this.#turns.delete(key)) return;
    this.d.bucket.cancel(this.d.clock.now());
  }

  /** 0 when it is the key's turn to evict now, else how long to wait. */
  #turn(key: string, now: number): number {
    const due = this.#turns.get(key);
    if (due !== undefined) {
      if (now < due) return due - now;
      this.#turns.delete(key);
      return 0;
    }
    const wait = this.d.bucket.reserve(now);
    if (wait > 0) this.#turns.set(key, now + wait);
    return wait;
  }

  async reconcile(key: string): Promise<Result | void> {
    const { cluster, binding: bkey } = parseEvictionKey(key);
    const b = this.d.bindings.get(bkey);
    const c = this.d.clusters.getByName(undefined, cluster);
    if (!b || !c || b.metadata.deletionTimestamp || !targets(b, cluster)) return this.#release(key);
    const now = this.d.clock.now();
    const verdict = evictionVerdict({ taints: c.spec.taints, tolerations: clusterTolerations(b), now, firstSeen: (t) => this.d.firstSeen.get(cluster, t) });
    if (!verdict.evict) {
      this.#release(key);
      return verdict.retryAfterMs !== undefined ? { requeueAfter: verdict.retryAfterMs } : undefined;
    }
    const wait = this.#turn(key, now);
    if (wait > 0) return { requeueAfter: wait };

    const purgeMode = clusterPurgeMode(b.spec.failover, this.d.defaultPurgeMode);
    const taint = verdict.taint ? taintString(verdict.taint) : 'NoExecute';
    const before = targetNames(b);
    const r = evictCluster(b.spec, cluster, {
      purgeMode,
      reason: EVICTION_REASONS.TaintUntolerated,
      producer: PRODUCERS.TaintManager,
      message: `cluster ${cluster} has taint ${taint}, which the workload does not tolerate (or no longer)`,
      now,
    });
    const annotations = { ...b.metadata.annotations };
    annotations[CLUSTERS_BEFORE_FAILOVER_ANNOTATION] ??= before.join(',');
    const next = { ...b, metadata: { ...b.metadata, annotations }, spec: r.spec };
    try {
      await writeBinding(this.d.client, next);
    } catch (err) {
      recordBoth(this.d.events, b, 'Warning', EVENT_REASONS.EvictFailed, `Evict from cluster ${cluster} failed: ${(err as Error).message}`);
      throw err;
    }
    this.d.metrics.evictions.inc({ reason: EVICTION_REASONS.TaintUntolerated });
    recordBoth(this.d.events, b, 'Normal', EVENT_REASONS.EvictSucceed, `Evict from cluster ${cluster} succeed: taint ${taint} not tolerated, purgeMode ${purgeMode}.`);
    this.d.log.info({ cluster, binding: bkey, taint, purgeMode }, 'evicted binding from cluster');
  }
}
