import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { completionIndex, duplicatedIndexPods, firstPendingIndexes, formatIndexes, indexedTemplate, parseIndexes } from './job-indexes.js';
import {
  backoffRemaining,
  countTerminating,
  ensureCondition,
  isJobFinished,
  isPodFailed,
  jobSelector,
  newJobCondition,
  nextBackoffRecord,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  wantActive,
} from './job-util.js';
import { rfc3339 } from './util.js';

const NOW = Date.parse('2030-01-01T01:00:00Z');

function job(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): Job {
  return { metadata: { name: 'j', uid: 'uid-1' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } }, ...spec }, status };
}

function pod(phase: string, extra: { index?: number; deleting?: boolean; restarts?: number; finishedAt?: number; ready?: boolean } = {}): Pod {
  return {
    metadata: {
      name: `p${extra.index ?? ''}`,
      uid: `u${Math.random()}`,
      ...(extra.index === undefined ? {} : { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } }),
      ...(extra.deleting ? { deletionTimestamp: rfc3339(NOW) } : {}),
    },
    status: {
      phase,
      conditions: extra.ready ? [{ type: 'Ready', status: 'True' }] : [],
      containerStatuses: [
        {
          name: 'c',
          image: 'x',
          imageID: '',
          ready: !!extra.ready,
          restartCount: extra.restarts ?? 0,
          ...(extra.finishedAt === undefined ? {} : { state: { terminated: { exitCode: 0, finishedAt: rfc3339(extra.finishedAt) } } }),
        },
      ],
    },
  };
}

describe('completed indexes', () => {
  const format: Array<[number[], string]> = [
    [[], ''],
    [[0], '0'],
    [[0, 1], '0,1'],
    [[0, 1, 2], '0-2'],
    [[1, 3, 4, 5, 7], '1,3-5,7'],
    [[5, 1, 2, 3], '1-3,5'],
    [[2, 2, 3], '2,3'],
  ];
  for (const [input, want] of format) it(`formats ${JSON.stringify(input)} as "${want}"`, () => assert.equal(formatIndexes(input), want));
  const parse: Array<[string, number, number[]]> = [
    ['', 5, []],
    ['1,3-5,7', 10, [1, 3, 4, 5, 7]],
    ['1,3-5,7', 5, [1, 3, 4]],
    ['0-2,x,4', 5, [0, 1, 2, 4]],
  ];
  for (const [s, c, want] of parse) it(`parses "${s}" below ${c}`, () => assert.deepEqual(parseIndexes(s, c), want));
  it('picks the lowest free indexes', () => {
    assert.deepEqual(firstPendingIndexes([pod('Running', { index: 1 })], new Set([0, 3]), 3, 6), [2, 4, 5]);
    assert.deepEqual(firstPendingIndexes([], new Set(), 2, 1), [0]);
  });
  it('removes invalid and duplicated indexes, keeping the most advanced pod', () => {
    const keep = pod('Running', { index: 1, ready: true });
    const dup = pod('Pending', { index: 1 });
    const bad = pod('Running', { index: 9 });
    const none = pod('Running');
    const r = duplicatedIndexPods([keep, dup, bad, none], 3);
    assert.deepEqual(new Set(r.remove), new Set([dup, bad, none]));
    assert.deepEqual(r.keep, [keep]);
  });
  it('adds index annotation, label, hostname and env', () => {
    const t = indexedTemplate(job(), { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } }, 4);
    assert.equal(t.metadata!.annotations!['batch.kubernetes.io/job-completion-index'], '4');
    assert.equal(t.metadata!.labels!['batch.kubernetes.io/job-completion-index'], '4');
    assert.equal(t.spec!.hostname, 'j-4');
    assert.equal(t.spec!.containers[0]!.env![0]!.name, 'JOB_COMPLETION_INDEX');
    assert.equal(completionIndex({ metadata: { annotations: t.metadata!.annotations! } }), 4);
  });
});

describe('wantActive', () => {
  const cases: Array<[number | undefined, number, number, number, number]> = [
    // completions, parallelism, succeeded, active, want
    [3, 2, 0, 0, 2],
    [3, 2, 2, 1, 1],
    [3, 2, 3, 0, 0],
    [3, 5, 0, 0, 3],
    [1, 1, 5, 0, 0],
    [undefined, 4, 0, 0, 4],
    [undefined, 4, 1, 2, 2],
  ];
  for (const [completions, parallelism, succeeded, active, want] of cases) {
    it(`completions=${completions} parallelism=${parallelism} succeeded=${succeeded} active=${active} → ${want}`, () => {
      const spec = completions === undefined ? { parallelism } : { completions, parallelism };
      assert.equal(wantActive(job(spec), succeeded, active), want);
    });
  }
});

describe('failure accounting', () => {
  it('counts failed and deleted-unfinished pods as failed (unless only failed pods are replaced)', () => {
    assert.ok(isPodFailed(pod('Failed'), job()));
    assert.ok(isPodFailed(pod('Running', { deleting: true }), job()));
    assert.ok(!isPodFailed(pod('Succeeded', { deleting: true }), job()));
    assert.ok(!isPodFailed(pod('Running', { deleting: true }), job({ podReplacementPolicy: 'Failed' })));
    assert.equal(countTerminating([pod('Running', { deleting: true }), pod('Failed', { deleting: true }), pod('Running')]), 1);
  });
  it('counts container restarts against backoffLimit with OnFailure', () => {
    const onFailure = (limit: number) => job({ backoffLimit: limit, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
    assert.ok(pastBackoffLimitOnFailure(onFailure(2), [pod('Running', { restarts: 2 })]));
    assert.ok(!pastBackoffLimitOnFailure(onFailure(2), [pod('Running', { restarts: 1 })]));
    assert.ok(pastBackoffLimitOnFailure(onFailure(0), [pod('Running', { restarts: 1 })]));
    assert.ok(!pastBackoffLimitOnFailure(onFailure(1), [pod('Succeeded', { restarts: 5 })]));
    assert.ok(!pastBackoffLimitOnFailure(job({ backoffLimit: 0 }), [pod('Running', { restarts: 5 })]));
  });
  it('checks activeDeadlineSeconds from the start time, never while suspended', () => {
    const started = { startTime: rfc3339(NOW - 30_000) };
    assert.ok(pastActiveDeadline(job({ activeDeadlineSeconds: 30 }, started), NOW));
    assert.ok(!pastActiveDeadline(job({ activeDeadlineSeconds: 31 }, started), NOW));
    assert.ok(!pastActiveDeadline(job({ activeDeadlineSeconds: 1, suspend: true }, started), NOW));
    assert.ok(!pastActiveDeadline(job({}, started), NOW));
  });
});

describe('pod failure backoff', () => {
  const cases: Array<[number, number, number]> = [
    // failures, seconds since the last one, remaining ms
    [0, 0, 0],
    [1, 0, 10_000],
    [1, 4, 6_000],
    [1, 11, 0],
    [2, 0, 20_000],
    [3, 5, 35_000],
    [10, 0, 360_000],
  ];
  for (const [failures, since, want] of cases) {
    it(`${failures} failures, ${since}s ago → ${want} ms`, () => assert.equal(backoffRemaining({ failuresAfterLastSuccess: failures, lastFailureTime: NOW - since * 1000 }, NOW), want));
  }
  it('counts failures since the last success', () => {
    const zero = { failuresAfterLastSuccess: 0 };
    assert.deepEqual(nextBackoffRecord(zero, [], [pod('Failed', { finishedAt: NOW - 5000 }), pod('Failed', { finishedAt: NOW - 1000 })], NOW), { failuresAfterLastSuccess: 2, lastFailureTime: NOW - 1000 });
    assert.deepEqual(nextBackoffRecord({ failuresAfterLastSuccess: 3, lastFailureTime: 0 }, [pod('Succeeded', { finishedAt: NOW })], [], NOW), { failuresAfterLastSuccess: 0 });
    assert.deepEqual(
      nextBackoffRecord(zero, [pod('Succeeded', { finishedAt: NOW - 3000 })], [pod('Failed', { finishedAt: NOW - 5000 }), pod('Failed', { finishedAt: NOW - 1000 })], NOW),
      { failuresAfterLastSuccess: 1, lastFailureTime: NOW - 1000 },
    );
    assert.equal(nextBackoffRecord(zero, [], [], NOW), zero);
  });
});

describe('job conditions', () => {
  it('ensureCondition appends, replaces on change and never adds a False one', () => {
    const t = newJobCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', NOW);
    let r = ensureCondition([], t);
    assert.ok(r.changed);
    assert.equal(r.list.length, 1);
    assert.ok(!ensureCondition(r.list, newJobCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', NOW + 1000)).changed);
    r = ensureCondition(r.list, newJobCondition('Suspended', 'False', 'JobResumed', 'Job resumed', NOW));
    assert.ok(r.changed);
    assert.equal(r.list[0]!.status, 'False');
    assert.ok(!ensureCondition([], newJobCondition('Suspended', 'False', 'JobResumed', 'Job resumed', NOW)).changed);
  });
  it('finished means Complete or Failed is True', () => {
    assert.ok(isJobFinished(job({}, { conditions: [{ type: 'Complete', status: 'True' }] })));
    assert.ok(isJobFinished(job({}, { conditions: [{ type: 'Failed', status: 'True' }] })));
    assert.ok(!isJobFinished(job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Complete', status: 'False' }] })));
  });
  it('selects pods by controller-uid when the Job has no selector', () => {
    assert.deepEqual(jobSelector(job()), { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
    assert.deepEqual(jobSelector(job({ selector: { matchLabels: { a: 'b' } } })), { matchLabels: { a: 'b' } });
  });
});
