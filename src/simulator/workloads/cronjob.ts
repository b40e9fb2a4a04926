/**
 * The CronJob controller (cronjob_controllerv2.go): creates `<cronjob>-<scheduled minute>`
 * Jobs on schedule by the injected clock, honouring concurrencyPolicy, startingDeadlineSeconds
 * and suspend, prunes finished Jobs beyond the history limits, and keeps status.active,
 * lastScheduleTime and lastSuccessfulTime.
 */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { isAlreadyExists, isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import type { CronSchedule } from './cron.js';
import { finishedType, jobFromTemplate, jobName, jobRef, jobsToPrune, nextScheduleDelay, nextScheduleTime, scheduleOf } from './cronjob-util.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { routeOwned, routeOwners } from './owned.js';
import { controllerRefOf, isControlledBy, parseTime, rfc3339, splitKey } from './util.js';

export class CronJobController {
  readonly controller: Controller<string>;

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
  ) {
    this.controller = makeController(env, 'cronjob', (key, ctx) => this.reconcile(key, ctx));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.cronjobs, enqueue);
    routeOwned(inf.jobs, { ownerKind: 'CronJob', owners: inf.cronjobs, enqueue, adoptOrphans: false });
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.inf.cronjobs.get(key) as CronJob | undefined;
    if (!cached) return;
    const cj = structuredClone(cached);
    const { namespace } = splitKey(key);
    const jobs = (inNamespace(this.inf.jobs, namespace) as Job[]).filter((j) => {
      const ref = controllerRefOf(j);
      return ref?.kind === 'CronJob' && ref.name === cj.metadata?.name;
    });
    const pruned = await this.#cleanup(cj, jobs, ctx);
    const { requeueAfter, changed } = await this.#sync(cj, jobs, ctx);
    if (pruned || changed) {
      const status = { ...cj.status };
      if (!status.active?.length) delete status.active;
      await this.env.client.update(R.cronjobs, { ...cached, status }, { subresource: 'status' });
    }
    return requeueAfter === undefined ? undefined : { requeueAfter: Math.max(1, requeueAfter) };
  }

  /** Deletes finished Jobs beyond the history limits; true when status.active changed. */
  async #cleanup(cj: CronJob, jobs: Job[], ctx: ReconcileContext): Promise<boolean> {
    let changed = false;
    for (const job of jobsToPrune(cj, jobs)) if (await this.#deleteJob(cj, job, ctx)) changed = true;
    return changed;
  }

  async #deleteJob(cj: CronJob, job: Job, ctx: ReconcileContext): Promise<boolean> {
    try {
      await this.env.client.delete(R.jobs, job.metadata!.name!, { namespace: job.metadata!.namespace, propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        ctx.log.warn({ err: e, job: job.metadata?.name }, 'Failed deleting job');
        return false;
      }
    }
    cj.status = { ...cj.status, active: (cj.status?.active ?? []).filter((r) => r.uid !== job.metadata?.uid) };
    return true;
  }

  async #sync(cj: CronJob, jobs: Job[], ctx: ReconcileContext): Promise<{ requeueAfter?: number; changed: boolean }> {
    const now = this.env.clock.now();
    let changed = false;
    const status = (cj.status ??= {});
    const children = new Set(jobs.map((j) => j.metadata?.uid));
    const inActive = (uid: string | undefined) => (status.active ?? []).some((r) => r.uid === uid);
    for (const j of jobs) {
      const finished = finishedType(j);
      if (!inActive(j.metadata?.uid) && !finished) {
        ctx.log.debug({ job: j.metadata?.name }, 'Saw a job that the controller did not create or forgot');
      } else if (inActive(j.metadata?.uid) && finished) {
        status.active = status.active!.filter((r) => r.uid !== j.metadata?.uid);
        changed = true;
      }
      if (finished === 'Complete' && j.status?.completionTime) {
        const last = parseTime(status.lastSuccessfulTime);
        const done = parseTime(j.status.completionTime)!;
        if (last === undefined || done > last) {
          status.lastSuccessfulTime = j.status.completionTime;
          changed = true;
        }
      }
    }
    // Active jobs missing from the cache are checked with the API server before being dropped.
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid)) continue;
      try {
        await this.env.client.get(R.jobs, ref.name!, ref.namespace ?? cj.metadata!.namespace);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        status.active = status.active!.filter((r) => r.uid !== ref.uid);
        changed = true;
      }
    }
    if (cj.metadata?.deletionTimestamp || cj.spec?.suspend) return { changed };

    let sched: CronSchedule;
    let next: ReturnType<typeof nextScheduleTime>;
    try {
      sched = scheduleOf(cj);
      next = nextScheduleTime(cj, now, sched);
    } catch (e) {
      // A user error in the spec: nothing to do until the spec changes.
      ctx.log.info({ err: e, schedule: cj.spec?.schedule }, 'Unparseable or invalid schedule');
      return { changed };
    }
    const later = () => ({ requeueAfter: nextScheduleDelay(cj, now, sched), changed });
    if (next.time === undefined) return later();
    if (next.missed === 'many') ctx.log.warn('too many missed start times; check clock skew');
    const scheduled = next.time;
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline != null && scheduled + deadline * 1000 < now) {
      ctx.log.info({ scheduled: rfc3339(scheduled) }, 'Missed scheduled time to start a job');
      return later();
    }
    const name = jobName(cj, scheduled);
    if ((status.active ?? []).some((r) => r.name === name) || parseTime(status.lastScheduleTime) === scheduled) return later();
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && status.active?.length) {
      ctx.log.debug('Not starting job because prior execution is running and concurrency policy is Forbid');
      return later();
    }
    if (policy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        const job = await this.env.client.get<Job>(R.jobs, ref.name!, ref.namespace ?? cj.metadata!.namespace);
        if (!(await this.#deleteJob(cj, job, ctx))) throw new Error(`could not replace job ${ref.namespace}/${ref.name}`);
        changed = true;
      }
    }
    let created: Job;
    try {
      created = await this.env.client.create<Job>(R.jobs, jobFromTemplate(cj, scheduled), { namespace: cj.metadata!.namespace });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      // Created earlier but the status write was lost: record it now if it is ours.
      created = await this.env.client.get<Job>(R.jobs, name, cj.metadata!.namespace);
      if (!isControlledBy(created, cj) || inActive(created.metadata?.uid)) return { changed };
    }
    status.active = [...(status.active ?? []), jobRef(created)];
    status.lastScheduleTime = rfc3339(scheduled);
    return { requeueAfter: nextScheduleDelay(cj, now, sched), changed: true };
  }
}
