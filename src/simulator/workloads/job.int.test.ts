import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.js';
import { startEnv, type TestEnv } from './test-env.js';

function job(name: string, spec: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
  };
}

const get = (env: TestEnv, name: string) => env.client.get<Job>(R.jobs, name, 'default');
const conds = (j: Job) => (j.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason]);
const jobPods = async (env: TestEnv, name: string) => (await env.pods('default', `batch.kubernetes.io/job-name=${name}`)).filter((p) => !p.metadata?.deletionTimestamp);
const running = (pods: Pod[]) => pods.filter((p) => p.status?.phase === 'Pending' || p.status?.phase === 'Running');

describe('Job controller (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('job');
  });
  after(async () => {
    await env.stop();
  });

  it('runs 3 completions 2 at a time and completes', async () => {
    await env.client.create(R.jobs, job('batch', { completions: 3, parallelism: 2 }));
    await env.settle();
    let pods = await jobPods(env, 'batch');
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.deepEqual(p.metadata!.finalizers, ['batch.kubernetes.io/job-tracking']);
      assert.match(p.metadata!.name!, /^batch-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(p.metadata!.ownerReferences![0]!.kind, 'Job');
    }
    let j = await get(env, 'batch');
    assert.equal(j.status!.active, 2);
    assert.equal(j.status!.ready, 0);
    assert.ok(j.status!.startTime);

    await env.readyPods();
    await env.settle();
    assert.equal((await get(env, 'batch')).status!.ready, 2);

    // Pods finish one by one; each success is counted once and a replacement starts while needed.
    for (let done = 1; done <= 3; done++) {
      pods = running(await jobPods(env, 'batch'));
      await env.finishPod(pods[0]!, 'Succeeded');
      await env.settle();
      j = await get(env, 'batch');
      assert.equal(j.status!.succeeded, done);
      assert.equal(j.status!.active ?? 0, Math.min(2, 3 - done), `active after ${done}`);
      await env.readyPods();
      await env.settle();
    }
    j = await get(env, 'batch');
    assert.deepEqual(conds(j), [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    assert.equal(j.status!.succeeded, 3);
    assert.equal(j.status!.active, undefined);
    assert.equal(j.status!.ready, 0);
    assert.equal(j.status!.terminating, 0);
    assert.deepEqual(j.status!.uncountedTerminatedPods, {});
    assert.ok(j.status!.completionTime);
    for (const p of await env.pods('default', 'batch.kubernetes.io/job-name=batch')) assert.deepEqual(p.metadata!.finalizers ?? [], []);
  });

  it('fails with BackoffLimitExceeded after backoffLimit failures, waiting the backoff between them', async () => {
    await env.client.create(R.jobs, job('flaky', { backoffLimit: 1 }));
    await env.settle();
    let pods = running(await jobPods(env, 'flaky'));
    assert.equal(pods.length, 1);
    await env.finishPod(pods[0]!, 'Failed');
    await env.settle();
    let j = await get(env, 'flaky');
    assert.equal(j.status!.failed, 1);
    assert.equal(running(await jobPods(env, 'flaky')).length, 0, 'the replacement waits for the 10 s backoff');
    await env.advance(10_001);
    pods = running(await jobPods(env, 'flaky'));
    assert.equal(pods.length, 1);
    await env.finishPod(pods[0]!, 'Failed');
    await env.settle();
    j = await get(env, 'flaky');
    assert.equal(j.status!.failed, 2);
    assert.deepEqual(conds(j), [
      ['FailureTarget', 'True', 'BackoffLimitExceeded'],
      ['Failed', 'True', 'BackoffLimitExceeded'],
    ]);
    assert.equal(j.status!.completionTime, undefined);
  });

  it('runs Indexed jobs with one pod per index', async () => {
    await env.client.create(R.jobs, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await env.settle();
    const pods = await jobPods(env, 'idx');
    const indexes = pods.map((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    const p1 = pods.find((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '1')!;
    assert.equal(p1.spec!.hostname, 'idx-1');
    assert.match(p1.metadata!.name!, /^idx-1-/);
    await env.finishPod(p1, 'Succeeded');
    await env.settle();
    let j = await get(env, 'idx');
    assert.equal(j.status!.completedIndexes, '1');
    for (const p of running(await jobPods(env, 'idx'))) await env.finishPod(p, 'Succeeded');
    await env.settle();
    j = await get(env, 'idx');
    assert.equal(j.status!.completedIndexes, '0-2');
    assert.equal(j.status!.succeeded, 3);
    assert.ok(j.status!.conditions!.some((c) => c.type === 'Complete' && c.status === 'True'));
  });

  it('fails a job past activeDeadlineSeconds and removes its pods', async () => {
    await env.client.create(R.jobs, job('slow', { activeDeadlineSeconds: 30 }));
    await env.settle();
    assert.equal(running(await jobPods(env, 'slow')).length, 1);
    await env.advance(30_000);
    const j = await get(env, 'slow');
    assert.deepEqual(conds(j), [
      ['FailureTarget', 'True', 'DeadlineExceeded'],
      ['Failed', 'True', 'DeadlineExceeded'],
    ]);
    assert.equal(j.status!.failed, 1);
    assert.equal((await env.pods('default', 'batch.kubernetes.io/job-name=slow')).length, 0);
  });

  it('suspends and resumes', async () => {
    await env.client.create(R.jobs, job('sus', { suspend: true }));
    await env.settle();
    let j = await get(env, 'sus');
    assert.equal((await jobPods(env, 'sus')).length, 0);
    assert.deepEqual(conds(j), [['Suspended', 'True', 'JobSuspended']]);
    assert.equal(j.status!.startTime, undefined);
    j.spec!.suspend = false;
    await env.client.update(R.jobs, j);
    await env.settle();
    j = await get(env, 'sus');
    assert.deepEqual(conds(j), [['Suspended', 'False', 'JobResumed']]);
    assert.equal((await jobPods(env, 'sus')).length, 1);
    assert.ok(j.status!.startTime);
  });
});
