import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableReplicas, describeRequest, generalEstimate, nodeEstimate, parseRequest } from './estimator.js';
import { cluster } from './testing.js';
import type { NodeSummary, ReplicaRequirements, ResourceSummary } from './types.js';

const req = (resourceRequest: Record<string, string>, nodeClaim?: ReplicaRequirements['nodeClaim']) => parseRequest({ resourceRequest, nodeClaim });

describe('generalEstimate (Karmada general.go)', () => {
  const summary: ResourceSummary = {
    allocatable: { cpu: '10', memory: '32Gi', pods: '110' },
    allocated: { cpu: '3500m', memory: '8Gi', pods: '20' },
    allocating: { cpu: '500m', memory: '0', pods: '5' },
  };
  const table: [string, ResourceSummary | undefined, Record<string, string> | undefined, number][] = [
    ['cpu in millicores: 6000m free / 1500m', summary, { cpu: '1500m' }, 4],
    ['memory: 24Gi free / 5Gi', summary, { memory: '5Gi' }, 4],
    ['min over resources', summary, { cpu: '1', memory: '12Gi' }, 2],
    ['capped by free pods', summary, { cpu: '10m' }, 85],
    ['no request: free pods', summary, undefined, 85],
    ['a resource the cluster lacks gives 0', summary, { 'nvidia.com/gpu': '1' }, 0],
    ['a zero request is ignored', summary, { cpu: '0', memory: '1Gi' }, 24],
    ['no summary gives 0', undefined, { cpu: '1' }, 0],
    ['no pods allocatable gives 0 (as Karmada)', { allocatable: { cpu: '10' } }, { cpu: '1' }, 0],
    ['overcommitted cluster gives 0', { allocatable: { cpu: '2', pods: '10' }, allocated: { cpu: '3' } }, { cpu: '100m' }, 0],
  ];
  for (const [name, s, r, want] of table) {
    it(name, () => assert.equal(generalEstimate(s, r ? req(r) : parseRequest(undefined)), want));
  }
  it('subtracts what reservations hold', () => {
    const r = req({ cpu: '1500m' });
    assert.equal(generalEstimate(summary, r, { pods: 2, units: new Map([['cpu', 3000]]) }), 2);
    assert.equal(generalEstimate(summary, r, { pods: 85, units: new Map() }), 0);
  });
  it('caches parsed summaries by identity without changing results', () => {
    const r = req({ cpu: '1' });
    assert.equal(generalEstimate(summary, r), generalEstimate(summary, r));
  });
});

describe('nodeEstimate (a replica must fit on one node)', () => {
  const node = (name: string, cpu: string, used: string, extra: Partial<NodeSummary> = {}): NodeSummary => ({
    name,
    allocatable: { cpu, memory: '16Gi', pods: '110' },
    requested: { cpu: used, memory: '0', pods: '0' },
    ...extra,
  });
  it('sums per-node fits instead of pooling free capacity', () => {
    // 3 nodes with 1.5 CPU free each: the pool has 4.5 CPU but no node fits 2 CPU.
    const nodes = [node('a', '4', '2500m'), node('b', '4', '2500m'), node('c', '4', '2500m')];
    assert.equal(nodeEstimate(nodes, req({ cpu: '2' })), 0);
    assert.equal(nodeEstimate(nodes, req({ cpu: '1' })), 3);
  });
  it('honours nodeSelector, required node affinity, taints and cordons', () => {
    const nodes = [
      node('gpu', '8', '0', { labels: { accel: 'gpu' } }),
      node('plain', '8', '0'),
      node('tainted', '8', '0', { labels: { accel: 'gpu' }, taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }),
      node('cordoned', '8', '0', { labels: { accel: 'gpu' }, schedulable: false }),
    ];
    assert.equal(nodeEstimate(nodes, req({ cpu: '2' }, { nodeSelector: { accel: 'gpu' } })), 4);
    assert.equal(nodeEstimate(nodes, req({ cpu: '2' }, { nodeSelector: { accel: 'gpu' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] })), 8);
    const affinity = { nodeSelectorTerms: [{ matchExpressions: [{ key: 'accel', operator: 'DoesNotExist' }] }] };
    assert.equal(nodeEstimate(nodes, req({ cpu: '2' }, { hardNodeAffinity: affinity })), 4);
    assert.equal(nodeEstimate(nodes, req({ cpu: '2' })), 8); // untolerated taint and cordon excluded
  });
  it('availableReplicas takes the smaller of the general and node estimates', () => {
    const c = cluster('c', {
      resourceSummary: { allocatable: { cpu: '12', pods: '330' }, allocated: { cpu: '7500m' } },
      nodeSummaries: [node('a', '4', '2500m'), node('b', '4', '2500m'), node('c', '4', '2500m')],
    });
    assert.equal(availableReplicas(c, req({ cpu: '1' })), 3); // general says 4
    assert.equal(availableReplicas(c, req({ cpu: '1' }), { pods: 1, units: new Map([['cpu', 1000]]) }), 2);
    assert.equal(availableReplicas(cluster('plain', { free: 7 }), parseRequest(undefined)), 7);
  });
});

describe('describeRequest', () => {
  it('reads like a person would say it', () => {
    assert.equal(describeRequest({ resourceRequest: { cpu: '2', memory: '4Gi' } }), '2 CPU, 4Gi memory');
    assert.equal(describeRequest({ resourceRequest: { cpu: '500m', 'nvidia.com/gpu': '1' } }), '500m CPU, 1 nvidia.com/gpu');
    assert.equal(describeRequest(undefined), '');
  });
});
