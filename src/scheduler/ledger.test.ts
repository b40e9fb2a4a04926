import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReservationLedger } from './ledger.js';
import { schedule } from './schedule.js';
import { AGGREGATED, binding, cluster, DYNAMIC } from './testing.js';
import type { BindingInput, ClusterSnapshot, Decision, ReplicaSchedulingStrategy } from './types.js';

const oneCPU = { resourceRequest: { cpu: '1' } };

describe('ReservationLedger', () => {
  it('holds replicas and their resources until a newer summary is observed', () => {
    const l = new ReservationLedger();
    l.reserve('a', 'uid1', 3, oneCPU, { generation: 7 });
    assert.deepEqual(l.held('a', 7), { pods: 3, units: new Map([['cpu', 3000]]) });
    // A snapshot one generation newer already includes them.
    assert.equal(l.held('a', 8).pods, 0);
    assert.equal(l.held('a', 7).pods, 3);
    l.observe('a', 8);
    assert.equal(l.held('a', 7).pods, 0);
    assert.deepEqual(l.reservations(), []);
  });

  it('honours generationLag', () => {
    const l = new ReservationLedger({ generationLag: 2 });
    l.reserve('a', 'u', 1, undefined, { generation: 1 });
    assert.equal(l.held('a', 2).pods, 1);
    assert.equal(l.held('a', 3).pods, 0);
  });

  it('forgets reservations after the TTL', () => {
    let now = 1000;
    const l = new ReservationLedger({ ttlMs: 500, now: () => now });
    l.reserve('a', 'u', 2);
    assert.equal(l.held('a').pods, 2);
    now = 1499;
    assert.equal(l.held('a').pods, 2);
    now = 1500;
    assert.equal(l.held('a').pods, 0);
  });

  it('release drops one binding, on one cluster or all', () => {
    const l = new ReservationLedger();
    l.reserve('a', 'u1', 1);
    l.reserve('b', 'u1', 1);
    l.reserve('a', 'u2', 4);
    l.release('u1', 'a');
    assert.equal(l.held('a').pods, 4);
    assert.equal(l.held('b').pods, 1);
    l.release('u1');
    assert.equal(l.held('b').pods, 0);
  });

  it('commit reserves increases and gives back decreases', () => {
    const l = new ReservationLedger();
    const b = binding({ replicaScheduling: DYNAMIC }, 6, { currentClusters: [{ name: 'a', replicas: 2 }] });
    const d = { clusters: [{ name: 'a', replicas: 4 }, { name: 'b', replicas: 2 }], explanation: {} } as unknown as Decision;
    l.commit(b, d, [cluster('a', { summaryGeneration: 3 }), cluster('b')]);
    assert.equal(l.held('a').pods, 2);
    assert.equal(l.held('b').pods, 2);
    // Scaled back down to 3 on a, gone from b.
    const b2 = { ...b, currentClusters: d.clusters };
    l.commit(b2, { clusters: [{ name: 'a', replicas: 3 }], explanation: {} } as unknown as Decision, []);
    assert.equal(l.held('a').pods, 1);
    assert.equal(l.held('b').pods, 0);
  });

  it('ignores failed decisions', () => {
    const l = new ReservationLedger();
    l.commit(binding({}, 3), { clusters: [{ name: 'a', replicas: 3 }], explanation: {}, error: { reason: 'Unschedulable', message: '' } } as unknown as Decision, []);
    assert.deepEqual(l.reservations(), []);
  });
});

describe('a burst of decisions against stale summaries', () => {
  // Three clusters with 10, 20 and 30 CPUs; every workload replica wants 1 CPU.
  const fleet = (): ClusterSnapshot[] =>
    [10, 20, 30].map((cpu, i) => cluster(`m${i + 1}`, { resourceSummary: { allocatable: { cpu: String(cpu), pods: '1000' } }, summaryGeneration: 1 }));
  const burst = (strategy: ReplicaSchedulingStrategy, ledger?: ReservationLedger) => {
    const clusters = fleet();
    const placed = new Map<string, number>();
    let unschedulable = 0;
    for (let i = 0; i < 100; i++) {
      const b: BindingInput = binding({ replicaScheduling: strategy }, 1 + (i % 3), { uid: `uid-${i}`, replicaRequirements: oneCPU });
      const d = schedule(b, clusters, { ledger });
      if (d.error) {
        unschedulable++;
        continue;
      }
      ledger?.commit(b, d, clusters);
      for (const c of d.clusters) placed.set(c.name, (placed.get(c.name) ?? 0) + c.replicas);
    }
    return { placed, unschedulable };
  };
  const capacity: Record<string, number> = { m1: 10, m2: 20, m3: 30 };

  for (const [name, strategy] of [
    ['dynamic weights', DYNAMIC],
    ['aggregated', AGGREGATED],
  ] as const) {
    it(`${name}: never overcommits a cluster, and fills the fleet`, () => {
      const { placed, unschedulable } = burst(strategy, new ReservationLedger());
      for (const [c, n] of placed) assert.ok(n <= capacity[c]!, `${c} got ${n} replicas for ${capacity[c]} CPUs`);
      const total = [...placed.values()].reduce((a, b) => a + b, 0);
      assert.ok(total >= 58 && total <= 60, `placed ${total}`);
      assert.ok(unschedulable > 0);
    });
  }

  it('without the ledger the same burst overcommits (the Karmada complaint)', () => {
    const { placed } = burst(AGGREGATED);
    assert.ok([...placed].some(([c, n]) => n > capacity[c]!));
  });

  const withUsed = (used: Record<string, number>, gen: number) =>
    fleet().map((c) => ({ ...c, summaryGeneration: gen, resourceSummary: { ...c.resourceSummary, allocated: { cpu: String(used[c.name] ?? 0), pods: String(used[c.name] ?? 0) } } }));

  it('a newer summary that does not show the new pods yet retires nothing (members refresh before the pods exist)', () => {
    const ledger = new ReservationLedger();
    const { placed } = burst(DYNAMIC, ledger);
    assert.deepEqual(Object.fromEntries(placed), capacity);
    // Generation 2 and 3 arrive (other pods changed), but none of the burst's pods are there yet.
    for (const gen of [2, 3]) for (const c of withUsed({}, gen)) ledger.observe(c.name, gen, c.resourceSummary);
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 1, { uid: 'late', replicaRequirements: oneCPU }), withUsed({}, 3), { ledger });
    assert.equal(d.error?.reason, 'Unschedulable');
  });

  it('as the pods show up the reservations retire oldest first and capacity is counted once', () => {
    const ledger = new ReservationLedger();
    burst(DYNAMIC, ledger);
    const before = ledger.reservations('m3').length;
    // Half of m3's replicas are reported: the older half of its reservations retires, the rest holds.
    const half = withUsed({ m3: 15 }, 2);
    for (const c of half) ledger.observe(c.name, 2, c.resourceSummary);
    const left = ledger.reservations('m3');
    assert.ok(left.length > 0 && left.length < before, `${left.length} of ${before} left`);
    assert.equal(ledger.held('m3', 2, half[2]!.resourceSummary).units.get('cpu'), 15_000);
    // Everything reported: nothing held; then m3 finishes 5 replicas and has room for exactly 5.
    const all = withUsed({ m1: 10, m2: 20, m3: 30 }, 3);
    for (const c of all) ledger.observe(c.name, 3, c.resourceSummary);
    assert.deepEqual(ledger.reservations(), []);
    const later = withUsed({ m1: 10, m2: 20, m3: 25 }, 4);
    const d = schedule(binding({ replicaScheduling: DYNAMIC }, 5, { uid: 'late', replicaRequirements: oneCPU }), later, { ledger });
    assert.deepEqual(d.clusters, [{ name: 'm3', replicas: 5 }]);
  });

  it('usage that drops meanwhile keeps the reservation held (safe side) until the TTL', () => {
    let now = 0;
    const ledger = new ReservationLedger({ ttlMs: 1000, now: () => now });
    const s0 = { allocatable: { cpu: '10', pods: '100' }, allocated: { cpu: '4', pods: '4' } };
    ledger.reserve('a', 'u', 2, oneCPU, { generation: 1, summary: s0 });
    const dropped = { allocatable: { cpu: '10', pods: '100' }, allocated: { cpu: '1', pods: '1' } };
    ledger.observe('a', 2, dropped);
    assert.equal(ledger.held('a', 2, dropped).units.get('cpu'), 2000);
    now = 1000;
    assert.equal(ledger.held('a', 2, dropped).pods, 0);
  });
});
