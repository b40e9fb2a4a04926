/**
 * Printers for workloads: apps, batch, autoscaling and policy.
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { age, humanDuration, parseTime } from './age.js';
import { ageCol, containerCols, integer, nameCol, printer, str, wide } from './define.js';
import { boolString, formatLabelSelector, formatLabels, int, intOrString, selectorString } from './format.js';
import { quantityPtr } from './quantity.js';
import type { Printer } from './types.js';

const SELECTOR_DESCRIPTION = 'A label query over pods that should match the replica count.';

const deployments = printer<Deployment>([
  nameCol(),
  str('Ready', 'Number of the pod with ready state', (d) => `${int(d.status?.readyReplicas)}/${d.spec?.replicas ?? 1}`),
  integer('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (d) => int(d.status?.updatedReplicas)),
  integer('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (d) => int(d.status?.availableReplicas)),
  ageCol(),
  ...containerCols<Deployment>(),
  wide(str('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', (d) =>
    selectorString(d.spec?.selector) ?? '<invalid>',
  )),
]);

const replicaSets = printer<ReplicaSet>([
  nameCol(),
  integer('Desired', 'Replicas is the number of desired replicas.', (rs) => rs.spec?.replicas ?? 1),
  integer('Current', 'Replicas is the most recently observed number of replicas.', (rs) => int(rs.status?.replicas)),
  integer('Ready', 'The number of ready replicas for this replica set.', (rs) => int(rs.status?.readyReplicas)),
  ageCol(),
  ...containerCols<ReplicaSet>(),
  wide(str('Selector', SELECTOR_DESCRIPTION, (rs) => formatLabelSelector(rs.spec?.selector))),
]);

const statefulSets = printer<StatefulSet>([
  nameCol(),
  str('Ready', 'Number of the pod with ready state', (s) => `${int(s.status?.readyReplicas)}/${s.spec?.replicas ?? 1}`),
  ageCol(),
  ...containerCols<StatefulSet>(),
]);

const daemonSets = printer<DaemonSet>([
  nameCol(),
  integer('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', (d) => int(d.status?.desiredNumberScheduled)),
  integer('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', (d) => int(d.status?.currentNumberScheduled)),
  integer('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', (d) => int(d.status?.numberReady)),
  integer('Up-to-date', 'The total number of nodes that are running updated daemon pod', (d) => int(d.status?.updatedNumberScheduled)),
  integer('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', (d) => int(d.status?.numberAvailable)),
  str('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.', (d) => formatLabels(d.spec?.template?.spec?.nodeSelector)),
  ageCol(),
  ...containerCols<DaemonSet>(),
  wide(str('Selector', 'A label query over pods that are managed by the daemon set.', (d) => formatLabelSelector(d.spec?.selector))),
]);

/** CONTROLLER of a revision: "kind.group/name" of its controller owner, "<none>" without one. */
export function controllerOf(obj: { metadata?: { ownerReferences?: { apiVersion: string; kind: string; name: string; controller?: boolean }[] } }): string {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
  if (!ref.kind && !group) return ref.name;
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

const controllerRevisions = printer<ControllerRevision>([
  nameCol(),
  str('Controller', 'Controller of the object', controllerOf),
  str('Revision', 'Revision indicates the revision of the state represented by Data.', (cr) => int(cr.revision)),
  ageCol(),
]);

const conditionTrue = (conditions: readonly { type: string; status: string }[] | undefined, type: string): boolean =>
  conditions?.find((c) => c.type === type)?.status === 'True';

/** STATUS of a job (kubectl 1.31+). */
export function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (conditionTrue(conds, 'Complete')) return 'Complete';
  if (conditionTrue(conds, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (conditionTrue(conds, 'Suspended')) return 'Suspended';
  if (conditionTrue(conds, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS of a job: "1/3", or "0/1 of 4" for work queues with parallelism. */
export function jobCompletions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 1;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION of a job: start to completion, or start to now while running, "" before it starts. */
export function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined || Number.isNaN(start)) return '';
  const end = parseTime(job.status?.completionTime);
  if (end === undefined || Number.isNaN(end)) return humanDuration(now.getTime() - start);
  return humanDuration(end - start);
}

const jobs = printer<Job>([
  nameCol(),
  str('Status', 'Status of the job.', jobStatus),
  str('Completions', 'The number of pods which reached phase Succeeded.', jobCompletions),
  str('Duration', 'Time required to complete the job.', jobDuration),
  ageCol(),
  ...containerCols<Job>(),
  wide(str('Selector', 'A label query over pods that should match the pod count.', (j) => formatLabelSelector(j.spec?.selector))),
]);

const cronJobs = printer<CronJob>([
  nameCol(),
  str('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.', (c) => c.spec?.schedule ?? ''),
  str('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.', (c) => c.spec?.timeZone ?? '<none>'),
  { def: { name: 'Suspend', type: 'boolean', format: '', description: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', priority: 0 }, cell: (c: CronJob) => boolString(c.spec?.suspend ?? false) },
  integer('Active', 'A list of pointers to currently running jobs.', (c) => (c.status?.active ?? []).length),
  str('Last Schedule', 'Information when was the last time the job was successfully scheduled.', (c, now) =>
    c.status?.lastScheduleTime ? age(c.status.lastScheduleTime, now) : '<none>',
  ),
  ageCol(),
  ...containerCols<CronJob>((c) => c.spec?.jobTemplate?.spec?.template?.spec?.containers),
  wide(str('Selector', 'A label query over pods that should match the pod count.', (c) => formatLabelSelector(c.spec?.jobTemplate?.spec?.selector))),
]);

// ---------------------------------------------------------------- autoscaling

type Target = { type?: string; value?: string; averageValue?: string; averageUtilization?: number };
type Current = { value?: string; averageValue?: string; averageUtilization?: number };

/**
 * TARGETS of an HPA ("cpu: 40%/80%, memory: <unknown>/1Gi + 1 more..."): each spec metric
 * against its current value in status.currentMetrics (same index), at most two shown.
 */
export function formatHPAMetrics(specs: readonly any[] | undefined, statuses: readonly any[] | undefined): string {
  const list: string[] = [];
  const ss = statuses ?? [];
  (specs ?? []).forEach((spec, i) => {
    const st = ss[i];
    const pair = (cur: string, target: string) => `${cur}/${target}`;
    switch (spec?.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object';
        const target: Target = spec[key]?.target ?? {};
        const current: Current | undefined = st?.[key]?.current;
        if (target.averageValue !== undefined) {
          const cur = st?.[key] && current?.averageValue !== undefined ? quantityPtr(current.averageValue) : '<unknown>';
          list.push(`${pair(cur, quantityPtr(target.averageValue))} (avg)`);
        } else {
          const cur = st?.[key] ? quantityPtr(current?.value) : '<unknown>';
          list.push(pair(cur, quantityPtr(target.value)));
        }
        break;
      }
      case 'Pods': {
        const cur = st?.pods ? quantityPtr(st.pods.current?.averageValue) : '<unknown>';
        list.push(pair(cur, quantityPtr(spec.pods?.target?.averageValue)));
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
        const src = spec[key] ?? {};
        const target: Target = src.target ?? {};
        const current: Current | undefined = st?.[key]?.current;
        if (target.averageValue !== undefined) {
          const cur = st?.[key] ? quantityPtr(current?.averageValue) : '<unknown>';
          list.push(`${src.name ?? ''}: ${pair(cur, quantityPtr(target.averageValue))}`);
        } else {
          const cur = st?.[key] && typeof current?.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
          const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
          list.push(`${src.name ?? ''}: ${pair(cur, tgt)}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  if (list.length === 0) return '<none>';
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** autoscaling/v1 HPAs carry a single CPU target; read them as the v2 metric they convert to. */
function hpaMetrics(hpa: any): { specs: any[] | undefined; statuses: any[] | undefined } {
  const spec = hpa?.spec ?? {};
  if (Array.isArray(spec.metrics) && spec.metrics.length > 0) {
    return { specs: spec.metrics, statuses: hpa?.status?.currentMetrics };
  }
  // No metrics: kube defaults to 80% average CPU utilization (the v1 field, when set, instead).
  const cpuTarget = spec.targetCPUUtilizationPercentage ?? 80;
  const specs = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuTarget } } }];
  if (spec.targetCPUUtilizationPercentage === undefined) return { specs, statuses: hpa?.status?.currentMetrics };
  const cur = hpa?.status?.currentCPUUtilizationPercentage;
  const statuses = cur === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cur } } }];
  return { specs, statuses };
}

const horizontalPodAutoscalers = printer<any>([
  nameCol(),
  str('Reference', 'scaleTargetRef points to the target resource to scale.', (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`),
  str('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.', (h) => {
    const { specs, statuses } = hpaMetrics(h);
    return formatHPAMetrics(specs, statuses);
  }),
  str('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.', (h) =>
    String(typeof h.spec?.minReplicas === 'number' ? h.spec.minReplicas : 1), // kube defaults minReplicas to 1
  ),
  str('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.', (h) => int(h.spec?.maxReplicas)),
  str('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler.', (h) => int(h.status?.currentReplicas)),
  ageCol(),
]);

// ---------------------------------------------------------------- policy

const podDisruptionBudgets = printer<PodDisruptionBudget>([
  nameCol(),
  str('Min Available', 'The minimum number of pods that must be available.', (p) =>
    p.spec?.minAvailable !== undefined ? intOrString(p.spec.minAvailable) : 'N/A',
  ),
  str('Max Unavailable', 'The maximum number of pods that may be unavailable.', (p) =>
    p.spec?.maxUnavailable !== undefined ? intOrString(p.spec.maxUnavailable) : 'N/A',
  ),
  integer('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', (p) => int(p.status?.disruptionsAllowed)),
  ageCol(),
]);

export const appsPrinters: Record<string, Printer> = {
  deployments,
  replicasets: replicaSets,
  statefulsets: statefulSets,
  daemonsets: daemonSets,
  controllerrevisions: controllerRevisions,
};

export const batchPrinters: Record<string, Printer> = { jobs, cronjobs: cronJobs };
export const autoscalingPrinters: Record<string, Printer> = { horizontalpodautoscalers: horizontalPodAutoscalers };
export const policyPrinters: Record<string, Printer> = { poddisruptionbudgets: podDisruptionBudgets };
