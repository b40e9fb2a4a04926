/**
 * Integration-test harness: a real in-memory API server in-process, the workload controllers
 * on a FakeClock, and a tiny fake kubelet that writes pod status directly, so tests do not
 * depend on the simulated kubelet. Test-only.
 */
import { setMaxListeners } from 'node:events';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Registry } from 'prom-client';
import { ApiServer } from '../../apiserver/server.js';
import { KubeClient } from '../../client/client.js';
import { InformerFactory } from '../../client/factory.js';
import { R } from '../../client/resources.js';
import type { Controller } from '../../controller/index.js';
import { FakeClock } from '../../util/clock.js';
import { createLogger } from '../../util/logger.js';
import { informersOf, type WorkloadEnv } from './env.js';
import { isPodReady, rfc3339 } from './util.js';

export type ControllerName = 'replicaset' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'cronjob';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const START = Date.parse('2030-01-01T00:00:00Z');

export class TestEnv {
  readonly clock = new FakeClock(START);
  readonly abort = new AbortController();
  server!: ApiServer;
  client!: KubeClient;
  factory!: InformerFactory;
  controllers: Controller<string>[] = [];
  #ip = 0;

  async start(names: ControllerName[]): Promise<this> {
    setMaxListeners(64, this.abort.signal);
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    this.server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger }).start();
    // Timestamps the server writes follow the test's clock, as they would a real one.
    (this.server.registry as unknown as { now: () => number }).now = () => this.clock.now();
    this.client = new KubeClient({ server: this.server.url });
    this.factory = new InformerFactory(this.client, { clock: this.clock, log: logger });
    const env: WorkloadEnv = { client: this.client, factory: this.factory, clock: this.clock, log: logger, metrics: new Registry() };
    const inf = informersOf(env);
    for (const name of names) this.controllers.push(await makeNamed(name, env, inf));
    this.factory.start(this.abort.signal);
    await Promise.all(Object.values(inf).map((i) => i.synced()));
    for (const c of this.controllers) c.start(this.abort.signal);
    return this;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.controllers.map((c) => c.stop()));
    await this.client.close();
    await this.server.stop();
  }

  async revision(): Promise<string> {
    const l = await this.client.list(R.namespaces, { limit: 1 });
    return l.metadata.resourceVersion ?? '';
  }

  /**
   * Waits until the controllers are idle and the store stops changing. Time moves a little on
   * every round (conflict retries and backoffs wait on the fake clock).
   */
  async settle(maxMs = 10_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let last = '';
    let quiet = 0;
    while (Date.now() < deadline) {
      await Promise.race([Promise.all(this.controllers.map((c) => c.idle())), sleep(50)]);
      await sleep(15);
      const rv = await this.revision();
      quiet = rv === last ? quiet + 1 : 0;
      last = rv;
      if (quiet >= 3) return;
      await this.clock.stepAsync(5);
    }
    throw new Error('controllers did not settle');
  }

  /** Steps the fake clock and lets the controllers react. */
  async advance(ms: number): Promise<void> {
    await this.clock.stepAsync(ms);
    await this.settle();
  }

  async pods(namespace = 'default', labelSelector?: string): Promise<Pod[]> {
    return (await this.client.list<Pod>(R.pods, { namespace, ...(labelSelector ? { labelSelector } : {}) })).items;
  }

  /** The fake kubelet: Pending pods (optionally only those `filter` picks) become Running and Ready now. */
  async readyPods(namespace = 'default', filter: (p: Pod) => boolean = () => true): Promise<number> {
    let n = 0;
    for (const p of await this.pods(namespace)) {
      if (p.metadata?.deletionTimestamp || isPodReady(p) || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || !filter(p)) continue;
      await this.setPodStatus(p, 'Running', true);
      n++;
    }
    return n;
  }

  /** The fake kubelet: a pod's containers exit (Succeeded or Failed). */
  async finishPod(p: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
    await this.setPodStatus(p, phase, false);
  }

  async setPodStatus(p: Pod, phase: string, ready: boolean): Promise<void> {
    const now = rfc3339(this.clock.now());
    const podIP = p.status?.podIP ?? `10.0.0.${++this.#ip}`;
    const status = {
      ...p.status,
      phase,
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: p.status?.startTime ?? now,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
      ],
    };
    await this.client.update(R.pods, { ...p, status }, { subresource: 'status' });
  }

  /** What the kubelet does with a pod being deleted gracefully: removes it at once. */
  async finishDeletions(namespace = 'default'): Promise<void> {
    for (const p of await this.pods(namespace)) {
      if (!p.metadata?.deletionTimestamp || p.metadata.finalizers?.length) continue;
      await this.client.delete(R.pods, p.metadata.name!, { namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }
}

async function makeNamed(name: ControllerName, env: WorkloadEnv, inf: ReturnType<typeof informersOf>): Promise<Controller<string>> {
  switch (name) {
    case 'replicaset':
      return new (await import('./replicaset.js')).ReplicaSetController(env, inf).controller;
    case 'deployment':
      return new (await import('./deployment.js')).DeploymentController(env, inf).controller;
    case 'statefulset':
      return new (await import('./statefulset.js')).StatefulSetController(env, inf).controller;
    case 'daemonset':
      return new (await import('./daemonset.js')).DaemonSetController(env, inf).controller;
    case 'job':
      return new (await import('./job.js')).JobController(env, inf).controller;
    case 'cronjob':
      return new (await import('./cronjob.js')).CronJobController(env, inf).controller;
  }
}

export async function startEnv(...names: ControllerName[]): Promise<TestEnv> {
  return new TestEnv().start(names);
}
