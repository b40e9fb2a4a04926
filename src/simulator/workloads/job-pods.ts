/**
 * The Job controller's pod writes: creating pods from the template (with the tracking
 * finalizer, the job labels and, for Indexed jobs, the completion index), deleting them, and
 * removing the tracking finalizer with a JSON patch that fails if the list moved underneath.
 */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { indexedTemplate } from './job-indexes.js';
import { jobPodLabels, TRACKING_FINALIZER } from './job-util.js';
import { isNamespaceTerminating, podFromTemplate, slowStartBatch, SLOW_START_INITIAL_BATCH } from './podcontrol.js';
import { isPodReady, newControllerRef } from './util.js';

/** Removes the tracking finalizer from pod (no-op without it). */
export async function removeTrackingFinalizer(client: KubeClient, pod: Pod): Promise<void> {
  const i = (pod.metadata?.finalizers ?? []).indexOf(TRACKING_FINALIZER);
  if (i < 0) return;
  const path = `/metadata/finalizers/${i}`;
  await client.patch(R.pods, pod.metadata!.name!, [{ op: 'test', path, value: TRACKING_FINALIZER }, { op: 'remove', path }], 'json', { namespace: pod.metadata!.namespace });
}

export interface DeleteResult {
  deleted: number;
  deletedReady: number;
  error?: unknown;
  /** Pods whose delete failed (their deletion will never be observed). */
  failed: Pod[];
}

/** Deletes pods (first dropping the tracking finalizer when asked); a pod already gone counts as deleted. */
export async function deletePods(client: KubeClient, pods: readonly Pod[], dropFinalizer: boolean): Promise<DeleteResult> {
  const r: DeleteResult = { deleted: 0, deletedReady: 0, failed: [] };
  await Promise.all(
    pods.map(async (pod) => {
      try {
        if (dropFinalizer) await removeTrackingFinalizer(client, pod);
        await client.delete(R.pods, pod.metadata!.name!, { namespace: pod.metadata!.namespace });
      } catch (e) {
        r.failed.push(pod);
        if (!isNotFound(e)) {
          r.error ??= e;
          return;
        }
      }
      r.deleted++;
      if (isPodReady(pod)) r.deletedReady++;
    }),
  );
  return r;
}

/** Creates count pods for the Job (one per index for Indexed jobs); returns how many were created. */
export async function createJobPods(client: KubeClient, job: Job, count: number, indexes: readonly number[]): Promise<{ created: number; error?: unknown }> {
  const template = structuredClone(job.spec!.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...jobPodLabels(job), ...(template.metadata?.labels ?? {}) } };
  const ref = newControllerRef(job, 'batch/v1', 'Job');
  const name = job.metadata!.name!;
  const { successes, error } = await slowStartBatch(count, SLOW_START_INITIAL_BATCH, async (i) => {
    const ix = indexes[i];
    const t = ix === undefined ? template : indexedTemplate(job, template, ix);
    const pod = podFromTemplate(t, name, ref, { finalizers: [TRACKING_FINALIZER], ...(ix === undefined ? {} : { generateName: `${name}-${ix}-` }) });
    try {
      await client.create(R.pods, pod, { namespace: job.metadata!.namespace });
    } catch (e) {
      if (!isNamespaceTerminating(e)) throw e;
    }
  });
  return error === undefined ? { created: successes } : { created: successes, error };
}
