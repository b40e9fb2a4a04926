/**
 * apps.karmada.io/v1alpha1 WorkloadRebalancer: asks for a fresh reschedule of the listed workloads
 * (it sets rescheduleTriggeredAt on their bindings) and reports the result per workload.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Int32, Int64, KubeObject, Opt, StringEnum, Time } from './common.js';

export const APPS_GROUP = 'apps.karmada.io';
export const APPS_VERSION = 'v1alpha1';
export const APPS_API_VERSION = 'apps.karmada.io/v1alpha1';

export const REBALANCE_RESULTS = ['Successful', 'Failed'] as const;
export type RebalanceResult = (typeof REBALANCE_RESULTS)[number];
/** The only failure reason Karmada reports. */
export const REBALANCE_REASON_BINDING_NOT_FOUND = 'ReferencedBindingNotFound';

export const RebalanceObjectReferenceSchema = Type.Object(
  {
    apiVersion: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    namespace: Opt(Type.String({ description: 'Empty for cluster-scoped resources.' })),
  },
  { description: 'A workload to rebalance.' },
);
export type RebalanceObjectReference = Static<typeof RebalanceObjectReferenceSchema>;

export const WorkloadRebalancerSpecSchema = Type.Object(
  {
    workloads: Type.Array(RebalanceObjectReferenceSchema, { minItems: 1, description: 'Workloads to reschedule from scratch.' }),
    ttlSecondsAfterFinished: Opt(Int32({ description: 'Delete the rebalancer this long after it finishes; unset keeps it.' })),
  },
  { description: 'Workloads to rebalance.' },
);
export type WorkloadRebalancerSpec = Static<typeof WorkloadRebalancerSpecSchema>;

export const ObservedWorkloadSchema = Type.Object(
  {
    workload: RebalanceObjectReferenceSchema,
    result: Opt(StringEnum(REBALANCE_RESULTS)),
    reason: Opt(Type.String({ description: 'Why it failed, e.g. ReferencedBindingNotFound.' })),
  },
  { description: 'The outcome for one workload.' },
);
export type ObservedWorkload = Static<typeof ObservedWorkloadSchema>;

export const WorkloadRebalancerStatusSchema = Type.Object(
  {
    observedWorkloads: Opt(Type.Array(ObservedWorkloadSchema)),
    observedGeneration: Opt(Int64()),
    finishTime: Opt(Time()),
  },
  { description: 'Progress of the rebalance.' },
);
export type WorkloadRebalancerStatus = Static<typeof WorkloadRebalancerStatusSchema>;

export const WorkloadRebalancerSchema = KubeObject(
  APPS_API_VERSION,
  'WorkloadRebalancer',
  { spec: WorkloadRebalancerSpecSchema, status: Opt(WorkloadRebalancerStatusSchema) },
  'Triggers a fresh reschedule of workloads.',
);
export type WorkloadRebalancer = Static<typeof WorkloadRebalancerSchema>;
