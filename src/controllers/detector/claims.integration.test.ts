/**
 * Who claims what, against a real control plane: ClusterPropagationPolicies and
 * ClusterResourceBindings for cluster-scoped kinds, kinds of CRDs installed after the policy, and
 * explicit priority with preemption.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ref } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { CLAIM_ANNOTATIONS, PERMANENT_ID_LABELS } from './keys.js';
import { REFS } from './refs.js';
import { propagationPolicy, startEnv, workManifests, type TestEnv } from './testing.js';

const workNames = async (env: TestEnv, kind: string, name: string) => (await workManifests(env, kind, name)).map((w) => w.namespace);

describe('policy claims (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 3 });
  });
  after(async () => {
    await env?.stop();
  });

  it('a ClusterPropagationPolicy claims cluster-scoped templates with a ClusterResourceBinding', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [] };
    await env.client.create(ref('rbac.authorization.k8s.io/v1', 'clusterroles', false), role);
    await env.client.create(REFS.clusterPropagationPolicies, {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'ClusterPropagationPolicy',
      metadata: { name: 'roles' },
      spec: { resourceSelectors: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'viewer' }], placement: { clusterAffinity: { clusterNames: ['member3'] } } },
    });
    const crb = await env.until('crb', async () => {
      const b = await env.get(REFS.clusterResourceBindings, 'viewer-clusterrole');
      return b?.spec.clusters?.length ? b : undefined;
    });
    assert.deepEqual(crb.spec.clusters, [{ name: 'member3' }]);
    assert.ok(crb.metadata.labels[PERMANENT_ID_LABELS.ClusterPropagationPolicy]);
    assert.equal(crb.metadata.annotations[CLAIM_ANNOTATIONS.cppName], 'roles');
    await env.until('work', async () => JSON.stringify(await workNames(env, 'ClusterRole', 'viewer')) === '["karmada-es-member3"]');
  });

  it('propagates custom resources of a CRD installed after the policy', async () => {
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('widgets', { resourceSelectors: [{ apiVersion: 'example.io/v1', kind: 'Widget' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } }),
    );
    await env.client.create(R.crds, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.io' },
      spec: {
        group: 'example.io',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widgets = ref('example.io/v1', 'widgets');
    await env.until('CRD served', async () => {
      await env.client.list(widgets, { namespace: 'default' });
      return true;
    });
    await env.client.create(widgets, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } }, { namespace: 'default' });
    await env.until('widget work', async () => JSON.stringify(await workNames(env, 'Widget', 'w1')) === '["karmada-es-member1"]', 40_000);
  });

  it('an explicit priority wins, and preemption Always takes a claimed template', async () => {
    await env.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prio', namespace: 'default', labels: { tier: 'x' } } });
    await env.client.create(REFS.propagationPolicies, propagationPolicy('low', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'prio' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } }));
    await env.until('claimed by low', async () => (await env.client.get(R.configmaps, 'prio', 'default')).metadata.annotations?.[CLAIM_ANNOTATIONS.ppName] === 'low');
    // Higher priority without preemption: the claim stays.
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('high', { priority: 5, resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: { matchLabels: { tier: 'x' } } }], placement: { clusterAffinity: { clusterNames: ['member2'] } } }),
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await env.client.get(R.configmaps, 'prio', 'default')).metadata.annotations[CLAIM_ANNOTATIONS.ppName], 'low');
    const high = await env.client.get(REFS.propagationPolicies, 'high', 'default');
    high.spec.preemption = 'Always';
    await env.client.update(REFS.propagationPolicies, high);
    await env.until('preempted', async () => (await env.client.get(R.configmaps, 'prio', 'default')).metadata.annotations?.[CLAIM_ANNOTATIONS.ppName] === 'high');
    await env.until('moved to member2', async () => JSON.stringify((await env.get(REFS.resourceBindings, 'prio-configmap', 'default'))?.spec.clusters) === '[{"name":"member2"}]');
  });
});
