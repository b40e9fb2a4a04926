import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretHealth } from './health.js';
import type { Health, JsonObject } from './types.js';

const obj = (apiVersion: string, kind: string, spec: JsonObject, status: JsonObject | undefined, generation = 2): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', generation },
  spec,
  ...(status ? { status } : {}),
});

/** replicas null: spec.replicas unset */
const deploy = (status: JsonObject | undefined, replicas: number | null = 3) => obj('apps/v1', 'Deployment', replicas === null ? {} : { replicas }, status);
const sts = (status: JsonObject | undefined) => obj('apps/v1', 'StatefulSet', { replicas: 2 }, status);
const rs = (status: JsonObject | undefined) => obj('apps/v1', 'ReplicaSet', { replicas: 2 }, status);
const ds = (status: JsonObject | undefined) => obj('apps/v1', 'DaemonSet', {}, status);
const svc = (type: string, status?: JsonObject) => obj('v1', 'Service', { type }, status);
const ing = (status?: JsonObject) => obj('networking.k8s.io/v1', 'Ingress', {}, status);
const pvc = (phase?: string) => obj('v1', 'PersistentVolumeClaim', {}, phase ? { phase } : undefined);
const pod = (status: JsonObject | undefined) => obj('v1', 'Pod', {}, status);
const job = (status: JsonObject | undefined) => obj('batch/v1', 'Job', {}, status);
const pdb = (status: JsonObject) => obj('policy/v1', 'PodDisruptionBudget', {}, status);

const table: [string, unknown, Health][] = [
  ['Deployment rolled out', deploy({ observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3 }), 'Healthy'],
  ['Deployment: controller behind', deploy({ observedGeneration: 1, updatedReplicas: 3, availableReplicas: 3 }), 'Unhealthy'],
  ['Deployment: not all updated', deploy({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 3 }), 'Unhealthy'],
  ['Deployment: updated not available', deploy({ observedGeneration: 2, updatedReplicas: 3, availableReplicas: 2 }), 'Unhealthy'],
  ['Deployment: no status yet', deploy(undefined), 'Unhealthy'],
  ['Deployment scaled to zero', deploy({ observedGeneration: 2 }, 0), 'Healthy'],
  ['Deployment without spec.replicas', deploy({ observedGeneration: 2, updatedReplicas: 1, availableReplicas: 1 }, null), 'Healthy'],
  ['StatefulSet rolled out', sts({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 }), 'Healthy'],
  ['StatefulSet: updated not available', sts({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 }), 'Unhealthy'],
  ['ReplicaSet available', rs({ observedGeneration: 2, availableReplicas: 2 }), 'Healthy'],
  ['ReplicaSet short', rs({ observedGeneration: 2, availableReplicas: 1 }), 'Unhealthy'],
  ['DaemonSet rolled out', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), 'Healthy'],
  ['DaemonSet updating', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }), 'Unhealthy'],
  ['DaemonSet unavailable', ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), 'Unhealthy'],
  ['Service ClusterIP', svc('ClusterIP'), 'Healthy'],
  ['Service LoadBalancer with IP', svc('LoadBalancer', { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }), 'Healthy'],
  ['Service LoadBalancer with hostname', svc('LoadBalancer', { loadBalancer: { ingress: [{ hostname: 'lb' }] } }), 'Healthy'],
  ['Service LoadBalancer pending', svc('LoadBalancer', { loadBalancer: {} }), 'Unhealthy'],
  ['Service LoadBalancer entry without address', svc('LoadBalancer', { loadBalancer: { ingress: [{ ports: [] }] } }), 'Unhealthy'],
  ['Ingress with address', ing({ loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }), 'Healthy'],
  ['Ingress without address', ing({}), 'Unhealthy'],
  ['PVC Bound', pvc('Bound'), 'Healthy'],
  ['PVC Pending', pvc('Pending'), 'Unhealthy'],
  ['Pod Running and Ready', pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }), 'Healthy'],
  ['Pod Running not Ready', pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }), 'Unhealthy'],
  ['Pod Succeeded', pod({ phase: 'Succeeded' }), 'Healthy'],
  ['Pod Pending', pod({ phase: 'Pending' }), 'Unhealthy'],
  ['Job running', job({ active: 1 }), 'Healthy'],
  ['Job complete', job({ conditions: [{ type: 'Complete', status: 'True' }] }), 'Healthy'],
  ['Job failed', job({ conditions: [{ type: 'Failed', status: 'True' }] }), 'Unhealthy'],
  ['PDB satisfied', pdb({ currentHealthy: 2, desiredHealthy: 2 }), 'Healthy'],
  ['PDB short', pdb({ currentHealthy: 1, desiredHealthy: 2 }), 'Unhealthy'],
  ['ConfigMap: no knowledge is healthy (Karmada)', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'Healthy'],
  ['CRD: no knowledge is healthy', { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'Broken' } }, 'Healthy'],
  ['CronJob: no knowledge', obj('batch/v1', 'CronJob', {}, {}), 'Healthy'],
  ['not an object', 'nope', 'Unknown'],
  ['no kind', { metadata: {} }, 'Unknown'],
];

describe('interpretHealth', () => {
  for (const [name, o, want] of table) it(name, () => assert.equal(interpretHealth(o), want));
});
