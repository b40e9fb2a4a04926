import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decision } from '../../scheduler/index.js';
import { nextStatus, rfc3339, specClusters } from './status.js';

const ok = (summary = 'Scheduled 2 replicas'): Decision => ({ clusters: [{ name: 'a', replicas: 2 }, { name: 'b', replicas: 0 }], explanation: { summary, strategy: 'StaticWeight', replicas: 2, clusters: [] } });
const fail = (reason: 'NoClusterFit' | 'Unschedulable', summary = '0/3 clusters are available'): Decision => ({ ...ok(summary), clusters: [], error: { reason, message: summary } });
const NOW = Date.parse('2024-05-01T10:00:00.700Z');

describe('scheduler status', () => {
  it('spec.clusters omits zero replicas, as Karmada omits them', () => {
    assert.deepEqual(specClusters(ok()), [{ name: 'a', replicas: 2 }, { name: 'b' }]);
  });

  it('a first decision records generation, time and a True condition', () => {
    const s = nextStatus({ status: undefined, decision: ok(), generation: 4, now: NOW, decided: true })!;
    assert.equal(s.schedulerObservedGeneration, 4);
    assert.equal(s.lastScheduledTime, '2024-05-01T10:00:00Z');
    assert.deepEqual(s.conditions, [{ type: 'Scheduled', status: 'True', reason: 'Success', message: 'Scheduled 2 replicas', observedGeneration: 4, lastTransitionTime: '2024-05-01T10:00:00Z' }]);
  });

  it('nothing new: no write', () => {
    const s = nextStatus({ status: undefined, decision: ok(), generation: 4, now: NOW, decided: true })!;
    assert.equal(nextStatus({ status: s, decision: ok(), generation: 4, now: NOW + 60_000, decided: false }), undefined);
  });

  it('a failure keeps lastScheduledTime, flips the condition and its transition time', () => {
    const s = nextStatus({ status: undefined, decision: ok(), generation: 4, now: NOW, decided: true })!;
    const f = nextStatus({ status: s, decision: fail('NoClusterFit'), generation: 5, now: NOW + 5_000, decided: true })!;
    const c = f.conditions!.find((x) => x.type === 'Scheduled')!;
    assert.equal(c.status, 'False');
    assert.equal(c.reason, 'NoClusterFit');
    assert.equal(c.lastTransitionTime, rfc3339(NOW + 5_000));
    assert.equal(f.lastScheduledTime, s.lastScheduledTime);
    // A changed failure message alone is news, and keeps the transition time.
    const g = nextStatus({ status: f, decision: fail('Unschedulable', 'needs 12, room for 7'), generation: 5, now: NOW + 9_000, decided: false })!;
    assert.equal(g.conditions!.find((x) => x.type === 'Scheduled')!.lastTransitionTime, c.lastTransitionTime);
  });

  it('other conditions are kept; lastScheduledTime never trails a requested reschedule', () => {
    const s = nextStatus({
      status: { conditions: [{ type: 'FullyApplied', status: 'True', reason: 'x', message: '', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
      decision: { ...ok(), affinityName: 'primary' },
      generation: 1,
      now: NOW,
      rescheduleTriggeredAt: '2024-05-01T10:00:05Z',
      decided: true,
    })!;
    assert.deepEqual(s.conditions!.map((c) => c.type), ['FullyApplied', 'Scheduled']);
    assert.equal(s.lastScheduledTime, '2024-05-01T10:00:05Z');
    assert.equal(s.schedulerObservingAffinityName, 'primary');
  });
});
