/**
 * Graceful eviction against an in-process API server: the old copy's task goes when the
 * replacements are healthy, at the grace period, at once when released; never on its own with
 * purgeMode Never; and the whole chain with the taint manager (taint → eviction → replacements
 * healthy → task removed), with its metrics.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GracefulEvictionTask } from '../../api/index.js';
import { bindingRef } from '../taint/bindings.js';
import { startTaintManager } from '../taint/index.js';
import { iso, startEnv, type TestEnv } from '../taint/testenv.js';
import { startGracefulEviction } from './index.js';

const S = 1000;
const settle = () => new Promise((r) => setTimeout(r, 200));

describe('graceful eviction', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ gracefulEvictionTimeoutMs: 120 * S, evictionRate: 100 });
    await env.start(startTaintManager, startGracefulEviction);
    for (const c of ['m1', 'm2', 'm3', 'm4']) await env.createCluster(c, { ready: 'True' });
  });
  after(() => env.stop());

  const task = (from: string, extra: Partial<GracefulEvictionTask> = {}): GracefulEvictionTask => ({
    fromCluster: from,
    reason: 'TaintUntolerated',
    producer: 'TaintManager',
    purgeMode: 'Gracefully',
    replicas: 2,
    creationTimestamp: iso(env.clock.now()),
    ...extra,
  });
  const tasksOf = async (name: string) => ((await env.getBinding(name)).spec.gracefulEvictionTasks ?? []).map((t) => t.fromCluster);
  const gone = (name: string, from: string) => env.until(`task for ${from} removed from ${name}`, async () => !(await tasksOf(name)).includes(from));

  it('keeps the old copy until every target is healthy with its replicas ready, then removes the task', async () => {
    await env.createBinding('h-deployment', { clusters: [{ name: 'm1', replicas: 3 }, { name: 'm3', replicas: 3 }], gracefulEvictionTasks: [task('m2')] });
    await env.schedule('h-deployment', { health: { m1: 'Healthy', m3: 'Unhealthy' }, ready: { m1: 3, m3: 1 } });
    await settle();
    assert.deepEqual(await tasksOf('h-deployment'), ['m2']);
    await env.schedule('h-deployment', { health: { m1: 'Healthy', m3: 'Healthy' }, ready: { m1: 3, m3: 2 } });
    await settle();
    assert.deepEqual(await tasksOf('h-deployment'), ['m2'], 'm3 reports 2 of its 3 replicas ready');
    await env.schedule('h-deployment', { health: { m1: 'Healthy', m3: 'Healthy' }, ready: { m1: 3, m3: 3 } });
    await gone('h-deployment', 'm2');
    const b = await env.getBinding('h-deployment');
    assert.equal(b.spec.gracefulEvictionTasks, undefined);
    const events = await env.until('event', async () => (await env.events()).find((e) => e.reason === 'GracefulEvictionTaskRemoved' && e.involvedObject.name === 'h-deployment'));
    assert.match(events.message, /from cluster m2 is complete: the replacements are ready/);
  });

  it('does not trust a target cluster that is not Ready', async () => {
    await env.createBinding('nr-deployment', { clusters: [{ name: 'm1', replicas: 3 }, { name: 'm4', replicas: 3 }], gracefulEvictionTasks: [task('m2')] });
    await env.setCluster('m4', { ready: 'Unknown' });
    await env.schedule('nr-deployment', { health: { m1: 'Healthy', m4: 'Healthy' } });
    await settle();
    assert.deepEqual(await tasksOf('nr-deployment'), ['m2']);
    await env.setCluster('m4', { ready: 'True' });
    await gone('nr-deployment', 'm2');
  });

  it('removes the task at its grace period even if the replacements are not healthy', async () => {
    await env.createBinding('g-deployment', { clusters: [{ name: 'm1', replicas: 6 }], gracefulEvictionTasks: [task('m2', { gracePeriodSeconds: 60 })] });
    await env.schedule('g-deployment', { health: { m1: 'Unhealthy' } });
    await env.step(60 * S);
    await settle();
    assert.deepEqual(await tasksOf('g-deployment'), ['m2'], 'at exactly 60 s it stays');
    await env.step(1 * S);
    await gone('g-deployment', 'm2');
  });

  it('uses --graceful-eviction-timeout without gracePeriodSeconds, and stamps tasks that lack a creationTimestamp', async () => {
    const { creationTimestamp: _, ...bare } = task('m3');
    await env.createBinding('t-deployment', { clusters: [{ name: 'm1', replicas: 6 }], gracefulEvictionTasks: [bare] });
    await env.schedule('t-deployment', { health: { m1: 'Unknown' } });
    const stamped = await env.until('stamped', async () => (await env.getBinding('t-deployment')).spec.gracefulEvictionTasks?.[0]?.creationTimestamp);
    assert.equal(stamped, iso(env.clock.now()));
    await env.step(100 * S);
    await settle();
    assert.deepEqual(await tasksOf('t-deployment'), ['m3']);
    await env.step(21 * S);
    await gone('t-deployment', 'm3');
  });

  it('purgeMode Never keeps the old copy until a person sets suppressDeletion=false', async () => {
    await env.createBinding('n-deployment', {
      clusters: [{ name: 'm1', replicas: 6 }],
      gracefulEvictionTasks: [task('m2', { reason: 'ApplicationFailure', purgeMode: 'Never', suppressDeletion: true })],
    });
    await env.schedule('n-deployment', { health: { m1: 'Healthy' } });
    await env.step(3600 * S);
    await settle();
    assert.deepEqual(await tasksOf('n-deployment'), ['m2']);
    const b = await env.getBinding('n-deployment');
    await env.client.update(bindingRef(b), {
      ...b,
      spec: { ...b.spec, gracefulEvictionTasks: [{ ...b.spec.gracefulEvictionTasks![0]!, suppressDeletion: false }] },
    });
    await gone('n-deployment', 'm2');
  });

  it('the whole chain: NoExecute taint → eviction → replacements ready → old copy released, with metrics', async () => {
    await env.createCluster('x1', { ready: 'True' });
    await env.createCluster('x2', { ready: 'True' });
    await env.createBinding('chain-deployment', { clusters: [{ name: 'x1', replicas: 3 }, { name: 'x2', replicas: 3 }] });
    await env.schedule('chain-deployment', { health: { x1: 'Healthy', x2: 'Healthy' }, ready: { x1: 3, x2: 3 } });
    const failedAt = env.clock.now();
    await env.setCluster('x2', { ready: 'Unknown', readySince: failedAt, taints: [{ key: 'cluster.karmada.io/unreachable', effect: 'NoExecute', timeAdded: iso(failedAt) }] });
    await env.until('evicted', async () => (await tasksOf('chain-deployment')).includes('x2'));
    // The scheduler moves x2's share to x1; x2's stale status is ignored (not a target any more).
    await env.step(5 * S);
    await env.schedule('chain-deployment', { clusters: [['x1', 6]], health: { x1: 'Healthy', x2: 'Healthy' }, ready: { x1: 3, x2: 3 } });
    await settle();
    assert.deepEqual(await tasksOf('chain-deployment'), ['x2'], 'x1 has only 3 of 6 ready');
    await env.step(5 * S);
    await env.schedule('chain-deployment', { health: { x1: 'Healthy', x2: 'Healthy' }, ready: { x1: 6, x2: 3 } });
    await gone('chain-deployment', 'x2');
    const seconds = await env.ctx.metrics.getSingleMetricAsString('flotilla_failover_seconds');
    assert.match(seconds, /flotilla_failover_seconds_sum 10\b/);
    assert.match(seconds, /flotilla_failover_seconds_count 1\b/);
    const life = await env.ctx.metrics.getSingleMetricAsString('flotilla_graceful_eviction_seconds');
    assert.match(life, /flotilla_graceful_eviction_seconds_count\{reason="TaintUntolerated",cause="healthy"\} [1-9]/);
    assert.match(life, /flotilla_graceful_eviction_seconds_count\{reason="TaintUntolerated",cause="timeout"\} [1-9]/);
  });
});
