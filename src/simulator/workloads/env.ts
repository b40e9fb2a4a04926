/**
 * What every workload controller is given, and how it is turned into a running Controller:
 * one shared client, informer factory, clock and logger per simulated cluster.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { isConflict, type KubeClient } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Informer } from '../../client/informer.js';
import { R } from '../../client/resources.js';
import { Controller, type Reconciler, type Result } from '../../controller/index.js';
import type { Clock } from '../../util/clock.js';

export interface WorkloadEnv {
  client: KubeClient;
  factory: InformerFactory;
  clock: Clock;
  log: Logger;
  /** Prefixes controller names in logs and metrics (e.g. the simulated cluster's name). */
  name?: string;
  /** Where controller metrics go (default: prom-client's global registry). */
  metrics?: Registry;
  /** Concurrent reconciles per controller (default 4; never the same key twice). */
  workers?: number;
}

/** A write lost a race (409 Conflict): the newer object is on its way through the informer, so look again shortly. */
export const CONFLICT_RETRY_MS = 250;

/** The shared informers the workload controllers read. */
export function informersOf(env: WorkloadEnv) {
  const f = env.factory;
  return {
    pods: f.for(R.pods) as Informer,
    replicasets: f.for(R.replicasets) as Informer,
    deployments: f.for(R.deployments) as Informer,
    statefulsets: f.for(R.statefulsets) as Informer,
    daemonsets: f.for(R.daemonsets) as Informer,
    controllerrevisions: f.for(R.controllerrevisions) as Informer,
    jobs: f.for(R.jobs) as Informer,
    cronjobs: f.for(R.cronjobs) as Informer,
    nodes: f.for(R.nodes) as Informer,
    pvcs: f.for(R.persistentvolumeclaims) as Informer,
  };
}

export type Informers = ReturnType<typeof informersOf>;

/** A Controller for reconcile, where a 409 Conflict means "look again soon", not an error. */
export function makeController(env: WorkloadEnv, name: string, reconcile: Reconciler<string>): Controller<string> {
  const wrapped: Reconciler<string> = async (key, ctx): Promise<Result | void> => {
    try {
      return await reconcile(key, ctx);
    } catch (e) {
      if (!isConflict(e)) throw e;
      ctx.log.debug({ err: e }, 'Conflict; requeueing');
      return { requeueAfter: CONFLICT_RETRY_MS };
    }
  };
  return new Controller<string>({
    name: env.name ? `${env.name}/${name}` : name,
    reconcile: wrapped,
    clock: env.clock,
    logger: env.log,
    workers: env.workers ?? 4,
    ...(env.metrics ? { metrics: env.metrics } : {}),
  });
}

/** Items of an informer in one namespace. */
export function inNamespace<T extends { metadata?: { namespace?: string } }>(inf: Informer<T>, namespace: string): T[] {
  return inf.list().filter((o) => o.metadata?.namespace === namespace);
}

/** The smaller of two optional reconcile results (the earliest requeue wins). */
export function soonest(...results: Array<Result | void | undefined>): Result | undefined {
  let best: number | undefined;
  for (const r of results) {
    const after = r?.requeueAfter;
    if (after !== undefined && after > 0 && (best === undefined || after < best)) best = after;
  }
  return best === undefined ? undefined : { requeueAfter: best };
}
