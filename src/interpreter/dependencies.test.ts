import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { getDependencies } from './dependencies.js';
import type { DependencyRef, JsonObject } from './types.js';

const cm = (name: string, namespace = 'app'): DependencyRef => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
const secret = (name: string, namespace = 'app'): DependencyRef => ({ apiVersion: 'v1', kind: 'Secret', namespace, name });
const pvc = (name: string): DependencyRef => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'app', name });
const sa = (name: string): DependencyRef => ({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'app', name });

const deploy = (spec: PodSpec, kind = 'Deployment', apiVersion = 'apps/v1'): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name: 'w', namespace: 'app' },
  spec: { template: { spec } },
});
const c = (extra: JsonObject = {}) => ({ name: 'c', image: 'x', ...extra });

describe('getDependencies', () => {
  const table: { name: string; obj: JsonObject; want: DependencyRef[] }[] = [
    { name: 'nothing referenced', obj: deploy({ containers: [c()] }), want: [] },
    {
      name: 'configMap, secret and PVC volumes',
      obj: deploy({
        containers: [c()],
        volumes: [
          { name: 'a', configMap: { name: 'cfg' } },
          { name: 'b', secret: { secretName: 'creds' } },
          { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'd', emptyDir: {} },
          { name: 'e', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
        ],
      }),
      want: [cm('cfg'), pvc('data'), secret('creds')],
    },
    {
      name: 'projected sources',
      obj: deploy({
        containers: [c()],
        volumes: [{ name: 'p', projected: { sources: [{ configMap: { name: 'pc' } }, { secret: { name: 'ps' } }, { serviceAccountToken: { path: 't' } }, { downwardAPI: {} }] } }],
      }),
      want: [cm('pc'), secret('ps')],
    },
    {
      name: 'volume plugins naming secrets',
      obj: deploy({
        containers: [c()],
        volumes: [
          { name: 'a', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-s' } } },
          { name: 'b', rbd: { image: 'i', monitors: [], secretRef: { name: 'rbd-s' } } },
          { name: 'c', cephfs: { monitors: [], secretRef: { name: 'ceph-s' } } },
          { name: 'd', azureFile: { secretName: 'az-s', shareName: 's' } },
          { name: 'e', flexVolume: { driver: 'f', secretRef: { name: 'flex-s' } } },
        ],
      }),
      want: [secret('az-s'), secret('ceph-s'), secret('csi-s'), secret('flex-s'), secret('rbd-s')],
    },
    {
      name: 'env valueFrom and envFrom in every container type',
      obj: deploy({
        initContainers: [c({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'init-cm', key: 'k' } } }] })],
        containers: [
          c({
            env: [
              { name: 'B', valueFrom: { secretKeyRef: { name: 'env-s', key: 'k', optional: true } } },
              { name: 'C', value: 'plain' },
              { name: 'D', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            envFrom: [{ configMapRef: { name: 'from-cm' } }, { secretRef: { name: 'from-s' }, prefix: 'X_' }],
          }),
        ],
        ephemeralContainers: [c({ envFrom: [{ secretRef: { name: 'debug-s' } }] })],
      }),
      want: [cm('from-cm'), cm('init-cm'), secret('debug-s'), secret('env-s'), secret('from-s')],
    },
    {
      name: 'imagePullSecrets and a non-default ServiceAccount',
      obj: deploy({ containers: [c()], imagePullSecrets: [{ name: 'regcred' }], serviceAccountName: 'builder' }),
      want: [secret('regcred'), sa('builder')],
    },
    { name: 'the default ServiceAccount is not a dependency', obj: deploy({ containers: [c()], serviceAccountName: 'default' }), want: [] },
    { name: 'deprecated serviceAccount alias', obj: deploy({ containers: [c()], serviceAccount: 'legacy' }), want: [sa('legacy')] },
    {
      name: 'duplicates collapse, output sorted by kind then name',
      obj: deploy({
        containers: [c({ envFrom: [{ configMapRef: { name: 'z' } }, { configMapRef: { name: 'a' } }] }), c({ envFrom: [{ configMapRef: { name: 'z' } }] })],
        volumes: [{ name: 'v', configMap: { name: 'a' } }],
        imagePullSecrets: [{ name: 'r' }, { name: 'r' }],
      }),
      want: [cm('a'), cm('z'), secret('r')],
    },
    { name: 'empty names are ignored', obj: deploy({ containers: [c({ envFrom: [{ configMapRef: { name: '' } }] })], volumes: [{ name: 'v', secret: {} }] }), want: [] },
    { name: 'StatefulSet', obj: deploy({ containers: [c()], volumes: [{ name: 'v', configMap: { name: 's' } }] }, 'StatefulSet'), want: [cm('s')] },
    { name: 'DaemonSet', obj: deploy({ containers: [c()], volumes: [{ name: 'v', configMap: { name: 'd' } }] }, 'DaemonSet'), want: [cm('d')] },
    { name: 'ReplicaSet', obj: deploy({ containers: [c()], volumes: [{ name: 'v', configMap: { name: 'r' } }] }, 'ReplicaSet'), want: [cm('r')] },
    { name: 'Job', obj: deploy({ containers: [c()], volumes: [{ name: 'v', configMap: { name: 'j' } }] }, 'Job', 'batch/v1'), want: [cm('j')] },
    {
      name: 'CronJob: the job template pod',
      obj: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c', namespace: 'app' },
        spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [c({ envFrom: [{ secretRef: { name: 'cron-s' } }] })] } } } } },
      },
      want: [secret('cron-s')],
    },
    {
      name: 'Pod: its own spec',
      obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'app' }, spec: { containers: [c()], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'pd' } }] } },
      want: [pvc('pd')],
    },
    {
      name: 'Ingress: TLS secrets',
      obj: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'app' }, spec: { tls: [{ secretName: 'tls-a' }, { hosts: ['x'] }] } },
      want: [secret('tls-a')],
    },
    { name: 'CRD: none', obj: { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'app' }, spec: { template: { spec: { volumes: [{ configMap: { name: 'x' } }] } } } }, want: [] },
    { name: 'workload without a pod template', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'app' }, spec: {} }, want: [] },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(getDependencies(t.obj), t.want));

  it('a template without a namespace depends on objects in "default"', () => {
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { template: { spec: { containers: [c({ envFrom: [{ configMapRef: { name: 'x' } }] })] } } } };
    assert.deepEqual(getDependencies(obj), [cm('x', 'default')]);
  });
});
