/**
 * batch/v1 Job and CronJob, which `kubectl create job|cronjob` send.
 * Field numbers from k8s.io/api batch/v1 (generated.proto / types.go, 1.34).
 */
import type { GroupSpec } from './schema.js';

export const batch: GroupSpec = {
  pkg: 'batch',
  kinds: { 'batch/v1': ['Job', 'CronJob'] },
  messages: {
    Job: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'JobSpec'], status: [3, 'JobStatus'] },
    JobSpec: {
      parallelism: [1, 'int32', 'p'],
      completions: [2, 'int32', 'p'],
      activeDeadlineSeconds: [3, 'int64', 'p'],
      podFailurePolicy: [11, 'PodFailurePolicy'],
      successPolicy: [16, 'SuccessPolicy'],
      backoffLimit: [7, 'int32', 'p'],
      backoffLimitPerIndex: [12, 'int32', 'p'],
      maxFailedIndexes: [13, 'int32', 'p'],
      selector: [4, 'meta.LabelSelector'],
      manualSelector: [5, 'bool', 'p'],
      template: [6, 'core.PodTemplateSpec'],
      ttlSecondsAfterFinished: [8, 'int32', 'p'],
      completionMode: [9, 'string', 'p'],
      suspend: [10, 'bool', 'p'],
      podReplacementPolicy: [14, 'string', 'p'],
      managedBy: [15, 'string', 'p'],
    },
    PodFailurePolicy: { rules: [1, '[]PodFailurePolicyRule', 'r'] },
    // Upstream tags onExitCodes/onPodConditions without omitempty: Go writes null for the unset one.
    PodFailurePolicyRule: {
      action: [1, 'string', 'r'],
      onExitCodes: [2, 'PodFailurePolicyOnExitCodesRequirement', 'r'],
      onPodConditions: [3, '[]PodFailurePolicyOnPodConditionsPattern', 'r'],
    },
    PodFailurePolicyOnExitCodesRequirement: { containerName: [1, 'string', 'pr'], operator: [2, 'string', 'r'], values: [3, '[]int32', 'r'] },
    PodFailurePolicyOnPodConditionsPattern: { type: [1, 'string', 'r'], status: [2, 'string', 'r'] },
    SuccessPolicy: { rules: [1, '[]SuccessPolicyRule', 'r'] },
    SuccessPolicyRule: { succeededIndexes: [1, 'string', 'p'], succeededCount: [2, 'int32', 'p'] },
    JobStatus: {
      conditions: [1, '[]JobCondition'],
      startTime: [2, 'meta.Time', 'p'],
      completionTime: [3, 'meta.Time', 'p'],
      active: [4, 'int32'],
      succeeded: [5, 'int32'],
      failed: [6, 'int32'],
      terminating: [11, 'int32', 'p'],
      completedIndexes: [7, 'string'],
      failedIndexes: [10, 'string', 'p'],
      uncountedTerminatedPods: [8, 'UncountedTerminatedPods'],
      ready: [9, 'int32', 'p'],
    },
    UncountedTerminatedPods: { succeeded: [1, '[]string'], failed: [2, '[]string'] },
    JobCondition: {
      type: [1, 'string', 'r'],
      status: [2, 'string', 'r'],
      lastProbeTime: [3, 'meta.Time'],
      lastTransitionTime: [4, 'meta.Time'],
      reason: [5, 'string'],
      message: [6, 'string'],
    },
    JobTemplateSpec: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'JobSpec'] },
    CronJob: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'CronJobSpec'], status: [3, 'CronJobStatus'] },
    CronJobSpec: {
      schedule: [1, 'string', 'r'],
      timeZone: [8, 'string', 'p'],
      startingDeadlineSeconds: [2, 'int64', 'p'],
      concurrencyPolicy: [3, 'string'],
      suspend: [4, 'bool', 'p'],
      jobTemplate: [5, 'JobTemplateSpec'],
      successfulJobsHistoryLimit: [6, 'int32', 'p'],
      failedJobsHistoryLimit: [7, 'int32', 'p'],
    },
    CronJobStatus: {
      active: [1, '[]core.ObjectReference'],
      lastScheduleTime: [4, 'meta.Time', 'p'],
      lastSuccessfulTime: [5, 'meta.Time', 'p'],
    },
  },
};
