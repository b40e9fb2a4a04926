import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printerFor } from './builtin.js';
import { NOW, ago, byName } from './testutil.js';

const row = (group: string, resource: string, obj: unknown) => {
  const p = printerFor(group, resource);
  return byName(p.columns, p.cells(obj, NOW));
};
const header = (group: string, resource: string, wide = false) =>
  printerFor(group, resource)
    .columns.filter((c) => wide || c.priority === 0)
    .map((c) => c.name.toUpperCase())
    .join(' ');

describe('services', () => {
  const svc = (spec: object, status: object = {}) => ({ metadata: { name: 'svc', creationTimestamp: ago('3d') }, spec, status });

  it('has the kubectl headers', () => {
    assert.equal(header('', 'services'), 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE');
    assert.equal(header('', 'services', true), 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR');
  });
  it('prints a ClusterIP service', () => {
    const p = printerFor('', 'services');
    const obj = svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 9153, protocol: 'TCP' }], selector: { 'k8s-app': 'kube-dns' } });
    assert.deepEqual(p.cells(obj, NOW), ['svc', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '3d', 'k8s-app=kube-dns']);
  });
  it('prints node ports and defaults the protocol', () => {
    const r = row('', 'services', svc({ type: 'NodePort', clusterIP: '10.0.0.5', ports: [{ port: 80, nodePort: 30080 }, { port: 443, nodePort: 30443, protocol: 'TCP' }] }));
    assert.equal(r['Port(s)'], '80:30080/TCP,443:30443/TCP');
    assert.equal(r['Cluster-IP'], '10.0.0.5');
  });
  it('prints <none> without ports, cluster IP or selector', () => {
    const r = row('', 'services', svc({ type: 'ClusterIP' }));
    assert.deepEqual([r['Cluster-IP'], r['Port(s)'], r.Selector], ['<none>', '<none>', '<none>']);
  });
  it('prints headless services', () => {
    assert.equal(row('', 'services', svc({ clusterIP: 'None', clusterIPs: ['None'] }))['Cluster-IP'], 'None');
  });
  it('sorts selectors by key', () => {
    assert.equal(row('', 'services', svc({ selector: { tier: 'web', app: 'shop' } })).Selector, 'app=shop,tier=web');
  });
  it('shows external IPs by type', () => {
    assert.equal(row('', 'services', svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }))['External-IP'], '1.2.3.4,5.6.7.8');
    assert.equal(row('', 'services', svc({ type: 'LoadBalancer' }))['External-IP'], '<pending>');
    assert.equal(
      row('', 'services', svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '34.1.1.2' }, { hostname: 'lb.example.com' }, { ip: '34.1.1.1' }] } }))['External-IP'],
      '34.1.1.1,34.1.1.2,lb.example.com',
    );
    assert.equal(
      row('', 'services', svc({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }, { loadBalancer: { ingress: [{ ip: '34.1.1.1' }] } }))['External-IP'],
      '34.1.1.1,9.9.9.9',
    );
    assert.equal(row('', 'services', svc({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }))['External-IP'], '9.9.9.9');
    assert.equal(row('', 'services', svc({ type: 'ExternalName', externalName: 'db.example.com' }))['External-IP'], 'db.example.com');
    assert.equal(row('', 'services', svc({ type: 'Weird' }))['External-IP'], '<unknown>');
  });
  it('does not truncate long load-balancer hostnames (the server prints wide)', () => {
    const host = 'a1b2c3d4e5f6-1234567890.us-east-1.elb.amazonaws.com';
    assert.equal(row('', 'services', svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ hostname: host }] } }))['External-IP'], host);
  });
});

describe('endpoints', () => {
  const ep = (subsets: object[] | undefined) => row('', 'endpoints', { metadata: { name: 'e' }, subsets }).Endpoints;
  it('joins address:port pairs', () => {
    assert.equal(ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 8080 }] }]), '10.0.0.1:8080,10.0.0.2:8080');
  });
  it('caps at three with a count of the rest', () => {
    assert.equal(
      ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }, { addresses: [{ ip: '10.0.1.1' }], ports: [{ port: 80 }] }]),
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...',
    );
  });
  it('prints bare IPs for portless subsets and brackets IPv6', () => {
    assert.equal(ep([{ addresses: [{ ip: '10.0.0.1' }] }]), '10.0.0.1');
    assert.equal(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), '[fd00::1]:80');
  });
  it('prints <none> without subsets', () => {
    assert.equal(ep(undefined), '<none>');
    assert.equal(ep([]), '<none>');
    assert.equal(ep([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]), '');
  });
});

describe('nodes', () => {
  const node = (over: { labels?: Record<string, string>; conditions?: object[]; unschedulable?: boolean; addresses?: object[]; nodeInfo?: object } = {}) => ({
    metadata: { name: 'n1', creationTimestamp: ago('30d'), labels: over.labels ?? {} },
    spec: { unschedulable: over.unschedulable },
    status: { conditions: over.conditions ?? [{ type: 'Ready', status: 'True' }], addresses: over.addresses ?? [], nodeInfo: over.nodeInfo ?? { kubeletVersion: 'v1.32.1' } },
  });
  it('has the kubectl headers', () => {
    assert.equal(header('', 'nodes', true), 'NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME');
  });
  it('prints a ready control-plane node', () => {
    const p = printerFor('', 'nodes');
    const obj = node({
      labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/hostname': 'n1' },
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.32.1', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.24' },
    });
    assert.deepEqual(p.cells(obj, NOW), ['n1', 'Ready', 'control-plane,master', '30d', 'v1.32.1', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.24']);
  });
  it('derives STATUS', () => {
    assert.equal(row('', 'nodes', node({ conditions: [{ type: 'Ready', status: 'False' }] })).Status, 'NotReady');
    assert.equal(row('', 'nodes', node({ conditions: [{ type: 'Ready', status: 'Unknown' }] })).Status, 'NotReady');
    assert.equal(row('', 'nodes', node({ conditions: [{ type: 'MemoryPressure', status: 'False' }] })).Status, 'Unknown');
    assert.equal(row('', 'nodes', node({ unschedulable: true })).Status, 'Ready,SchedulingDisabled');
    assert.equal(row('', 'nodes', node({ unschedulable: true, conditions: [] })).Status, 'Unknown,SchedulingDisabled');
  });
  it('derives ROLES', () => {
    assert.equal(row('', 'nodes', node()).Roles, '<none>');
    assert.equal(row('', 'nodes', node({ labels: { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': 'x', 'node-role.kubernetes.io/infra': 'true' } })).Roles, 'infra,worker');
  });
  it('prints <unknown> for missing node info in wide columns', () => {
    const r = row('', 'nodes', node({ nodeInfo: {} }));
    assert.deepEqual([r.Version, r['OS-Image'], r['Kernel-Version'], r['Container-Runtime']], ['', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('events', () => {
  it('has the kubectl headers', () => {
    assert.equal(header('', 'events'), 'LAST SEEN TYPE REASON OBJECT MESSAGE');
    assert.equal(header('', 'events', true), 'LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME');
  });
  it('prints a core event', () => {
    const p = printerFor('', 'events');
    const e = {
      metadata: { name: 'web-0.17d', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx"\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago('10m'),
      lastTimestamp: ago('2m'),
      count: 4,
      type: 'Normal',
    };
    assert.deepEqual(p.cells(e, NOW), ['2m', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 4, 'web-0.17d']);
  });
  it('falls back to eventTime, series and reporting fields', () => {
    const e = {
      metadata: { name: 'x' },
      involvedObject: { kind: 'Node' },
      eventTime: '2024-06-01T11:00:00.000000Z',
      series: { count: 7, lastObservedTime: '2024-06-01T11:59:00.000000Z' },
      reportingComponent: 'scheduler',
      reportingInstance: '',
      type: 'Warning',
      reason: 'FailedScheduling',
      message: 'nope',
    };
    const r = row('', 'events', e);
    assert.deepEqual([r['Last Seen'], r['First Seen'], r.Count, r.Object, r.Source], ['60s', '60m', 7, 'node', 'scheduler']);
    const single = row('', 'events', { ...e, series: undefined });
    assert.deepEqual([single['Last Seen'], single.Count], ['60m', 1]);
  });
  it('prints events.k8s.io events the same way', () => {
    const p = printerFor('events.k8s.io', 'events');
    assert.deepEqual(p.columns, printerFor('', 'events').columns);
    const e = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'ev' },
      regarding: { kind: 'Deployment', name: 'web' },
      note: 'Scaled up replica set web-1 to 3',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      reportingController: 'deployment-controller',
      deprecatedFirstTimestamp: ago('5m'),
      deprecatedLastTimestamp: ago('30s'),
      deprecatedCount: 2,
    };
    assert.deepEqual(p.cells(e, NOW), ['30s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-1 to 3', '5m', 2, 'ev']);
  });
});

describe('storage', () => {
  it('prints a bound persistent volume', () => {
    const p = printerFor('', 'persistentvolumes');
    assert.equal(p.columns.map((c) => c.name.toUpperCase()).join(' '), 'NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE VOLUMEMODE');
    const pv = {
      metadata: { name: 'pv1', creationTimestamp: ago('1d') },
      spec: { capacity: { storage: '1.5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'ns', name: 'data' }, storageClassName: 'fast', volumeMode: 'Filesystem' },
      status: { phase: 'Bound' },
    };
    assert.deepEqual(p.cells(pv, NOW), ['pv1', '1536Mi', 'RWO,RWX', 'Retain', 'Bound', 'ns/data', 'fast', '<unset>', '', '24h', 'Filesystem']);
  });
  it('prefers the beta storage-class annotation and shows Terminating', () => {
    const r = row('', 'persistentvolumes', { metadata: { name: 'pv', deletionTimestamp: ago('1s'), annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }, spec: { storageClassName: 'new' }, status: { phase: 'Bound' } });
    assert.deepEqual([r.StorageClass, r.Status, r.Capacity, r.VolumeMode], ['old', 'Terminating', '0', '<unset>']);
  });
  it('prints claims, with capacity only once bound', () => {
    const p = printerFor('', 'persistentvolumeclaims');
    assert.equal(p.columns.filter((c) => c.priority === 0).map((c) => c.name.toUpperCase()).join(' '), 'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE');
    const bound = { metadata: { name: 'data', creationTimestamp: ago('5m') }, spec: { volumeName: 'pv1', storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'] } };
    assert.deepEqual(p.cells(bound, NOW), ['data', 'Bound', 'pv1', '1Gi', 'RWO', 'fast', '<unset>', '5m', '<unset>']);
    const pending = { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
    assert.deepEqual(p.cells(pending, NOW).slice(1, 6), ['Pending', '', '', '', '']);
  });
});

describe('small core kinds', () => {
  it('namespaces', () => {
    assert.deepEqual(printerFor('', 'namespaces').cells({ metadata: { name: 'kube-system', creationTimestamp: ago('400d') }, status: { phase: 'Active' } }, NOW), ['kube-system', 'Active', '400d']);
  });
  it('configmaps count data and binaryData', () => {
    assert.deepEqual(printerFor('', 'configmaps').cells({ metadata: { name: 'cm', creationTimestamp: ago('45s') }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, NOW), ['cm', 3, '45s']);
    assert.equal(printerFor('', 'configmaps').columns[1]?.type, 'integer');
  });
  it('secrets', () => {
    assert.deepEqual(printerFor('', 'secrets').cells({ metadata: { name: 's', creationTimestamp: ago('1h') }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, NOW), ['s', 'kubernetes.io/tls', 2, '60m']);
    assert.deepEqual(printerFor('', 'secrets').cells({ metadata: { name: 's' } }, NOW).slice(1, 3), ['Opaque', 0]);
  });
  it('serviceaccounts', () => {
    assert.deepEqual(printerFor('', 'serviceaccounts').cells({ metadata: { name: 'default', creationTimestamp: ago('2m') } }, NOW), ['default', 0, '2m']);
    assert.equal(header('', 'serviceaccounts'), 'NAME SECRETS AGE');
  });
  it('resourcequotas split requests and limits, sorted', () => {
    const q = {
      metadata: { name: 'q', creationTimestamp: ago('10s') },
      status: { hard: { 'requests.cpu': '2', pods: '10', 'limits.memory': '2Gi', 'limits.cpu': '4', 'count/deployments.apps': '5' }, used: { 'requests.cpu': '500m', pods: '3', 'limits.cpu': '1000m' } },
    };
    assert.deepEqual(printerFor('', 'resourcequotas').cells(q, NOW), [
      'q',
      'count/deployments.apps: 0/5, pods: 3/10, requests.cpu: 500m/2',
      'limits.cpu: 1/4, limits.memory: 0/2Gi',
      '10s',
    ]);
  });
  it('limitranges use the default printer', () => {
    assert.deepEqual(printerFor('', 'limitranges').cells({ metadata: { name: 'lr', creationTimestamp: '2024-05-01T10:20:30Z' } }, NOW), ['lr', '2024-05-01T10:20:30Z']);
  });
  it('replicationcontrollers', () => {
    assert.equal(header('', 'replicationcontrollers', true), 'NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR');
    const rc = { metadata: { name: 'rc' }, spec: { replicas: 3, selector: { app: 'x' }, template: { spec: { containers: [{ name: 'a', image: 'i:1' }] } } }, status: { replicas: 3, readyReplicas: 2 } };
    assert.deepEqual(printerFor('', 'replicationcontrollers').cells(rc, NOW), ['rc', 3, 3, 2, '<unknown>', 'a', 'i:1', 'app=x']);
  });
});
