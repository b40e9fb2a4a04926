/**
 * The binding controller against a real control plane: per-cluster Works with overridden
 * manifests, failed overrides held back and reported, dispatching suspended per cluster, Job
 * completions divided.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resources.js';
import { REFS } from '../detector/refs.js';
import { deployment, propagationPolicy, startEnv, type TestEnv } from '../detector/testing.js';
import { OVERRIDES_APPLIED } from './override-condition.js';

const worksOf = async (env: TestEnv, kind: string, name: string): Promise<Record<string, any>> => {
  const l = await env.client.list(REFS.works);
  return Object.fromEntries(
    l.items
      .filter((w: any) => !w.metadata.deletionTimestamp && w.spec.workload.manifests[0].kind === kind && w.spec.workload.manifests[0].metadata.name === name)
      .map((w: any) => [w.metadata.namespace.replace('karmada-es-', ''), w]),
  );
};

const image = (w: any) => w.spec.workload.manifests[0].spec.template.spec.containers[0].image;

describe('binding controller (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 3, labels: { member1: { env: 'prod' } } });
  });
  after(async () => {
    await env?.stop();
  });

  it('applies override policies per cluster and records them on the Work', async () => {
    await env.client.create(R.deployments, deployment('ov', 2));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('ov', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ov' }], placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } } }),
    );
    await env.until('works', async () => Object.keys(await worksOf(env, 'Deployment', 'ov')).length === 2);
    await env.client.create(REFS.overridePolicies, {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'OverridePolicy',
      metadata: { name: 'ov', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ov' }],
        overrideRules: [
          {
            targetCluster: { labelSelector: { matchLabels: { env: 'prod' } } },
            overriders: {
              imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'registry.prod.example' }],
              labelsOverrider: [{ operator: 'add', value: { stage: 'prod' } }],
            },
          },
        ],
      },
    });
    const works = await env.until('member1 overridden', async () => {
      const w = await worksOf(env, 'Deployment', 'ov');
      return w.member1 && image(w.member1) === 'registry.prod.example/nginx:1.25' ? w : undefined;
    });
    assert.equal(works.member1.spec.workload.manifests[0].metadata.labels.stage, 'prod');
    assert.equal(image(works.member2), 'nginx:1.25');
    assert.equal(works.member2.spec.workload.manifests[0].metadata.labels.stage, undefined);
    const applied = JSON.parse(works.member1.metadata.annotations['policy.karmada.io/applied-overrides']);
    assert.equal(applied[0].policyName, 'ov');
    assert.equal(works.member2.metadata.annotations['policy.karmada.io/applied-overrides'], undefined);
    const m = works.member1.spec.workload.manifests[0];
    assert.equal(m.metadata.annotations['resourcetemplate.karmada.io/generation'], '1');
    assert.equal(m.metadata.resourceVersion, undefined);
    assert.equal(m.metadata.uid, undefined);
    assert.equal(m.status, undefined);

    // Removing the policy takes the override back out.
    await env.client.delete(REFS.overridePolicies, 'ov', { namespace: 'default' });
    await env.until('override removed', async () => {
      const w = await worksOf(env, 'Deployment', 'ov');
      return image(w.member1) === 'nginx:1.25' && !w.member1.metadata.annotations['policy.karmada.io/applied-overrides'];
    });
  });

  it('an override that cannot apply holds that cluster back, with an event and a condition', async () => {
    await env.client.create(R.deployments, deployment('bad', 1));
    await env.client.create(REFS.propagationPolicies, propagationPolicy('bad', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'bad' }] }));
    await env.until('works', async () => Object.keys(await worksOf(env, 'Deployment', 'bad')).length === 3);
    await env.client.create(REFS.overridePolicies, {
      apiVersion: 'policy.karmada.io/v1alpha1',
      kind: 'OverridePolicy',
      metadata: { name: 'bad', namespace: 'default' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'bad' }],
        overrideRules: [{ targetCluster: { clusterNames: ['member3'] }, overriders: { plaintext: [{ path: '/spec/nope/deeper', operator: 'replace', value: 1 }] } }],
      },
    });
    const cond = await env.until('condition', async () =>
      (await env.client.get(REFS.resourceBindings, 'bad-deployment', 'default')).status?.conditions?.find((c: any) => c.type === OVERRIDES_APPLIED && c.status === 'False'),
    );
    assert.equal(cond.reason, 'OverrideFailed');
    assert.match(cond.message, /member3/);
    const ev = await env.until('event', async () =>
      (await env.client.list(R.events, { namespace: 'default' })).items.find((e: any) => e.reason === 'ApplyOverridePolicyFailed' && e.involvedObject.name === 'bad'),
    );
    assert.equal(ev.type, 'Warning');

    // The template changes: member1/2 follow, member3 keeps its last good Work.
    await env.client.patch(R.deployments, 'bad', { spec: { replicas: 3 } }, 'merge', { namespace: 'default' });
    await env.until('member1 updated', async () => (await worksOf(env, 'Deployment', 'bad')).member1?.spec.workload.manifests[0].spec.replicas === 3);
    assert.equal((await worksOf(env, 'Deployment', 'bad')).member3.spec.workload.manifests[0].spec.replicas, 1);

    await env.client.delete(REFS.overridePolicies, 'bad', { namespace: 'default' });
    await env.until('recovered', async () => (await worksOf(env, 'Deployment', 'bad')).member3?.spec.workload.manifests[0].spec.replicas === 3);
    const ok = (await env.client.get(REFS.resourceBindings, 'bad-deployment', 'default')).status.conditions.find((c: any) => c.type === OVERRIDES_APPLIED);
    assert.equal(ok.status, 'True');
  });

  it('suspension.dispatchingOnClusters marks only that cluster\'s Work', async () => {
    await env.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'susp', namespace: 'default' } });
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('susp', { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'susp' }], suspension: { dispatchingOnClusters: { clusterNames: ['member2'] } } }),
    );
    const w = await env.until('works', async () => {
      const x = await worksOf(env, 'ConfigMap', 'susp');
      return Object.keys(x).length === 3 ? x : undefined;
    });
    assert.equal(w.member2.spec.suspendDispatching, true);
    assert.equal(w.member1.spec.suspendDispatching, undefined);
  });

  it('divides a Job\'s completions with its parallelism', async () => {
    await env.client.create(R.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch', namespace: 'default' },
      spec: { parallelism: 4, completions: 8, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('batch', {
        resourceSelectors: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch' }],
        placement: {
          clusterAffinity: { clusterNames: ['member1', 'member2'] },
          replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['member1', 'member2'] }, weight: 1 }] } },
        },
      }),
    );
    const w = await env.until('job works', async () => {
      const x = await worksOf(env, 'Job', 'batch');
      return Object.keys(x).length === 2 ? x : undefined;
    });
    for (const c of ['member1', 'member2']) {
      const spec = w[c].spec.workload.manifests[0].spec;
      assert.equal(spec.parallelism, 2);
      assert.equal(spec.completions, 4);
    }
  });
});
