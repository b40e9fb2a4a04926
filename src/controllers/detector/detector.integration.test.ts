/**
 * The detector, scheduler and binding controllers together against a real control plane
 * (startFlotilla, simulated members): templates get bindings, bindings get clusters, clusters get
 * Works — and policy changes, unbinding, deletion and CRDs behave as Karmada's do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resources.js';
import { CLAIM_ANNOTATIONS, PERMANENT_ID_LABELS } from './keys.js';
import { REFS } from './refs.js';
import { deployment, propagationPolicy, startEnv, workManifests, type TestEnv } from './testing.js';

const workNames = async (env: TestEnv, kind: string, name: string) => (await workManifests(env, kind, name)).map((w) => w.namespace);

describe('detector (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 3 });
  });
  after(async () => {
    await env?.stop();
  });

  it('claims a Deployment, builds its binding, and Works follow policy changes', async () => {
    await env.client.create(R.deployments, deployment('web', 2));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('web', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }], placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } } }),
    );
    const rb = await env.until('binding scheduled', async () => {
      const b = await env.get(REFS.resourceBindings, 'web-deployment', 'default');
      return b?.spec.clusters?.length === 2 ? b : undefined;
    });
    const tpl = await env.client.get(R.deployments, 'web', 'default');
    assert.equal(tpl.metadata.annotations[CLAIM_ANNOTATIONS.ppName], 'web');
    assert.equal(tpl.metadata.annotations[CLAIM_ANNOTATIONS.ppNamespace], 'default');
    assert.ok(tpl.metadata.labels[PERMANENT_ID_LABELS.PropagationPolicy]);
    assert.equal(rb.metadata.labels[PERMANENT_ID_LABELS.PropagationPolicy], tpl.metadata.labels[PERMANENT_ID_LABELS.PropagationPolicy]);
    assert.ok(rb.metadata.labels[PERMANENT_ID_LABELS.ResourceBinding]);
    assert.deepEqual(rb.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: tpl.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rb.spec.replicas, 2);
    assert.deepEqual(rb.spec.replicaRequirements.resourceRequest, { cpu: '100m', memory: '64Mi' });
    assert.deepEqual(rb.spec.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: tpl.metadata.uid, resourceVersion: tpl.metadata.resourceVersion });
    assert.deepEqual(rb.spec.clusters, [
      { name: 'member1', replicas: 2 },
      { name: 'member2', replicas: 2 },
    ]);
    assert.deepEqual(await env.until('two works', async () => ((await workNames(env, 'Deployment', 'web')).length === 2 ? workNames(env, 'Deployment', 'web') : undefined)), [
      'karmada-es-member1',
      'karmada-es-member2',
    ]);

    // Moving the policy moves the Works: member1's goes, member3's comes.
    const pp = await env.client.get(REFS.propagationPolicies, 'web', 'default');
    pp.spec.placement.clusterAffinity.clusterNames = ['member2', 'member3'];
    await env.client.update(REFS.propagationPolicies, pp);
    await env.until('works moved', async () => JSON.stringify(await workNames(env, 'Deployment', 'web')) === JSON.stringify(['karmada-es-member2', 'karmada-es-member3']));

    // Scaling the template re-divides: Duplicated, every cluster runs the new count.
    await env.client.patch(R.deployments, 'web', { spec: { replicas: 5 } }, 'merge', { namespace: 'default' });
    await env.until('replicas 5 in works', async () => {
      const l = await env.client.list(REFS.works, { namespace: 'karmada-es-member3' });
      return l.items.find((w: any) => w.spec.workload.manifests[0].metadata.name === 'web')?.spec.workload.manifests[0].spec.replicas === 5;
    });
  });

  it('a template that loses its policy keeps its binding and clusters, and says so in an event', async () => {
    await env.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan', namespace: 'default' }, data: { a: '1' } });
    await env.client.create(REFS.propagationPolicies, propagationPolicy('cm', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'orphan' }] }));
    await env.until('cm scheduled', async () => (await env.get(REFS.resourceBindings, 'orphan-configmap', 'default'))?.spec.clusters?.length === 3);
    await env.client.delete(REFS.propagationPolicies, 'cm', { namespace: 'default' });
    await env.until('claim removed', async () => {
      const cm = await env.client.get(R.configmaps, 'orphan', 'default');
      return !cm.metadata.annotations?.[CLAIM_ANNOTATIONS.ppName];
    });
    const rb = await env.client.get(REFS.resourceBindings, 'orphan-configmap', 'default');
    assert.equal(rb.spec.clusters.length, 3, 'binding keeps its clusters');
    assert.equal(rb.metadata.labels[PERMANENT_ID_LABELS.PropagationPolicy], undefined);
    assert.equal((await workNames(env, 'ConfigMap', 'orphan')).length, 3, 'works stay');
    const ev = await env.until('PolicyUnbound event', async () => {
      const l = await env.client.list(R.events, { namespace: 'default' });
      return l.items.find((e: any) => e.reason === 'PolicyUnbound' && e.involvedObject.name === 'orphan');
    });
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message, /keeps running where it is/);

    // A new policy claims it again and the scheduler takes the binding back.
    await env.client.create(REFS.propagationPolicies, propagationPolicy('cm2', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'orphan' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } }));
    await env.until('reclaimed and rescheduled', async () => (await env.get(REFS.resourceBindings, 'orphan-configmap', 'default'))?.spec.clusters?.length === 1);
    await env.until('works follow', async () => (await workNames(env, 'ConfigMap', 'orphan')).length === 1);
  });

  it('deleting the template deletes its binding and Works', async () => {
    await env.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'default' } });
    await env.client.create(REFS.propagationPolicies, propagationPolicy('gone', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone' }] }));
    await env.until('works', async () => (await workNames(env, 'ConfigMap', 'gone')).length === 3);
    await env.client.delete(R.configmaps, 'gone', { namespace: 'default' });
    await env.until('binding gone', async () => !(await env.get(REFS.resourceBindings, 'gone-configmap', 'default')));
    await env.until('works deleting', async () => (await workNames(env, 'ConfigMap', 'gone')).length === 0);
  });

});
