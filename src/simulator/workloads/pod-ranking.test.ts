import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { compareForDeletion, deletionCost, firstForDeletion, logarithmicRankDiff, podsToDelete } from './pod-ranking.js';

const BASE = Date.parse('2030-01-01T00:00:00Z');
const at = (s: number) => new Date(BASE + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface P {
  name: string;
  node?: string;
  phase?: string;
  readySince?: number;
  created?: number;
  restarts?: number;
  cost?: string;
}

function pod(p: P): Pod {
  return {
    metadata: { name: p.name, uid: p.name, creationTimestamp: p.created === undefined ? undefined : at(p.created), annotations: p.cost === undefined ? {} : { 'controller.kubernetes.io/pod-deletion-cost': p.cost } },
    spec: { containers: [{ name: 'c', image: 'x' }], ...(p.node ? { nodeName: p.node } : {}) },
    status: {
      phase: p.phase ?? 'Running',
      conditions: p.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: at(p.readySince) }],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: p.readySince !== undefined, restartCount: p.restarts ?? 0 }],
    },
  };
}

describe('compareForDeletion (ActivePods order)', () => {
  // [why, the pod deleted first, the other]
  const cases: Array<[string, P, P]> = [
    ['unscheduled before scheduled', { name: 'a' }, { name: 'b', node: 'n1' }],
    ['pending before running', { name: 'a', node: 'n', phase: 'Pending' }, { name: 'b', node: 'n' }],
    ['unknown before running', { name: 'a', node: 'n', phase: 'Unknown' }, { name: 'b', node: 'n' }],
    ['not ready before ready', { name: 'a', node: 'n' }, { name: 'b', node: 'n', readySince: 0 }],
    ['ready more recently first', { name: 'a', node: 'n', readySince: 100 }, { name: 'b', node: 'n', readySince: 10 }],
    ['more restarts first', { name: 'a', node: 'n', restarts: 3 }, { name: 'b', node: 'n', restarts: 1 }],
    ['newer first', { name: 'a', node: 'n', created: 100 }, { name: 'b', node: 'n', created: 10 }],
    ['missing creation time first', { name: 'a', node: 'n' }, { name: 'b', node: 'n', created: 10 }],
  ];
  for (const [why, first, other] of cases) {
    it(why, () => {
      assert.ok(compareForDeletion(pod(first), pod(other)) < 0);
      assert.ok(compareForDeletion(pod(other), pod(first)) > 0);
    });
  }
  it('is 0 for equivalent pods', () => assert.equal(compareForDeletion(pod({ name: 'a', node: 'n', created: 1 }), pod({ name: 'b', node: 'n', created: 1 })), 0));
});

describe('compareForDeletion with ranks (ActivePodsWithRanks)', () => {
  const now = BASE + 3600_000;
  it('prefers lower deletion cost, then more colocated pods', () => {
    assert.ok(compareForDeletion({ pod: pod({ name: 'a', node: 'n', cost: '-5' }), rank: 0 }, { pod: pod({ name: 'b', node: 'n' }), rank: 9 }, now) < 0);
    assert.ok(compareForDeletion({ pod: pod({ name: 'a', node: 'n' }), rank: 3 }, { pod: pod({ name: 'b', node: 'n' }), rank: 1 }, now) < 0);
  });
  it('treats ages in the same power of two as equal, falling back to UIDs', () => {
    // Created 1000 s and 1010 s before now: same log2 bucket in nanoseconds.
    const a = pod({ name: 'a', node: 'n', created: 2600 });
    const b = pod({ name: 'b', node: 'n', created: 2590 });
    assert.ok(compareForDeletion({ pod: b, rank: 0 }, { pod: a, rank: 0 }, now) > 0, 'uid order decides');
    const young = pod({ name: 'z', node: 'n', created: 3590 });
    assert.ok(compareForDeletion({ pod: young, rank: 0 }, { pod: a, rank: 0 }, now) < 0, 'clearly newer goes first');
  });
  it('computes log2 rank differences', () => {
    assert.equal(logarithmicRankDiff(BASE, BASE, BASE + 1000), 0);
    assert.equal(logarithmicRankDiff(BASE + 500, BASE, BASE + 1000), -1);
    assert.equal(logarithmicRankDiff(BASE + 2000, BASE, BASE + 1000), -Math.floor(Math.log2(1e9)) - 1);
  });
});

describe('deletionCost', () => {
  const cases: Array<[string | undefined, number]> = [
    [undefined, 0],
    ['10', 10],
    ['-3', -3],
    ['+4', 4],
    ['x', 0],
    ['1.5', 0],
    ['99999999999', 0],
  ];
  for (const [v, want] of cases) it(`${v} → ${want}`, () => assert.equal(deletionCost(pod({ name: 'p', ...(v === undefined ? {} : { cost: v }) })), want));
});

describe('podsToDelete', () => {
  it('deletes everything when asked for all', () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })];
    assert.equal(podsToDelete(pods, pods, 5, BASE).length, 2);
  });
  it('prefers pods on crowded nodes', () => {
    const own = [pod({ name: 'a', node: 'n1', readySince: 0, created: 0 }), pod({ name: 'b', node: 'n2', readySince: 0, created: 0 })];
    const siblings = [pod({ name: 's1', node: 'n2' }), pod({ name: 's2', node: 'n2' })];
    assert.deepEqual(podsToDelete(own, [...own, ...siblings], 1, BASE + 10_000).map((p) => p.metadata!.name), ['b']);
  });
  it('goes for unscheduled and pending pods first', () => {
    const pods = [pod({ name: 'run', node: 'n', readySince: 0 }), pod({ name: 'pending', node: 'n', phase: 'Pending' }), pod({ name: 'unscheduled', phase: 'Pending' })];
    assert.deepEqual(podsToDelete(pods, pods, 2, BASE).map((p) => p.metadata!.name), ['unscheduled', 'pending']);
    assert.deepEqual(firstForDeletion(pods, 1).map((p) => p.metadata!.name), ['unscheduled']);
  });
});
