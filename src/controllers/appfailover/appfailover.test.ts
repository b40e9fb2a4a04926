/**
 * Application failover against an in-process API server: eviction after tolerationSeconds of
 * Unhealthy, the clock reset by Healthy, and the task each purgeMode writes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApplicationFailoverBehavior } from '../../api/index.js';
import { startEnv, type TestEnv } from '../taint/testenv.js';
import { startApplicationFailover } from './index.js';

const S = 1000;
const settle = () => new Promise((r) => setTimeout(r, 200));

describe('application failover', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    await env.start(startApplicationFailover);
  });
  after(() => env.stop());

  async function deploy(name: string, app: ApplicationFailoverBehavior) {
    await env.createBinding(name, { clusters: [{ name: 'm1', replicas: 3 }, { name: 'm2', replicas: 3 }], failover: { application: app } });
    await env.schedule(name, { health: { m1: 'Healthy', m2: 'Healthy' } });
  }
  const targets = async (name: string) => ((await env.getBinding(name)).spec.clusters ?? []).map((c) => c.name);

  it('evicts a cluster where the workload stayed unhealthy for tolerationSeconds (Gracefully, grace 600s by default)', async () => {
    await deploy('web-deployment', { decisionConditions: { tolerationSeconds: 120 } });
    await env.schedule('web-deployment', { health: { m1: 'Healthy', m2: 'Unhealthy' } });
    await settle();
    await env.step(119 * S);
    await settle();
    assert.deepEqual(await targets('web-deployment'), ['m1', 'm2']);
    await env.step(1 * S);
    await env.until('evicted', async () => !(await targets('web-deployment')).includes('m2'));
    const b = await env.getBinding('web-deployment');
    const t = b.spec.gracefulEvictionTasks![0]!;
    assert.deepEqual(
      { from: t.fromCluster, reason: t.reason, producer: t.producer, purgeMode: t.purgeMode, grace: t.gracePeriodSeconds, replicas: t.replicas, before: t.clustersBeforeFailover },
      { from: 'm2', reason: 'ApplicationFailure', producer: 'resource-binding-application-failover-controller', purgeMode: 'Gracefully', grace: 600, replicas: 3, before: ['m1', 'm2'] },
    );
    assert.equal(b.metadata.annotations?.['failover.flotilla.io/clusters-before-failover'], undefined, 'no failback after an application failure');
    const metric = await env.ctx.metrics.getSingleMetricAsString('flotilla_evictions_total');
    assert.match(metric, /reason="ApplicationFailure"\} [1-9]/);
  });

  it('a recovery within the toleration resets the clock', async () => {
    await deploy('flaky-deployment', { decisionConditions: { tolerationSeconds: 60 } });
    await env.schedule('flaky-deployment', { health: { m1: 'Healthy', m2: 'Unhealthy' } });
    await settle();
    await env.step(50 * S);
    await env.schedule('flaky-deployment', { health: { m1: 'Healthy', m2: 'Healthy' } });
    await settle();
    await env.schedule('flaky-deployment', { health: { m1: 'Healthy', m2: 'Unhealthy' } });
    await settle();
    await env.step(50 * S);
    await settle();
    assert.deepEqual(await targets('flaky-deployment'), ['m1', 'm2'], '50 s since it turned unhealthy again');
    await env.step(10 * S);
    await env.until('evicted', async () => !(await targets('flaky-deployment')).includes('m2'));
  });

  for (const [mode, want] of [
    ['Directly', { purgeMode: 'Directly' }],
    ['Never', { purgeMode: 'Never', suppressDeletion: true }],
  ] as const) {
    it(`purgeMode ${mode}`, async () => {
      const name = `${mode.toLowerCase()}-deployment`;
      await deploy(name, { decisionConditions: { tolerationSeconds: 0 }, purgeMode: mode });
      await env.schedule(name, { health: { m1: 'Unhealthy', m2: 'Healthy' } });
      await env.until('evicted', async () => !(await targets(name)).includes('m1'));
      const t = (await env.getBinding(name)).spec.gracefulEvictionTasks![0]!;
      assert.deepEqual({ purgeMode: t.purgeMode, ...(t.suppressDeletion !== undefined ? { suppressDeletion: t.suppressDeletion } : {}) }, want);
      assert.equal(t.gracePeriodSeconds, undefined);
    });
  }

  it('ignores bindings without failover.application', async () => {
    await env.createBinding('plain-deployment', { clusters: [{ name: 'm1', replicas: 3 }] });
    await env.schedule('plain-deployment', { health: { m1: 'Unhealthy' } });
    await env.step(3600 * S);
    await settle();
    assert.deepEqual(await targets('plain-deployment'), ['m1']);
  });
});
