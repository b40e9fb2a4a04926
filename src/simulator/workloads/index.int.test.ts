import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Registry } from 'prom-client';
import { ApiServer } from '../../apiserver/server.js';
import { KubeClient } from '../../client/client.js';
import { InformerFactory } from '../../client/factory.js';
import { R } from '../../client/resources.js';
import { FakeClock, flush } from '../../util/clock.js';
import { createLogger } from '../../util/logger.js';
import { startWorkloadControllers, type WorkloadControllers } from './index.js';
import { rfc3339 } from './util.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function eventually(check: () => Promise<boolean>, clock: FakeClock, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
    clock.step(10);
    await flush();
  }
  assert.fail('condition not reached');
}

describe('startWorkloadControllers', () => {
  const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
  const abort = new AbortController();
  const log = createLogger({ level: 'silent' });
  let server: ApiServer;
  let client: KubeClient;
  let wl: WorkloadControllers;

  before(async () => {
    server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger: log }).start();
    client = new KubeClient({ server: server.url });
    const factory = new InformerFactory(client, { clock, log });
    wl = await startWorkloadControllers({ client, factory, clock, log, signal: abort.signal, name: 'member1', metrics: new Registry() });
    await wl.ready;
  });
  after(async () => {
    await wl.stop();
    abort.abort();
    await client.close();
    await server.stop();
  });

  it('runs every controller', () => {
    assert.deepEqual(Object.keys(wl.controllers).sort(), ['cronjob', 'daemonset', 'deployment', 'job', 'replicaset', 'statefulset']);
    assert.equal(wl.controllers.deployment!.name, 'member1/deployment');
  });

  it('brings a Deployment to Available once its pods are ready', async () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    await client.create(R.deployments, d);
    const pods = async () => (await client.list<Pod>(R.pods, { namespace: 'default' })).items;
    await eventually(async () => (await pods()).length === 4, clock);
    const now = rfc3339(clock.now());
    for (const p of await pods()) {
      const status = { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] };
      await client.update(R.pods, { ...p, status }, { subresource: 'status' });
    }
    await eventually(async () => {
      const cur = await client.get<Deployment>(R.deployments, 'web', 'default');
      return cur.status?.availableReplicas === 4 && cur.status.conditions?.find((c) => c.type === 'Available')?.status === 'True';
    }, clock);
  });
});
