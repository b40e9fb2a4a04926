/**
 * policy/v1 PodDisruptionBudget, which `kubectl create poddisruptionbudget` sends.
 * Field numbers from k8s.io/api policy/v1 (generated.proto / types.go).
 */
import type { GroupSpec } from './schema.js';

export const policy: GroupSpec = {
  pkg: 'policy',
  kinds: { 'policy/v1': ['PodDisruptionBudget'] },
  messages: {
    PodDisruptionBudget: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'PodDisruptionBudgetSpec'], status: [3, 'PodDisruptionBudgetStatus'] },
    PodDisruptionBudgetSpec: {
      minAvailable: [1, 'intstr.IntOrString', 'p'],
      selector: [2, 'meta.LabelSelector'],
      maxUnavailable: [3, 'intstr.IntOrString', 'p'],
      unhealthyPodEvictionPolicy: [4, 'string', 'p'],
    },
    // The four counters have no omitempty: a fresh PDB's status is written with zeros.
    PodDisruptionBudgetStatus: {
      observedGeneration: [1, 'int64'],
      disruptedPods: [2, 'map<meta.Time>'],
      disruptionsAllowed: [3, 'int32', 'r'],
      currentHealthy: [4, 'int32', 'r'],
      desiredHealthy: [5, 'int32', 'r'],
      expectedPods: [6, 'int32', 'r'],
      conditions: [7, '[]meta.Condition'],
    },
  },
};
