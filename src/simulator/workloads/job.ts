/**
 * The Job controller (pkg/controller/job): runs pods to completion (NonIndexed or Indexed),
 * replaces failed pods with backoff up to backoffLimit, honours parallelism, suspend and
 * activeDeadlineSeconds, and reports status as Kubernetes 1.31+ does. Pods finish by
 * themselves (the simulated kubelet reads sim.flotilla.io/run-duration and /fail, see
 * ../annotations.ts). Orphaned pods still holding the tracking finalizer are released.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Controller, ReconcileContext, Result } from '../../controller/index.js';
import { claimObjects } from './claim.js';
import { inNamespace, makeController, type Informers, type WorkloadEnv } from './env.js';
import { Expectations } from './expectations.js';
import { JobSync } from './job-sync.js';
import { hasTrackingFinalizer, isJobFinished, jobSelector, TRACKING_FINALIZER, type BackoffRecord } from './job-util.js';
import { resolveOwner, routeOwned, routeOwners } from './owned.js';
import { controllerRefOf, namespacedKey, requeueAt, selectorFor, splitKey } from './util.js';

/** Work-queue keys for orphaned pods carry this prefix (namespaces cannot contain ':'). */
const ORPHAN = 'pod:';

export class JobController {
  readonly controller: Controller<string>;
  readonly expectations: Expectations;
  readonly #removedFinalizers = new Map<string, Set<string>>();
  readonly #backoff = new Map<string, BackoffRecord>();

  constructor(
    readonly env: WorkloadEnv,
    readonly inf: Informers,
  ) {
    this.expectations = new Expectations(env.clock);
    this.controller = makeController(env, 'job', (key, ctx) => (key.startsWith(ORPHAN) ? this.#releaseOrphan(key.slice(ORPHAN.length)) : this.reconcile(key, ctx)));
    const enqueue = (key: string) => this.controller.enqueue(key);
    routeOwners(inf.jobs, enqueue, this.expectations);
    routeOwned(inf.pods, { ownerKind: 'Job', owners: inf.jobs, enqueue, expectations: this.expectations });
    inf.jobs.on({
      delete: (job: Job) => {
        this.#removedFinalizers.delete(namespacedKey(job));
        this.#backoff.delete(namespacedKey(job));
      },
    });
    inf.pods.on({
      add: (pod: Pod) => this.#checkOrphan(pod),
      update: (old: Pod, cur: Pod) => {
        if (hasTrackingFinalizer(old) && !hasTrackingFinalizer(cur)) this.#finalizerGone(cur);
        this.#checkOrphan(cur);
      },
      delete: (pod: Pod) => this.#finalizerGone(pod),
    });
  }

  #finalizerGone(pod: Pod): void {
    const job = resolveOwner(this.inf.jobs, 'Job', pod.metadata?.namespace, controllerRefOf(pod));
    if (job) this.#removedFinalizers.get(namespacedKey(job))?.delete(pod.metadata?.uid ?? '');
  }

  /** A pod with the tracking finalizer whose Job is gone or finished must not be kept forever. */
  #checkOrphan(pod: Pod): void {
    if (!hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref && (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1')) return;
    const job = resolveOwner(this.inf.jobs, 'Job', pod.metadata?.namespace, ref) as Job | undefined;
    if (!job || isJobFinished(job)) this.controller.enqueue(ORPHAN + namespacedKey(pod));
  }

  async #releaseOrphan(podKey: string): Promise<void> {
    const pod = this.inf.pods.get(podKey) as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      // The cache may lag behind a Job just created: ask the API server.
      const job = await this.env.client.get<Job>(R.jobs, ref.name, pod.metadata!.namespace).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (job && job.metadata?.uid === ref.uid && !isJobFinished(job)) return;
    }
    const i = pod.metadata!.finalizers!.indexOf(TRACKING_FINALIZER);
    const path = `/metadata/finalizers/${i}`;
    await this.env.client
      .patch(R.pods, pod.metadata!.name!, [{ op: 'test', path, value: TRACKING_FINALIZER }, { op: 'remove', path }], 'json', { namespace: pod.metadata!.namespace })
      .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }

  async reconcile(key: string, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.inf.jobs.get(key) as Job | undefined;
    if (!cached) {
      this.expectations.delete(key);
      this.#removedFinalizers.delete(key);
      this.#backoff.delete(key);
      return;
    }
    if (isJobFinished(cached)) {
      this.#backoff.delete(key);
      return;
    }
    const mode = cached.spec?.completionMode ?? 'NonIndexed';
    if (mode !== 'NonIndexed' && mode !== 'Indexed') {
      ctx.log.warn({ completionMode: mode }, 'Skipped Job sync because completion mode is unknown');
      return;
    }
    if (mode === 'Indexed' && cached.spec?.completions == null) return; // invalid: the API server would have refused it
    const { namespace } = splitKey(key);
    // Expectations before listing pods: a pod that appears later is at worst seen twice.
    const satisfied = this.expectations.satisfied(key);
    const job = structuredClone(cached);
    const pods = await claimObjects(inNamespace(this.inf.pods, namespace) as Pod[], {
      owner: job,
      ownerApiVersion: 'batch/v1',
      ownerKind: 'Job',
      selector: selectorFor(jobSelector(job)),
      canAdopt: async () => {
        const fresh = await this.env.client.get<Job>(R.jobs, job.metadata!.name!, namespace).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
        return !!fresh && fresh.metadata?.uid === job.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
      patch: (pod, patch) => this.env.client.patch<Pod>(R.pods, pod.metadata!.name!, patch, 'merge', { namespace }),
      adoptFinalizers: [TRACKING_FINALIZER],
    });
    const sync = new JobSync(
      {
        client: this.env.client,
        now: () => this.env.clock.now(),
        expectations: this.expectations,
        removedFinalizers: (k) => {
          let s = this.#removedFinalizers.get(k);
          if (!s) this.#removedFinalizers.set(k, (s = new Set()));
          return s;
        },
        backoff: this.#backoff,
      },
      key,
      job,
      pods,
      satisfied,
    );
    const wake = await sync.run();
    return requeueAt(wake, this.env.clock.now());
  }
}
