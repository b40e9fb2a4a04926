import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster, Taint } from '../api/index.js';
import { desiredTaints, failoverTaintRules, recheckAfterMs } from './taints.js';
import { taintString } from './tolerations.js';

const S = 1000;
const O = { failoverEvictionTimeoutMs: 30 * S, clusterStabilizationMs: 30 * S };
const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * S).toISOString().replace('.000Z', 'Z');
const NS = (key: string, s = 0): Taint => ({ key: `cluster.karmada.io/${key}`, effect: 'NoSchedule', timeAdded: iso(s) });
const NE = (key: string, s = 0): Taint => ({ key: `cluster.karmada.io/${key}`, effect: 'NoExecute', timeAdded: iso(s) });
const MANUAL: Taint = { key: 'example.com/maintenance', value: 'yes', effect: 'NoExecute' };

function cluster(taints: Taint[], ready?: { status: string; since: number }): Cluster {
  return {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'member1' },
    spec: { syncMode: 'Push', taints },
    status: ready ? { conditions: [{ type: 'Ready', status: ready.status as 'True', reason: 'X', message: '', lastTransitionTime: iso(ready.since) }] } : {},
  };
}

describe('desiredTaints', () => {
  const cases: { name: string; taints: Taint[]; ready?: { status: string; since: number }; now: number; want: string[]; recheck?: number; opts?: Partial<typeof O> }[] = [
    { name: 'no Ready condition: leave taints alone', taints: [NS('unreachable')], now: 100, want: ['cluster.karmada.io/unreachable:NoSchedule'] },
    { name: 'Ready=False: not-ready NoSchedule at once', taints: [], ready: { status: 'False', since: 0 }, now: 1, want: ['cluster.karmada.io/not-ready:NoSchedule'], recheck: 29 * S },
    { name: 'Ready=Unknown: unreachable NoSchedule', taints: [], ready: { status: 'Unknown', since: 0 }, now: 0, want: ['cluster.karmada.io/unreachable:NoSchedule'], recheck: 30 * S },
    { name: 'NoExecute after the eviction timeout', taints: [NS('unreachable')], ready: { status: 'Unknown', since: 0 }, now: 30, want: ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute'] },
    { name: 'eviction disabled: never NoExecute', taints: [NS('unreachable')], ready: { status: 'Unknown', since: 0 }, now: 3600, want: ['cluster.karmada.io/unreachable:NoSchedule'], opts: { failoverEvictionTimeoutMs: -1 } },
    { name: 'a policy-added NoExecute during Failing is kept', taints: [NE('not-ready', 0)], ready: { status: 'False', since: 0 }, now: 5, want: ['cluster.karmada.io/not-ready:NoExecute', 'cluster.karmada.io/not-ready:NoSchedule'] },
    { name: 'Ready=True, stabilizing: NoExecute goes, NoSchedule stays', taints: [NS('unreachable'), NE('unreachable')], ready: { status: 'True', since: 100 }, now: 110, want: ['cluster.karmada.io/unreachable:NoSchedule'], recheck: 20 * S },
    { name: 'Ready=True past the window: all managed taints go', taints: [NS('unreachable'), MANUAL], ready: { status: 'True', since: 100 }, now: 130, want: ['example.com/maintenance=yes:NoExecute'] },
    { name: 'manual taints are never touched', taints: [MANUAL], ready: { status: 'Unknown', since: 0 }, now: 60, want: ['example.com/maintenance=yes:NoExecute', 'cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute'] },
    { name: 'a fresh Ready cluster gets nothing', taints: [], ready: { status: 'True', since: 100 }, now: 100, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = desiredTaints(cluster(c.taints, c.ready), undefined, T0 + c.now * S, { ...O, ...c.opts });
      assert.deepEqual(plan.taints.map(taintString), c.want);
      assert.equal(plan.recheckAfterMs, c.recheck);
      assert.equal(plan.changed, c.want.join() !== c.taints.map(taintString).join());
    });
  }

  it('a status flip moves NoExecute to the other key and keeps its timeAdded', () => {
    const plan = desiredTaints(cluster([NS('unreachable', 0), NE('unreachable', 30)], { status: 'False', since: 50 }), undefined, T0 + 51 * S, O);
    assert.deepEqual(plan.taints.map(taintString), ['cluster.karmada.io/not-ready:NoSchedule', 'cluster.karmada.io/not-ready:NoExecute']);
    assert.equal(plan.taints[1]!.timeAdded, iso(30));
    assert.deepEqual(plan.added.map(taintString), ['cluster.karmada.io/not-ready:NoSchedule', 'cluster.karmada.io/not-ready:NoExecute']);
    assert.deepEqual(plan.removed.map(taintString), ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
  });

  it('a new taint is stamped now; an unchanged plan returns the same taints', () => {
    const plan = desiredTaints(cluster([], { status: 'Unknown', since: 0 }), undefined, T0 + 40 * S, O);
    assert.deepEqual(plan.taints.map((t) => t.timeAdded), [iso(40), iso(40)]);
    const again = desiredTaints(cluster(plan.taints, { status: 'Unknown', since: 0 }), undefined, T0 + 41 * S, O);
    assert.equal(again.changed, false);
    assert.deepEqual(again.taints, plan.taints);
  });

  it('the health argument overrides the stored condition (status and taints written together)', () => {
    const plan = desiredTaints(cluster([], { status: 'True', since: 0 }), { status: 'Unknown', lastTransitionTime: T0 + 10 * S }, T0 + 10 * S, O);
    assert.deepEqual(plan.taints.map(taintString), ['cluster.karmada.io/unreachable:NoSchedule']);
  });

  it('a failed probe restarts the stabilisation window', () => {
    const c = cluster([NS('unreachable')], { status: 'True', since: 0 });
    assert.equal(desiredTaints(c, undefined, T0 + 40 * S, O).changed, true);
    const held = desiredTaints(c, { status: 'True', lastTransitionTime: T0, lastFailureAt: T0 + 20 * S }, T0 + 40 * S, O);
    assert.equal(held.changed, false);
    assert.equal(held.recheckAfterMs, 10 * S);
  });
});

describe('failoverTaintRules (the rule-table form)', () => {
  const rules = failoverTaintRules(O);
  const want = (status: string | undefined, since: number, now: number) =>
    Object.fromEntries(rules.map((r) => [`${r.key.replace('cluster.karmada.io/', '')}:${r.effect}`, r.wanted({ ready: status ? { status, lastTransitionTime: iso(since) } : undefined, now: T0 + now * S })]));
  it('agrees with desiredTaints', () => {
    assert.deepEqual(want(undefined, 0, 0), { 'not-ready:NoSchedule': undefined, 'unreachable:NoSchedule': undefined, 'not-ready:NoExecute': undefined, 'unreachable:NoExecute': undefined });
    assert.deepEqual(want('False', 0, 10), { 'not-ready:NoSchedule': true, 'unreachable:NoSchedule': false, 'not-ready:NoExecute': undefined, 'unreachable:NoExecute': false });
    assert.deepEqual(want('Unknown', 0, 30), { 'not-ready:NoSchedule': false, 'unreachable:NoSchedule': true, 'not-ready:NoExecute': false, 'unreachable:NoExecute': true });
    assert.deepEqual(want('True', 0, 10), { 'not-ready:NoSchedule': undefined, 'unreachable:NoSchedule': undefined, 'not-ready:NoExecute': false, 'unreachable:NoExecute': false });
    assert.deepEqual(want('True', 0, 30), { 'not-ready:NoSchedule': false, 'unreachable:NoSchedule': false, 'not-ready:NoExecute': false, 'unreachable:NoExecute': false });
  });
  it('recheckAfterMs: when the phase ends by itself', () => {
    assert.equal(recheckAfterMs({ status: 'Unknown', lastTransitionTime: iso(0) }, T0 + 10 * S, O), 20 * S);
    assert.equal(recheckAfterMs({ status: 'True', lastTransitionTime: iso(0) }, T0 + 10 * S, O), 20 * S);
    assert.equal(recheckAfterMs({ status: 'True', lastTransitionTime: iso(0) }, T0 + 40 * S, O), undefined);
    assert.equal(recheckAfterMs(undefined, T0, O), undefined);
  });
});
