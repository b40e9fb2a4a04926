/**
 * scheduling.k8s.io/v1 PriorityClass, which `kubectl create priorityclass` sends.
 * Field numbers from k8s.io/api scheduling/v1 (generated.proto / types.go).
 */
import type { GroupSpec } from './schema.js';

export const scheduling: GroupSpec = {
  pkg: 'scheduling',
  kinds: { 'scheduling.k8s.io/v1': ['PriorityClass'] },
  messages: {
    PriorityClass: {
      metadata: [1, 'meta.ObjectMeta'],
      value: [2, 'int32', 'r'],
      globalDefault: [3, 'bool'],
      description: [4, 'string'],
      preemptionPolicy: [5, 'string', 'p'],
    },
  },
};
