/**
 * The workload controllers of a simulated member cluster: what kube-controller-manager runs
 * for Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs, plus the garbage
 * collector that removes what deleted owners leave behind. They talk to the cluster only
 * through its Kubernetes API and share one informer factory.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Controller } from '../../controller/index.js';
import type { Clock } from '../../util/clock.js';
import { CronJobController } from './cronjob.js';
import { DaemonSetController, type DaemonSetOptions } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { informersOf, type WorkloadEnv } from './env.js';
import { JobController } from './job.js';
import { ReplicaSetController } from './replicaset.js';
import { StatefulSetController } from './statefulset.js';

export interface WorkloadControllersOptions {
  client: KubeClient;
  /** Shared with the cluster's other simulated components; started here if it is not yet (start is idempotent). */
  factory: InformerFactory;
  clock: Clock;
  log: Logger;
  /** Aborting it stops the controllers at once (queued work is dropped) and the informers. */
  signal?: AbortSignal;
  /** Prefixes controller names in logs and metrics, e.g. the cluster name. */
  name?: string;
  metrics?: Registry;
  /** Concurrent reconciles per controller (default 4). */
  workers?: number;
  daemonSets?: DaemonSetOptions;
}

export interface WorkloadControllers {
  /** Every controller, by name, for tests and metrics (`idle()`, `enqueue()`). */
  controllers: Record<string, Controller<string>>;
  /** Resolves once the informers have synced and the controllers are working. */
  ready: Promise<void>;
  /** Stops the controllers after the work already queued. */
  stop(): Promise<void>;
}

export async function startWorkloadControllers(o: WorkloadControllersOptions): Promise<WorkloadControllers> {
  const env: WorkloadEnv = { client: o.client, factory: o.factory, clock: o.clock, log: o.log.child({ component: 'workloads' }) };
  if (o.name !== undefined) env.name = o.name;
  if (o.metrics !== undefined) env.metrics = o.metrics;
  if (o.workers !== undefined) env.workers = o.workers;
  const inf = informersOf(env);
  const controllers: Record<string, Controller<string>> = {
    replicaset: new ReplicaSetController(env, inf).controller,
    deployment: new DeploymentController(env, inf).controller,
    statefulset: new StatefulSetController(env, inf).controller,
    daemonset: new DaemonSetController(env, inf, o.daemonSets).controller,
    job: new JobController(env, inf).controller,
    cronjob: new CronJobController(env, inf).controller,
  };
  // Owner references are collected by the API server itself (src/apiserver/lifecycle/gc.ts).

  // Every informer and controller listens on the signal; that is expected, not a leak.
  if (o.signal) setMaxListeners(getMaxListeners(o.signal) + 32, o.signal);
  o.factory.start(o.signal);
  // Acting before every cache is filled would, say, create pods that already exist.
  const ready = Promise.all(Object.values(inf).map((i) => i.synced())).then(() => {
    if (o.signal?.aborted) return;
    for (const c of Object.values(controllers)) c.start(o.signal);
  });
  return {
    controllers,
    ready,
    async stop() {
      await Promise.all(Object.values(controllers).map((c) => c.stop()));
    },
  };
}

export type { DaemonSetOptions } from './daemonset.js';
export { RUN_DURATION, FAIL, READY_DELAY } from '../annotations.js';
