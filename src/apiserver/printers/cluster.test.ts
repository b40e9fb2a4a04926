import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printerFor } from './builtin.js';
import { NOW, ago, byName } from './testutil.js';

const header = (group: string, resource: string, wide = false) =>
  printerFor(group, resource)
    .columns.filter((c) => wide || c.priority === 0)
    .map((c) => c.name.toUpperCase())
    .join(' ');
const row = (group: string, resource: string, obj: unknown) => {
  const p = printerFor(group, resource);
  return byName(p.columns, p.cells(obj, NOW));
};

describe('ingresses', () => {
  const ing = (spec: object, status: object = {}) => ({ metadata: { name: 'web', creationTimestamp: ago('2d') }, spec, status });
  it('prints class, hosts, address and ports', () => {
    assert.equal(header('networking.k8s.io', 'ingresses'), 'NAME CLASS HOSTS ADDRESS PORTS AGE');
    const obj = ing(
      { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
      { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } },
    );
    assert.deepEqual(printerFor('networking.k8s.io', 'ingresses').cells(obj, NOW), ['web', 'nginx', 'a.example.com,b.example.com', '192.168.49.2', '80, 443', '2d']);
  });
  it('prints * without hosts and <none> without a class', () => {
    const r = row('networking.k8s.io', 'ingresses', ing({ rules: [{ http: {} }] }));
    assert.deepEqual([r.Class, r.Hosts, r.Address, r.Ports], ['<none>', '*', '', '80']);
  });
  it('caps hosts at three', () => {
    const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.io` }));
    assert.equal(row('networking.k8s.io', 'ingresses', ing({ rules })).Hosts, 'a.io,b.io,c.io + 2 more...');
  });
});

describe('networking and discovery', () => {
  it('ingressclasses', () => {
    const r = row('networking.k8s.io', 'ingressclasses', { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } });
    assert.deepEqual([r.Controller, r.Parameters], ['k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb']);
    assert.equal(row('networking.k8s.io', 'ingressclasses', { metadata: { name: 'x' }, spec: { controller: 'c' } }).Parameters, '<none>');
  });
  it('networkpolicies', () => {
    assert.equal(header('networking.k8s.io', 'networkpolicies'), 'NAME POD-SELECTOR AGE');
    assert.equal(row('networking.k8s.io', 'networkpolicies', { metadata: { name: 'deny' }, spec: { podSelector: {} } })['Pod-Selector'], '<none>');
    assert.equal(row('networking.k8s.io', 'networkpolicies', { metadata: { name: 'db' }, spec: { podSelector: { matchLabels: { role: 'db' } } } })['Pod-Selector'], 'role=db');
  });
  it('endpointslices', () => {
    assert.equal(header('discovery.k8s.io', 'endpointslices'), 'NAME ADDRESSTYPE PORTS ENDPOINTS AGE');
    const es = {
      metadata: { name: 'web-abc', creationTimestamp: ago('1m') },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80 }, { name: 'named' }, {}],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
    };
    assert.deepEqual(printerFor('discovery.k8s.io', 'endpointslices').cells(es, NOW), ['web-abc', 'IPv4', '80,named,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '60s']);
    const empty = row('discovery.k8s.io', 'endpointslices', { metadata: { name: 'e' }, addressType: 'IPv6' });
    assert.deepEqual([empty.Ports, empty.Endpoints], ['<unset>', '<unset>']);
  });
  it('leases', () => {
    assert.deepEqual(printerFor('coordination.k8s.io', 'leases').cells({ metadata: { name: 'kube-scheduler', creationTimestamp: ago('9d') }, spec: { holderIdentity: 'cp-1_abc' } }, NOW), ['kube-scheduler', 'cp-1_abc', '9d']);
    assert.equal(row('coordination.k8s.io', 'leases', { metadata: { name: 'l' }, spec: {} }).Holder, '');
  });
});

describe('rbac', () => {
  it('roles and clusterroles print NAME CREATED AT', () => {
    for (const r of ['roles', 'clusterroles']) {
      assert.equal(header('rbac.authorization.k8s.io', r), 'NAME CREATED AT');
      assert.deepEqual(printerFor('rbac.authorization.k8s.io', r).cells({ metadata: { name: 'admin', creationTimestamp: '2024-05-30T08:00:00Z' } }, NOW), ['admin', '2024-05-30T08:00:00Z']);
    }
  });
  it('bindings print the role and, wide, their subjects', () => {
    for (const r of ['rolebindings', 'clusterrolebindings']) {
      assert.equal(header('rbac.authorization.k8s.io', r, true), 'NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS');
      const b = {
        metadata: { name: 'b', creationTimestamp: ago('5h') },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', namespace: 'ci', name: 'runner' },
          { kind: 'User', name: 'bob' },
          { kind: 'Other', name: 'x' },
        ],
      };
      assert.deepEqual(printerFor('rbac.authorization.k8s.io', r).cells(b, NOW), ['b', 'ClusterRole/view', '5h', 'alice, bob', 'devs', 'ci/runner']);
    }
  });
});

describe('storage, scheduling and the rest', () => {
  it('storageclasses mark the default and apply kube defaults', () => {
    assert.equal(header('storage.k8s.io', 'storageclasses'), 'NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE');
    const sc = { metadata: { name: 'standard', creationTimestamp: ago('50d'), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
    assert.deepEqual(printerFor('storage.k8s.io', 'storageclasses').cells(sc, NOW), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '50d']);
    const plain = row('storage.k8s.io', 'storageclasses', { metadata: { name: 'fast' }, provisioner: 'p', allowVolumeExpansion: true });
    assert.deepEqual([plain.Name, plain.ReclaimPolicy, plain.VolumeBindingMode, plain.AllowVolumeExpansion], ['fast', 'Delete', 'Immediate', true]);
  });
  it('priorityclasses', () => {
    assert.equal(header('scheduling.k8s.io', 'priorityclasses'), 'NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY');
    assert.deepEqual(printerFor('scheduling.k8s.io', 'priorityclasses').cells({ metadata: { name: 'system-node-critical', creationTimestamp: ago('100d') }, value: 2000001000 }, NOW), ['system-node-critical', 2000001000, false, '100d', 'PreemptLowerPriority']);
  });
  it('csidrivers with kube defaults', () => {
    const r = printerFor('storage.k8s.io', 'csidrivers').cells({ metadata: { name: 'csi.example.com' }, spec: { tokenRequests: [{ audience: 'a' }, { audience: 'b' }] } }, NOW);
    assert.deepEqual(r, ['csi.example.com', true, false, false, 'a,b', false, 'Persistent', '<unknown>']);
  });
  it('volumeattachments', () => {
    const va = { metadata: { name: 'csi-123' }, spec: { attacher: 'csi.example.com', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } }, status: { attached: true } };
    assert.deepEqual(printerFor('storage.k8s.io', 'volumeattachments').cells(va, NOW), ['csi-123', 'csi.example.com', 'pv1', 'n1', true, '<unknown>']);
  });
  it('certificatesigningrequests', () => {
    assert.equal(header('certificates.k8s.io', 'certificatesigningrequests'), 'NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION');
    const csr = { metadata: { name: 'csr-1', creationTimestamp: ago('30s') }, spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds: 86400 }, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' } };
    assert.deepEqual(printerFor('certificates.k8s.io', 'certificatesigningrequests').cells(csr, NOW), ['csr-1', '30s', 'kubernetes.io/kube-apiserver-client', 'alice', '24h', 'Approved,Issued']);
    assert.equal(row('certificates.k8s.io', 'certificatesigningrequests', { metadata: { name: 'x' }, spec: {} }).Condition, 'Pending');
  });
  it('webhook configurations count webhooks', () => {
    assert.deepEqual(printerFor('admissionregistration.k8s.io', 'validatingwebhookconfigurations').cells({ metadata: { name: 'v' }, webhooks: [{}, {}] }, NOW), ['v', 2, '<unknown>']);
  });
  it('customresourcedefinitions and apiservices use the default printer', () => {
    assert.equal(header('apiextensions.k8s.io', 'customresourcedefinitions'), 'NAME CREATED AT');
    assert.equal(header('apiregistration.k8s.io', 'apiservices'), 'NAME CREATED AT');
  });
});
