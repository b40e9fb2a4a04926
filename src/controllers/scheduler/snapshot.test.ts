import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../../api/index.js';
import { ReservationLedger } from '../../scheduler/index.js';
import { capacityMoved, FleetSnapshot, toSnapshot } from './snapshot.js';

let rv = 0;
const cluster = (f: (c: Cluster) => void = () => {}): Cluster => {
  const c: Cluster = {
    apiVersion: 'cluster.karmada.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'm1', labels: { env: 'prod' }, resourceVersion: String(++rv) },
    spec: { syncMode: 'Push', provider: 'aws', region: 'us-east-1', zones: ['us-east-1a'], taints: [{ key: 'k', effect: 'NoSchedule' }] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'r', message: '', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      apiEnablements: [{ groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }] }],
      resourceSummary: { allocatable: { cpu: '10', memory: '10Gi', pods: '100' }, allocated: { cpu: '1', pods: '10' } },
    },
  };
  f(c);
  return c;
};

describe('toSnapshot', () => {
  it('maps a Cluster to what the scheduler reads', () => {
    const s = toSnapshot(cluster(), 3);
    assert.equal(s.name, 'm1');
    assert.equal(s.ready, true);
    assert.equal(s.completeAPIEnablements, true);
    assert.equal(s.provider, 'aws');
    assert.deepEqual(s.zones, ['us-east-1a']);
    assert.deepEqual(s.taints, [{ key: 'k', value: undefined, effect: 'NoSchedule', timeAdded: undefined }]);
    assert.equal(s.summaryGeneration, 3);
    assert.equal(s.deleting, false);
    assert.equal(toSnapshot(cluster((c) => (c.status!.conditions![0]!.status = 'Unknown')), 0).ready, false);
    assert.equal(toSnapshot(cluster((c) => delete c.status), 0).ready, false);
  });
});

describe('capacityMoved', () => {
  const sum = (free: string) => ({ allocatable: { cpu: '10', memory: '10Gi', pods: '100' }, allocated: { pods: String(100 - Number(free)) } });
  const cases: [string, string, string, boolean][] = [
    ['pods start and stop (noise)', '50', '48', false],
    ['a big swing', '50', '20', true],
    ['full becomes free', '0', '3', true],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(capacityMoved(sum(a), sum(b)), want));
});

describe('FleetSnapshot', () => {
  it('classifies changes and counts summary refreshes for the ledger', () => {
    const ledger = new ReservationLedger();
    const fleet = new FleetSnapshot(ledger);
    assert.equal(fleet.update(cluster()), 'topology', 'a new cluster');
    const g0 = fleet.get('m1')!.summaryGeneration!;
    const same = fleet.get('m1');
    assert.equal(fleet.update(cluster((c) => (c.status!.conditions![0]!.message = 'still ready'))), 'none');
    assert.equal(fleet.get('m1'), same, 'unchanged snapshot object is kept (estimator caches)');
    assert.equal(fleet.update(cluster((c) => (c.metadata.labels = { env: 'dev' }))), 'topology');
    assert.equal(fleet.update(cluster((c) => (c.metadata.labels = { env: 'dev' }) && (c.spec.taints = []))), 'topology');
    assert.equal(fleet.update(cluster((c) => ((c.metadata.labels = { env: 'dev' }), (c.spec.taints = []), (c.status!.resourceSummary!.allocated = { pods: '90' })))), 'capacity');
    assert.equal(fleet.get('m1')!.summaryGeneration, g0 + 1);
    assert.equal(fleet.update(cluster((c) => ((c.metadata.labels = { env: 'dev' }), (c.spec.taints = []), (c.status!.resourceSummary!.allocated = { pods: '91' })))), 'none');
    assert.equal(fleet.get('m1')!.summaryGeneration, g0 + 2, 'small moves still refresh the summary');
    assert.deepEqual(fleet.list().map((c) => c.name), ['m1']);
    fleet.remove('m1');
    assert.deepEqual(fleet.list(), []);
  });
});
