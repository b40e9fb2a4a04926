/**
 * The taint manager against an in-process API server, time driven by a FakeClock: evictions for
 * untolerated NoExecute taints, tolerationSeconds, purge modes, both binding kinds, the eviction
 * rate limit, Events and metrics.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from '../../api/index.js';
import { startTaintManager } from './index.js';
import { iso, startEnv, type TestEnv } from './testenv.js';

const S = 1000;
const UNREACHABLE_NE = (at: number): Taint => ({ key: 'cluster.karmada.io/unreachable', effect: 'NoExecute', timeAdded: iso(at) });
const tolerate = (seconds?: number): Toleration => ({ key: 'cluster.karmada.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });
const spread = (p: string): [string, number][] => [[`${p}1`, 2], [`${p}2`, 2], [`${p}3`, 2]];

describe('taint manager', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ evictionRate: 100 });
    await env.start(startTaintManager);
  });
  after(() => env.stop());

  async function fleet(prefix: string) {
    for (const n of [1, 2, 3]) await env.createCluster(`${prefix}${n}`, { ready: 'True' });
  }
  const evicted = (name: string, cluster: string, namespace?: string) =>
    env.until(`${name} evicted from ${cluster}`, async () => {
      const b = await env.getBinding(name, namespace);
      return !b.spec.clusters?.some((c) => c.name === cluster) && b;
    });

  it('evicts a binding from a cluster with an untolerated NoExecute taint, in one recorded step', async () => {
    await fleet('a');
    await env.createBinding('web-deployment', { clusters: spread('a').map(([name, replicas]) => ({ name, replicas })) });
    await env.setCluster('a2', { ready: 'Unknown', taints: [UNREACHABLE_NE(env.clock.now())] });
    const b = await evicted('web-deployment', 'a2');
    assert.deepEqual(b.spec.clusters, [{ name: 'a1', replicas: 2 }, { name: 'a3', replicas: 2 }]);
    assert.deepEqual(b.spec.gracefulEvictionTasks, [
      {
        fromCluster: 'a2',
        purgeMode: 'Gracefully',
        replicas: 2,
        reason: 'TaintUntolerated',
        producer: 'TaintManager',
        message: 'cluster a2 has taint cluster.karmada.io/unreachable:NoExecute, which the workload does not tolerate (or no longer)',
        clustersBeforeFailover: ['a1', 'a2', 'a3'],
        creationTimestamp: iso(env.clock.now()),
      },
    ]);
    assert.equal(b.metadata.annotations?.['failover.flotilla.io/clusters-before-failover'], 'a1,a2,a3');
    const events = await env.until('events', async () => {
      const list = (await env.events()).filter((e) => e.reason === 'EvictWorkloadFromClusterSucceed' && e.message.includes('a2'));
      return list.length >= 2 && list;
    });
    assert.deepEqual(events.map((e) => e.involvedObject.kind).sort(), ['Deployment', 'ResourceBinding']);
    const metric = await env.ctx.metrics.getSingleMetricAsString('flotilla_evictions_total');
    assert.match(metric, /flotilla_evictions_total\{reason="TaintUntolerated"\} [1-9]/);
  });

  it('keeps a binding for tolerationSeconds, then evicts it', async () => {
    await fleet('b');
    await env.createBinding('tol-deployment', { clusters: spread('b').map(([name, replicas]) => ({ name, replicas })), placement: { clusterTolerations: [tolerate(60)] } });
    await env.setCluster('b2', { ready: 'Unknown', taints: [UNREACHABLE_NE(env.clock.now())] });
    await env.step(59 * S);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok((await env.getBinding('tol-deployment')).spec.clusters?.some((c) => c.name === 'b2'), 'still there after 59 s');
    await env.step(1 * S);
    const b = await evicted('tol-deployment', 'b2');
    assert.equal(b.spec.gracefulEvictionTasks?.[0]?.fromCluster, 'b2');
  });

  it('tolerated forever without tolerationSeconds; the applied placement is what counts', async () => {
    await fleet('c');
    await env.createBinding(
      'forever-deployment',
      { clusters: spread('c').map(([name, replicas]) => ({ name, replicas })), placement: {} },
      { annotations: { 'policy.karmada.io/applied-placement': JSON.stringify({ clusterTolerations: [tolerate()] }) } },
    );
    await env.setCluster('c2', { ready: 'Unknown', taints: [UNREACHABLE_NE(env.clock.now())] });
    await env.step(3600 * S);
    await new Promise((r) => setTimeout(r, 200));
    const b = await env.getBinding('forever-deployment');
    assert.ok(b.spec.clusters?.some((c) => c.name === 'c2'));
    assert.equal(b.spec.gracefulEvictionTasks, undefined);
  });

  it('purgeMode from the policy: Directly', async () => {
    await fleet('d');
    await env.createBinding('direct-deployment', { clusters: spread('d').map(([name, replicas]) => ({ name, replicas })), failover: { cluster: { purgeMode: 'Directly' } } });
    await env.setCluster('d1', { ready: 'False', taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', timeAdded: iso(env.clock.now()) }] });
    const b = await evicted('direct-deployment', 'd1');
    assert.equal(b.spec.gracefulEvictionTasks?.[0]?.purgeMode, 'Directly');
  });

  it('evicts ClusterResourceBindings too', async () => {
    await fleet('e');
    await env.createBinding('ns-namespace', { clusters: spread('e').map(([name, replicas]) => ({ name, replicas })) }, { namespace: '' });
    await env.setCluster('e3', { taints: [UNREACHABLE_NE(env.clock.now())] });
    const b = await evicted('ns-namespace', 'e3', '');
    assert.equal(b.kind, 'ClusterResourceBinding');
    assert.equal(b.spec.gracefulEvictionTasks?.[0]?.fromCluster, 'e3');
  });

  it('a cluster that recovers within the toleration keeps its workloads', async () => {
    await fleet('f');
    await env.createBinding('back-deployment', { clusters: spread('f').map(([name, replicas]) => ({ name, replicas })), placement: { clusterTolerations: [tolerate(60)] } });
    await env.setCluster('f2', { ready: 'Unknown', taints: [UNREACHABLE_NE(env.clock.now())] });
    await env.step(30 * S);
    await env.setCluster('f2', { ready: 'True', taints: [] });
    await new Promise((r) => setTimeout(r, 100));
    await env.step(60 * S);
    await new Promise((r) => setTimeout(r, 200));
    const b = await env.getBinding('back-deployment');
    assert.ok(b.spec.clusters?.some((c) => c.name === 'f2'));
  });

  it('counts Ready transitions', async () => {
    const metric = await env.ctx.metrics.getSingleMetricAsString('flotilla_cluster_ready_transitions_total');
    assert.match(metric, /cluster="a2",status="Unknown"\} 1/);
    assert.match(metric, /cluster="f2",status="True"\} 2/); // joined, then recovered
  });
});

describe('taint manager rate limit', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ evictionRate: 1 }); // one eviction per second, burst 1
    await env.start(startTaintManager);
  });
  after(() => env.stop());

  it('spaces evictions at --eviction-rate', async () => {
    for (const n of [1, 2]) await env.createCluster(`r${n}`, { ready: 'True' });
    const names = ['r-a', 'r-b', 'r-c'];
    for (const n of names) await env.createBinding(n, { clusters: [{ name: 'r1', replicas: 1 }, { name: 'r2', replicas: 1 }] });
    await env.setCluster('r1', { ready: 'Unknown', taints: [UNREACHABLE_NE(env.clock.now())] });
    const evictedCount = async () => (await Promise.all(names.map((n) => env.getBinding(n)))).filter((b) => !b.spec.clusters?.some((c) => c.name === 'r1')).length;
    await env.until('first eviction', async () => (await evictedCount()) === 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await evictedCount(), 1, 'the others wait for their turn');
    await env.step(1 * S);
    await env.until('second eviction', async () => (await evictedCount()) === 2);
    await env.step(1 * S);
    await env.until('third eviction', async () => (await evictedCount()) === 3);
  });
});
