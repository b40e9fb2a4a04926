/**
 * Builders for snapshots and bindings, shared by the scheduler's tests, the bench and the
 * controller's tests. Karmada's own tests describe clusters by their free pod count
 * (NewClusterWithResource with only `pods`), so `free` does that here.
 */
import type { BindingInput, ClusterSnapshot, Placement, ReplicaSchedulingStrategy } from './types.js';

export interface ClusterSpec extends Partial<Omit<ClusterSnapshot, 'name'>> {
  /** Free pod slots (allocatable pods, nothing allocated), as in Karmada's tests. */
  readonly free?: number;
}

const DEPLOYMENT_API = [{ groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }] }];

export function cluster(name: string, spec: ClusterSpec = {}): ClusterSnapshot {
  const { free, ...rest } = spec;
  return {
    name,
    ready: true,
    apiEnablements: DEPLOYMENT_API,
    resourceSummary: free === undefined ? undefined : { allocatable: { pods: free } },
    ...rest,
  };
}

export function binding(placement: Placement, replicas: number, rest: Partial<BindingInput> = {}): BindingInput {
  return {
    uid: 'binding-uid',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' },
    replicas,
    placement,
    ...rest,
  };
}

export const DYNAMIC: ReplicaSchedulingStrategy = {
  replicaSchedulingType: 'Divided',
  replicaDivisionPreference: 'Weighted',
  weightPreference: { dynamicWeight: 'AvailableReplicas' },
};

export const AGGREGATED: ReplicaSchedulingStrategy = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' };

/** Divided, Weighted, static weights by cluster name: staticWeights({ m1: 3, m2: 2 }). */
export function staticWeights(weights: Readonly<Record<string, number>>): ReplicaSchedulingStrategy {
  return {
    replicaSchedulingType: 'Divided',
    replicaDivisionPreference: 'Weighted',
    weightPreference: {
      staticWeightList: Object.entries(weights).map(([name, weight]) => ({ targetCluster: { clusterNames: [name] }, weight })),
    },
  };
}

/** Decision clusters as { name: replicas }, for terse assertions. */
export function asRecord(clusters: readonly { name: string; replicas: number }[]): Record<string, number> {
  return Object.fromEntries(clusters.map((c) => [c.name, c.replicas]));
}
