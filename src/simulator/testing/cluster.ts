/**
 * Test helpers: a throwaway in-memory API server (plain HTTP, no auth) with a client, shared
 * informers and a SimContext for one simulated cluster, to run components against in tests.
 */
import { setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import { ApiServer } from '../../apiserver/server.js';
import { KubeClient } from '../../client/client.js';
import { InformerFactory } from '../../client/factory.js';
import { realClock, type Clock } from '../../util/clock.js';
import { createLogger } from '../../util/logger.js';
import type { SimContext } from '../context.js';
import { defaultFleet, type Timing } from '../fleet.js';
import { defaultStages } from '../stages.js';

export interface TestCluster {
  api: ApiServer;
  client: KubeClient;
  ctx: SimContext;
  stop(): Promise<void>;
}

export async function testCluster(opts: { nodes?: number; timing?: Partial<Timing>; clock?: Clock } = {}): Promise<TestCluster> {
  const api = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger: createLogger({ level: 'silent' }) }).start();
  const client = new KubeClient({ server: api.url });
  const clock = opts.clock ?? realClock;
  const log = createLogger({ level: process.env.FLOTILLA_TEST_LOG_LEVEL ?? 'silent' });
  const abort = new AbortController();
  setMaxListeners(1000, abort.signal);
  const fleet = defaultFleet(1, opts.nodes ?? 3, opts.timing ?? {});
  const ctx: SimContext = {
    cluster: fleet.clusters[0]!,
    timing: fleet.timing,
    stages: defaultStages(),
    client,
    factory: new InformerFactory(client, { clock, log }),
    clock,
    log,
    signal: abort.signal,
    metrics: new Registry(),
  };
  return {
    api,
    client,
    ctx,
    async stop() {
      abort.abort();
      ctx.factory.stop();
      await api.stop();
      await client.close();
    },
  };
}

/** Polls fn (real time) until it returns something truthy. */
export async function eventually<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const readyNode = (name: string, capacity: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' }, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True' }] },
  ...extra,
});

export const pod = (name: string, cpu?: string, extra: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...(extra.spec ?? {}) },
});
