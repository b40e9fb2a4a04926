import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkloadRebalancer } from '../../api/index.js';
import { needsTrigger, syncObserved } from './rebalancer.js';

const w = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name });
const rebalancer = (spec: string[], observed: [string, 'Successful' | 'Failed' | undefined][]): WorkloadRebalancer => ({
  apiVersion: 'apps.karmada.io/v1alpha1',
  kind: 'WorkloadRebalancer',
  metadata: { name: 'r' },
  spec: { workloads: spec.map(w) },
  status: { observedWorkloads: observed.map(([n, result]) => (result ? { workload: w(n), result } : { workload: w(n) })) },
});

describe('syncObserved (Karmada syncWorkloadsFromSpecToStatus)', () => {
  const cases: [string, WorkloadRebalancer, [string, string | undefined][]][] = [
    ['new workloads start without a result, sorted', rebalancer(['b', 'a'], []), [['a', undefined], ['b', undefined]]],
    ['results of listed workloads are kept', rebalancer(['a', 'b'], [['a', 'Successful'], ['b', 'Failed']]), [['a', 'Successful'], ['b', 'Failed']]],
    ['a removed workload stays only if it succeeded', rebalancer(['c'], [['a', 'Successful'], ['b', 'Failed']]), [['a', 'Successful'], ['c', undefined]]],
  ];
  for (const [name, r, want] of cases) it(name, () => assert.deepEqual(syncObserved(r).map((o) => [o.workload.name, o.result]), want));
});

describe('needsTrigger', () => {
  it('triggers unless the binding was triggered at or after the rebalancer was created', () => {
    assert.equal(needsTrigger('2024-01-01T00:00:10Z', undefined), true);
    assert.equal(needsTrigger('2024-01-01T00:00:10Z', '2024-01-01T00:00:05Z'), true);
    assert.equal(needsTrigger('2024-01-01T00:00:10Z', '2024-01-01T00:00:10Z'), false);
    assert.equal(needsTrigger('2024-01-01T00:00:10Z', '2024-01-01T00:00:20Z'), false);
  });
});
