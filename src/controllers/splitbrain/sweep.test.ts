import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type KubeClient } from '../../client/client.js';
import type { AnyBinding } from '../../failover/binding.js';
import { createLogger } from '../../util/logger.js';
import { listableResources, sweepMember } from './sweep.js';

const ES = 'karmada-es-m1';
const copy = (name: string, rb: string, extra: Record<string, unknown> = {}) => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '7',
    labels: { 'karmada.io/managed': 'true' },
    annotations: { 'work.karmada.io/namespace': ES, 'work.karmada.io/name': `${name}-w`, 'resourcebinding.karmada.io/namespace': 'default', 'resourcebinding.karmada.io/name': rb },
    ...extra,
  },
});

function fakeMember(items: Record<string, any[]>, fail: Record<string, ApiError> = {}) {
  const deletes: { resource: string; name: string; o: any }[] = [];
  const member = {
    async listAll(r: { resource: string }, o: { labelSelector?: string }) {
      assert.equal(o.labelSelector, 'karmada.io/managed=true');
      if (fail[r.resource]) throw fail[r.resource];
      return { items: items[r.resource] ?? [] };
    },
    async delete(r: { resource: string; namespaced: boolean }, name: string, o: any) {
      deletes.push({ resource: r.resource, name, o: { ...o, namespaced: r.namespaced } });
      return {};
    },
  } as unknown as KubeClient;
  return { member, deletes };
}

const ENABLEMENTS = [
  { groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap' }, { name: 'pods', kind: 'Pod' }, { name: 'pods/status', kind: 'Pod' }, { name: 'events', kind: 'Event' }] },
  { groupVersion: 'apps/v1', resources: [{ name: 'deployments', kind: 'Deployment' }, { name: 'deployments/scale', kind: 'Scale' }] },
  { groupVersion: 'autoscaling/v2', resources: [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler' }] },
  { groupVersion: 'autoscaling/v1', resources: [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler' }] },
  { groupVersion: 'authorization.k8s.io/v1', resources: [{ name: 'subjectaccessreviews', kind: 'SubjectAccessReview' }] },
];

describe('listableResources', () => {
  it('one version per resource, no subresources, nothing that is not an applied object', () => {
    assert.deepEqual(
      listableResources(ENABLEMENTS).map((r) => `${r.group}/${r.version}/${r.resource}:${r.kind}`),
      ['/v1/configmaps:ConfigMap', '/v1/pods:Pod', 'apps/v1/deployments:Deployment', 'autoscaling/v2/horizontalpodautoscalers:HorizontalPodAutoscaler'],
    );
  });
});

describe('sweepMember', () => {
  const rb = (name: string, clusters: string[]): AnyBinding =>
    ({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name, namespace: 'default' }, spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name }, clusters: clusters.map((name) => ({ name })) } }) as AnyBinding;
  const base = { cluster: 'm1', enablements: ENABLEMENTS, log: createLogger({ level: 'silent' }) };

  it('deletes a candidate only when the live Work and binding confirm it, with uid and resourceVersion preconditions', async () => {
    const { member, deletes } = fakeMember({
      deployments: [copy('orphan', 'gone-b'), copy('recreated', 'gone-b'), copy('retargeted', 'back-b'), copy('dying', 'gone-b', { deletionTimestamp: '2025-01-01T00:00:00Z' })],
    });
    const deleted: string[] = [];
    const r = await sweepMember({
      ...base,
      member,
      // The cache knows neither Works nor bindings: every copy looks orphaned at first.
      workExists: () => false,
      binding: () => undefined,
      // Live: recreated's Work exists again; retargeted's binding targets m1 again.
      getWork: async (_ns, name) => (name === 'recreated-w' ? {} : undefined),
      getBinding: async (ref) => (ref.name === 'back-b' ? rb('back-b', ['m1']) : undefined),
      deleted: (d) => deleted.push(d.object.metadata.name!),
    });
    assert.deepEqual(deletes.map((d) => d.name), ['orphan']);
    assert.deepEqual(deletes[0]!.o, { namespace: 'default', propagationPolicy: 'Background', preconditions: { uid: 'uid-orphan', resourceVersion: '7' }, namespaced: true });
    assert.deepEqual(deleted, ['orphan']);
    assert.equal(r.spared, 2);
    assert.equal(r.listed, 4);
    assert.equal(r.deleted[0]!.object.kind, 'Deployment', 'kind from the list when items carry none');
  });

  it('skips resources the member refuses to list, fails on a connection error', async () => {
    const ok = fakeMember({ deployments: [copy('orphan', 'gone-b')] }, { configmaps: new ApiError(405, 'MethodNotAllowed', 'no') });
    const deps = { ...base, workExists: () => false, binding: () => undefined, getWork: async () => undefined, getBinding: async () => undefined };
    assert.equal((await sweepMember({ ...deps, member: ok.member })).deleted.length, 1);
    const down = fakeMember({}, { pods: new ApiError(0, 'ConnectionError', 'refused') });
    await assert.rejects(sweepMember({ ...deps, member: down.member }), /refused/);
    assert.equal(down.deletes.length, 0);
  });
});
