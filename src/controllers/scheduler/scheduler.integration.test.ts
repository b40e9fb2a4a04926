/**
 * The scheduler controller against a real control plane: Karmada's documented divisions land in
 * spec.clusters with a Scheduled condition and a stored explanation; cluster label and taint
 * changes reschedule; suspension holds scheduling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resources.js';
import { EXPLANATION_ANNOTATION } from '../detector/keys.js';
import { REFS } from '../detector/refs.js';
import { deployment, propagationPolicy, startEnv, type TestEnv } from '../detector/testing.js';

const weights = (w: Record<string, number>) => ({
  replicaSchedulingType: 'Divided',
  replicaDivisionPreference: 'Weighted',
  weightPreference: { staticWeightList: Object.entries(w).map(([name, weight]) => ({ targetCluster: { clusterNames: [name] }, weight })) },
});

const scheduled = (env: TestEnv, name: string, pred: (b: any) => boolean = (b) => !!b.spec.clusters?.length) =>
  env.until(`${name} scheduled`, async () => {
    const b = await env.get(REFS.resourceBindings, `${name}-deployment`, 'default');
    const cond = b?.status?.conditions?.find((c: any) => c.type === 'Scheduled');
    return b && cond && b.status.schedulerObservedGeneration === b.metadata.generation && pred(b) ? b : undefined;
  });

describe('scheduler (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 3, labels: { member1: { tier: 'gold' } } });
  });
  after(async () => {
    await env?.stop();
  });

  it('divides 12 replicas 3:2:1 into 6/4/2 with one Scheduled condition and a stored explanation', async () => {
    await env.client.create(R.deployments, deployment('weighted', 12));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('weighted', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'weighted' }], placement: { replicaScheduling: weights({ member1: 3, member2: 2, member3: 1 }) } }),
    );
    const b = await scheduled(env, 'weighted');
    assert.deepEqual(b.spec.clusters, [
      { name: 'member1', replicas: 6 },
      { name: 'member2', replicas: 4 },
      { name: 'member3', replicas: 2 },
    ]);
    const cond = b.status.conditions.find((c: any) => c.type === 'Scheduled');
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'Success');
    assert.match(cond.message, /member1=6, member2=4, member3=2/);
    assert.ok(b.status.lastScheduledTime);
    const explanation = JSON.parse(b.metadata.annotations[EXPLANATION_ANNOTATION]);
    assert.equal(explanation.summary, cond.message);
    assert.equal(explanation.strategy, 'StaticWeight');

    // The Works carry each cluster's share.
    const shares = await env.until('works with shares', async () => {
      const l = await env.client.list(REFS.works);
      const m = Object.fromEntries(
        l.items.filter((w: any) => w.spec.workload.manifests[0].metadata.name === 'weighted').map((w: any) => [w.metadata.namespace, w.spec.workload.manifests[0].spec.replicas]),
      );
      return Object.keys(m).length === 3 ? m : undefined;
    });
    assert.deepEqual(shares, { 'karmada-es-member1': 6, 'karmada-es-member2': 4, 'karmada-es-member3': 2 });

    // 13 replicas: 7/4/2 (Karmada's Webster example), and only the difference moves.
    await env.client.patch(R.deployments, 'weighted', { spec: { replicas: 13 } }, 'merge', { namespace: 'default' });
    const b13 = await scheduled(env, 'weighted', (x) => x.spec.replicas === 13);
    assert.deepEqual(b13.spec.clusters, [
      { name: 'member1', replicas: 7 },
      { name: 'member2', replicas: 4 },
      { name: 'member3', replicas: 2 },
    ]);
  });

  it('reports NoClusterFit when no cluster matches, and schedules once one does', async () => {
    await env.client.create(R.deployments, deployment('nofit', 1));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('nofit', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nofit' }], placement: { clusterAffinity: { labelSelector: { matchLabels: { tier: 'silver' } } } } }),
    );
    const b = await scheduled(env, 'nofit', () => true);
    const cond = b.status.conditions.find((c: any) => c.type === 'Scheduled');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'NoClusterFit');
    assert.deepEqual(b.spec.clusters ?? [], []);
    const events = await env.until('ScheduleBindingFailed', async () =>
      (await env.client.list(R.events, { namespace: 'default' })).items.find((e: any) => e.reason === 'ScheduleBindingFailed' && e.involvedObject.kind === 'Deployment'),
    );
    assert.equal(events.type, 'Warning');

    // A cluster gains the label: the binding is rescheduled without any change to it.
    await env.client.patch(REFS.clusters, 'member2', { metadata: { labels: { tier: 'silver' } } }, 'merge');
    const ok = await scheduled(env, 'nofit', (x) => x.spec.clusters?.length === 1);
    assert.deepEqual(ok.spec.clusters, [{ name: 'member2', replicas: 1 }]);
    assert.equal(ok.status.conditions.find((c: any) => c.type === 'Scheduled').status, 'True');
  });

  it('skips a tainted cluster unless tolerated, and a not-ready one', async () => {
    const c3 = await env.client.get(REFS.clusters, 'member3');
    c3.spec.taints = [{ key: 'maintenance', effect: 'NoSchedule' }];
    await env.client.update(REFS.clusters, c3);
    await env.client.create(R.deployments, deployment('taint', 1));
    await env.client.create(REFS.propagationPolicies, propagationPolicy('taint', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'taint' }] }));
    const b = await scheduled(env, 'taint');
    assert.deepEqual(
      b.spec.clusters.map((c: any) => c.name),
      ['member1', 'member2'],
    );
    const explanation = JSON.parse(b.metadata.annotations[EXPLANATION_ANNOTATION]);
    assert.equal(explanation.clusters.find((c: any) => c.name === 'member3').filter.plugin, 'TaintToleration');

    const pp = await env.client.get(REFS.propagationPolicies, 'taint', 'default');
    pp.spec.placement = { clusterTolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoSchedule' }] };
    await env.client.update(REFS.propagationPolicies, pp);
    await scheduled(env, 'taint', (x) => x.spec.clusters?.length === 3);
    c3.spec.taints = [];
    await env.client.update(REFS.clusters, { ...(await env.client.get(REFS.clusters, 'member3')), spec: { ...c3.spec, taints: [] } });
  });

  it('respects spec.suspension.scheduling', async () => {
    await env.client.create(R.deployments, deployment('paused', 2));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('paused', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'paused' }], placement: { clusterAffinity: { clusterNames: ['member1'] } } }),
    );
    await scheduled(env, 'paused');
    await env.client.patch(REFS.resourceBindings, 'paused-deployment', { spec: { suspension: { scheduling: true } } }, 'merge', { namespace: 'default' });
    const pp = await env.client.get(REFS.propagationPolicies, 'paused', 'default');
    pp.spec.placement.clusterAffinity.clusterNames = ['member2'];
    await env.client.update(REFS.propagationPolicies, pp);
    await env.until('placement copied', async () => (await env.client.get(REFS.resourceBindings, 'paused-deployment', 'default')).spec.placement.clusterAffinity.clusterNames[0] === 'member2');
    await new Promise((r) => setTimeout(r, 400));
    const b = await env.client.get(REFS.resourceBindings, 'paused-deployment', 'default');
    assert.deepEqual(b.spec.clusters, [{ name: 'member1', replicas: 2 }], 'not rescheduled while suspended');
    assert.equal(b.spec.suspension.scheduling, true, 'the detector keeps suspension.scheduling');
    await env.client.patch(REFS.resourceBindings, 'paused-deployment', { spec: { suspension: { scheduling: false } } }, 'merge', { namespace: 'default' });
    await scheduled(env, 'paused', (x) => x.spec.clusters?.[0]?.name === 'member2');
  });

});
