// Node and resource summaries, and API enablements from discovery documents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromAggregated, fromResourceLists } from './discovery.js';
import { nodeRecord, podRecord, ResourceTally } from './summary.js';

const node = (name: string, ready: boolean, allocatable: Record<string, string>) => ({
  metadata: { name },
  status: { allocatable, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pod = (name: string, opts: { node?: string; phase?: string; cpu?: string; memory?: string; init?: { cpu: string } } = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    ...(opts.node ? { nodeName: opts.node } : {}),
    containers: [{ name: 'c', resources: { requests: { ...(opts.cpu ? { cpu: opts.cpu } : {}), ...(opts.memory ? { memory: opts.memory } : {}) } } }],
    ...(opts.init ? { initContainers: [{ name: 'i', resources: { requests: opts.init } }] } : {}),
  },
  status: { phase: opts.phase ?? (opts.node ? 'Running' : 'Pending') },
});

describe('ResourceTally', () => {
  const table: { name: string; nodes: any[]; pods: any[]; want: any }[] = [
    {
      name: 'empty cluster',
      nodes: [],
      pods: [],
      want: {
        nodeSummary: { totalNum: 0, readyNum: 0 },
        resourceSummary: { allocatable: {}, allocated: { cpu: '0', 'ephemeral-storage': '0', memory: '0', pods: '0' }, allocating: { cpu: '0', 'ephemeral-storage': '0', memory: '0', pods: '0' } },
      },
    },
    {
      name: 'allocatable from Ready nodes only; bound pods allocated, pending ones allocating; finished ones nothing',
      nodes: [node('a', true, { cpu: '4', memory: '8Gi', pods: '110' }), node('b', true, { cpu: '4', memory: '8Gi', pods: '110' }), node('c', false, { cpu: '4', memory: '8Gi', pods: '110' })],
      pods: [
        pod('p1', { node: 'a', cpu: '250m', memory: '128Mi' }),
        pod('p2', { node: 'b', cpu: '1', memory: '1Gi' }),
        pod('p3', { cpu: '500m' }),
        pod('done', { node: 'a', cpu: '2', phase: 'Succeeded' }),
        pod('failed', { node: 'a', cpu: '2', phase: 'Failed' }),
      ],
      want: {
        nodeSummary: { totalNum: 3, readyNum: 2 },
        resourceSummary: {
          allocatable: { cpu: '8', memory: '16Gi', pods: '220' },
          allocated: { cpu: '1250m', 'ephemeral-storage': '0', memory: '1152Mi', pods: '2' },
          allocating: { cpu: '500m', 'ephemeral-storage': '0', memory: '0', pods: '1' },
        },
      },
    },
    {
      name: 'init containers count as Kubernetes counts them (max of init and sum of containers)',
      nodes: [node('a', true, { cpu: '2', 'nvidia.com/gpu': '1' })],
      pods: [pod('p', { node: 'a', cpu: '100m', init: { cpu: '300m' } })],
      want: {
        nodeSummary: { totalNum: 1, readyNum: 1 },
        resourceSummary: { allocatable: { cpu: '2', 'nvidia.com/gpu': '1' }, allocated: { cpu: '300m', 'ephemeral-storage': '0', memory: '0', pods: '1' }, allocating: { cpu: '0', 'ephemeral-storage': '0', memory: '0', pods: '0' } },
      },
    },
  ];
  for (const c of table)
    it(c.name, () => {
      const t = new ResourceTally();
      for (const n of c.nodes) t.setNode(n.metadata.name, nodeRecord(n as any));
      for (const p of c.pods) t.setPod(`default/${p.metadata.name}`, podRecord(p as any));
      assert.deepEqual(t.summaries(), c.want);
    });

  it('updates and deletes move the sums back exactly', () => {
    const t = new ResourceTally();
    t.setNode('a', nodeRecord(node('a', true, { cpu: '4', memory: '8Gi', pods: '110' }) as any));
    t.setPod('p', podRecord(pod('p', { cpu: '500m' }) as any));
    assert.equal(t.summaries().resourceSummary.allocating.cpu, '500m');
    const v = t.version;
    t.setPod('p', podRecord(pod('p', { node: 'a', cpu: '500m' }) as any)); // scheduled
    assert.ok(t.version > v);
    assert.equal(t.summaries().resourceSummary.allocating.cpu, '0');
    assert.equal(t.summaries().resourceSummary.allocated.cpu, '500m');
    t.setPod('p', podRecord(pod('p', { node: 'a', cpu: '500m', phase: 'Succeeded' }) as any)); // finished
    assert.equal(t.summaries().resourceSummary.allocated.pods, '0');
    t.setNode('a', nodeRecord(node('a', false, { cpu: '4', memory: '8Gi', pods: '110' }) as any)); // NotReady
    assert.deepEqual(t.summaries().resourceSummary.allocatable, {});
    assert.deepEqual(t.summaries().nodeSummary, { totalNum: 1, readyNum: 0 });
    t.clearNodes();
    t.clearPods();
    assert.deepEqual(t.summaries().nodeSummary, { totalNum: 0, readyNum: 0 });
  });
});

describe('API enablements', () => {
  const want = [
    { groupVersion: 'apps/v1', resources: [{ name: 'daemonsets', kind: 'DaemonSet' }, { name: 'deployments', kind: 'Deployment' }] },
    { groupVersion: 'batch/v1', resources: [{ name: 'jobs', kind: 'Job' }] },
    { groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap' }, { name: 'pods', kind: 'Pod' }] },
  ];
  it('from aggregated discovery (subresources left out, sorted)', () => {
    const core = { kind: 'APIGroupDiscoveryList', items: [{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [{ resource: 'pods', responseKind: { kind: 'Pod' }, subresources: [{ subresource: 'status' }] }, { resource: 'configmaps', responseKind: { kind: 'ConfigMap' } }] }] }] };
    const groups = {
      kind: 'APIGroupDiscoveryList',
      items: [
        { metadata: { name: 'batch' }, versions: [{ version: 'v1', resources: [{ resource: 'jobs', responseKind: { kind: 'Job' } }] }] },
        { metadata: { name: 'apps' }, versions: [{ version: 'v1', resources: [{ resource: 'deployments', responseKind: { kind: 'Deployment' } }, { resource: 'daemonsets', responseKind: { kind: 'DaemonSet' } }] }] },
      ],
    };
    assert.deepEqual(fromAggregated([core, groups]), want);
  });
  it('from legacy resource lists', () => {
    const lists = [
      { groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod' }, { name: 'pods/status', kind: 'Pod' }, { name: 'configmaps', kind: 'ConfigMap' }] },
      { groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }, { name: 'deployments/scale', kind: 'Scale' }, { name: 'daemonsets', kind: 'DaemonSet' }] },
      { groupVersion: 'batch/v1', resources: [{ name: 'jobs', kind: 'Job' }] },
      { nonsense: true },
    ];
    assert.deepEqual(fromResourceLists(lists), want);
  });
});
