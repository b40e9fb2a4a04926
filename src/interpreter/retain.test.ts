import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MANAGED_ANNOTATIONS_ANNOTATION, MANAGED_LABELS_ANNOTATION, RETAIN_REPLICAS_LABEL } from './constants.js';
import { retainMemberFields } from './retain.js';
import type { JsonObject } from './types.js';

const svc = (spec: JsonObject, metadata: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', ...metadata }, spec });
const spec = (o: JsonObject): JsonObject => o['spec'] as JsonObject;
const meta = (o: JsonObject): JsonObject => o['metadata'] as JsonObject;

describe('retainMemberFields: Service', () => {
  const observed = svc({
    type: 'NodePort',
    clusterIP: '10.0.0.7',
    clusterIPs: ['10.0.0.7'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
      { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
    ],
  });
  const table: { name: string; desired: JsonObject; observed?: JsonObject; want: JsonObject }[] = [
    {
      name: 'allocated IPs, families and node ports of matching ports are kept',
      desired: svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'new', port: 81 }] }),
      want: {
        type: 'NodePort',
        clusterIP: '10.0.0.7',
        clusterIPs: ['10.0.0.7'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 'new', port: 81 }],
      },
    },
    {
      name: 'a port whose number or protocol changed gets a fresh node port',
      desired: svc({ type: 'NodePort', ports: [{ name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'TCP' }] }),
      want: { type: 'NodePort', clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'TCP' }] },
    },
    {
      name: 'explicit template values win',
      desired: svc({ type: 'NodePort', ipFamilyPolicy: 'PreferDualStack', ports: [{ name: 'http', port: 80, nodePort: 31000 }] }),
      want: { type: 'NodePort', ipFamilyPolicy: 'PreferDualStack', clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, nodePort: 31000 }] },
    },
    {
      name: 'switching to ClusterIP drops node ports',
      desired: svc({ type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] }),
      want: { type: 'ClusterIP', clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 80 }] },
    },
    {
      name: 'asking for headless does not keep the allocated IPs',
      desired: svc({ clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }),
      want: { clusterIP: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: 80 }] },
    },
    { name: 'ExternalName keeps nothing', desired: svc({ type: 'ExternalName', externalName: 'x.example.com' }), want: { type: 'ExternalName', externalName: 'x.example.com' } },
    {
      name: 'LoadBalancer with Local traffic keeps healthCheckNodePort',
      desired: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
      observed: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.0.0.9', healthCheckNodePort: 32000, ports: [{ port: 80, protocol: 'TCP', nodePort: 30001 }] }),
      want: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.0.0.9', healthCheckNodePort: 32000, ports: [{ port: 80, nodePort: 30001 }] },
    },
    {
      name: 'healthCheckNodePort is dropped once traffic policy is Cluster',
      desired: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', ports: [{ port: 80 }] }),
      observed: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '10.0.0.9', healthCheckNodePort: 32000, ports: [{ port: 80, protocol: 'TCP', nodePort: 30001 }] }),
      want: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', clusterIP: '10.0.0.9', ports: [{ port: 80, nodePort: 30001 }] },
    },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(spec(retainMemberFields(t.desired, t.observed ?? observed)), t.want));

  it('does not mutate desired or observed', () => {
    const desired = svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] });
    const d0 = structuredClone(desired);
    const o0 = structuredClone(observed);
    retainMemberFields(desired, observed);
    assert.deepEqual(desired, d0);
    assert.deepEqual(observed, o0);
  });
});

describe('retainMemberFields: other kinds', () => {
  it('ServiceAccount keeps its token secrets', () => {
    const out = retainMemberFields({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ name: 'sa-token-x' }] });
    assert.deepEqual(out['secrets'], [{ name: 'sa-token-x' }]);
  });
  it('PVC keeps the bound volume', () => {
    const out = retainMemberFields({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { resources: {} } }, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { volumeName: 'pv-1' } });
    assert.equal(spec(out)['volumeName'], 'pv-1');
  });
  it('PV keeps its claimRef', () => {
    const out = retainMemberFields({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec: {} }, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec: { claimRef: { name: 'c' } } });
    assert.deepEqual(spec(out)['claimRef'], { name: 'c' });
  });
  it('Pod keeps node, service account, volumes and mounts', () => {
    const desired = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'v2' }], initContainers: [{ name: 'i', image: 'x' }] } };
    const observed = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        nodeName: 'node-3',
        serviceAccountName: 'default',
        volumes: [{ name: 'kube-api-access', projected: {} }],
        containers: [{ name: 'a', image: 'v1', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run' }] }],
        initContainers: [{ name: 'i', image: 'x', volumeMounts: [{ name: 'kube-api-access', mountPath: '/x' }] }],
      },
    };
    const s = spec(retainMemberFields(desired, observed));
    assert.equal(s['nodeName'], 'node-3');
    assert.equal(s['serviceAccountName'], 'default');
    assert.deepEqual(s['volumes'], [{ name: 'kube-api-access', projected: {} }]);
    assert.deepEqual(s['containers'], [{ name: 'a', image: 'v2', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run' }] }]);
    assert.deepEqual((s['initContainers'] as JsonObject[])[0]!['volumeMounts'], [{ name: 'kube-api-access', mountPath: '/x' }]);
  });
  it('Job keeps the controller-generated selector and pod labels', () => {
    const desired = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 2, template: { metadata: { labels: { app: 'j' } }, spec: {} } } };
    const generated = { app: 'j', 'controller-uid': 'u1', 'batch.kubernetes.io/controller-uid': 'u1', 'job-name': 'j', 'batch.kubernetes.io/job-name': 'j' };
    const observed = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { metadata: { labels: generated }, spec: {} } } };
    const s = spec(retainMemberFields(desired, observed));
    assert.deepEqual(s['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } });
    assert.deepEqual((s['template'] as JsonObject)['metadata'], { labels: generated });
    assert.equal(s['parallelism'], 2);
  });
  const workload = (kind: string, replicas: number, labels: Record<string, string> = {}): JsonObject => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'w', labels }, spec: { replicas } });
  for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet']) {
    it(`${kind}: replicas follow the member (HPA) only with retain-replicas=true`, () => {
      assert.equal(spec(retainMemberFields(workload(kind, 3, { [RETAIN_REPLICAS_LABEL]: 'true' }), workload(kind, 7)))['replicas'], 7);
      assert.equal(spec(retainMemberFields(workload(kind, 3), workload(kind, 7, { [RETAIN_REPLICAS_LABEL]: 'true' })))['replicas'], 7);
      assert.equal(spec(retainMemberFields(workload(kind, 3, { [RETAIN_REPLICAS_LABEL]: 'false' }), workload(kind, 7)))['replicas'], 3);
      assert.equal(spec(retainMemberFields(workload(kind, 3), workload(kind, 7)))['replicas'], 3);
    });
  }
  it('CRD: metadata only', () => {
    const out = retainMemberFields({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } }, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2, extra: true } });
    assert.deepEqual(spec(out), { size: 1 });
  });
});

describe('retainMemberFields: metadata', () => {
  const obj = (metadata: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...metadata } });
  const table: { name: string; desired: JsonObject; observed: JsonObject; want: JsonObject }[] = [
    {
      name: 'member-added labels and annotations are kept; template values win',
      desired: obj({ labels: { app: 'web', tier: 'new' }, annotations: { note: 'cp' } }),
      observed: obj({ labels: { app: 'web', tier: 'old', 'sidecar.istio.io/inject': 'true' }, annotations: { note: 'member', 'deployment.kubernetes.io/revision': '3' } }),
      want: { name: 'c', labels: { app: 'web', tier: 'new', 'sidecar.istio.io/inject': 'true' }, annotations: { note: 'cp', 'deployment.kubernetes.io/revision': '3' } },
    },
    {
      name: 'keys the template dropped (tracked as managed) are removed',
      desired: obj({ labels: { app: 'web' }, annotations: { [MANAGED_LABELS_ANNOTATION]: 'app', [MANAGED_ANNOTATIONS_ANNOTATION]: MANAGED_ANNOTATIONS_ANNOTATION } }),
      observed: obj({
        labels: { app: 'web', gone: 'x', member: 'y' },
        annotations: { [MANAGED_LABELS_ANNOTATION]: 'app,gone', [MANAGED_ANNOTATIONS_ANNOTATION]: `${MANAGED_ANNOTATIONS_ANNOTATION},old`, old: '1', added: '2' },
      }),
      want: {
        name: 'c',
        labels: { app: 'web', member: 'y' },
        annotations: { [MANAGED_LABELS_ANNOTATION]: 'app', [MANAGED_ANNOTATIONS_ANNOTATION]: MANAGED_ANNOTATIONS_ANNOTATION, added: '2' },
      },
    },
    {
      name: 'finalizers: member ones kept, template ones added once',
      desired: obj({ finalizers: ['cp/one', 'shared'] }),
      observed: obj({ finalizers: ['member/protect', 'shared'] }),
      want: { name: 'c', finalizers: ['member/protect', 'shared', 'cp/one'] },
    },
    {
      name: 'ownerReferences: member ones kept, by uid',
      desired: obj({ ownerReferences: [{ uid: 'a', kind: 'X', name: 'x' }] }),
      observed: obj({ ownerReferences: [{ uid: 'b', kind: 'Y', name: 'y' }, { uid: 'a', kind: 'X', name: 'x' }] }),
      want: { name: 'c', ownerReferences: [{ uid: 'b', kind: 'Y', name: 'y' }, { uid: 'a', kind: 'X', name: 'x' }] },
    },
    { name: 'nothing on either side adds nothing', desired: obj({}), observed: obj({}), want: { name: 'c' } },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(meta(retainMemberFields(t.desired, t.observed)), t.want));
});
