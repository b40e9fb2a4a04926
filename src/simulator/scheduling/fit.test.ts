import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, ContainerPort, Node, NodeSpec, Pod, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import {
  REASON_NODE_AFFINITY,
  REASON_NODE_NAME,
  REASON_NODE_PORTS,
  REASON_TOO_MANY_PODS,
  REASON_UNSCHEDULABLE,
  addPodToNodeInfo,
  buildNodeInfo,
  filterNode,
  fitErrorMessage,
  hostPortConflicts,
  podHostPorts,
  schedule,
  scoreNode,
  scoreNodes,
  tolerates,
  type FilterResult,
  type NodeInfo,
} from './fit.js';

// ---- fixtures -----------------------------------------------------------------------------------

interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  spec?: NodeSpec;
  ready?: 'True' | 'False' | 'Unknown';
}
function mkNode(name: string, o: NodeOpts = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...o.spec },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', 'ephemeral-storage': '100Gi', ...o.extra },
      conditions: [{ type: 'Ready', status: o.ready ?? 'True' }],
    },
  };
}

interface PodOpts {
  requests?: Record<string, string>;
  ports?: ContainerPort[];
  spec?: Partial<PodSpec>;
  priority?: number;
  namespace?: string;
  startTime?: string;
}
function mkPod(name: string, o: PodOpts = {}): Pod {
  const container: Container = {
    name: 'main',
    image: 'busybox',
    ...(o.requests ? { resources: { requests: o.requests } } : {}),
    ...(o.ports ? { ports: o.ports } : {}),
  };
  return {
    metadata: { name, namespace: o.namespace ?? 'default' },
    spec: { containers: [container], ...(o.priority !== undefined ? { priority: o.priority } : {}), ...o.spec },
    ...(o.startTime ? { status: { startTime: o.startTime } } : {}),
  };
}

const info = (node: Node, pods: Pod[] = []): NodeInfo => buildNodeInfo(node, pods);
const reasons = (r: FilterResult): string[] => (r.fits ? [] : r.reasons);
const CONTROL_PLANE: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const tol = (t: Toleration): Partial<PodSpec> => ({ tolerations: [t] });
const requiredAffinity = (...terms: NonNullable<Node['metadata']>['labels'][]): Partial<PodSpec> => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: terms.map((t) => ({
          matchExpressions: Object.entries(t ?? {}).map(([key, v]) => ({ key, operator: 'In', values: [v] })),
        })),
      },
    },
  },
});

// ---- filters ------------------------------------------------------------------------------------

describe('filterNode', () => {
  const table: { name: string; pod: Pod; node: NodeInfo; want: string[]; unresolvable?: boolean; plugin?: string }[] = [
    { name: 'fits an empty node', pod: mkPod('p', { requests: { cpu: '1', memory: '1Gi' } }), node: info(mkNode('n')), want: [] },
    {
      name: 'unschedulable node',
      pod: mkPod('p'),
      node: info(mkNode('n', { spec: { unschedulable: true } })),
      want: [REASON_UNSCHEDULABLE],
      unresolvable: true,
      plugin: 'NodeUnschedulable',
    },
    {
      name: 'unschedulable node tolerated by the unschedulable taint toleration',
      pod: mkPod('p', { spec: tol({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }) }),
      node: info(mkNode('n', { spec: { unschedulable: true } })),
      want: [],
    },
    {
      name: 'unschedulable node tolerated by a wildcard toleration',
      pod: mkPod('p', { spec: tol({ operator: 'Exists' }) }),
      node: info(mkNode('n', { spec: { unschedulable: true } })),
      want: [],
    },
    {
      name: 'unschedulable wins over taints (first failing plugin only)',
      pod: mkPod('p'),
      node: info(mkNode('n', { spec: { unschedulable: true }, taints: [CONTROL_PLANE] })),
      want: [REASON_UNSCHEDULABLE],
    },
    {
      name: 'spec.nodeName of another node',
      pod: mkPod('p', { spec: { nodeName: 'other' } }),
      node: info(mkNode('n')),
      want: [REASON_NODE_NAME],
      plugin: 'NodeName',
    },
    { name: 'spec.nodeName of this node', pod: mkPod('p', { spec: { nodeName: 'n' } }), node: info(mkNode('n')), want: [] },
    {
      name: 'untolerated NoSchedule taint without value',
      pod: mkPod('p'),
      node: info(mkNode('n', { taints: [CONTROL_PLANE] })),
      want: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      unresolvable: true,
      plugin: 'TaintToleration',
    },
    {
      name: 'untolerated taint with value',
      pod: mkPod('p'),
      node: info(mkNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })),
      want: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
    {
      name: 'untolerated NoExecute taint',
      pod: mkPod('p'),
      node: info(mkNode('n', { taints: [{ key: 'evict', value: 'now', effect: 'NoExecute' }] })),
      want: ['node(s) had untolerated taint {evict: now}'],
    },
    {
      name: 'PreferNoSchedule is ignored while filtering',
      pod: mkPod('p'),
      node: info(mkNode('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })),
      want: [],
    },
    {
      name: 'taint tolerated with Equal',
      pod: mkPod('p', { spec: tol({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }) }),
      node: info(mkNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })),
      want: [],
    },
    {
      name: 'toleration for another effect does not help',
      pod: mkPod('p', { spec: tol({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }) }),
      node: info(mkNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })),
      want: ['node(s) had untolerated taint {dedicated: gpu}'],
    },
    {
      name: 'empty key with Exists tolerates every taint',
      pod: mkPod('p', { spec: tol({ operator: 'Exists' }) }),
      node: info(mkNode('n', { taints: [CONTROL_PLANE, { key: 'x', value: 'y', effect: 'NoExecute' }] })),
      want: [],
    },
    {
      name: 'only the first untolerated taint is reported',
      pod: mkPod('p', { spec: tol({ key: 'a', operator: 'Exists' }) }),
      node: info(
        mkNode('n', {
          taints: [
            { key: 'a', effect: 'NoSchedule' },
            { key: 'b', value: '1', effect: 'NoSchedule' },
            { key: 'c', value: '2', effect: 'NoSchedule' },
          ],
        }),
      ),
      want: ['node(s) had untolerated taint {b: 1}'],
    },
    {
      name: 'Ready=False acts as the not-ready taint',
      pod: mkPod('p'),
      node: info(mkNode('n', { ready: 'False' })),
      want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    },
    {
      name: 'Ready=Unknown acts as the unreachable taint',
      pod: mkPod('p'),
      node: info(mkNode('n', { ready: 'Unknown' })),
      want: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    },
    {
      name: 'default NoExecute not-ready toleration does not tolerate NoSchedule',
      pod: mkPod('p', { spec: tol({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }) }),
      node: info(mkNode('n', { ready: 'False' })),
      want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    },
    {
      name: 'not-ready tolerated',
      pod: mkPod('p', { spec: tol({ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }) }),
      node: info(mkNode('n', { ready: 'False' })),
      want: [],
    },
    {
      name: 'nodeSelector mismatch',
      pod: mkPod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
      node: info(mkNode('n', { labels: { disk: 'hdd' } })),
      want: [REASON_NODE_AFFINITY],
      unresolvable: true,
      plugin: 'NodeAffinity',
    },
    {
      name: 'nodeSelector match',
      pod: mkPod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
      node: info(mkNode('n', { labels: { disk: 'ssd' } })),
      want: [],
    },
    {
      name: 'required affinity: terms are ORed',
      pod: mkPod('p', { spec: requiredAffinity({ zone: 'a' }, { zone: 'b' }) }),
      node: info(mkNode('n', { labels: { zone: 'b' } })),
      want: [],
    },
    {
      name: 'required affinity: expressions are ANDed',
      pod: mkPod('p', { spec: requiredAffinity({ zone: 'b', disk: 'ssd' }) }),
      node: info(mkNode('n', { labels: { zone: 'b', disk: 'hdd' } })),
      want: [REASON_NODE_AFFINITY],
    },
    {
      name: 'required affinity: matchFields metadata.name',
      pod: mkPod('p', {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] }],
              },
            },
          },
        },
      }),
      node: info(mkNode('n')),
      want: [REASON_NODE_AFFINITY],
    },
    {
      name: 'host port in use',
      pod: mkPod('p', { ports: [{ containerPort: 80, hostPort: 8080 }] }),
      node: info(mkNode('n'), [mkPod('q', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] })]),
      want: [REASON_NODE_PORTS],
      unresolvable: false,
      plugin: 'NodePorts',
    },
    {
      name: 'same host port, other protocol',
      pod: mkPod('p', { ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] }),
      node: info(mkNode('n'), [mkPod('q', { ports: [{ containerPort: 53, hostPort: 53 }] })]),
      want: [],
    },
    {
      name: 'containerPort without hostPort needs no host port',
      pod: mkPod('p', { ports: [{ containerPort: 8080 }] }),
      node: info(mkNode('n'), [mkPod('q', { ports: [{ containerPort: 8080, hostPort: 8080 }] })]),
      want: [],
    },
    {
      name: 'insufficient cpu',
      pod: mkPod('p', { requests: { cpu: '3' } }),
      node: info(mkNode('n', { cpu: '4' }), [mkPod('q', { requests: { cpu: '1500m' } })]),
      want: ['Insufficient cpu'],
      unresolvable: false,
      plugin: 'NodeResourcesFit',
    },
    {
      name: 'exactly fits',
      pod: mkPod('p', { requests: { cpu: '2500m', memory: '7Gi' } }),
      node: info(mkNode('n', { cpu: '4', memory: '8Gi' }), [mkPod('q', { requests: { cpu: '1500m', memory: '1Gi' } })]),
      want: [],
    },
    {
      name: 'insufficient memory',
      pod: mkPod('p', { requests: { memory: '8Gi' } }),
      node: info(mkNode('n', { memory: '8Gi' }), [mkPod('q', { requests: { memory: '1' } })]),
      want: ['Insufficient memory'],
    },
    {
      name: 'cpu and memory, in kube-scheduler order',
      pod: mkPod('p', { requests: { memory: '16Gi', cpu: '8' } }),
      node: info(mkNode('n')),
      want: ['Insufficient cpu', 'Insufficient memory'],
      unresolvable: true,
    },
    {
      name: 'insufficient ephemeral-storage',
      pod: mkPod('p', { requests: { 'ephemeral-storage': '200Gi' } }),
      node: info(mkNode('n')),
      want: ['Insufficient ephemeral-storage'],
    },
    {
      name: 'extended resource missing on the node',
      pod: mkPod('p', { requests: { 'nvidia.com/gpu': '1' } }),
      node: info(mkNode('n')),
      want: ['Insufficient nvidia.com/gpu'],
      unresolvable: true,
    },
    {
      name: 'extended resource used up',
      pod: mkPod('p', { requests: { 'nvidia.com/gpu': '1' } }),
      node: info(mkNode('n', { extra: { 'nvidia.com/gpu': '2' } }), [mkPod('q', { requests: { 'nvidia.com/gpu': '2' } })]),
      want: ['Insufficient nvidia.com/gpu'],
      unresolvable: false,
    },
    {
      name: 'extended resource available',
      pod: mkPod('p', { requests: { 'nvidia.com/gpu': '1' } }),
      node: info(mkNode('n', { extra: { 'nvidia.com/gpu': '2' } }), [mkPod('q', { requests: { 'nvidia.com/gpu': '1' } })]),
      want: [],
    },
    {
      name: 'hugepages are checked',
      pod: mkPod('p', { requests: { 'hugepages-2Mi': '4Mi' } }),
      node: info(mkNode('n', { extra: { 'hugepages-2Mi': '2Mi' } })),
      want: ['Insufficient hugepages-2Mi'],
    },
    {
      name: 'unprefixed unknown resources are not checked',
      pod: mkPod('p', { requests: { widgets: '5' } }),
      node: info(mkNode('n')),
      want: [],
    },
    {
      name: 'too many pods',
      pod: mkPod('p'),
      node: info(mkNode('n', { pods: '2' }), [mkPod('a'), mkPod('b')]),
      want: [REASON_TOO_MANY_PODS],
      unresolvable: false,
    },
    {
      name: 'too many pods and insufficient cpu together',
      pod: mkPod('p', { requests: { cpu: '4' } }),
      node: info(mkNode('n', { pods: '1' }), [mkPod('a', { requests: { cpu: '1' } })]),
      want: [REASON_TOO_MANY_PODS, 'Insufficient cpu'],
    },
    {
      name: 'terminal pods do not count',
      pod: mkPod('p', { requests: { cpu: '4' } }),
      node: info(mkNode('n', { pods: '1' }), [{ ...mkPod('done', { requests: { cpu: '4' } }), status: { phase: 'Succeeded' } }]),
      want: [],
    },
    {
      name: 'init containers count toward the request',
      pod: { ...mkPod('p'), spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i', resources: { requests: { cpu: '5' } } }] } },
      node: info(mkNode('n')),
      want: ['Insufficient cpu'],
    },
    {
      name: 'sidecars count toward the request',
      pod: {
        ...mkPod('p'),
        spec: {
          containers: [{ name: 'c', resources: { requests: { cpu: '3' } } }],
          initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '1500m' } } }],
        },
      },
      node: info(mkNode('n')),
      want: ['Insufficient cpu'],
    },
    {
      name: 'overhead counts toward the request',
      pod: { ...mkPod('p', { requests: { cpu: '4' } }), spec: { ...mkPod('p', { requests: { cpu: '4' } }).spec!, overhead: { cpu: '10m' } } },
      node: info(mkNode('n')),
      want: ['Insufficient cpu'],
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = filterNode(t.pod, t.node);
      assert.deepEqual(reasons(r), t.want);
      assert.equal(r.fits, t.want.length === 0);
      if (!r.fits && t.unresolvable !== undefined) assert.equal(r.unresolvable, t.unresolvable);
      if (!r.fits && t.plugin !== undefined) assert.equal(r.plugin, t.plugin);
    });
  }

  it('condition taints can be switched off', () => {
    assert.equal(filterNode(mkPod('p'), info(mkNode('n', { ready: 'False' })), { nodeConditionTaints: false }).fits, true);
  });

  it('ignoredResources skips extended resources', () => {
    const r = filterNode(mkPod('p', { requests: { 'example.com/foo': '1' } }), info(mkNode('n')), { ignoredResources: ['example.com/foo'] });
    assert.equal(r.fits, true);
  });

  it('re-exports tolerates for cluster taints', () => {
    assert.equal(tolerates([{ key: 'flotilla.io/cordoned', operator: 'Exists' }], { key: 'flotilla.io/cordoned', effect: 'NoSchedule' }), true);
  });
});

describe('host ports', () => {
  it('collects host ports, defaulting them for hostNetwork pods', () => {
    assert.deepEqual(podHostPorts(mkPod('p', { ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443, protocol: 'TCP', hostIP: '10.0.0.1' }] })), [
      { hostIP: '10.0.0.1', protocol: 'TCP', hostPort: 8443 },
    ]);
    assert.deepEqual(podHostPorts(mkPod('p', { ports: [{ containerPort: 9100 }], spec: { hostNetwork: true } })), [{ hostIP: '', protocol: 'TCP', hostPort: 9100 }]);
  });
  const table: [string, { hostIP?: string; protocol?: string; hostPort: number }, { hostIP?: string; protocol?: string; hostPort: number }, boolean][] = [
    ['same port, defaults', { hostPort: 80 }, { hostPort: 80 }, true],
    ['same port, explicit TCP vs default', { hostPort: 80, protocol: 'TCP' }, { hostPort: 80 }, true],
    ['other protocol', { hostPort: 80, protocol: 'UDP' }, { hostPort: 80 }, false],
    ['other port', { hostPort: 81 }, { hostPort: 80 }, false],
    ['0.0.0.0 wanted vs a specific IP in use', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80 }, true],
    ['specific IP wanted vs 0.0.0.0 in use', { hostPort: 80 }, { hostPort: 80, hostIP: '10.0.0.1' }, true],
    ['two different specific IPs', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80, hostIP: '10.0.0.2' }, false],
    ['same specific IP', { hostPort: 80, hostIP: '10.0.0.1' }, { hostPort: 80, hostIP: '10.0.0.1' }, true],
    ['port 0 never conflicts', { hostPort: 0 }, { hostPort: 0 }, false],
  ];
  for (const [name, used, want, conflict] of table) it(name, () => assert.equal(hostPortConflicts([used], want), conflict));
});

// ---- scoring ------------------------------------------------------------------------------------

describe('scoring', () => {
  it('scoreNode: LeastAllocated + BalancedAllocation + taints on an empty node', () => {
    // cpu: (4000-1000)*100/4000 = 75; memory: (8Gi-1Gi)*100/8Gi = 87 → LeastAllocated 81
    // fractions 0.25 and 0.125 → std 0.0625 → BalancedAllocation 93
    // no PreferNoSchedule taints → 3 × 100
    assert.equal(scoreNode(mkPod('p', { requests: { cpu: '1', memory: '1Gi' } }), info(mkNode('n'))), 81 + 93 + 300);
  });

  it('scoreNode: pods without requests count 100m/200Mi for LeastAllocated and skip BalancedAllocation', () => {
    // cpu (4000-100)*100/4000 = 97; memory (8192Mi-200Mi)*100/8192Mi = 97 → 97
    assert.equal(scoreNode(mkPod('p'), info(mkNode('n'))), 97 + 0 + 300);
  });

  it('scoreNode: preferred affinity weight share and untolerated PreferNoSchedule', () => {
    const pod = mkPod('p', {
      requests: { cpu: '1', memory: '1Gi' },
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
              { weight: 70, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      },
    });
    assert.equal(scoreNode(pod, info(mkNode('n', { labels: { zone: 'a' } }))), 81 + 93 + 2 * 30 + 300);
    assert.equal(scoreNode(pod, info(mkNode('n', { labels: { zone: 'a', disk: 'ssd' }, taints: [{ key: 's', effect: 'PreferNoSchedule' }] }))), 81 + 93 + 2 * 100);
  });

  it('scoreNodes normalises NodeAffinity and TaintToleration across nodes', () => {
    const pod = mkPod('p', {
      requests: { cpu: '1', memory: '1Gi' },
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }],
          },
        },
      },
    });
    const scores = scoreNodes(pod, [
      info(mkNode('a', { labels: { zone: 'a' } })),
      info(mkNode('b', { taints: [{ key: 's', effect: 'PreferNoSchedule' }, { key: 't', effect: 'PreferNoSchedule' }] })),
      info(mkNode('c', { taints: [{ key: 's', effect: 'PreferNoSchedule' }] })),
    ]);
    assert.deepEqual(
      scores.map((s) => [s.node, s.plugins.NodeAffinity, s.plugins.TaintToleration]),
      [
        ['a', 100, 100],
        ['b', 0, 0],
        ['c', 0, 50],
      ],
    );
    assert.deepEqual(
      scores.map((s) => s.total),
      [81 + 93 + 200 + 300, 81 + 93, 81 + 93 + 150],
    );
  });
});

// ---- scheduling ---------------------------------------------------------------------------------

describe('schedule', () => {
  const cluster = (): NodeInfo[] => [
    info(mkNode('worker', { cpu: '2', memory: '4Gi' }), [mkPod('busy', { requests: { cpu: '1500m' } })]),
    info(mkNode('cp-1', { taints: [CONTROL_PLANE] })),
    info(mkNode('cp-2', { taints: [CONTROL_PLANE] })),
  ];

  it('the canonical FitError message', () => {
    const r = schedule(mkPod('p', { requests: { cpu: '1' } }), cluster());
    assert.ok('unschedulable' in r);
    assert.equal(
      r.message,
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
    assert.equal(r.reason, 'Unschedulable');
    assert.deepEqual(r.nodeReasons, {
      worker: ['Insufficient cpu'],
      'cp-1': ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      'cp-2': ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    });
  });

  it('a request larger than the node is not helped by preemption', () => {
    const r = schedule(mkPod('p', { requests: { cpu: '3' } }), cluster());
    assert.ok('unschedulable' in r);
    assert.equal(
      r.message,
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('counts every reason of every node', () => {
    const nodes = [
      info(mkNode('a', { cpu: '1', memory: '1Gi' })),
      info(mkNode('b', { cpu: '1', memory: '1Gi' })),
      info(mkNode('c', { cpu: '8', memory: '1Gi' })),
      info(mkNode('d', { spec: { unschedulable: true } })),
    ];
    const r = schedule(mkPod('p', { requests: { cpu: '2', memory: '2Gi' } }), nodes);
    assert.ok('unschedulable' in r);
    assert.equal(
      r.message,
      '0/4 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu, 3 Insufficient memory. ' +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
  });

  it('preemptionPolicy Never', () => {
    const r = schedule(mkPod('p', { requests: { cpu: '1' }, spec: { preemptionPolicy: 'Never' } }), cluster());
    assert.ok('unschedulable' in r);
    assert.equal(
      r.message,
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
        'preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('without preemption there is no postfilter part', () => {
    const r = schedule(mkPod('p', { requests: { cpu: '1' } }), cluster(), { preemption: false });
    assert.ok('unschedulable' in r);
    assert.equal(r.message, '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.');
  });

  it('no nodes at all', () => {
    const r = schedule(mkPod('p'), []);
    assert.ok('unschedulable' in r);
    assert.equal(r.message, 'no nodes available to schedule pods');
  });

  it('scheduling gates block scheduling', () => {
    const r = schedule(mkPod('p', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } }), cluster());
    assert.ok('unschedulable' in r);
    assert.equal(r.reason, 'SchedulingGated');
    assert.equal(r.message, 'Scheduling is blocked due to non-empty scheduling gates');
  });

  it('DaemonSet pods pinned with matchFields: other nodes are rejected by PreFilter', () => {
    const ds = mkPod('ds', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
            },
          },
        },
      },
    });
    const nodes = [info(mkNode('n1', { pods: '1' }), [mkPod('x')]), info(mkNode('n2')), info(mkNode('n3'))];
    const r = schedule(ds, nodes);
    assert.ok('unschedulable' in r);
    assert.equal(
      r.message,
      "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
    assert.deepEqual(r.nodeReasons['n2'], ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]);
    const ok = schedule(ds, [info(mkNode('n1')), info(mkNode('n2'))]);
    assert.deepEqual(ok, { node: 'n1', score: (ok as { score: number }).score, feasibleNodes: 1 });
  });

  it('conflicting name pins fail in PreFilter', () => {
    const pod = mkPod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchFields: [
                    { key: 'metadata.name', operator: 'In', values: ['n1'] },
                    { key: 'metadata.name', operator: 'In', values: ['n2'] },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    const r = schedule(pod, [info(mkNode('n1')), info(mkNode('n2'))]);
    assert.ok('unschedulable' in r);
    assert.equal(r.message, '0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  });

  it('picks the least allocated node', () => {
    const nodes = [
      info(mkNode('full'), [mkPod('a', { requests: { cpu: '3', memory: '6Gi' } })]),
      info(mkNode('empty')),
      info(mkNode('half'), [mkPod('b', { requests: { cpu: '2', memory: '4Gi' } })]),
    ];
    const r = schedule(mkPod('p', { requests: { cpu: '500m', memory: '512Mi' } }), nodes);
    assert.ok('node' in r);
    assert.equal(r.node, 'empty');
    assert.equal(r.feasibleNodes, 3);
  });

  it('preferred node affinity outweighs a small load difference', () => {
    const pod = mkPod('p', {
      requests: { cpu: '100m', memory: '128Mi' },
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }],
          },
        },
      },
    });
    const nodes = [info(mkNode('hdd')), info(mkNode('ssd', { labels: { disk: 'ssd' } }), [mkPod('x', { requests: { cpu: '1', memory: '1Gi' } })])];
    assert.equal((schedule(pod, nodes) as { node: string }).node, 'ssd');
  });

  it('avoids untolerated PreferNoSchedule taints', () => {
    const nodes = [info(mkNode('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] })), info(mkNode('plain'), [mkPod('x', { requests: { cpu: '1' } })])];
    assert.equal((schedule(mkPod('p', { requests: { cpu: '100m' } }), nodes) as { node: string }).node, 'plain');
  });

  it('breaks ties deterministically, spreading different pods', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => info(mkNode(n)));
    const picks = Array.from({ length: 24 }, (_, i) => (schedule(mkPod(`web-${i}`), nodes) as { node: string }).node);
    const again = Array.from({ length: 24 }, (_, i) => (schedule(mkPod(`web-${i}`), nodes) as { node: string }).node);
    assert.deepEqual(picks, again);
    assert.ok(new Set(picks).size >= 3, `picks spread over nodes: ${picks.join(',')}`);
    const seeded = Array.from({ length: 24 }, (_, i) => (schedule(mkPod(`web-${i}`), nodes, { seed: 'other' }) as { node: string }).node);
    assert.notDeepEqual(seeded, picks);
  });

  it('fills nodes evenly as pods are added', () => {
    let nodes = ['a', 'b', 'c'].map((n) => info(mkNode(n)));
    const counts: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const pod = mkPod(`p-${i}`, { requests: { cpu: '100m', memory: '100Mi' } });
      const r = schedule(pod, nodes);
      assert.ok('node' in r);
      counts[r.node] = (counts[r.node] ?? 0) + 1;
      nodes = nodes.map((n) => (n.node.metadata?.name === r.node ? addPodToNodeInfo(n, pod) : n));
    }
    assert.deepEqual(counts, { a: 10, b: 10, c: 10 });
  });

  describe('preemption', () => {
    const low = mkPod('low', { requests: { cpu: '3' }, priority: 0, startTime: '2024-01-01T00:00:00Z' });
    const mid = mkPod('mid', { requests: { cpu: '1' }, priority: 500, startTime: '2024-01-01T00:00:00Z' });

    it('nominates a node and names the victims', () => {
      const nodes = [info(mkNode('n1'), [low, mid])];
      const r = schedule(mkPod('vip', { requests: { cpu: '2' }, priority: 1000 }), nodes);
      assert.ok('unschedulable' in r);
      assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu.');
      assert.equal(r.nominatedNode, 'n1');
      assert.deepEqual(r.victims, [{ namespace: 'default', name: 'low' }]);
    });

    it('reprieves victims that are not needed', () => {
      const small = mkPod('small', { requests: { cpu: '500m' }, priority: 100 });
      const nodes = [info(mkNode('n1'), [low, small])];
      const r = schedule(mkPod('vip', { requests: { cpu: '1' }, priority: 1000 }), nodes);
      assert.ok('unschedulable' in r);
      assert.deepEqual(r.victims, [{ namespace: 'default', name: 'low' }]);
    });

    it('prefers the node whose victims have the lowest priority', () => {
      const nodes = [info(mkNode('a'), [mkPod('m', { requests: { cpu: '4' }, priority: 500 })]), info(mkNode('b'), [mkPod('l', { requests: { cpu: '4' }, priority: 10 })])];
      const r = schedule(mkPod('vip', { requests: { cpu: '2' }, priority: 1000 }), nodes);
      assert.ok('unschedulable' in r);
      assert.equal(r.nominatedNode, 'b');
    });

    it('equal priority pods are not victims', () => {
      const nodes = [info(mkNode('n1'), [mkPod('peer', { requests: { cpu: '4' } })])];
      const r = schedule(mkPod('p', { requests: { cpu: '1' } }), nodes);
      assert.ok('unschedulable' in r);
      assert.equal(r.nominatedNode, undefined);
      assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    });

    it('when evicting every lower-priority pod is not enough, the filter reasons are reported', () => {
      const nodes = [info(mkNode('n1'), [mkPod('peer', { requests: { cpu: '3' }, priority: 1000 }), mkPod('l', { requests: { cpu: '500m' } })])];
      const r = schedule(mkPod('vip', { requests: { cpu: '2' }, priority: 1000 }), nodes);
      assert.ok('unschedulable' in r);
      assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
    });

    it('host port conflicts can be preempted', () => {
      const nodes = [info(mkNode('n1'), [mkPod('web', { ports: [{ containerPort: 80, hostPort: 80 }], priority: 1 })])];
      const r = schedule(mkPod('vip', { ports: [{ containerPort: 80, hostPort: 80 }], priority: 2 }), nodes);
      assert.ok('unschedulable' in r);
      assert.equal(r.message, "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
      assert.deepEqual(r.victims, [{ namespace: 'default', name: 'web' }]);
    });
  });
});

describe('fitErrorMessage', () => {
  it('sorts "<count> <reason>" strings bytewise, like sort.Strings', () => {
    const statuses = [
      ...Array.from({ length: 10 }, () => ({ reasons: ['Insufficient cpu'] })),
      { reasons: ['Insufficient memory'] },
      { reasons: ['Insufficient memory'] },
      { reasons: ['Too many pods'] },
    ];
    assert.equal(fitErrorMessage(13, statuses), '0/13 nodes are available: 1 Too many pods, 10 Insufficient cpu, 2 Insufficient memory.');
  });
  it('a node with several reasons counts in each', () => {
    assert.equal(
      fitErrorMessage(2, [{ reasons: ['Insufficient cpu', 'Insufficient memory'] }, { reasons: ['Insufficient memory'] }]),
      '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    );
  });
  it('absent nodes and the prefilter message', () => {
    assert.equal(fitErrorMessage(3, [{ reasons: ['x'] }], { absentReasons: ['y'] }), '0/3 nodes are available: 1 x, 2 y.');
    assert.equal(fitErrorMessage(3, [], { preFilterMsg: 'pod has unbound immediate PersistentVolumeClaims' }), '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
    assert.equal(fitErrorMessage(1, [{ reasons: ['x'] }], { postFilterMsg: 'preemption: y.' }), '0/1 nodes are available: 1 x. preemption: y.');
  });
});
