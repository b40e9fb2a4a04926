/**
 * propagateDeps against a real control plane: the dependencies of a workload get attached
 * bindings that follow the workload's clusters, and go when the workload goes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resources.js';
import { REFS } from './refs.js';
import { deployment, propagationPolicy, startEnv, workManifests, type TestEnv } from './testing.js';

const clustersOf = async (env: TestEnv, kind: string, name: string) => (await workManifests(env, kind, name)).map((w) => w.cluster);

describe('dependencies distributor (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 3 });
  });
  after(async () => {
    await env?.stop();
  });

  it('propagateDeps: a ConfigMap the Deployment uses follows it to its clusters', async () => {
    await env.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' }, data: { k: 'v' } });
    await env.client.create(
      R.deployments,
      deployment('withdeps', 1, { podSpec: { volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }] } }),
    );
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('withdeps', {
        propagateDeps: true,
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'withdeps' }],
        placement: { clusterAffinity: { clusterNames: ['member2', 'member3'] } },
      }),
    );
    const attached = await env.until('attached binding', async () => {
      const b = await env.get(REFS.resourceBindings, 'app-config-configmap', 'default');
      return b?.spec.requiredBy?.[0]?.clusters?.length === 2 ? b : undefined;
    });
    assert.equal(attached.spec.requiredBy[0].name, 'withdeps-deployment');
    assert.equal(attached.spec.placement, undefined);
    assert.equal(attached.metadata.ownerReferences[0].kind, 'ConfigMap');
    await env.until('configmap works', async () => JSON.stringify(await clustersOf(env, 'ConfigMap', 'app-config')) === '["member2","member3"]');

    // The workload moves; its dependency moves with it.
    const pp = await env.client.get(REFS.propagationPolicies, 'withdeps', 'default');
    pp.spec.placement.clusterAffinity.clusterNames = ['member1'];
    await env.client.update(REFS.propagationPolicies, pp);
    await env.until('configmap moved', async () => JSON.stringify(await clustersOf(env, 'ConfigMap', 'app-config')) === '["member1"]');

    // Deleting the workload releases the dependency: no parent left, the attached binding goes.
    await env.client.delete(R.deployments, 'withdeps', { namespace: 'default' });
    await env.until('attached binding gone', async () => !(await env.get(REFS.resourceBindings, 'app-config-configmap', 'default')));
    await env.until('configmap works gone', async () => (await clustersOf(env, 'ConfigMap', 'app-config')).length === 0);
  });

  it('a dependency created after its workload is picked up when it appears', async () => {
    await env.client.create(R.deployments, deployment('late', 1, { podSpec: { imagePullSecrets: [{ name: 'pull' }] } }));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('late', { propagateDeps: true, resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'late' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } }),
    );
    await env.until('parent records its dependencies', async () => {
      const b = await env.get(REFS.resourceBindings, 'late-deployment', 'default');
      return b?.metadata.annotations?.['resourcebinding.karmada.io/dependencies']?.includes('"pull"');
    });
    assert.equal(await env.get(REFS.resourceBindings, 'pull-secret', 'default'), undefined);
    await env.client.create(R.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'default' }, data: { k: 'dg==' } });
    await env.until('secret work', async () => JSON.stringify(await clustersOf(env, 'Secret', 'pull')) === '["member1"]');
  });
});
