import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { everything, selectorFromSet } from '../../selectors/labels.js';
import { adoptPatch, claimDecision, releasePatch } from './claim.js';
import { Expectations } from './expectations.js';
import { calculateReplicaSetStatus, nextAvailabilityChange, replicaDiff, replicaSetStatusChanged } from './replicaset-status.js';
import { availableAt, isPodActive, isPodAvailable, omitEmpty, rfc3339, scaledValue } from './util.js';

const NOW = Date.parse('2030-01-01T00:01:00Z');

function pod(labels: Record<string, string>, readySince?: number, extra: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u', labels, resourceVersion: '7', ...extra },
    status: { phase, conditions: readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(readySince) }] },
  };
}

function rs(replicas: number, minReadySeconds = 0, generation = 1, status: ReplicaSet['status'] = { replicas: 0 }): ReplicaSet {
  return {
    metadata: { name: 'rs', generation },
    spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a', tier: 'fe' } } } },
    status,
  };
}

describe('calculateReplicaSetStatus', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [pod({ app: 'a', tier: 'fe' }, NOW - 60_000), pod({ app: 'a', tier: 'fe' }, NOW - 5_000), pod({ app: 'a' }), pod({ app: 'a', tier: 'fe', extra: 'x' })];
    const s = calculateReplicaSetStatus(rs(4, 10), pods, undefined, NOW);
    assert.deepEqual([s.replicas, s.fullyLabeledReplicas, s.readyReplicas, s.availableReplicas], [4, 3, 2, 1]);
    assert.equal(s.conditions, undefined);
  });
  it('adds ReplicaFailure once on errors and removes it on success', () => {
    const failed = calculateReplicaSetStatus(rs(3), [pod({ app: 'a' })], new Error('quota exceeded'), NOW);
    assert.deepEqual(failed.conditions!.map((c) => [c.type, c.status, c.reason, c.message]), [['ReplicaFailure', 'True', 'FailedCreate', 'quota exceeded']]);
    const again = calculateReplicaSetStatus(rs(3, 0, 1, failed), [pod({ app: 'a' })], new Error('other'), NOW + 1000);
    assert.equal(again.conditions![0]!.message, 'quota exceeded', 'an existing failure is kept as it was');
    const deleting = calculateReplicaSetStatus(rs(0), [pod({ app: 'a' })], new Error('boom'), NOW);
    assert.equal(deleting.conditions![0]!.reason, 'FailedDelete');
    assert.equal(calculateReplicaSetStatus(rs(1, 0, 1, failed), [pod({ app: 'a' })], undefined, NOW).conditions, undefined);
  });
  it('detects what needs writing', () => {
    const cur = rs(1, 0, 2, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
    assert.ok(!replicaSetStatusChanged(cur, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1 }));
    assert.ok(replicaSetStatusChanged(cur, { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0 }));
    assert.ok(replicaSetStatusChanged(rs(1, 0, 3, cur.status), { ...cur.status!, observedGeneration: undefined }), 'a new generation');
  });
});

describe('replicaDiff', () => {
  const cases: Array<[number, number, number, number]> = [
    [0, 3, 500, 3],
    [5, 3, 500, -2],
    [3, 3, 500, 0],
    [0, 1000, 500, 500],
    [1000, 0, 500, -500],
    [0, 10, 4, 4],
  ];
  for (const [active, want, burst, diff] of cases) it(`${active} active, ${want} wanted, burst ${burst} → ${diff}`, () => assert.equal(replicaDiff(active, want, burst), diff));
});

describe('pod availability', () => {
  const cases: Array<[number | undefined, number, boolean]> = [
    // ready since (ms before NOW), minReadySeconds, available
    [undefined, 0, false],
    [0, 0, true],
    [10_000, 5, true],
    [5_000, 5, false],
    [4_000, 5, false],
    [6_000, 5, true],
  ];
  for (const [ago, mrs, want] of cases) {
    it(`ready ${ago ?? 'never'} ms ago, minReadySeconds ${mrs} → ${want}`, () => assert.equal(isPodAvailable(pod({}, ago === undefined ? undefined : NOW - ago), mrs, NOW), want));
  }
  it('says when a ready pod becomes available', () => {
    assert.equal(availableAt(pod({}, NOW - 2000), 5, NOW), NOW + 3001);
    assert.equal(availableAt(pod({}, NOW - 9000), 5, NOW), undefined);
    assert.equal(nextAvailabilityChange([pod({}, NOW - 2000), pod({}, NOW - 4000)], 5, NOW), NOW + 1001);
  });
  it('knows active pods', () => {
    assert.ok(isPodActive(pod({})));
    assert.ok(!isPodActive(pod({}, undefined, {}, 'Succeeded')));
    assert.ok(!isPodActive(pod({}, undefined, { deletionTimestamp: rfc3339(NOW) })));
  });
});

describe('scaledValue', () => {
  const cases: Array<[number | string, number, boolean, number]> = [
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['100%', 7, false, 7],
    ['0%', 7, true, 0],
    ['33%', 3, true, 1],
    ['33%', 3, false, 0],
  ];
  for (const [v, total, up, want] of cases) it(`${v} of ${total} (${up ? 'up' : 'down'}) → ${want}`, () => assert.equal(scaledValue(v, total, up), want));
  it('rejects non-percent strings', () => assert.throws(() => scaledValue('5', 10, true)));
});

describe('claimDecision', () => {
  const owner = { metadata: { uid: 'me' } };
  const deleting = { metadata: { uid: 'me', deletionTimestamp: rfc3339(NOW) } };
  const mine = { controller: true, uid: 'me', apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' };
  const theirs = { ...mine, uid: 'other' };
  const sel = selectorFromSet({ app: 'a' });
  const cases: Array<[string, Pod, typeof owner, string]> = [
    ['keeps its matching pods', pod({ app: 'a' }, undefined, { ownerReferences: [mine] }), owner, 'keep'],
    ['releases its pods that stopped matching', pod({ app: 'b' }, undefined, { ownerReferences: [mine] }), owner, 'release'],
    ['keeps non-matching pods while being deleted', pod({ app: 'b' }, undefined, { ownerReferences: [mine] }), deleting, 'ignore'],
    ['never touches pods of another controller', pod({ app: 'a' }, undefined, { ownerReferences: [theirs] }), owner, 'ignore'],
    ['adopts matching orphans', pod({ app: 'a' }), owner, 'adopt'],
    ['does not adopt non-matching orphans', pod({ app: 'b' }), owner, 'ignore'],
    ['does not adopt terminating orphans', pod({ app: 'a' }, undefined, { deletionTimestamp: rfc3339(NOW) }), owner, 'ignore'],
    ['does not adopt while being deleted', pod({ app: 'a' }), deleting, 'ignore'],
  ];
  for (const [name, p, o, want] of cases) it(name, () => assert.equal(claimDecision(p, o, sel), want));
  it('builds guarded adopt and release patches', () => {
    const p = pod({}, undefined, { ownerReferences: [theirs], finalizers: ['f'] });
    p.metadata!.ownerReferences![0]!.controller = false;
    assert.deepEqual(adoptPatch(p, mine, ['f', 'g']), { metadata: { resourceVersion: '7', ownerReferences: [p.metadata!.ownerReferences![0], mine], finalizers: ['f', 'g'] } });
    assert.deepEqual(releasePatch(pod({}, undefined, { ownerReferences: [mine] }), 'me'), { metadata: { resourceVersion: '7', ownerReferences: null } });
    assert.ok(everything().matches({}));
  });
});

describe('Expectations', () => {
  it('waits for creations and deletions to be observed, or for the TTL', () => {
    const clock = new FakeClock(0);
    const e = new Expectations(clock, 1000);
    assert.ok(e.satisfied('k'));
    e.expect('k', 2, ['ns/a']);
    assert.ok(!e.satisfied('k'));
    e.creationObserved('k');
    e.creationObserved('k');
    assert.ok(!e.satisfied('k'));
    e.deletionObserved('k', 'ns/a');
    assert.ok(e.satisfied('k'));
    e.expectCreations('k', 1);
    clock.step(1001);
    assert.ok(e.satisfied('k'), 'expired');
    e.expectDeletions('k', ['x']);
    e.delete('k');
    assert.ok(e.satisfied('k'));
  });
});

describe('omitEmpty', () => {
  it('drops zero fields only from the list', () => assert.deepEqual(omitEmpty({ a: 0, b: 1, c: 0 }, ['a', 'b']), { b: 1, c: 0 }));
});
