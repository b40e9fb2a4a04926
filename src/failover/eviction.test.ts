import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AggregatedStatusItem, GracefulEvictionTask, ResourceBinding } from '../api/index.js';
import { clusterPurgeMode, evictCluster, retainedClusters } from './eviction.js';
import { assessEvictionTasks, nextRetry, replacementsNotReady } from './graceful.js';

const S = 1000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * S).toISOString().replace('.000Z', 'Z');
const TIMEOUT = 600 * S;

function binding(p: {
  clusters?: [string, number][];
  tasks?: GracefulEvictionTask[];
  status?: [string, AggregatedStatusItem['health'], number?][];
  generation?: number;
  observed?: number;
  scheduled?: 'True' | 'False';
}): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default', generation: p.generation ?? 2 },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
      replicas: 6,
      clusters: (p.clusters ?? []).map(([name, replicas]) => ({ name, replicas })),
      ...(p.tasks ? { gracefulEvictionTasks: p.tasks } : {}),
    },
    status: {
      schedulerObservedGeneration: p.observed ?? p.generation ?? 2,
      ...(p.scheduled ? { conditions: [{ type: 'Scheduled', status: p.scheduled, reason: p.scheduled === 'True' ? 'Success' : 'NoClusterFit', message: '', lastTransitionTime: iso(0) }] } : {}),
      aggregatedStatus: (p.status ?? []).map(([clusterName, health, ready]) => ({ clusterName, health, applied: true, ...(ready !== undefined ? { status: { availableReplicas: ready } } : {}) })),
    },
  };
}

const task = (from: string, extra: Partial<GracefulEvictionTask> = {}): GracefulEvictionTask => ({
  fromCluster: from,
  reason: 'TaintUntolerated',
  producer: 'TaintManager',
  purgeMode: 'Gracefully',
  creationTimestamp: iso(0),
  ...extra,
});

describe('clusterPurgeMode', () => {
  it('policy first, Gracefully when the block has none, else the default', () => {
    assert.equal(clusterPurgeMode({ cluster: { purgeMode: 'Directly' } }), 'Directly');
    assert.equal(clusterPurgeMode({ cluster: {} }, 'Directly'), 'Gracefully');
    assert.equal(clusterPurgeMode({ application: { decisionConditions: {} } }, 'Directly'), 'Directly');
    assert.equal(clusterPurgeMode(undefined), 'Gracefully');
  });
});

describe('evictCluster', () => {
  const b = binding({ clusters: [['member1', 2], ['member2', 2], ['member3', 2]] });
  const opts = { purgeMode: 'Gracefully' as const, reason: 'TaintUntolerated', producer: 'TaintManager', message: 'gone', now: T0 + 5 * S };

  it('removes the cluster and records a task with its replicas and the clusters before', () => {
    const r = evictCluster(b.spec, 'member2', opts);
    assert.equal(r.evicted, true);
    assert.deepEqual(r.spec.clusters, [{ name: 'member1', replicas: 2 }, { name: 'member3', replicas: 2 }]);
    assert.deepEqual(r.spec.gracefulEvictionTasks, [
      { fromCluster: 'member2', purgeMode: 'Gracefully', reason: 'TaintUntolerated', producer: 'TaintManager', creationTimestamp: iso(5), replicas: 2, message: 'gone', clustersBeforeFailover: ['member1', 'member2', 'member3'] },
    ]);
    assert.equal(b.spec.clusters!.length, 3, 'input untouched');
  });
  it('is a no-op for a cluster not targeted', () => {
    const r = evictCluster(b.spec, 'member9', opts);
    assert.equal(r.evicted, false);
    assert.equal(r.spec, b.spec);
  });
  it('does not add a second task for the same cluster', () => {
    const withTask = binding({ clusters: [['member1', 3], ['member2', 3]], tasks: [task('member2')] });
    const r = evictCluster(withTask.spec, 'member2', opts);
    assert.equal(r.task, undefined);
    assert.equal(r.spec.gracefulEvictionTasks!.length, 1);
    assert.deepEqual(r.spec.clusters, [{ name: 'member1', replicas: 3 }]);
  });
  it('suppressDeletion wins over gracePeriodSeconds; both are optional', () => {
    const never = evictCluster(b.spec, 'member1', { ...opts, suppressDeletion: true, gracePeriodSeconds: 60 }).task!;
    assert.equal(never.suppressDeletion, true);
    assert.equal(never.gracePeriodSeconds, undefined);
    const grace = evictCluster(b.spec, 'member1', { ...opts, gracePeriodSeconds: 60 }).task!;
    assert.equal(grace.gracePeriodSeconds, 60);
  });
  it('retainedClusters: Directly tasks do not keep their Work', () => {
    const spec = binding({ clusters: [['member1', 3]], tasks: [task('member2'), task('member3', { purgeMode: 'Directly' }), task('member4', { purgeMode: 'Never' })] }).spec;
    assert.deepEqual([...retainedClusters(spec)].sort(), ['member1', 'member2', 'member4']);
  });
});

describe('assessEvictionTasks (graceful eviction)', () => {
  const healthy: [string, 'Healthy', number][] = [['member1', 'Healthy', 3], ['member3', 'Healthy', 3]];
  const targets: [string, number][] = [['member1', 3], ['member3', 3]];
  const cases: { name: string; b: ResourceBinding; now: number; kept: string[]; removed?: [string, string][]; ready?: (c: string) => boolean }[] = [
    { name: 'replacements healthy: removed', b: binding({ clusters: targets, tasks: [task('member2')], status: healthy }), now: 10, kept: [], removed: [['member2', 'healthy']] },
    { name: 'a target not yet reporting: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: [healthy[0]!] }), now: 10, kept: ['member2'] },
    { name: 'a target Unhealthy: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: [healthy[0]!, ['member3', 'Unhealthy', 3]] }), now: 10, kept: ['member2'] },
    { name: 'a target Unknown: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: [healthy[0]!, ['member3', 'Unknown']] }), now: 10, kept: ['member2'] },
    { name: 'not scheduled yet: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: healthy, generation: 3, observed: 2 }), now: 10, kept: ['member2'] },
    { name: 'grace period over: removed even if unhealthy', b: binding({ clusters: targets, tasks: [task('member2', { gracePeriodSeconds: 60 })], status: [] }), now: 61, kept: [], removed: [['member2', 'timeout']] },
    { name: 'at the grace period exactly: kept', b: binding({ clusters: targets, tasks: [task('member2', { gracePeriodSeconds: 60 })], status: [] }), now: 60, kept: ['member2'] },
    { name: 'default timeout applies without gracePeriodSeconds', b: binding({ clusters: targets, tasks: [task('member2')], status: [] }), now: 601, kept: [], removed: [['member2', 'timeout']] },
    { name: 'suppressDeletion true: kept even when healthy and past any timeout', b: binding({ clusters: targets, tasks: [task('member2', { suppressDeletion: true })], status: healthy }), now: 10_000, kept: ['member2'] },
    { name: 'suppressDeletion false: released at once', b: binding({ clusters: targets, tasks: [task('member2', { suppressDeletion: false })], status: [] }), now: 1, kept: [], removed: [['member2', 'released']] },
    // Stricter than Karmada: these would delete the only copy there.
    { name: 'no target at all: kept (Karmada would drop it)', b: binding({ clusters: [], tasks: [task('member2')] }), now: 10, kept: ['member2'] },
    { name: 'scheduling failed: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: healthy, scheduled: 'False' }), now: 10, kept: ['member2'] },
    { name: 'a target reports fewer ready replicas than assigned: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: [healthy[0]!, ['member3', 'Healthy', 2]] }), now: 10, kept: ['member2'] },
    { name: 'a target cluster not Ready: kept', b: binding({ clusters: targets, tasks: [task('member2')], status: healthy }), now: 10, kept: ['member2'], ready: (c) => c !== 'member3' },
    {
      name: 'several tasks judged one by one',
      b: binding({ clusters: targets, tasks: [task('member2', { gracePeriodSeconds: 5 }), task('member4'), task('member5', { suppressDeletion: true })], status: [] }),
      now: 10,
      kept: ['member4', 'member5'],
      removed: [['member2', 'timeout']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const a = assessEvictionTasks({ binding: c.b, now: T0 + c.now * S, defaultTimeoutMs: TIMEOUT, ...(c.ready ? { clusterReady: c.ready } : {}) });
      assert.deepEqual(a.kept.map((t) => t.fromCluster), c.kept);
      assert.deepEqual(a.removed.map((r) => [r.task.fromCluster, r.cause]), c.removed ?? []);
      assert.equal(a.changed, (c.removed ?? []).length > 0);
    });
  }

  it('stamps a task without creationTimestamp and keeps it', () => {
    const { creationTimestamp: _, ...bare } = task('member2');
    const a = assessEvictionTasks({ binding: binding({ clusters: targets, tasks: [bare], status: healthy }), now: T0 + 7 * S, defaultTimeoutMs: TIMEOUT });
    assert.equal(a.changed, true);
    assert.deepEqual(a.kept.map((t) => t.creationTimestamp), [iso(7)]);
  });

  it('says why replacements are not ready', () => {
    assert.equal(replacementsNotReady(binding({ clusters: targets, status: [healthy[0]!, ['member3', 'Healthy', 1]] })), 'member3 has 1/3 replicas ready');
    assert.equal(replacementsNotReady(binding({ clusters: targets, status: healthy })), undefined);
  });
});

describe('nextRetry', () => {
  it('the first deadline, capped at a tenth of the default timeout; suppressed tasks never', () => {
    assert.equal(nextRetry([task('a', { gracePeriodSeconds: 30 })], TIMEOUT, T0 + 10 * S), 20 * S + 1);
    assert.equal(nextRetry([task('a')], TIMEOUT, T0), 60 * S);
    assert.equal(nextRetry([task('a', { suppressDeletion: true })], TIMEOUT, T0), undefined);
    assert.equal(nextRetry([], TIMEOUT, T0), undefined);
  });
});
