/**
 * WorkloadRebalancer against a real control plane: it sets rescheduleTriggeredAt on the
 * referenced bindings, the scheduler reschedules them from scratch, results are reported per
 * workload, and the rebalancer goes after its TTL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../client/resources.js';
import { REFS } from '../detector/refs.js';
import { deployment, propagationPolicy, readyStatus, startEnv, type TestEnv } from '../detector/testing.js';

const scheduled = (env: TestEnv, name: string, pred: (b: any) => boolean = (b) => !!b.spec.clusters?.length) =>
  env.until(`${name} scheduled`, async () => {
    const b = await env.get(REFS.resourceBindings, `${name}-deployment`, 'default');
    const cond = b?.status?.conditions?.find((c: any) => c.type === 'Scheduled');
    return b && cond && b.status.schedulerObservedGeneration === b.metadata.generation && pred(b) ? b : undefined;
  });

describe('workload rebalancer (integration)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv({ clusters: 2 });
  });
  after(async () => {
    await env?.stop();
  });

  it('a WorkloadRebalancer triggers a fresh reschedule and reports per workload', async () => {
    await env.client.create(R.deployments, deployment('rebal', 4));
    await env.client.create(
      REFS.propagationPolicies,
      propagationPolicy('rebal', {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rebal' }],
        placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } } },
      }),
    );
    const first = await scheduled(env, 'rebal');
    // Give member2 far more room, then ask for a fresh division.
    await env.setClusterStatus('member1', readyStatus(10));
    await env.setClusterStatus('member2', readyStatus(1000));
    await new Promise((r) => setTimeout(r, 1100)); // creationTimestamp has seconds precision
    await env.client.create(REFS.workloadRebalancers, {
      apiVersion: 'apps.karmada.io/v1alpha1',
      kind: 'WorkloadRebalancer',
      metadata: { name: 'rb1' },
      spec: {
        workloads: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rebal', namespace: 'default' },
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing', namespace: 'default' },
        ],
        ttlSecondsAfterFinished: 1,
      },
    });
    const r = await env.until('rebalancer finished', async () => {
      const x = await env.get(REFS.workloadRebalancers, 'rb1');
      return x?.status?.finishTime ? x : undefined;
    });
    assert.deepEqual(
      r.status.observedWorkloads.map((o: any) => [o.workload.name, o.result, o.reason]),
      [
        ['missing', 'Failed', 'ReferencedBindingNotFound'],
        ['rebal', 'Successful', undefined],
      ],
    );
    const fresh = await scheduled(env, 'rebal', (b) => !!b.spec.rescheduleTriggeredAt && Date.parse(b.status.lastScheduledTime) >= Date.parse(b.spec.rescheduleTriggeredAt));
    assert.notDeepEqual(first.spec.clusters, fresh.spec.clusters);
    assert.equal(fresh.spec.clusters.find((c: any) => c.name === 'member2').replicas, 4);
    await env.until('rebalancer deleted after its TTL', async () => !(await env.get(REFS.workloadRebalancers, 'rb1')), 10_000);
  });
});
