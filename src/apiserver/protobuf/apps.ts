/**
 * apps/v1 Deployment, which `kubectl create deployment` sends.
 * Field numbers from k8s.io/api apps/v1 (generated.proto / types.go, 1.34).
 */
import type { GroupSpec } from './schema.js';

export const apps: GroupSpec = {
  pkg: 'apps',
  kinds: { 'apps/v1': ['Deployment'] },
  messages: {
    Deployment: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'DeploymentSpec'], status: [3, 'DeploymentStatus'] },
    DeploymentSpec: {
      replicas: [1, 'int32', 'p'],
      // A pointer without omitempty: Go writes null when it is missing.
      selector: [2, 'meta.LabelSelector', 'r'],
      template: [3, 'core.PodTemplateSpec'],
      strategy: [4, 'DeploymentStrategy'],
      minReadySeconds: [5, 'int32'],
      revisionHistoryLimit: [6, 'int32', 'p'],
      paused: [7, 'bool'],
      progressDeadlineSeconds: [9, 'int32', 'p'],
      podReplacementPolicy: [10, 'string', 'p'],
    },
    DeploymentStrategy: { type: [1, 'string'], rollingUpdate: [2, 'RollingUpdateDeployment'] },
    RollingUpdateDeployment: { maxUnavailable: [1, 'intstr.IntOrString', 'p'], maxSurge: [2, 'intstr.IntOrString', 'p'] },
    DeploymentStatus: {
      observedGeneration: [1, 'int64'],
      replicas: [2, 'int32'],
      updatedReplicas: [3, 'int32'],
      readyReplicas: [7, 'int32'],
      availableReplicas: [4, 'int32'],
      unavailableReplicas: [5, 'int32'],
      terminatingReplicas: [9, 'int32', 'p'],
      conditions: [6, '[]DeploymentCondition'],
      collisionCount: [8, 'int32', 'p'],
    },
    DeploymentCondition: {
      type: [1, 'string', 'r'],
      status: [2, 'string', 'r'],
      lastUpdateTime: [6, 'meta.Time'],
      lastTransitionTime: [7, 'meta.Time'],
      reason: [4, 'string'],
      message: [5, 'string'],
    },
  },
};
