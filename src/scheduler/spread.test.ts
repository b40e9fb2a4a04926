// Spread selection, against Karmada's core/spreadconstraint tests (select_groups_test.go,
// select_clusters_test.go, select_clusters_by_region_test.go), then the zone/provider/label
// generalisation Karmada lacks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareScored, type ScoredCluster } from './score.js';
import { selectClusters } from './spread.js';
import { selectGroups, type GroupInfo } from './spread-groups.js';
import { cluster } from './testing.js';
import type { ClusterSnapshot, Placement, SpreadConstraint } from './types.js';

function scored(name: string, score: number, available: number, topo: Partial<ClusterSnapshot> = {}): ScoredCluster {
  return { name, cluster: cluster(name, topo), scores: { ClusterLocality: score }, score, free: available, assigned: 0, available };
}
const names = (cs: readonly ScoredCluster[]) => cs.map((c) => c.name);
const DIVIDED: Placement['replicaScheduling'] = { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } };
const byCluster = (min: number, max: number): SpreadConstraint => ({ spreadByField: 'cluster', minGroups: min, maxGroups: max });
const byRegion = (min: number, max: number): SpreadConstraint => ({ spreadByField: 'region', minGroups: min, maxGroups: max });

describe('selectGroups (Karmada select_groups_test.go)', () => {
  const g = (name: string, value: number, weight: number): GroupInfo => ({ name, value, weight });
  const table: [string, GroupInfo[], number, number, number, string[]][] = [
    ['empty groups', [], 2, 3, 1, []],
    ['no enough groups', [g('R1', 1, 80)], 2, 3, 1, []],
    ['no enough value', [g('R1', 1, 80), g('R2', 2, 30)], 2, 3, 4, []],
    ['select one group', [g('R1', 1, 80)], 1, 3, 1, ['R1']],
    ['prioritize one path', [g('R1', 1, 80), g('R3', 1, 80), g('R2', 1, 60), g('R5', 2, 60), g('R4', 5, 50), g('R6', 3, 50)], 1, 3, 10, ['R5', 'R4', 'R6']],
    ['select groups with less total number', [g('R1', 1, 80), g('R2', 4, 40), g('R3', 1, 30), g('R4', 3, 30), g('R5', 3, 20), g('R6', 5, 10)], 2, 6, 5, ['R1', 'R2']],
    ['select groups with the highest score', [g('R1', 1, 60), g('R2', 1, 50), g('R3', 1, 40), g('R4', 3, 30), g('R5', 3, 20), g('R6', 3, 10)], 1, 3, 6, ['R1', 'R4', 'R5']],
    ['select groups that are chosen earlier', [g('R1', 1, 60), g('R2', 2, 50), g('R3', 3, 40), g('R4', 4, 30)], 1, 2, 5, ['R1', 'R4']],
    ['select groups with greater value', [g('R4', 1, 60), g('R3', 3, 50), g('R1', 3, 40), g('R2', 4, 30)], 1, 2, 5, ['R3', 'R1']],
  ];
  for (const [name, groups, min, max, target, want] of table) {
    it(name, () => assert.deepEqual(selectGroups(groups, min, max, target).map((x) => x.name), want));
  }
  it('agrees with a literal transcription of Karmada\'s search on random inputs', () => {
    // Karmada's algorithm as written: materialise every path, sort, then walk the prefix chain.
    const literal = (groups: GroupInfo[], min: number, max: number, target: number): string[] => {
      const byW = (a: GroupInfo, b: GroupInfo) => b.weight - a.weight || (a.name < b.name ? -1 : 1);
      const sorted = groups.slice().sort((a, b) => a.value - b.value || byW(a, b));
      const paths: { id: number; gs: GroupInfo[]; w: number; v: number }[] = [];
      const stack: GroupInfo[] = [];
      const dfs = (sum: number, begin: number): void => {
        if (sum >= target && stack.length >= min && stack.length <= max) {
          const gs = stack.slice().sort(byW);
          paths.push({ id: paths.length + 1, gs, w: gs.reduce((x, g) => x + g.weight, 0), v: gs.reduce((x, g) => x + g.value, 0) });
          return;
        }
        if (stack.length >= max) return;
        for (let i = begin; i < sorted.length; i++) {
          stack.push(sorted[i]!);
          dfs(sum + sorted[i]!.value, i + 1);
          stack.pop();
        }
      };
      dfs(0, 0);
      if (!paths.length) return [];
      paths.sort((a, b) => b.w - a.w || b.v - a.v || a.id - b.id);
      let fin = paths[0]!;
      for (const q of paths.slice(1)) if (q.gs.length < fin.gs.length && q.gs.every((g, i) => fin.gs[i]!.name === g.name)) fin = q;
      return fin.gs.map((x) => x.name);
    };
    let seed = 7;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + rnd(8);
      const gs = Array.from({ length: n }, (_, i) => g(`G${i}`, 1 + rnd(4), [0, 50, 100][rnd(3)]! + rnd(2) * 10));
      const min = 1 + rnd(3);
      const max = min + rnd(4);
      const target = rnd(10);
      assert.deepEqual(selectGroups(gs, min, max, target).map((x) => x.name), literal(gs, min, max, target), `trial ${trial}`);
    }
  });
  it('stays bounded on many groups', () => {
    const many = Array.from({ length: 40 }, (_, i) => g(`R${i}`, 1, 100 - i));
    assert.deepEqual(selectGroups(many, 1, 40, 3).map((x) => x.name), ['R0', 'R1', 'R2']);
  });
});

describe('spread by cluster (Karmada select_clusters_test.go)', () => {
  const infos = [
    scored('member4', 60, 50, { provider: 'P2', region: 'R2', zones: ['Z2'] }),
    scored('member2', 40, 60, { provider: 'P1', region: 'R1', zones: ['Z2'] }),
    scored('member3', 30, 80, { provider: 'P2', region: 'R1', zones: ['Z1'] }),
    scored('member1', 20, 40, { provider: 'P1', region: 'R1', zones: ['Z1'] }),
  ];
  const sel = (placement: Placement, need: number) => names(selectClusters(placement, infos, need).clusters);

  it('by score', () => assert.deepEqual(sel({ spreadConstraints: [byCluster(1, 2)], replicaScheduling: DIVIDED }, 100), ['member4', 'member2']));
  it('ignores available resources when Duplicated', () => {
    assert.deepEqual(sel({ spreadConstraints: [byCluster(1, 2)], replicaScheduling: { replicaSchedulingType: 'Duplicated' } }, -1), ['member4', 'member2']);
  });
  it('ignores spread constraints entirely for static weights', () => {
    const p: Placement = { spreadConstraints: [byCluster(1, 2)], replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member1'] }, weight: 2 }] } } };
    assert.deepEqual(sel(p, 120), ['member4', 'member2', 'member3', 'member1']);
  });
  it('swaps in the roomiest cluster when the top ones cannot hold the replicas', () => {
    const s = selectClusters({ spreadConstraints: [byCluster(1, 2)], replicaScheduling: DIVIDED }, infos, 120);
    assert.deepEqual(names(s.clusters), ['member4', 'member3']);
    assert.deepEqual(s.trace.swaps, [{ out: 'member2', in: 'member3' }]);
  });
  it('no enough resource', () => {
    assert.throws(() => sel({ spreadConstraints: [byCluster(1, 2)], replicaScheduling: DIVIDED }, 200), /^SchedulerError: no enough resource when selecting 2 clusters: need 200 replicas, the best 2 of 4 feasible clusters have room for 140$/);
  });
  it('fewer feasible clusters than minGroups', () => {
    assert.throws(() => sel({ spreadConstraints: [byCluster(7, 7)] }, 30), /the number of feasible clusters is less than spreadConstraint\.MinGroups/);
  });
});

describe('spread by region (Karmada select_clusters_by_region_test.go)', () => {
  const t = (region: string): Partial<ClusterSnapshot> => ({ provider: 'P1', region, zones: ['Z1'] });
  const pick = (constraints: SpreadConstraint[], list: ScoredCluster[]) => names(selectClusters({ spreadConstraints: constraints, replicaScheduling: DIVIDED }, list.slice().sort(compareScored), 0).clusters);
  const twoRegions = [
    scored('member1', 100, 40, t('R1')),
    scored('member2', 80, 40, t('R1')),
    scored('member3', 80, 40, t('R2')),
    scored('member4', 80, 40, t('R2')),
    scored('member5', 60, 40, t('R2')),
  ];

  it('from the region with the higher score', () => assert.deepEqual(pick([byRegion(1, 1), byCluster(2, 2)], twoRegions), ['member1', 'member2']));
  it('from the region with enough clusters', () => assert.deepEqual(pick([byRegion(1, 1), byCluster(3, 3)], twoRegions), ['member3', 'member4', 'member5']));
  it('from the regions with enough clusters and higher score', () => {
    const list = [
      scored('member1', 90, 40, t('R1')),
      scored('member2', 70, 40, t('R2')),
      scored('member3', 60, 40, t('R2')),
      scored('member4', 30, 40, t('R2')),
      scored('member5', 80, 40, t('R3')),
      scored('member6', 50, 60, t('R3')),
      scored('member7', 50, 50, t('R4')),
      scored('member8', 40, 50, t('R4')),
      scored('member9', 10, 50, t('R4')),
      scored('member10', 0, 50, t('R4')),
    ];
    assert.deepEqual(pick([byRegion(2, 2), byCluster(4, 5)], list), ['member1', 'member2', 'member3', 'member4']);
  });
  it('from more than minGroups regions', () => {
    const list = [
      scored('member1', 70, 40, t('R1')),
      scored('member2', 40, 40, t('R2')),
      scored('member3', 40, 40, t('R2')),
      scored('member4', 40, 40, t('R2')),
      scored('member5', 60, 40, t('R3')),
      scored('member6', 50, 60, t('R3')),
      scored('member7', 70, 100, t('R4')),
      scored('member8', 50, 50, t('R5')),
    ];
    assert.deepEqual(pick([byRegion(1, 3), byCluster(6, 8)], list), ['member1', 'member5', 'member2', 'member6', 'member3', 'member4']);
  });
  it('no enough region', () => assert.throws(() => pick([byRegion(3, 3), byCluster(3, 3)], twoRegions), /the number of feasible region is less than spreadConstraint\.MinGroups/));
  it('no enough clusters', () => assert.throws(() => pick([byRegion(1, 1), byCluster(4, 4)], twoRegions), /the number of clusters is less than the cluster spreadConstraint\.MinGroups/));
  it('without a cluster constraint: the best cluster of each region', () => assert.deepEqual(pick([byRegion(2, 2)], twoRegions), ['member1', 'member3']));
  it('minGroups 2, maxGroups 2 over three regions lands in two', () => {
    const list = [scored('a', 0, 9, t('eu')), scored('b', 0, 9, t('us')), scored('c', 0, 9, t('ap')), scored('d', 0, 9, t('eu'))].sort(compareScored);
    const s = selectClusters({ spreadConstraints: [byRegion(2, 2), byCluster(1, 4)], replicaScheduling: DIVIDED }, list, 0);
    assert.deepEqual(s.trace.chosenGroups, ['ap', 'eu']);
    assert.deepEqual(names(s.clusters), ['c', 'a', 'd']);
    // As in Karmada, minGroups is what forces spreading: with minGroups 1 one region suffices.
    const one = selectClusters({ spreadConstraints: [byRegion(1, 2), byCluster(1, 4)], replicaScheduling: DIVIDED }, list, 0);
    assert.equal(one.trace.chosenGroups?.length, 1);
  });
});

describe('spread by zone, provider and label (Flotilla)', () => {
  const fleet = [
    scored('a1', 0, 10, { provider: 'aws', region: 'us', zones: ['us-1a'], labels: { rack: 'r1' } }),
    scored('a2', 0, 10, { provider: 'aws', region: 'us', zones: ['us-1b'], labels: { rack: 'r2' } }),
    scored('g1', 0, 10, { provider: 'gcp', region: 'us', zones: ['us-1a', 'us-1c'], labels: { rack: 'r1' } }),
    scored('g2', 0, 10, { provider: 'gcp', region: 'eu', zone: 'eu-1a', labels: { rack: 'r3' } }),
  ];
  const sel = (c: SpreadConstraint[]) => names(selectClusters({ spreadConstraints: c, replicaScheduling: DIVIDED }, fleet, 0).clusters);

  it('by provider, one cluster per provider', () => assert.deepEqual(sel([{ spreadByField: 'provider', minGroups: 2, maxGroups: 2 }]), ['a1', 'g1']));
  it('by provider with a cluster constraint fills up', () => {
    assert.deepEqual(sel([{ spreadByField: 'provider', minGroups: 1, maxGroups: 1 }, byCluster(2, 2)]), ['a1', 'a2']);
  });
  it('by zone counts spec.zones and the deprecated spec.zone; a multi-zone cluster is picked once', () => {
    const s = sel([{ spreadByField: 'zone', minGroups: 4, maxGroups: 4 }]);
    assert.deepEqual([...s].sort(), ['a1', 'a2', 'g1', 'g2']);
  });
  it('by label', () => assert.deepEqual(sel([{ spreadByLabel: 'rack', minGroups: 3, maxGroups: 3 }]).sort(), ['a1', 'a2', 'g2']));
  it('too few groups names the field', () => {
    assert.throws(() => sel([{ spreadByField: 'provider', minGroups: 3 }]), /the number of feasible provider is less than spreadConstraint\.MinGroups \(2 < 3\)/);
    assert.throws(() => sel([{ spreadByLabel: 'rack', minGroups: 4 }]), /feasible label rack is less/);
  });
  it('a second group constraint is checked on the result', () => {
    assert.throws(() => sel([{ spreadByField: 'region', minGroups: 1, maxGroups: 1 }, { spreadByField: 'provider', minGroups: 2 }, byCluster(1, 1)]), /span 1 provider group/);
    assert.deepEqual(sel([{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }, { spreadByField: 'provider', minGroups: 2 }]).sort(), ['a1', 'g2']);
  });
});
