/**
 * Failback against an in-process API server: nothing moves until the preferred cluster has been
 * healthy for the stabilisation window, then one binding of the policy at a time is rescheduled
 * from scratch; bindings of policies that did not opt in stay where they are.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, type TestEnv } from '../taint/testenv.js';
import { startFailback } from './index.js';

const S = 1000;
const settle = () => new Promise((r) => setTimeout(r, 200));
const claim = (policy: string) => ({ 'propagationpolicy.karmada.io/namespace': 'default', 'propagationpolicy.karmada.io/name': policy });

describe('failback', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusterStabilizationMs: 30 * S, gracefulEvictionTimeoutMs: 600 * S });
    await env.start(startFailback);
    await env.createCluster('m1', { ready: 'True' });
    await env.createCluster('m2', { ready: 'Unknown', taints: [{ key: 'cluster.karmada.io/unreachable', effect: 'NoSchedule' }] });
    await env.createCluster('m3', { ready: 'True' });
    await env.createPolicy('web-pp', { 'failover.flotilla.io/failback': 'true', 'failover.flotilla.io/failback-stabilization': '60s', 'failover.flotilla.io/failback-max-concurrent': '1' });
    await env.createPolicy('plain-pp', {});
    // Three workloads already failed over from m2.
    for (const [name, policy] of [['a-deployment', 'web-pp'], ['b-deployment', 'web-pp'], ['c-deployment', 'plain-pp']]) {
      await env.createBinding(name!, { clusters: [{ name: 'm1', replicas: 3 }, { name: 'm3', replicas: 3 }] }, { annotations: { ...claim(policy!), 'failover.flotilla.io/clusters-before-failover': 'm1,m2,m3' } });
      await env.schedule(name!, { health: { m1: 'Healthy', m3: 'Healthy' } });
    }
  });
  after(() => env.stop());

  const triggered = async (name: string) => (await env.getBinding(name)).spec.rescheduleTriggeredAt;
  const anyTriggered = async () => (await Promise.all(['a-deployment', 'b-deployment', 'c-deployment'].map(triggered))).filter(Boolean).length;

  it('waits while the preferred cluster is down', async () => {
    await env.step(600 * S);
    await settle();
    assert.equal(await anyTriggered(), 0);
  });

  it('waits for the stabilisation window after recovery, then moves one binding of the policy back', async () => {
    await env.setCluster('m2', { ready: 'True', taints: [] });
    await settle();
    await env.step(59 * S);
    await settle();
    assert.equal(await anyTriggered(), 0, 'm2 healthy for only 59 s');
    await env.step(1 * S);
    await env.until('one failback', async () => (await anyTriggered()) === 1);
    await settle();
    assert.equal(await anyTriggered(), 1, 'failback-max-concurrent is 1');
    const first = (await triggered('a-deployment')) ? 'a-deployment' : 'b-deployment';
    const b = await env.getBinding(first);
    assert.equal(b.spec.rescheduleTriggeredAt, new Date(env.clock.now()).toISOString().replace('.000Z', 'Z'));
    assert.ok(b.metadata.annotations?.['failover.flotilla.io/failback-started-at']);
    assert.equal(await triggered('c-deployment'), undefined, 'plain-pp did not opt in');
  });

  it('when the first move has settled, the next binding goes', async () => {
    const first = (await triggered('a-deployment')) ? 'a-deployment' : 'b-deployment';
    const second = first === 'a-deployment' ? 'b-deployment' : 'a-deployment';
    // The scheduler places the workload afresh, m2 included; the replicas become ready.
    await env.schedule(first, { clusters: [['m1', 2], ['m2', 2], ['m3', 2]], health: { m1: 'Healthy', m2: 'Healthy', m3: 'Healthy' }, ready: { m1: 2, m2: 2, m3: 2 } });
    await env.until('first complete', async () => !(await env.getBinding(first)).metadata.annotations?.['failover.flotilla.io/failback-started-at']);
    const done = await env.getBinding(first);
    assert.equal(done.metadata.annotations?.['failover.flotilla.io/clusters-before-failover'], undefined);
    await env.until('second triggered', async () => !!(await triggered(second)));
    const events = await env.until('events', async () => {
      const list = (await env.events()).filter((e) => e.reason === 'FailbackCompleted' || e.reason === 'FailbackStarted');
      return list.length >= 4 && list;
    });
    assert.ok(events.some((e) => e.reason === 'FailbackCompleted' && e.involvedObject.name === first));
    const metric = await env.ctx.metrics.getSingleMetricAsString('flotilla_failbacks_total');
    assert.match(metric, /result="started"\} 2/);
    assert.match(metric, /result="completed"\} 1/);
  });

  it('a binding whose preferred clusters are all targeted again just loses the record', async () => {
    await env.createBinding('d-deployment', { clusters: [{ name: 'm1', replicas: 6 }] }, { annotations: { ...claim('plain-pp'), 'failover.flotilla.io/clusters-before-failover': 'm1' } });
    await env.until('record forgotten', async () => !(await env.getBinding('d-deployment')).metadata.annotations?.['failover.flotilla.io/clusters-before-failover']);
    assert.equal(await triggered('d-deployment'), undefined);
  });
});
