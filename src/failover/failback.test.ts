import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding, Taint } from '../api/index.js';
import { decideFailback, failbackSettings, parseDuration, preferredClusters, type ClusterView, type FailbackSettings } from './failback.js';

const S = 1000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * S).toISOString().replace('.000Z', 'Z');

function binding(p: {
  clusters: string[];
  before?: string;
  started?: number;
  tasks?: string[];
  generation?: number;
  observed?: number;
  health?: Record<string, string>;
  lastScheduled?: number;
  tolerations?: { key: string; operator: 'Exists' }[];
}): ResourceBinding {
  const annotations: Record<string, string> = {};
  if (p.before !== undefined) annotations['failover.flotilla.io/clusters-before-failover'] = p.before;
  if (p.started !== undefined) annotations['failover.flotilla.io/failback-started-at'] = iso(p.started);
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default', generation: p.generation ?? 1, annotations },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      clusters: p.clusters.map((name) => ({ name })),
      ...(p.tolerations ? { placement: { clusterTolerations: p.tolerations } } : {}),
      ...(p.tasks ? { gracefulEvictionTasks: p.tasks.map((fromCluster) => ({ fromCluster, reason: 'TaintUntolerated', producer: 'TaintManager', clustersBeforeFailover: ['x', 'y'] })) } : {}),
    },
    status: {
      schedulerObservedGeneration: p.observed ?? p.generation ?? 1,
      ...(p.lastScheduled !== undefined ? { lastScheduledTime: iso(p.lastScheduled) } : {}),
      aggregatedStatus: Object.entries(p.health ?? {}).map(([clusterName, health]) => ({ clusterName, health: health as 'Healthy' })),
    },
  };
}

const ready = (since: number, taints: Taint[] = []): ClusterView => ({ ready: { status: 'True', lastTransitionTime: iso(since) }, taints });
const down: ClusterView = { ready: { status: 'Unknown', lastTransitionTime: iso(0) }, taints: [{ key: 'cluster.karmada.io/unreachable', effect: 'NoSchedule' }] };
const SETTINGS: FailbackSettings = { stabilizationMs: 60 * S, maxConcurrent: 1 };

describe('failback settings', () => {
  it('parses durations', () => {
    for (const [s, ms] of [['60s', 60_000], ['2m', 120_000], ['1m30s', 90_000], ['500ms', 500], ['90', 90_000], ['1h', 3_600_000]] as const) assert.equal(parseDuration(s), ms, s);
    for (const bad of ['', 'abc', '10x', '5 s', 's10']) assert.equal(parseDuration(bad), undefined, bad);
  });
  it('binding annotations win over the policy; off unless "true"', () => {
    const policy = { 'failover.flotilla.io/failback': 'true', 'failover.flotilla.io/failback-stabilization': '2m', 'failover.flotilla.io/failback-max-concurrent': '3' };
    assert.deepEqual(failbackSettings(policy, undefined, { stabilizationMs: 30_000 }), { stabilizationMs: 120_000, maxConcurrent: 3 });
    assert.deepEqual(failbackSettings(policy, { 'failover.flotilla.io/failback-stabilization': '10s' }, { stabilizationMs: 30_000 }), { stabilizationMs: 10_000, maxConcurrent: 3 });
    assert.equal(failbackSettings(policy, { 'failover.flotilla.io/failback': 'false' }, { stabilizationMs: 1 }), undefined);
    assert.equal(failbackSettings({}, undefined, { stabilizationMs: 1 }), undefined);
    assert.deepEqual(failbackSettings({ 'failover.flotilla.io/failback': 'True', 'failover.flotilla.io/failback-max-concurrent': '0' }, undefined, { stabilizationMs: 5 }), { stabilizationMs: 5, maxConcurrent: 1 });
  });
  it('preferred clusters: the annotation, else the tasks', () => {
    assert.deepEqual(preferredClusters(binding({ clusters: [], before: 'a, b' })), ['a', 'b']);
    assert.deepEqual(preferredClusters(binding({ clusters: [], tasks: ['b'] })), ['x', 'y']);
    assert.equal(preferredClusters(binding({ clusters: ['a'] })), undefined);
  });
});

describe('decideFailback', () => {
  const fleet = (views: Record<string, ClusterView>) => (name: string) => views[name];
  const base = { settings: SETTINGS, now: T0 + 200 * S, inFlight: 0, inFlightTimeoutMs: 600 * S };
  const cases: { name: string; b: ResourceBinding; clusters: Record<string, ClusterView>; o?: Partial<typeof base>; want: string; reason?: RegExp; retry?: number }[] = [
    { name: 'nothing recorded: none', b: binding({ clusters: ['m1'] }), clusters: {}, want: 'none' },
    { name: 'preferred all targeted again: forget', b: binding({ clusters: ['m1', 'm2'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(0) }, want: 'forget' },
    { name: 'a preferred cluster was deleted: forget', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0) }, want: 'forget' },
    { name: 'not opted in: none (the record stays)', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(0) }, o: { settings: undefined as unknown as FailbackSettings }, want: 'none' },
    { name: 'eviction still in progress: wait', b: binding({ clusters: ['m1'], before: 'm1,m2', tasks: ['m2'] }), clusters: { m1: ready(0), m2: ready(0) }, want: 'wait', reason: /eviction/ },
    { name: 'not scheduled: wait', b: binding({ clusters: ['m1'], before: 'm1,m2', generation: 3, observed: 2 }), clusters: { m1: ready(0), m2: ready(0) }, want: 'wait', reason: /scheduler/ },
    { name: 'preferred cluster down: wait', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: down }, want: 'wait', reason: /m2 is not Ready/ },
    { name: 'preferred cluster Ready but not for the window: wait until it is', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(170) }, want: 'wait', reason: /stabilisation/, retry: 30 * S },
    { name: 'preferred cluster still tainted: wait', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(0, down.taints as Taint[]) }, want: 'wait', reason: /taint/ },
    { name: 'a tolerated taint does not block', b: binding({ clusters: ['m1'], before: 'm1,m2', tolerations: [{ key: 'cluster.karmada.io/unreachable', operator: 'Exists' }] }), clusters: { m1: ready(0), m2: ready(0, down.taints as Taint[]) }, want: 'trigger' },
    { name: 'too many in flight: wait', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(0) }, o: { inFlight: 1 }, want: 'wait', reason: /already moving/ },
    { name: 'stable and a slot free: trigger', b: binding({ clusters: ['m1'], before: 'm1,m2' }), clusters: { m1: ready(0), m2: ready(0) }, want: 'trigger' },
    { name: 'in flight, not ready yet: wait', b: binding({ clusters: ['m1', 'm2'], before: 'm1,m2', started: 190, health: { m1: 'Healthy' } }), clusters: { m1: ready(0), m2: ready(0) }, want: 'wait', reason: /no status from m2/ },
    { name: 'in flight and ready: complete', b: binding({ clusters: ['m1', 'm2'], before: 'm1,m2', started: 190, health: { m1: 'Healthy', m2: 'Healthy' } }), clusters: {}, want: 'complete' },
    { name: 'in flight too long: complete (give up)', b: binding({ clusters: ['m1'], before: 'm1,m2', started: 0, health: {} }), clusters: {}, o: { inFlightTimeoutMs: 100 * S }, want: 'complete', reason: /gave up/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideFailback({ ...base, ...c.o, binding: c.b, cluster: fleet(c.clusters) });
      assert.equal(d.action, c.want, JSON.stringify(d));
      if (c.reason) assert.match((d as { reason: string }).reason, c.reason);
      if (c.retry !== undefined) assert.equal((d as { retryAfterMs?: number }).retryAfterMs, c.retry);
    });
  }

  it('the trigger time is strictly after lastScheduledTime, at seconds precision', () => {
    const d1 = decideFailback({ ...base, now: T0 + 200 * S + 300, binding: binding({ clusters: ['m1'], before: 'm1,m2', lastScheduled: 200 }), cluster: fleet({ m1: ready(0), m2: ready(0) }) });
    assert.deepEqual(d1, { action: 'trigger', clusters: ['m2'], rescheduleTriggeredAt: iso(201) });
    const d2 = decideFailback({ ...base, now: T0 + 200 * S, binding: binding({ clusters: ['m1'], before: 'm1,m2', lastScheduled: 205 }), cluster: fleet({ m1: ready(0), m2: ready(0) }) });
    assert.equal(d2.action === 'trigger' && d2.rescheduleTriggeredAt, iso(206));
  });
});
