import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '../api/cluster.js';
import { CLUSTER_COLUMNS, clusterRow, readyOf, renderClusters } from './clusters.js';
import { sortUsage, topRow, usageOf } from './top.js';

const now = new Date('2026-01-01T12:00:00Z');

const cluster = (name: string, status?: Cluster['status'], spec: Partial<Cluster['spec']> = {}): Cluster => ({
  apiVersion: 'cluster.karmada.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name, creationTimestamp: '2026-01-01T11:00:00Z' },
  spec: { syncMode: 'Push', apiEndpoint: `https://${name}:6443`, region: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b'], ...spec },
  ...(status ? { status } : {}),
});

const healthy = cluster('member1', {
  kubernetesVersion: 'v1.32.0',
  conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: '', lastTransitionTime: '2026-01-01T11:00:00Z' }],
  nodeSummary: { totalNum: 4, readyNum: 3 },
  resourceSummary: { allocatable: { cpu: '32', memory: '64Gi', pods: '440' }, allocated: { cpu: '3500m', memory: '12Gi', pods: '22' } },
});

test('a probed cluster: ready nodes, CPU and memory allocated/allocatable', () => {
  assert.deepEqual(clusterRow(healthy, now, false), ['member1', 'True', 'v1.32.0', 'Push', '3/4', '3.5/32', '12/64Gi', 'eu-west-1', 'eu-west-1a,eu-west-1b', '60m']);
});

test('a cluster not probed yet reads Unknown / <unknown>, never blank', () => {
  const row = clusterRow(cluster('member2', undefined, { region: undefined, zones: undefined }), now, false);
  assert.deepEqual(row, ['member2', 'Unknown', '<unknown>', 'Push', '<unknown>', '<unknown>', '<unknown>', '<none>', '<none>', '60m']);
  assert.equal(readyOf(cluster('x')), 'Unknown');
});

test('wide adds the endpoint and the taints', () => {
  const tainted = cluster('m3', undefined, { taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoSchedule' }, { key: 'a', value: 'b', effect: 'NoExecute' }] });
  const row = clusterRow(tainted, now, true);
  assert.deepEqual(row.slice(-2), ['https://m3:6443', 'cluster.karmada.io/not-ready:NoSchedule,a=b:NoExecute']);
});

test('rendered as a table, a List, or names', () => {
  const table = renderClusters([healthy], 'table', now);
  assert.match(table.split('\n')[0]!, new RegExp(`^${CLUSTER_COLUMNS.join('\\s+')}$`));
  assert.match(renderClusters([healthy, cluster('b')], 'json', now), /"kind": "List"/);
  assert.match(renderClusters([healthy], 'yaml', now), /^kind: Cluster$/m, 'one cluster prints as the object itself');
  assert.equal(renderClusters([healthy], 'name', now), 'cluster.cluster.karmada.io/member1\n');
});

test('top: requested vs allocatable with percentages, busiest first when asked', () => {
  assert.deepEqual(topRow(usageOf(healthy)), ['member1', '3.5/32', '11%', '12/64', '19%', '22/440', '5%']);
  assert.deepEqual(topRow(usageOf(cluster('new'))), ['new', '<unknown>', '<unknown>', '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  const busy = cluster('busy', { resourceSummary: { allocatable: { cpu: '4', memory: '8Gi' }, allocated: { cpu: '4', memory: '1Gi' } } });
  assert.deepEqual(
    sortUsage([usageOf(healthy), usageOf(busy), usageOf(cluster('new'))], 'cpu').map((u) => u.name),
    ['busy', 'member1', 'new'],
  );
});
