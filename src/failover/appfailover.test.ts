import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApplicationFailoverBehavior, ResourceBinding } from '../api/index.js';
import { applicationTaskOptions, UnhealthyTracker } from './appfailover.js';
import { evictCluster } from './eviction.js';

const S = 1000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
type H = 'Healthy' | 'Unhealthy' | 'Unknown';

function binding(health: Record<string, H>, app: ApplicationFailoverBehavior | undefined = { decisionConditions: { tolerationSeconds: 60 } }, tasks: string[] = []): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
      clusters: Object.keys(health).filter((c) => !tasks.includes(c)).map((name) => ({ name, replicas: 2 })),
      ...(app ? { failover: { application: app } } : {}),
      gracefulEvictionTasks: tasks.map((fromCluster) => ({ fromCluster, reason: 'ApplicationFailure', producer: 'x' })),
    },
    status: { aggregatedStatus: Object.entries(health).map(([clusterName, h]) => ({ clusterName, health: h })) },
  };
}

describe('UnhealthyTracker', () => {
  it('evicts after tolerationSeconds of continuous Unhealthy, asking to come back in between', () => {
    const t = new UnhealthyTracker();
    assert.deepEqual(t.detect('k', binding({ member1: 'Healthy', member2: 'Unhealthy' }), T0), { evict: [], retryAfterMs: 60 * S });
    assert.deepEqual(t.detect('k', binding({ member1: 'Healthy', member2: 'Unhealthy' }), T0 + 45 * S), { evict: [], retryAfterMs: 15 * S });
    assert.deepEqual(t.detect('k', binding({ member1: 'Healthy', member2: 'Unhealthy' }), T0 + 60 * S), { evict: ['member2'] });
  });

  it('Healthy resets the clock; Unknown keeps it', () => {
    const t = new UnhealthyTracker();
    t.detect('k', binding({ member2: 'Unhealthy' }), T0);
    t.detect('k', binding({ member2: 'Unknown' }), T0 + 30 * S);
    assert.equal(t.since('k', 'member2'), T0);
    assert.deepEqual(t.detect('k', binding({ member2: 'Unhealthy' }), T0 + 60 * S).evict, ['member2']);
    t.detect('k', binding({ member2: 'Healthy' }), T0 + 61 * S);
    assert.equal(t.since('k', 'member2'), undefined);
    assert.deepEqual(t.detect('k', binding({ member2: 'Unhealthy' }), T0 + 62 * S), { evict: [], retryAfterMs: 60 * S });
  });

  it('default toleration is 300s; 0 evicts at once', () => {
    const t = new UnhealthyTracker();
    assert.deepEqual(t.detect('a', binding({ m: 'Unhealthy' }, { decisionConditions: {} }), T0), { evict: [], retryAfterMs: 300 * S });
    assert.deepEqual(t.detect('b', binding({ m: 'Unhealthy' }, { decisionConditions: { tolerationSeconds: 0 } }), T0), { evict: ['m'] });
  });

  it('ignores clusters already being evicted and forgets clusters no longer targeted', () => {
    const t = new UnhealthyTracker();
    assert.deepEqual(t.detect('k', binding({ member1: 'Unhealthy', member2: 'Unhealthy' }, undefined, ['member2']), T0), { evict: [], retryAfterMs: 60 * S });
    assert.equal(t.since('k', 'member2'), undefined);
    t.detect('k', binding({ member1: 'Unhealthy' }), T0);
    t.detect('k', binding({ member3: 'Healthy' }), T0 + S);
    assert.equal(t.since('k', 'member1'), undefined);
  });

  it('a binding without application failover is forgotten', () => {
    const t = new UnhealthyTracker();
    t.detect('k', binding({ m: 'Unhealthy' }), T0);
    const noApp: ResourceBinding = { ...binding({ m: 'Unhealthy' }), spec: { ...binding({ m: 'Unhealthy' }).spec, failover: undefined } };
    assert.deepEqual(t.detect('k', noApp, T0 + 100 * S), { evict: [] });
    assert.equal(t.since('k', 'm'), undefined);
  });
});

describe('applicationTaskOptions by purgeMode', () => {
  const cases: { name: string; app: ApplicationFailoverBehavior; want: Record<string, unknown> }[] = [
    { name: 'Gracefully by default, grace 600s', app: { decisionConditions: {} }, want: { purgeMode: 'Gracefully', gracePeriodSeconds: 600 } },
    { name: 'Gracefully with its own grace', app: { decisionConditions: {}, purgeMode: 'Gracefully', gracePeriodSeconds: 30 }, want: { purgeMode: 'Gracefully', gracePeriodSeconds: 30 } },
    { name: 'Graciously (deprecated spelling) is Gracefully', app: { decisionConditions: {}, purgeMode: 'Graciously' }, want: { purgeMode: 'Graciously', gracePeriodSeconds: 600 } },
    { name: 'Directly: neither', app: { decisionConditions: {}, purgeMode: 'Directly' }, want: { purgeMode: 'Directly' } },
    { name: 'Never: suppressDeletion', app: { decisionConditions: {}, purgeMode: 'Never' }, want: { purgeMode: 'Never', suppressDeletion: true } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = applicationTaskOptions(c.app, 'p', 'member2', ['member1', 'member2'], T0);
      const task = evictCluster(binding({ member1: 'Healthy', member2: 'Unhealthy' }).spec, 'member2', o).task!;
      assert.equal(task.reason, 'ApplicationFailure');
      assert.equal(task.producer, 'p');
      assert.deepEqual(task.clustersBeforeFailover, ['member1', 'member2']);
      const picked = Object.fromEntries(Object.entries(task).filter(([k]) => ['purgeMode', 'gracePeriodSeconds', 'suppressDeletion'].includes(k)));
      assert.deepEqual(picked, c.want);
    });
  }
});
