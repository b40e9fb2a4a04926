/**
 * policy.karmada.io/v1alpha1: PropagationPolicy, ClusterPropagationPolicy, OverridePolicy,
 * ClusterOverridePolicy and ClusterTaintPolicy. The shared pieces live in ./placement.ts and
 * ./overriders.ts; this file defines the kinds.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Int32, KubeObject, Opt, StringEnum, StringList } from './common.js';
import { OverrideSpecSchema } from './overriders.js';
import {
  ClusterAffinitySchema,
  FailoverBehaviorSchema,
  PlacementSchema,
  ResourceSelectorSchema,
  SchedulePrioritySchema,
  SuspensionSchema,
} from './placement.js';

export const POLICY_GROUP = 'policy.karmada.io';
export const POLICY_VERSION = 'v1alpha1';
export const POLICY_API_VERSION = 'policy.karmada.io/v1alpha1';

export const PREEMPTION_BEHAVIORS = ['Always', 'Never'] as const;
export type PreemptionBehavior = (typeof PREEMPTION_BEHAVIORS)[number];
export const CONFLICT_RESOLUTIONS = ['Abort', 'Overwrite'] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];
export const ACTIVATION_PREFERENCES = ['Lazy'] as const;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const conflictResolutionSchema = () =>
  StringEnum(CONFLICT_RESOLUTIONS, {
    default: 'Abort',
    description: 'What to do when the resource already exists in a member cluster: Abort (leave it) or Overwrite.',
  });

export const PropagationSpecSchema = Type.Object(
  {
    resourceSelectors: Type.Array(ResourceSelectorSchema, {
      minItems: 1,
      description: 'Resources this policy propagates; empty never means all (sensitive kinds must be chosen on purpose).',
    }),
    association: Opt(Type.Boolean({ description: 'Deprecated: use propagateDeps.' })),
    propagateDeps: Opt(Type.Boolean({ description: 'Propagate what the resources reference (ConfigMaps, Secrets, ...) with them.' })),
    placement: Opt(PlacementSchema),
    priority: Opt(Int32({ default: 0, description: 'Higher wins when several policies match a resource.' })),
    preemption: Opt(StringEnum(PREEMPTION_BEHAVIORS, { default: 'Never', description: 'Whether this policy takes resources already claimed by a lower-priority one.' })),
    dependentOverrides: Opt(StringList({ description: 'OverridePolicies that must exist before this policy applies.' })),
    schedulerName: Opt(Type.String({ default: DEFAULT_SCHEDULER_NAME, description: 'Scheduler that places the resources.' })),
    failover: Opt(FailoverBehaviorSchema),
    conflictResolution: Opt(conflictResolutionSchema()),
    activationPreference: Opt(StringEnum(ACTIVATION_PREFERENCES, { description: 'Lazy: policy changes apply only when a resource template next changes.' })),
    suspension: Opt(SuspensionSchema),
    preserveResourcesOnDeletion: Opt(Type.Boolean({ description: 'Keep the member copies when the template is deleted.' })),
    schedulePriority: Opt(SchedulePrioritySchema),
  },
  { description: 'Which resources to propagate, where, and how.' },
);
export type PropagationSpec = Static<typeof PropagationSpecSchema>;

export const PropagationPolicySchema = KubeObject(
  POLICY_API_VERSION,
  'PropagationPolicy',
  { spec: PropagationSpecSchema },
  'Propagates resources of its own namespace to member clusters.',
);
export type PropagationPolicy = Static<typeof PropagationPolicySchema>;

export const ClusterPropagationPolicySchema = KubeObject(
  POLICY_API_VERSION,
  'ClusterPropagationPolicy',
  { spec: PropagationSpecSchema },
  'Propagates cluster-scoped resources, and resources of any non-system namespace, to member clusters.',
);
export type ClusterPropagationPolicy = Static<typeof ClusterPropagationPolicySchema>;

export const OverridePolicySchema = KubeObject(
  POLICY_API_VERSION,
  'OverridePolicy',
  { spec: OverrideSpecSchema },
  'Changes resources of its own namespace per member cluster.',
);
export type OverridePolicy = Static<typeof OverridePolicySchema>;

export const ClusterOverridePolicySchema = KubeObject(
  POLICY_API_VERSION,
  'ClusterOverridePolicy',
  { spec: OverrideSpecSchema },
  'Changes resources of any namespace, or cluster-scoped ones, per member cluster.',
);
export type ClusterOverridePolicy = Static<typeof ClusterOverridePolicySchema>;

export const MATCH_CONDITION_OPERATORS = ['In', 'NotIn'] as const;

export const MatchConditionSchema = Type.Object(
  {
    conditionType: Type.String({ description: 'A Cluster status condition type, e.g. Ready.' }),
    operator: Type.String({ description: 'In or NotIn.' }),
    statusValues: StringList({ description: 'Condition statuses (True, False, Unknown) to match.' }),
  },
  { description: 'Matches a Cluster condition by type and status.' },
);
export type MatchCondition = Static<typeof MatchConditionSchema>;

export const PolicyTaintSchema = Type.Object(
  {
    key: Type.String(),
    effect: Type.String({ description: 'NoSchedule or NoExecute.' }),
    value: Opt(Type.String()),
  },
  { description: 'A taint to put on, or take off, matching clusters.' },
);
export type PolicyTaint = Static<typeof PolicyTaintSchema>;

export const ClusterTaintPolicySpecSchema = Type.Object(
  {
    targetClusters: Opt(ClusterAffinitySchema),
    addOnConditions: Opt(Type.Array(MatchConditionSchema, { description: 'All must match for the taints to be added.' })),
    removeOnConditions: Opt(Type.Array(MatchConditionSchema, { description: 'All must match for the taints to be removed.' })),
    taints: Type.Array(PolicyTaintSchema, { minItems: 1 }),
  },
  { description: 'Taints clusters from their conditions; AddOnConditions are evaluated before RemoveOnConditions.' },
);
export type ClusterTaintPolicySpec = Static<typeof ClusterTaintPolicySpecSchema>;

export const ClusterTaintPolicySchema = KubeObject(
  POLICY_API_VERSION,
  'ClusterTaintPolicy',
  { spec: ClusterTaintPolicySpecSchema },
  'Adds and removes cluster taints from cluster conditions; its taints stay when the policy is deleted.',
);
export type ClusterTaintPolicy = Static<typeof ClusterTaintPolicySchema>;
