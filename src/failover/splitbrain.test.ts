import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../api/index.js';
import type { AnyBinding } from './binding.js';
import { checkReplicaInvariant, orphanedMemberObjects, type MemberObject, type ReplicaSample } from './splitbrain.js';

function member(name: string, p: { managed?: boolean; workNs?: string; work?: string; rb?: string; crb?: string } = {}): MemberObject {
  const annotations: Record<string, string> = {};
  if (p.work !== undefined) annotations['work.karmada.io/name'] = p.work;
  if (p.workNs !== undefined) annotations['work.karmada.io/namespace'] = p.workNs;
  if (p.rb) Object.assign(annotations, { 'resourcebinding.karmada.io/namespace': 'default', 'resourcebinding.karmada.io/name': p.rb });
  if (p.crb) annotations['clusterresourcebinding.karmada.io/name'] = p.crb;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: p.managed === false ? {} : { 'karmada.io/managed': 'true' }, annotations },
  };
}

function rb(name: string, clusters: string[], tasks: [string, string][] = [], deleting = false, preserve = false): ResourceBinding {
  return {
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      clusters: clusters.map((c) => ({ name: c })),
      gracefulEvictionTasks: tasks.map(([fromCluster, purgeMode]) => ({ fromCluster, purgeMode: purgeMode as 'Directly', reason: 'TaintUntolerated', producer: 'TaintManager' })),
      ...(preserve ? { preserveResourcesOnDeletion: true } : {}),
    },
  };
}

describe('orphanedMemberObjects (partition heal)', () => {
  const NS = 'karmada-es-member2';
  const bindings = new Map<string, AnyBinding>([
    ['moved', rb('moved', ['member1', 'member3'])],
    ['stays', rb('stays', ['member2'])],
    ['evicting', rb('evicting', ['member1'], [['member2', 'Gracefully']])],
    ['direct', rb('direct', ['member1'], [['member2', 'Directly']])],
    ['dying', rb('dying', ['member2'], [], true)],
    ['kept-on-delete', rb('kept-on-delete', ['member1'], [], false, true)],
  ]);
  const works = new Set([`${NS}/stays-w`, `${NS}/moved-pending-w`, `${NS}/evicting-w`]);
  const run = (objs: MemberObject[]) =>
    orphanedMemberObjects({
      cluster: 'member2',
      members: objs,
      workExists: (ns, name) => works.has(`${ns}/${name}`),
      binding: (ref) => bindings.get(ref.name),
    });

  const cases: { name: string; obj: MemberObject; want: 'delete' | 'pending' | 'keep' }[] = [
    { name: 'moved away, Work deleted while away: delete', obj: member('a', { workNs: NS, work: 'moved-w', rb: 'moved' }), want: 'delete' },
    { name: 'moved away, Work still there: pending (execution removes it)', obj: member('b', { workNs: NS, work: 'moved-pending-w', rb: 'moved' }), want: 'pending' },
    { name: 'still targeted: keep', obj: member('c', { workNs: NS, work: 'stays-w', rb: 'stays' }), want: 'keep' },
    { name: 'still targeted but Work gone: keep (the binding controller recreates it)', obj: member('d', { workNs: NS, work: 'gone-w', rb: 'stays' }), want: 'keep' },
    { name: 'graceful eviction in progress: keep (old copy serves until replacements are ready)', obj: member('e', { workNs: NS, work: 'evicting-w', rb: 'evicting' }), want: 'keep' },
    { name: 'Directly-purged eviction, Work gone: delete', obj: member('f', { workNs: NS, work: 'direct-w', rb: 'direct' }), want: 'delete' },
    { name: 'binding gone and Work gone: delete', obj: member('g', { workNs: NS, work: 'x-w', rb: 'nosuch' }), want: 'delete' },
    { name: 'binding being deleted, Work gone: delete', obj: member('h', { workNs: NS, work: 'dying-w', rb: 'dying' }), want: 'delete' },
    { name: 'cluster-scoped binding gone: delete', obj: member('i', { workNs: NS, work: 'c-w', crb: 'nosuch' }), want: 'delete' },
    { name: 'binding preserves resources on deletion, Work gone: keep (released, not deleted)', obj: member('m', { workNs: NS, work: 'kod-w', rb: 'kept-on-delete' }), want: 'keep' },
    { name: 'not managed by Flotilla: keep', obj: member('j', { managed: false, workNs: NS, work: 'moved-w', rb: 'moved' }), want: 'keep' },
    { name: 'no Work annotation: keep (no evidence)', obj: member('k', { rb: 'moved' }), want: 'keep' },
    { name: 'Work of another cluster: keep (not ours to judge)', obj: member('l', { workNs: 'karmada-es-member1', work: 'moved-w', rb: 'moved' }), want: 'keep' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run([c.obj]);
      const got = r.delete.length ? 'delete' : r.pending.length ? 'pending' : 'keep';
      assert.equal(got, c.want);
    });
  }

  it('gives a reason for each deletion', () => {
    const r = run([member('a', { workNs: NS, work: 'moved-w', rb: 'moved' })]);
    assert.match(r.delete[0]!.reason, /no longer targets member2 and Work karmada-es-member2\/moved-w was deleted/);
  });
});

describe('checkReplicaInvariant', () => {
  const samples = [
    { at: 0, ready: { member1: 2, member2: 2, member3: 2 } },
    { at: 10, ready: { member1: 2, member2: 0, member3: 2 } }, // the outage itself
    { at: 40, ready: { member1: 3, member2: 0, member3: 2 } },
    { at: 45, ready: { member1: 3, member2: 0, member3: 3 } },
    { at: 60, ready: { member1: 3, member2: 2, member3: 3 } }, // partition heals: old copy seen again
    { at: 61, ready: { member1: 3, member2: 0, member3: 3 } },
  ];
  it('reports the deficit during the outage, the surplus at the heal', () => {
    const r = checkReplicaInvariant(samples, 6);
    assert.equal(r.peakDeficit, 2);
    assert.equal(r.peakSurplus, 2);
    assert.equal(r.deficitMs, 35);
    assert.deepEqual(r.violations.map((v) => v.at), [10, 40]);
  });
  it('from the move on, the total never drops below desired', () => {
    const r = checkReplicaInvariant(samples, 6, 45);
    assert.deepEqual(r.violations, []);
    assert.equal(r.peakDeficit, 0);
  });
  it('a graceful move (old copy removed only after replacements are ready) has no deficit', () => {
    const move: ReplicaSample[] = [
      { at: 0, ready: { a: 3, b: 3 } },
      { at: 1, ready: { a: 3, b: 3, c: 1 } },
      { at: 2, ready: { a: 3, b: 3, c: 3 } },
      { at: 3, ready: { a: 3, c: 3 } },
    ];
    assert.deepEqual(checkReplicaInvariant(move, 6), { peakDeficit: 0, peakSurplus: 3, deficitMs: 0, violations: [] });
  });
});
