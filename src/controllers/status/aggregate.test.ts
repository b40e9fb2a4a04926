// Pure parts of the status controllers: manifest statuses, binding aggregation, Work → binding index.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Work } from '../../api/work.js';
import { aggregateItems, fullyAppliedCondition, workHolds } from './binding-aggregate.js';
import { BindingIndex, bindingIdRef, workBindingRefs } from './binding-index.js';
import { manifestStatuses } from './manifest-status.js';

const deployMapping = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' };

describe('manifestStatuses', () => {
  it('identifier, reflected status and health per observed manifest, in manifest order', () => {
    const dep = {
      metadata: { name: 'web', namespace: 'shop', generation: 2, annotations: { 'resourcetemplate.karmada.io/generation': '5' } },
      spec: { replicas: 2 },
      status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, collisionCount: 9 },
    };
    const cm = { metadata: { name: 'cfg', namespace: 'shop' }, data: { a: 'b' } };
    const out = manifestStatuses([
      { ordinal: 1, mapping: deployMapping, obj: dep },
      { ordinal: 0, mapping: { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap' }, obj: cm },
    ]);
    assert.deepEqual(out[0], { identifier: { ordinal: 0, group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespace: 'shop', name: 'cfg' }, health: 'Healthy' });
    assert.deepEqual(out[1]!.identifier, { ordinal: 1, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'shop', name: 'web' });
    assert.equal(out[1]!.health, 'Healthy');
    assert.equal(out[1]!.status!['readyReplicas'], 2);
    assert.equal(out[1]!.status!['resourceTemplateGeneration'], 5);
    assert.equal(out[1]!.status!['collisionCount'], undefined, 'only what the interpreter reflects');
  });
  it('a Deployment not rolled out is Unhealthy; cluster-scoped objects have no namespace', () => {
    const out = manifestStatuses([
      { ordinal: 0, mapping: deployMapping, obj: { metadata: { name: 'w', namespace: 'n', generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 2 } } },
      { ordinal: 1, mapping: { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace' }, obj: { metadata: { name: 'n' }, status: { phase: 'Active' } } },
    ]);
    assert.equal(out[0]!.health, 'Unhealthy');
    assert.equal(out[1]!.identifier.namespace, undefined);
  });
});

const mkWork = (cluster: string, opts: { applied?: 'True' | 'False'; message?: string; statuses?: any[]; manifests?: any[]; deleting?: boolean } = {}): Work =>
  ({
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name: 'w', namespace: `karmada-es-${cluster}`, ...(opts.deleting ? { deletionTimestamp: '2030-01-01T00:00:00Z' } : {}) },
    spec: { workload: { manifests: opts.manifests ?? [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }] } },
    status: {
      conditions: opts.applied ? [{ type: 'Applied', status: opts.applied, reason: 'r', message: opts.message ?? '', lastTransitionTime: '2030-01-01T00:00:00Z' }] : [],
      manifestStatuses: opts.statuses ?? [],
    },
  }) as Work;

const ms = (name: string, readyReplicas: number, health = 'Healthy') => ({
  identifier: { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'default', name },
  status: { readyReplicas },
  health,
});

describe('aggregateItems', () => {
  const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' };
  const table: { name: string; works: Work[]; want: any[] }[] = [
    { name: 'no Works', works: [], want: [] },
    {
      name: 'applied with status, sorted by cluster',
      works: [mkWork('m2', { applied: 'True', statuses: [ms('web', 1)] }), mkWork('m1', { applied: 'True', statuses: [ms('web', 2)] })],
      want: [
        { clusterName: 'm1', applied: true, status: { readyReplicas: 2 }, health: 'Healthy' },
        { clusterName: 'm2', applied: true, status: { readyReplicas: 1 }, health: 'Healthy' },
      ],
    },
    { name: 'applied, not observed yet: health Unknown', works: [mkWork('m1', { applied: 'True' })], want: [{ clusterName: 'm1', applied: true, health: 'Unknown' }] },
    { name: 'not applied: the message, health Unknown', works: [mkWork('m1', { applied: 'False', message: 'conflict' })], want: [{ clusterName: 'm1', applied: false, appliedMessage: 'conflict', health: 'Unknown' }] },
    { name: 'no Applied condition yet', works: [mkWork('m1')], want: [{ clusterName: 'm1', applied: false, health: 'Unknown' }] },
    { name: 'a status of another object is not the template’s', works: [mkWork('m1', { applied: 'True', statuses: [ms('other', 3)] })], want: [{ clusterName: 'm1', applied: true, health: 'Unknown' }] },
    { name: 'Works being deleted and Works without the template are left out', works: [mkWork('m1', { applied: 'True', deleting: true }), mkWork('m2', { applied: 'True', manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' } }] })], want: [] },
    { name: 'a Work outside an execution namespace is ignored', works: [{ ...mkWork('m1', { applied: 'True' }), metadata: { name: 'w', namespace: 'default' } } as Work], want: [] },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(aggregateItems(resource, c.works), c.want));

  it('workHolds matches group, kind, namespace and name (any version)', () => {
    assert.equal(workHolds(mkWork('m', { manifests: [{ apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }] }), resource), true);
    assert.equal(workHolds(mkWork('m', { manifests: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'other' } }] }), resource), false);
  });
});

describe('fullyAppliedCondition', () => {
  const item = (clusterName: string, applied: boolean) => ({ clusterName, applied });
  const table: { name: string; clusters: string[]; evicting?: string[]; items: any[]; want: string }[] = [
    { name: 'not scheduled', clusters: [], items: [], want: 'False' },
    { name: 'every target applied', clusters: ['a', 'b'], items: [item('a', true), item('b', true)], want: 'True' },
    { name: 'one not applied', clusters: ['a', 'b'], items: [item('a', true), item('b', false)], want: 'False' },
    { name: 'a target without status', clusters: ['a', 'b'], items: [item('a', true)], want: 'False' },
    { name: 'status from a cluster not targeted', clusters: ['a'], items: [item('a', true), item('z', true)], want: 'False' },
    { name: 'clusters being evicted gracefully count as targets', clusters: ['a'], evicting: ['b'], items: [item('a', true), item('b', true)], want: 'True' },
  ];
  for (const c of table)
    it(c.name, () => {
      const spec = { clusters: c.clusters.map((name) => ({ name })), gracefulEvictionTasks: (c.evicting ?? []).map((fromCluster) => ({ fromCluster, reason: 'X', producer: 'p' })) };
      const cond = fullyAppliedCondition(spec, c.items);
      assert.equal(cond.status, c.want);
      assert.equal(cond.reason, c.want === 'True' ? 'FullyAppliedSuccess' : 'FullyAppliedFailed');
    });
});

describe('Work → binding index', () => {
  const w = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({ metadata: { labels, annotations } });
  it('reads every Karmada form of the binding reference', () => {
    assert.deepEqual(workBindingRefs(w({ 'resourcebinding.karmada.io/permanent-id': 'id1' }, { 'resourcebinding.karmada.io/namespace': 'n', 'resourcebinding.karmada.io/name': 'b' })), ['rbid:id1', 'rb:n/b']);
    assert.deepEqual(workBindingRefs(w({ 'resourcebinding.karmada.io/namespace': 'n', 'resourcebinding.karmada.io/name': 'b' })), ['rb:n/b']);
    assert.deepEqual(workBindingRefs(w({ 'clusterresourcebinding.karmada.io/permanent-id': 'c1' }, { 'clusterresourcebinding.karmada.io/name': 'crb' })), ['crbid:c1', 'crb:crb']);
    assert.deepEqual(workBindingRefs(w({})), []);
  });
  it('finds Works by name and by permanent id, and tells which bindings a change concerns', () => {
    const ix = new BindingIndex();
    const rb = { metadata: { labels: { 'resourcebinding.karmada.io/permanent-id': 'id1' } } };
    assert.equal(bindingIdRef('rb', rb), 'rbid:id1');
    assert.deepEqual(ix.setWork('es-a/w', w({ 'resourcebinding.karmada.io/permanent-id': 'id1' })), [], 'id not yet known: nothing to enqueue');
    ix.setBinding('rb:n/b', bindingIdRef('rb', rb));
    assert.deepEqual(ix.setWork('es-b/w', w({}, { 'resourcebinding.karmada.io/namespace': 'n', 'resourcebinding.karmada.io/name': 'b' })), ['rb:n/b']);
    assert.deepEqual(ix.worksOf('rb:n/b', 'rbid:id1').sort(), ['es-a/w', 'es-b/w']);
    assert.deepEqual(ix.setWork('es-a/w', w({ 'resourcebinding.karmada.io/permanent-id': 'id1' })), ['rb:n/b'], 'id resolved now');
    assert.deepEqual(ix.setWork('es-a/w', undefined), ['rb:n/b'], 'a deleted Work concerns its former binding');
    assert.deepEqual(ix.worksOf('rb:n/b', 'rbid:id1'), ['es-b/w']);
  });
});
