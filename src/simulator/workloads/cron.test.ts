import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { CronParseError, parseCron } from './cron.js';
import { byJobStartTime, formatInZone, jobFromTemplate, jobName, jobsToPrune, mostRecentScheduleTime, nextScheduleDelay, nextScheduleTime, scheduleOf } from './cronjob-util.js';

const utc = (s: string) => Date.parse(`${s}Z`);
const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace(/:00\.000Z$/, '').replace(/\.000Z$/, ''));

describe('parseCron next (robfig/cron TestNext, five fields)', () => {
  const cases: Array<[string, string, string]> = [
    ['2012-07-09T14:45:00', '0/15 * * * *', '2012-07-09T15:00'],
    ['2012-07-09T14:59:00', '0/15 * * * *', '2012-07-09T15:00'],
    ['2012-07-09T14:59:59', '0/15 * * * *', '2012-07-09T15:00'],
    ['2012-07-09T15:45:00', '20-35/15 * * * *', '2012-07-09T16:20'],
    ['2012-07-09T23:46:00', '*/15 * * * *', '2012-07-10T00:00'],
    ['2012-07-09T23:45:00', '20-35/15 * * * *', '2012-07-10T00:20'],
    ['2012-07-09T23:35:51', '20-35/15 1/2 * * *', '2012-07-10T01:20'],
    ['2012-07-09T23:35:51', '20-35/15 10-12 * * *', '2012-07-10T10:20'],
    ['2012-07-09T23:35:51', '20-35/15 1/2 */2 * *', '2012-07-11T01:20'],
    ['2012-07-09T23:35:51', '20-35/15 * 9-20 * *', '2012-07-10T00:20'],
    ['2012-07-09T23:35:51', '20-35/15 * 9-20 Jul *', '2012-07-10T00:20'],
    ['2012-07-09T23:35:00', '0 0 9 Apr-Oct ?', '2012-08-09T00:00'],
    ['2012-07-09T23:35:00', '0 0 */5 Apr,Aug,Oct Mon', '2012-08-01T00:00'],
    ['2012-07-09T23:35:00', '0 0 */5 Oct Mon', '2012-10-01T00:00'],
    ['2012-07-09T23:35:00', '0 0 * Feb Mon', '2013-02-04T00:00'],
    ['2012-07-09T23:35:00', '0 0 * Feb Mon/2', '2013-02-01T00:00'],
    ['2012-12-31T23:59:45', '* * * * *', '2013-01-01T00:00'],
    ['2012-07-09T23:35:00', '0 0 29 Feb ?', '2016-02-29T00:00'],
    ['2012-07-09T23:35:00', '0 0 30 Feb ?', ''],
    ['2012-07-09T23:35:00', '0 0 31 Apr ?', ''],
    ['2012-07-09T14:45:00', '@hourly', '2012-07-09T15:00'],
    ['2012-07-09T14:45:00', '@daily', '2012-07-10T00:00'],
    ['2012-07-09T14:45:00', '@midnight', '2012-07-10T00:00'],
    ['2012-07-09T14:45:00', '@weekly', '2012-07-15T00:00'],
    ['2012-07-09T14:45:00', '@monthly', '2012-08-01T00:00'],
    ['2012-07-09T14:45:00', '@yearly', '2013-01-01T00:00'],
    ['2012-07-09T14:45:00', '@annually', '2013-01-01T00:00'],
    ['2012-07-09T14:45:10', '@every 90s', '2012-07-09T14:46:40'],
    ['2012-07-09T14:45:10', '@every 1h', '2012-07-09T15:45:10'],
    ['2012-07-09T14:45:00', '30 9 * * mon-fri', '2012-07-10T09:30'],
    ['2012-07-09T14:45:00', '0 */6 * * *', '2012-07-09T18:00'],
    ['2012-07-09T14:45:00', '5,10,50 * * * *', '2012-07-09T14:50'],
    ['2012-07-09T14:45:00', '0 0 1,15 * *', '2012-07-15T00:00'],
    ['2012-07-09T14:45:00', '0 0 13 * 5', '2012-07-13T00:00'],
    ['2012-07-09T14:45:00', 'TZ=UTC 0 12 * * *', '2012-07-10T12:00'],
    ['2012-07-09T00:00:00', 'CRON_TZ=America/New_York 0 9 * * *', '2012-07-09T13:00'],
  ];
  for (const [from, spec, want] of cases) it(`${spec} after ${from} → ${want || 'never'}`, () => assert.equal(iso(parseCron(spec).next(utc(from))), want));
  it('uses the given time zone', () => assert.equal(iso(parseCron('0 9 * * *', 'Asia/Tokyo').next(utc('2030-01-01T00:00:00'))), '2030-01-02T00:00'));
});

describe('parseCron errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /expected exactly 5 fields, found 0/],
    ['* * * *', /expected exactly 5 fields, found 4/],
    ['* * * * * *', /expected exactly 5 fields, found 6/],
    ['60 * * * *', /end of range \(60\) above maximum \(59\)/],
    ['* 24 * * *', /above maximum \(23\)/],
    ['* * 0 * *', /beginning of range \(0\) below minimum \(1\)/],
    ['* * * 13 *', /above maximum \(12\)/],
    ['* * * * 7', /above maximum \(6\)/],
    ['5-1 * * * *', /beyond end of range/],
    ['*/0 * * * *', /step of range should be a positive number/],
    ['a * * * *', /failed to parse int from a/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['*/2/3 * * * *', /too many slashes/],
    ['@fortnightly', /unrecognized descriptor/],
    ['@every soon', /failed to parse duration/],
    ['TZ=Nowhere/City * * * * *', /bad location/],
  ];
  for (const [spec, want] of cases) {
    it(JSON.stringify(spec), () => assert.throws(() => parseCron(spec), (e: unknown) => e instanceof CronParseError && want.test(e.message)));
  }
});

const T0 = utc('2030-01-01T00:00:00');
const min = 60_000;

function cj(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob {
  return {
    metadata: { name: 'c', namespace: 'ns', uid: 'u', creationTimestamp: new Date(T0).toISOString() },
    spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { labels: { a: 'b' }, annotations: { x: 'y' } }, spec: { template: { spec: { containers: [] } } } }, ...spec },
    status,
  };
}

describe('mostRecentScheduleTime', () => {
  const cases: Array<[string, CronJob, number, number | undefined, string]> = [
    ['before the first schedule', cj(), T0 + min, undefined, 'none'],
    ['exactly at the first schedule', cj(), T0 + 5 * min, T0 + 5 * min, 'none'],
    ['between the first two', cj(), T0 + 7 * min, T0 + 5 * min, 'none'],
    ['one missed', cj(), T0 + 12 * min, T0 + 10 * min, 'few'],
    ['many missed', cj(), T0 + 10 * 60 * min, T0 + 10 * 60 * min, 'many'],
    ['after the last schedule', cj({}, { lastScheduleTime: new Date(T0 + 5 * min).toISOString() }), T0 + 7 * min, undefined, 'none'],
    ['irregular schedule', cj({ schedule: '30 6-16/4 * * 1-5' }), utc('2030-01-08T12:00:00'), utc('2030-01-08T10:30:00'), 'few'],
  ];
  for (const [name, c, now, want, missed] of cases) {
    it(name, () => {
      const r = mostRecentScheduleTime(c, now, scheduleOf(c), false);
      assert.equal(r.mostRecent, want);
      assert.equal(r.missed, missed);
    });
  }
  it('does not look back further than startingDeadlineSeconds', () => {
    const c = cj({ startingDeadlineSeconds: 60 });
    assert.equal(nextScheduleTime(c, T0 + 12 * min, scheduleOf(c)).time, undefined);
    assert.equal(nextScheduleTime(c, T0 + 10 * min + 30_000, scheduleOf(c)).time, T0 + 10 * min);
  });
  it('finds nothing for an unsatisfiable schedule', () => {
    const c = cj({ schedule: '59 23 31 2 *' });
    assert.equal(nextScheduleTime(c, T0 + 400 * 24 * 60 * min, scheduleOf(c)).time, undefined);
  });
  it('wakes up just after the next schedule', () => {
    const c = cj();
    assert.equal(nextScheduleDelay(c, T0 + min, scheduleOf(c)), 4 * min + 100);
    assert.equal(nextScheduleDelay(cj({}, { lastScheduleTime: new Date(T0 + 5 * min).toISOString() }), T0 + 6 * min, scheduleOf(c)), 4 * min + 100);
  });
});

describe('Jobs made by a CronJob', () => {
  it('are named after the scheduled minute and annotated with the scheduled time', () => {
    const c = cj();
    assert.equal(jobName(c, T0 + 5 * min), `c-${T0 / min + 5}`);
    const j = jobFromTemplate(c, T0 + 5 * min);
    assert.equal(j.metadata!.name, `c-${T0 / min + 5}`);
    assert.deepEqual(j.metadata!.labels, { a: 'b' });
    assert.deepEqual(j.metadata!.annotations, { x: 'y', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2030-01-01T00:05:00Z' });
    assert.deepEqual(j.metadata!.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: 'u', controller: true, blockOwnerDeletion: true }]);
  });
  it('format the scheduled time in the CronJob zone', () => {
    assert.equal(formatInZone(T0, undefined), '2030-01-01T00:00:00Z');
    assert.equal(formatInZone(T0, 'America/New_York'), '2029-12-31T19:00:00-05:00');
    assert.equal(formatInZone(T0, 'Asia/Kolkata'), '2030-01-01T05:30:00+05:30');
  });
  const job = (name: string, type: string | undefined, start?: number): Job => ({
    metadata: { name },
    status: { ...(start === undefined ? {} : { startTime: new Date(start).toISOString() }), conditions: type ? [{ type, status: 'True' }] : [] },
  });
  it('are pruned oldest first beyond the history limits', () => {
    const c = cj({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 });
    const jobs = [job('s3', 'Complete', 3), job('s1', 'Complete', 1), job('s2', 'Complete', 2), job('f1', 'Failed', 1), job('run', undefined, 0)];
    assert.deepEqual(jobsToPrune(c, jobs).map((j) => j.metadata!.name), ['s1', 's2', 'f1']);
    assert.deepEqual(jobsToPrune(cj(), jobs), []);
  });
  it('sort never-started jobs last', () => {
    assert.deepEqual([job('b', undefined), job('a', undefined, 5), job('c', undefined, 1)].sort(byJobStartTime).map((j) => j.metadata!.name), ['c', 'a', 'b']);
  });
});
