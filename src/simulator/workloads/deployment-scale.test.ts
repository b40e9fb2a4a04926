import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import {
  findActiveOrLatest,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newReplicaSetTarget,
  newRSNewReplicas,
  oldReplicaSetsScaleDown,
  replicaSetsToCleanUp,
  resolveFenceposts,
  rollingUpdateError,
  scaleSteps,
} from './deployment-scale.js';
import { setReplicasAnnotations } from './deployment-util.js';

const T = (n: number) => new Date(Date.UTC(2030, 0, 1, 0, n)).toISOString();

function dep(replicas: number, surge: number | string = 0, unavailable: number | string = 0, type = 'RollingUpdate'): Deployment {
  return {
    metadata: { name: 'foo', generation: 1 },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
    },
  };
}

function rs(name: string, replicas: number, created: number, available = 0, extra: Partial<ReplicaSet['metadata']> = {}): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: T(created), ...extra },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available },
  };
}

describe('resolveFenceposts', () => {
  const cases: Array<[number | string, number | string, number, number, number]> = [
    // maxSurge, maxUnavailable, desired, surge, unavailable
    [0, 0, 0, 0, 1],
    ['0%', '0%', 10, 0, 1],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 1, 1, 0],
    ['50%', '25%', 1, 1, 0],
    ['0%', '1%', 10, 0, 1],
    [1, '0%', 10, 1, 0],
    [0, 1, 5, 0, 1],
    ['30%', '20%', 10, 3, 2],
    ['100%', '100%', 3, 3, 3],
    [5, 10, 3, 5, 10],
  ];
  for (const [s, u, d, ws, wu] of cases) {
    it(`maxSurge=${s} maxUnavailable=${u} replicas=${d} → ${ws}/${wu}`, () => assert.deepEqual(resolveFenceposts(s, u, d), { surge: ws, unavailable: wu }));
  }
  it('refuses strings that are not percentages', () => assert.throws(() => resolveFenceposts('abc', 0, 10), /not a percentage/));
  it('flags both zero as invalid', () => {
    assert.ok(rollingUpdateError(dep(3, 0, 0)));
    assert.ok(rollingUpdateError(dep(3, '0%', 0)));
    assert.equal(rollingUpdateError(dep(3, 1, 0)), undefined);
  });
});

describe('maxSurge / maxUnavailable', () => {
  it('are 0 and capped for Recreate and tiny deployments', () => {
    assert.equal(maxSurge(dep(10, 3, 2, 'Recreate')), 0);
    assert.equal(maxUnavailable(dep(10, 3, 2, 'Recreate')), 0);
    assert.equal(maxUnavailable(dep(0, 1, 1)), 0);
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxUnavailable(dep(10, '25%', '25%')), 2);
    assert.equal(maxSurge(dep(10, '25%', '25%')), 3);
  });
});

describe('newRSNewReplicas / newReplicaSetTarget', () => {
  const cases: Array<[string, Deployment, ReplicaSet[], ReplicaSet, number]> = [
    ['recreate takes the full count', dep(10, 0, 0, 'Recreate'), [rs('old', 10, 0)], rs('new', 0, 1), 10],
    ['surge 1 of 1', dep(1, 1, 0), [rs('old', 1, 0)], rs('new', 0, 1), 1],
    ['surge 3 of 10', dep(10, 3, 2), [rs('old', 10, 0)], rs('new', 0, 1), 3],
    ['no room left', dep(10, 3, 2), [rs('old', 10, 0)], rs('new', 3, 1), 3],
    ['capped by the deployment size', dep(10, 5, 0), [rs('old', 1, 0)], rs('new', 8, 1), 10],
  ];
  for (const [name, d, olds, n, want] of cases) it(name, () => assert.equal(newRSNewReplicas(d, [...olds, n], n), want));
  it('scales a too-big new ReplicaSet down to the deployment size, and leaves a right-sized one', () => {
    assert.equal(newReplicaSetTarget(dep(3, 1, 0), [rs('new', 5, 1)], rs('new', 5, 1)), 3);
    assert.equal(newReplicaSetTarget(dep(3, 1, 0), [rs('new', 3, 1)], rs('new', 3, 1)), undefined);
  });
});

describe('oldReplicaSetsScaleDown', () => {
  const sizes = (steps: ReturnType<typeof oldReplicaSetsScaleDown>) => steps.map((s) => [s.rs.metadata!.name, s.replicas]);
  it('scales down available old pods while minAvailable holds', () => {
    const old = rs('old', 10, 0, 10);
    const n = rs('new', 3, 1, 0);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(10, 3, 2), [old, n], [old], n)), [['old', 8]]);
  });
  it('removes unhealthy old pods first, and no available ones below the minimum', () => {
    const old = rs('old', 10, 0, 7);
    const n = rs('new', 3, 1, 0);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(10, 3, 2), [old, n], [old], n)), [['old', 8]]);
  });
  it('scales old pods to zero once the new ones are available', () => {
    const old = rs('old', 3, 0, 3);
    const n = rs('new', 10, 1, 10);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(10, 3, 2), [old, n], [old], n)), [['old', 0]]);
  });
  it('does nothing while unavailable new pods use up the budget', () => {
    const old = rs('old', 8, 0, 8);
    const n = rs('new', 2, 1, 0);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(10, 0, 2), [old, n], [old], n)), []);
  });
  it('takes the oldest ReplicaSet first', () => {
    const o1 = rs('v1', 2, 0, 2);
    const o2 = rs('v2', 2, 1, 2);
    const n = rs('v3', 1, 2, 1);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(4, 1, 1), [o1, o2, n], [o2, o1], n)), [['v1', 0]]);
  });
  it('ignores old ReplicaSets already at zero', () => {
    const n = rs('new', 3, 1, 3);
    assert.deepEqual(sizes(oldReplicaSetsScaleDown(dep(3, 1, 0), [rs('old', 0, 0), n], [rs('old', 0, 0)], n)), []);
  });
});

describe('scaleSteps (proportional scaling, as TestScale)', () => {
  // [name, deployment now, deployment before, new RS, old RSs (newest first), expected new, expected olds, desired annotation overrides]
  type Case = [string, Deployment, Deployment, [string, number] | null, Array<[string, number]>, number | null, number[], Record<string, number>?];
  const cases: Case[] = [
    ['10 -> 12', dep(12), dep(10), ['v1', 10], [], 12, []],
    ['10 -> 5', dep(5), dep(10), ['v1', 10], [], 5, []],
    ['5 -> 10', dep(10), dep(5), ['v2', 2], [['v1', 3]], 4, [6]],
    ['5 -> 3', dep(3), dep(5), ['v2', 2], [['v1', 3]], 1, [2]],
    ['9 -> 4', dep(4), dep(9), ['v2', 8], [['v1', 1]], 4, [0]],
    ['7 -> 10', dep(10), dep(7), ['v3', 2], [['v2', 3], ['v1', 2]], 3, [4, 3]],
    ['13 -> 8', dep(8), dep(13), ['v3', 2], [['v2', 8], ['v1', 3]], 1, [5, 2]],
    ['leftover 3 -> 4', dep(4), dep(3), ['v3', 1], [['v2', 1], ['v1', 1]], 2, [1, 1]],
    ['leftover 3 -> 2', dep(2), dep(3), ['v3', 1], [['v2', 1], ['v1', 1]], 1, [1, 0]],
    ['no new rs 4 -> 5', dep(5), dep(4), null, [['v2', 2], ['v1', 2]], null, [3, 2]],
    ['6 -> 0', dep(0), dep(6), ['v3', 3], [['v2', 2], ['v1', 1]], 0, [0, 0]],
    ['0 -> 6', dep(6), dep(6), ['v3', 0], [['v2', 0], ['v1', 0]], 6, [0, 0]],
    ['partially applied earlier', dep(5), dep(5), ['v3', 2], [['v2', 1], ['v1', 1]], 2, [2, 1], { v2: 3 }],
    ['with surge 10 -> 20', dep(20, 2), dep(10, 2), ['v2', 6], [['v1', 6]], 11, [11]],
    ['surge and size change', dep(50, 6), dep(10, 3), ['v2', 5], [['v1', 8]], 22, [34]],
  ];
  for (const [name, d, before, newSpec, oldSpecs, wantNew, wantOld, desired] of cases) {
    it(name, () => {
      const annotate = (r: ReplicaSet) => {
        const want = desired?.[r.metadata!.name!] ?? before.spec!.replicas!;
        setReplicasAnnotations(r, want, want + maxSurge(before));
        return r;
      };
      const newRS = newSpec ? annotate(rs(newSpec[0], newSpec[1], 10)) : undefined;
      const olds = oldSpecs.map(([n, r], i) => annotate(rs(n, r, 5 - i)));
      const steps = scaleSteps(d, newRS, olds);
      const size = (r: ReplicaSet) => steps.find((s) => s.rs === r)?.replicas ?? r.spec!.replicas;
      if (newRS) assert.equal(size(newRS), wantNew, 'new');
      assert.deepEqual(olds.map(size), wantOld, 'old');
    });
  }
  it('leaves old pods alone when a saturated new ReplicaSet is broken', () => {
    const d = dep(2, 1, 1);
    const n = rs('v2', 2, 10, 0);
    const o = rs('v1', 1, 5, 1);
    setReplicasAnnotations(n, 2, 3);
    setReplicasAnnotations(o, 2, 3);
    const steps = scaleSteps(d, n, [o]);
    assert.ok(steps.every((s) => s.replicas === s.rs.spec!.replicas));
  });
  it('zeroes old ReplicaSets once the new one is saturated', () => {
    const d = dep(2, 1, 1);
    const n = rs('v2', 2, 10, 2);
    setReplicasAnnotations(n, 2, 3);
    assert.ok(isSaturated(d, n));
    assert.deepEqual(scaleSteps(d, n, [rs('v1', 1, 5, 1)]).map((s) => [s.rs.metadata!.name, s.replicas]), [['v1', 0]]);
  });
});

describe('findActiveOrLatest', () => {
  it('returns the only active ReplicaSet, the new one when none is active, else the newest old one', () => {
    const a = rs('a', 0, 0);
    const b = rs('b', 0, 1);
    assert.equal(findActiveOrLatest(rs('n', 0, 2), [a, b])!.metadata!.name, 'n');
    assert.equal(findActiveOrLatest(undefined, [a, b])!.metadata!.name, 'b');
    assert.equal(findActiveOrLatest(undefined, [a, rs('c', 2, 1)])!.metadata!.name, 'c');
    assert.equal(findActiveOrLatest(rs('n', 1, 2), [rs('c', 2, 1)]), undefined);
    assert.equal(findActiveOrLatest(undefined, []), undefined);
  });
});

describe('replicaSetsToCleanUp', () => {
  const withRev = (name: string, rev: number, replicas = 0, extra: Partial<ReplicaSet['metadata']> = {}) => {
    const r = rs(name, replicas, rev, 0, { annotations: { 'deployment.kubernetes.io/revision': String(rev) }, generation: 1, ...extra });
    r.status!.observedGeneration = 1;
    return r;
  };
  const names = (d: Deployment, olds: ReplicaSet[]) => replicaSetsToCleanUp(d, olds).map((r) => r.metadata!.name);
  it('deletes the oldest revisions beyond the limit', () => {
    const d = { ...dep(1), spec: { ...dep(1).spec!, revisionHistoryLimit: 1 } };
    assert.deepEqual(names(d, [withRev('r3', 3), withRev('r1', 1), withRev('r2', 2)]), ['r1', 'r2']);
  });
  it('skips ReplicaSets with pods, unobserved generations or being deleted', () => {
    const d = { ...dep(1), spec: { ...dep(1).spec!, revisionHistoryLimit: 0 } };
    const unobserved = withRev('u', 2, 0, { generation: 2 });
    assert.deepEqual(names(d, [withRev('busy', 1, 1), unobserved, withRev('gone', 3, 0, { deletionTimestamp: T(1) }), withRev('ok', 4)]), ['ok']);
  });
  it('keeps everything without a limit', () => {
    const d = dep(1);
    delete d.spec!.revisionHistoryLimit;
    assert.deepEqual(names(d, [withRev('a', 1)]), []);
  });
});
