import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { cleanUncounted, enactFinished, interimCondition, recordFinishedPods, statusForWrite, type TrackedStatus } from './job-tracking.js';
import { failureCheck, newJobCondition, TRACKING_FINALIZER } from './job-util.js';
import { rfc3339 } from './util.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

const job = (spec: Partial<Job['spec']> = {}): Job => ({ metadata: { name: 'j' }, spec: { template: { spec: { containers: [] } }, ...spec } });
const status = (u: Partial<TrackedStatus['uncountedTerminatedPods']> = {}, extra: Partial<TrackedStatus> = {}): TrackedStatus => ({
  uncountedTerminatedPods: { succeeded: [...(u.succeeded ?? [])], failed: [...(u.failed ?? [])] },
  ...extra,
});
function pod(uid: string, phase: string, o: { finalizer?: boolean; deleting?: boolean; index?: number } = {}): Pod {
  return {
    metadata: {
      name: uid,
      uid,
      ...(o.finalizer === false ? {} : { finalizers: [TRACKING_FINALIZER] }),
      ...(o.deleting ? { deletionTimestamp: rfc3339(NOW) } : {}),
      ...(o.index === undefined ? {} : { annotations: { 'batch.kubernetes.io/job-completion-index': String(o.index) } }),
    },
    status: { phase },
  };
}
const none = { succeeded: new Set<string>(), failed: new Set<string>() };

describe('recordFinishedPods', () => {
  it('records succeeded and failed pods once, and only finished ones lose the finalizer', () => {
    const s = status();
    const pods = [pod('a', 'Succeeded'), pod('b', 'Failed'), pod('c', 'Running'), pod('d', 'Running', { deleting: true }), pod('e', 'Succeeded', { finalizer: false })];
    const r = recordFinishedPods({ job: job(), status: s, pods, finished: undefined, uncounted: none, expectedRemovals: new Set(), succeededIndexes: new Set() });
    assert.deepEqual(r.toRemove.map((p) => p.metadata!.uid), ['a', 'b', 'd']);
    assert.deepEqual(s.uncountedTerminatedPods, { succeeded: ['a'], failed: ['b', 'd'] });
    assert.ok(r.changed);
    assert.ok(!r.reachedMax);
  });
  it('does not record again what is already uncounted or being released', () => {
    const s = status({ succeeded: ['a'] });
    const r = recordFinishedPods({ job: job(), status: s, pods: [pod('a', 'Succeeded'), pod('b', 'Failed')], finished: undefined, uncounted: { succeeded: new Set(['a']), failed: new Set() }, expectedRemovals: new Set(['b']), succeededIndexes: new Set() });
    assert.deepEqual(r.toRemove.map((p) => p.metadata!.uid), ['a']);
    assert.ok(!r.changed);
  });
  it('counts running pods as failed once the Job failed', () => {
    const s = status();
    const failedJob = newJobCondition('FailureTarget', 'True', 'BackoffLimitExceeded', '', NOW);
    const r = recordFinishedPods({ job: job(), status: s, pods: [pod('x', 'Running')], finished: failedJob, uncounted: none, expectedRemovals: new Set(), succeededIndexes: new Set() });
    assert.deepEqual(s.uncountedTerminatedPods.failed, ['x']);
    assert.equal(r.toRemove.length, 1);
  });
  it('tracks Indexed jobs by completed indexes', () => {
    const s = status({}, { completedIndexes: '0' });
    const idx = new Set([0]);
    const r = recordFinishedPods({ job: job({ completionMode: 'Indexed', completions: 4 }), status: s, pods: [pod('p2', 'Succeeded', { index: 2 }), pod('p1', 'Succeeded', { index: 1 }), pod('p9', 'Succeeded', { index: 9 })], finished: undefined, uncounted: none, expectedRemovals: new Set(), succeededIndexes: idx });
    assert.equal(s.completedIndexes, '0-2');
    assert.equal(s.succeeded, 3);
    assert.deepEqual(s.uncountedTerminatedPods, { succeeded: [], failed: [] });
    assert.equal(r.toRemove.length, 3);
  });
});

describe('cleanUncounted', () => {
  it('moves released UIDs into the counters', () => {
    const s = status({ succeeded: ['a', 'b'], failed: ['c'] }, { succeeded: 1 });
    assert.ok(cleanUncounted(s, new Set(['b'])));
    assert.deepEqual([s.succeeded, s.failed, s.uncountedTerminatedPods], [2, 1, { succeeded: ['b'], failed: [] }]);
    assert.ok(!cleanUncounted(s, new Set(['b'])));
  });
});

describe('terminal conditions', () => {
  it('writes FailureTarget first and Failed once drained', () => {
    const s = status({ failed: ['x'] });
    const { terminal, changed } = interimCondition(s, newJobCondition('FailureTarget', 'True', 'DeadlineExceeded', 'late', NOW), NOW);
    assert.ok(changed);
    assert.deepEqual(s.conditions!.map((c) => c.type), ['FailureTarget']);
    assert.equal(terminal!.type, 'Failed');
    assert.ok(!enactFinished(s, terminal, 0, NOW), 'still uncounted');
    s.uncountedTerminatedPods.failed = [];
    assert.ok(!enactFinished(s, terminal, 1, NOW), 'still terminating');
    assert.ok(enactFinished(s, terminal, 0, NOW));
    assert.deepEqual(s.conditions!.map((c) => [c.type, c.reason]), [['FailureTarget', 'DeadlineExceeded'], ['Failed', 'DeadlineExceeded']]);
    assert.equal(s.completionTime, undefined);
  });
  it('writes SuccessCriteriaMet once, then Complete with completionTime', () => {
    const s = status();
    const met = newJobCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', NOW);
    assert.ok(interimCondition(s, met, NOW).changed);
    const again = interimCondition(s, met, NOW + 1000);
    assert.ok(!again.changed);
    assert.ok(enactFinished(s, again.terminal, 0, NOW + 1000));
    assert.equal(s.completionTime, rfc3339(NOW + 1000));
    assert.deepEqual(s.conditions!.map((c) => c.type), ['SuccessCriteriaMet', 'Complete']);
  });
  it('writes status like Kubernetes', () => {
    assert.deepEqual(statusForWrite(status({}, { active: 0, succeeded: 2, ready: 0, terminating: 0, completedIndexes: '' })), { uncountedTerminatedPods: {}, succeeded: 2, ready: 0, terminating: 0 });
  });
});

describe('failureCheck', () => {
  const started = (spec: Partial<Job['spec']>, ago: number): Job => ({ ...job(spec), status: { startTime: rfc3339(NOW - ago) } });
  const cases: Array<[string, Job, number, string | undefined, number | undefined]> = [
    ['under the backoff limit', started({ backoffLimit: 2 }, 0), 2, undefined, undefined],
    ['over the backoff limit', started({ backoffLimit: 2 }, 0), 3, 'BackoffLimitExceeded', undefined],
    ['default backoff limit is 6', started({}, 0), 7, 'BackoffLimitExceeded', undefined],
    ['deadline passed', started({ activeDeadlineSeconds: 10 }, 10_000), 0, 'DeadlineExceeded', undefined],
    ['deadline ahead', started({ activeDeadlineSeconds: 10 }, 4_000), 0, undefined, NOW + 6_000],
    ['suspended jobs have no deadline', started({ activeDeadlineSeconds: 10, suspend: true }, 60_000), 0, undefined, undefined],
  ];
  for (const [name, j, failed, reason, at] of cases) {
    it(name, () => {
      const r = failureCheck(j, [], failed, NOW);
      assert.equal(r.condition?.reason, reason);
      if (reason) assert.equal(r.condition!.type, 'FailureTarget');
      assert.equal(r.deadlineAt, at);
    });
  }
});
