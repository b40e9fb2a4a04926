import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../client/resources.js';
import { PodIndex } from './pod-index.js';
import { bindingFor, needsScheduling, nodeInfos, Scheduler, unschedulableCondition } from './scheduler.js';
import { eventually, pod, readyNode, testCluster, type TestCluster } from './testing/cluster.js';

const node = (name: string, cpu = '4') => readyNode(name, { cpu, memory: '8Gi', pods: '110' }) as Node;
const bound = (name: string, nodeName: string, cpu: string, extra: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod =>
  ({ ...pod(name, cpu), metadata: { name, namespace: 'default', ...extra }, spec: { ...pod(name, cpu).spec, nodeName }, status: { phase } }) as Pod;

describe('scheduler: pure parts', () => {
  it('decides who it schedules', () => {
    assert.ok(needsScheduling(pod('a') as Pod));
    assert.ok(!needsScheduling({ ...pod('a'), spec: { ...pod('a').spec, nodeName: 'n' } } as Pod));
    assert.ok(!needsScheduling({ ...pod('a'), spec: { ...pod('a').spec, schedulerName: 'other' } } as Pod));
    assert.ok(!needsScheduling({ ...pod('a'), metadata: { name: 'a', deletionTimestamp: 'x' } } as Pod));
    assert.ok(!needsScheduling({ ...pod('a'), status: { phase: 'Failed' } } as Pod));
  });

  it('accounts bound pods, terminating ones until gone, not finished ones, plus assumed pods', () => {
    const pods = new Map<string, Pod[]>([
      ['n1', [bound('a', 'n1', '1'), bound('b', 'n1', '1', { deletionTimestamp: '2026-01-01T00:00:00Z' }), bound('c', 'n1', '1', {}, 'Succeeded')]],
    ]);
    const assumed = new Map([['default/d', { node: 'n1', pod: bound('d', 'n1', '500m') }], ['default/a', { node: 'n1', pod: bound('a', 'n1', '1') }]]);
    const [info] = nodeInfos([node('n1')], (n) => pods.get(n) ?? [], assumed);
    assert.equal(info!.podCount, 3, 'a, b (terminating) and d (assumed); a is not counted twice, c finished');
    assert.equal(info!.requested.cpu, 2500n);
  });

  it('writes PodScheduled=False only when it changes, keeping the transition time', () => {
    const result = { unschedulable: true as const, reason: 'Unschedulable' as const, message: '0/1 nodes are available: 1 Insufficient cpu.', nodeReasons: {} };
    const c = unschedulableCondition(pod('a') as Pod, result, 'T1')!;
    assert.deepEqual([c.status, c.reason, c.message, c.lastTransitionTime], ['False', 'Unschedulable', result.message, 'T1']);
    const withCond = { ...pod('a'), status: { conditions: [c] } } as Pod;
    assert.equal(unschedulableCondition(withCond, result, 'T2'), undefined);
    assert.equal(unschedulableCondition(withCond, { ...result, message: 'other' }, 'T2')!.lastTransitionTime, 'T1');
  });

  it('builds a v1 Binding to a Node', () => {
    assert.deepEqual(bindingFor(pod('a') as Pod, 'n1'), {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'a', namespace: 'default' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'n1' },
    });
  });
});

describe('scheduler against an API server', () => {
  let t: TestCluster;
  let sched: Scheduler;
  before(async () => {
    t = await testCluster();
    const pods = new PodIndex(t.ctx.factory.for(R.pods));
    sched = new Scheduler(t.ctx, pods);
    for (const n of ['n1', 'n2']) await t.client.create(R.nodes, node(n, '2'));
    t.ctx.factory.start(t.ctx.signal);
    await t.ctx.factory.synced();
    sched.start();
  });
  after(() => t.stop());

  const get = (name: string): Promise<Pod> => t.client.get(R.pods, name, 'default');

  it('binds pods through pods/binding, spreading by least allocation', async () => {
    await t.client.create(R.pods, pod('p1', '1'));
    await t.client.create(R.pods, pod('p2', '1'));
    const [a, b] = await eventually('both bound', async () => {
      const ps = await Promise.all([get('p1'), get('p2')]);
      return ps.every((p) => p.spec?.nodeName) && ps;
    });
    assert.notEqual(a!.spec!.nodeName, b!.spec!.nodeName);
    assert.equal(a!.status!.conditions!.find((c) => c.type === 'PodScheduled')?.status, 'True');
  });

  it('counts pods it just bound (assumed) so a burst does not overcommit a node', async () => {
    await Promise.all(['q1', 'q2'].map((n) => t.client.create(R.pods, pod(n, '900m'))));
    const ps = await eventually('burst bound', async () => {
      const ps = await Promise.all([get('q1'), get('q2')]);
      return ps.every((p) => p.spec?.nodeName) && ps;
    });
    assert.notEqual(ps[0]!.spec!.nodeName, ps[1]!.spec!.nodeName);
  });

  it('marks a pod that fits nowhere Unschedulable with the FitError message, and binds it once a node fits', async () => {
    await t.client.create(R.pods, pod('huge', '3'));
    const p = await eventually('unschedulable', async () => {
      const p = await get('huge');
      return p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') && p;
    });
    const cond = p.status!.conditions!.find((c) => c.type === 'PodScheduled')!;
    assert.equal(cond.status, 'False');
    assert.match(cond.message!, /^0\/2 nodes are available: 2 Insufficient cpu\./);
    assert.equal(p.spec!.nodeName, undefined);
    await t.client.create(R.nodes, node('n3', '8'));
    const placed = await eventually('bound after node added', async () => (await get('huge')).spec?.nodeName);
    assert.equal(placed, 'n3');
  });

  it('retries unschedulable pods when room is freed', async () => {
    await t.client.create(R.pods, pod('later', '6'));
    await eventually('unschedulable', async () => (await get('later')).status?.conditions?.some((c) => c.reason === 'Unschedulable'));
    await t.client.delete(R.pods, 'huge', { namespace: 'default', gracePeriodSeconds: 0 });
    assert.equal(await eventually('bound after delete', async () => (await get('later')).spec?.nodeName), 'n3');
    assert.ok(sched.bound >= 6);
  });
});
