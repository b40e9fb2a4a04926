import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.js';
import { startEnv, type TestEnv } from './test-env.js';
import { isPodReady } from './util.js';

function deployment(name: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

const get = (env: TestEnv, name: string) => env.client.get<Deployment>(R.deployments, name, 'default');
const cond = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
const live = (pods: Pod[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);

describe('Deployment controller (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('replicaset', 'deployment');
  });
  after(async () => {
    await env.stop();
  });

  it('brings a Deployment of 4 replicas to 4 ready with full status and conditions', async () => {
    await env.client.create(R.deployments, deployment('web', 4));
    await env.settle();
    const rsList = (await env.client.list<ReplicaSet>(R.replicasets, { namespace: 'default' })).items;
    assert.equal(rsList.length, 1);
    const rs = rsList[0]!;
    const hash = rs.metadata!.labels!['pod-template-hash']!;
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs.metadata!.name, `web-${hash}`);
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(rs.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '5');
    assert.equal(rs.metadata!.ownerReferences![0]!.controller, true);

    let pods = await env.pods();
    assert.equal(pods.length, 4);
    for (const p of pods) {
      assert.match(p.metadata!.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata!.labels!['pod-template-hash'], hash);
      assert.deepEqual(p.metadata!.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name, uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    }
    let d = await get(env, 'web');
    assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status!.replicas, 4);
    assert.equal(d.status!.updatedReplicas, 4);
    assert.equal(d.status!.unavailableReplicas, 4);
    assert.equal(d.status!.readyReplicas, undefined, 'zero counts are omitted, as Kubernetes does');
    assert.equal(cond(d, 'Available')!.status, 'False');
    assert.equal(cond(d, 'Available')!.reason, 'MinimumReplicasUnavailable');
    assert.equal(cond(d, 'Progressing')!.reason, 'ReplicaSetUpdated');

    await env.readyPods();
    await env.settle();
    d = await get(env, 'web');
    assert.equal(d.status!.observedGeneration, 1);
    assert.equal(d.status!.replicas, 4);
    assert.equal(d.status!.updatedReplicas, 4);
    assert.equal(d.status!.readyReplicas, 4);
    assert.equal(d.status!.availableReplicas, 4);
    assert.equal(d.status!.unavailableReplicas, undefined);
    assert.deepEqual(
      d.status!.conditions!.map((c) => [c.type, c.status, c.reason]),
      [
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ],
    );
    assert.equal(cond(d, 'Progressing')!.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    const rsNow = await env.client.get<ReplicaSet>(R.replicasets, rs.metadata!.name!, 'default');
    assert.deepEqual(
      [rsNow.status!.replicas, rsNow.status!.fullyLabeledReplicas, rsNow.status!.readyReplicas, rsNow.status!.availableReplicas, rsNow.status!.observedGeneration],
      [4, 4, 4, 4, 1],
    );

    // Deleting a pod gets it replaced.
    pods = await env.pods();
    await env.client.delete(R.pods, pods[0]!.metadata!.name!, { namespace: 'default' });
    await env.settle();
    assert.equal(live(await env.pods()).length, 4);
  });

  it('rolls out a new template within maxSurge and maxUnavailable at every step', async () => {
    const replicas = 10;
    const name = 'roll';
    await env.client.create(R.deployments, deployment(name, replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '20%' } } }));
    await env.settle();
    await env.readyPods();
    await env.settle();
    const maxSurge = 3; // 30% of 10, rounded up
    const maxUnavailable = 2; // 20% of 10, rounded down

    let d = await get(env, name);
    d.spec!.template!.spec!.containers[0]!.image = 'nginx:1.26';
    await env.client.update(R.deployments, d);
    let steps = 0;
    for (; steps < 50; steps++) {
      await env.settle();
      const pods = live(await env.pods('default', `app=${name}`));
      const ready = pods.filter(isPodReady).length;
      assert.ok(pods.length <= replicas + maxSurge, `step ${steps}: ${pods.length} pods exceed ${replicas}+${maxSurge}`);
      assert.ok(ready >= replicas - maxUnavailable, `step ${steps}: only ${ready} ready pods`);
      d = await get(env, name);
      const done = d.status?.updatedReplicas === replicas && d.status?.replicas === replicas && d.status?.availableReplicas === replicas && d.status?.observedGeneration === d.metadata?.generation;
      if (done) break;
      // The kubelet makes one new pod ready at a time, the slowest possible rollout.
      const pending = pods.filter((p) => !isPodReady(p));
      if (pending[0]) await env.readyPods('default', (p) => p.metadata?.uid === pending[0]!.metadata?.uid);
    }
    assert.ok(steps > 3, 'the rollout took several steps');
    assert.equal(cond(d, 'Progressing')!.reason, 'NewReplicaSetAvailable');
    assert.equal(cond(d, 'Available')!.status, 'True');
    assert.equal(d.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');
    const rsList = (await env.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: `app=${name}` })).items;
    assert.equal(rsList.length, 2);
    const old = rsList.find((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision'] === '1')!;
    assert.equal(old.spec!.replicas, 0);
    const pods = live(await env.pods('default', `app=${name}`));
    assert.equal(pods.length, replicas);
    assert.ok(pods.every((p) => p.spec!.containers[0]!.image === 'nginx:1.26'));
  });
});
