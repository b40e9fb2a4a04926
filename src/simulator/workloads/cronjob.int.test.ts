import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { R } from '../../client/resources.js';
import { START, startEnv, type TestEnv } from './test-env.js';

function cronjob(name: string, schedule: string, spec: Partial<CronJob['spec']> = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: { metadata: { labels: { cron: name } }, spec: { template: { metadata: { labels: { cron: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

const minute = 60_000;
// The controller looks again 100 ms after each scheduled time (nextScheduleDelta).
const jobsOf = async (env: TestEnv, name: string) =>
  (await env.client.list<Job>(R.jobs, { namespace: 'default', labelSelector: `cron=${name}` })).items.filter((j) => !j.metadata?.deletionTimestamp).map((j) => j.metadata!.name!).sort();
const getCj = (env: TestEnv, name: string) => env.client.get<CronJob>(R.cronjobs, name, 'default');

/** Finishes every running pod of the CronJob's jobs successfully. */
async function finishAll(env: TestEnv, name: string): Promise<void> {
  for (const p of await env.pods('default', `cron=${name}`)) {
    if (p.status?.phase === 'Pending' || p.status?.phase === 'Running') await env.finishPod(p, 'Succeeded');
  }
  await env.settle();
}

describe('CronJob controller (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('cronjob', 'job');
  });
  after(async () => {
    await env.stop();
  });

  it('fires at its schedule, tracks the active job and the last success, and prunes history', async () => {
    const t0 = env.clock.now();
    assert.equal(t0, START);
    await env.client.create(R.cronjobs, cronjob('tick', '*/5 * * * *', { successfulJobsHistoryLimit: 1 }));
    await env.settle();
    assert.deepEqual(await jobsOf(env, 'tick'), []);

    await env.advance(5 * minute + 200);
    const first = `tick-${(t0 + 5 * minute) / minute}`;
    assert.deepEqual(await jobsOf(env, 'tick'), [first]);
    let cj = await getCj(env, 'tick');
    assert.equal(cj.status!.lastScheduleTime, '2030-01-01T00:05:00Z');
    assert.deepEqual(cj.status!.active!.map((r) => [r.kind, r.name]), [['Job', first]]);
    const job = await env.client.get<Job>(R.jobs, first, 'default');
    assert.equal(job.metadata!.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2030-01-01T00:05:00Z');
    assert.equal(job.metadata!.ownerReferences![0]!.kind, 'CronJob');

    await finishAll(env, 'tick');
    cj = await getCj(env, 'tick');
    assert.equal(cj.status!.active, undefined);
    assert.ok(cj.status!.lastSuccessfulTime);

    await env.advance(5 * minute + 200);
    const second = `tick-${(t0 + 10 * minute) / minute}`;
    assert.deepEqual(await jobsOf(env, 'tick'), [first, second]);
    await finishAll(env, 'tick');
    // Only one successful job is kept.
    assert.deepEqual(await jobsOf(env, 'tick'), [second]);
    cj = await getCj(env, 'tick');
    assert.equal(cj.status!.lastScheduleTime, '2030-01-01T00:10:00Z');
  });

  it('Forbid skips a run while the previous one is active; Replace replaces it', async () => {
    const t0 = env.clock.now();
    await env.client.create(R.cronjobs, cronjob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' }));
    await env.client.create(R.cronjobs, cronjob('replace', '* * * * *', { concurrencyPolicy: 'Replace' }));
    await env.settle();
    const next = Math.ceil((t0 + 1) / minute) * minute;
    await env.advance(next - t0 + 200);
    assert.deepEqual(await jobsOf(env, 'forbid'), [`forbid-${next / minute}`]);
    assert.deepEqual(await jobsOf(env, 'replace'), [`replace-${next / minute}`]);
    await env.advance(minute + 200);
    assert.deepEqual(await jobsOf(env, 'forbid'), [`forbid-${next / minute}`], 'still running: no new job');
    assert.deepEqual(await jobsOf(env, 'replace'), [`replace-${next / minute + 1}`], 'the running job was replaced');
    const cj = await getCj(env, 'replace');
    assert.deepEqual(cj.status!.active!.map((r) => r.name), [`replace-${next / minute + 1}`]);
  });

  it('does not start while suspended', async () => {
    await env.client.create(R.cronjobs, cronjob('paused', '* * * * *', { suspend: true }));
    await env.advance(2 * minute);
    assert.deepEqual(await jobsOf(env, 'paused'), []);
  });
});
