import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.js';
import { startEnv, type TestEnv } from './test-env.js';

function deployment(name: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'app:1' }] } },
      ...extra,
    },
  };
}

const get = (env: TestEnv, name: string) => env.client.get<Deployment>(R.deployments, name, 'default');
const progressing = (d: Deployment) => d.status?.conditions?.find((c) => c.type === 'Progressing');
const live = (pods: Pod[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);
const images = async (env: TestEnv, app: string) => live(await env.pods('default', `app=${app}`)).map((p) => p.spec!.containers[0]!.image).sort();
const replicaSets = async (env: TestEnv, app: string) => (await env.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: `app=${app}` })).items;

async function setImage(env: TestEnv, name: string, image: string, extra: Partial<Deployment['spec']> = {}): Promise<void> {
  const d = await get(env, name);
  d.spec!.template!.spec!.containers[0]!.image = image;
  Object.assign(d.spec!, extra);
  await env.client.update(R.deployments, d);
}

async function readyUntilSettled(env: TestEnv, steps = 20): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await env.settle();
    if (!(await env.readyPods())) return;
  }
}

describe('Deployment rollouts (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('replicaset', 'deployment');
  });
  after(async () => {
    await env.stop();
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    await env.client.create(R.deployments, deployment('rec', 3, { strategy: { type: 'Recreate' } }));
    await readyUntilSettled(env);
    await setImage(env, 'rec', 'app:2');
    await env.settle();
    const mixed = await images(env, 'rec');
    assert.ok(!(mixed.includes('app:1') && mixed.includes('app:2')), `never both versions: ${mixed}`);
    await readyUntilSettled(env);
    assert.deepEqual(await images(env, 'rec'), ['app:2', 'app:2', 'app:2']);
    const d = await get(env, 'rec');
    assert.equal(progressing(d)!.reason, 'NewReplicaSetAvailable');
  });

  it('waits minReadySeconds before counting pods available', async () => {
    await env.client.create(R.deployments, deployment('slow', 2, { minReadySeconds: 10 }));
    await readyUntilSettled(env);
    let d = await get(env, 'slow');
    assert.equal(d.status!.readyReplicas, 2);
    assert.equal(d.status!.availableReplicas, undefined);
    assert.equal(d.status!.conditions!.find((c) => c.type === 'Available')!.status, 'False');
    await env.advance(11_000);
    d = await get(env, 'slow');
    assert.equal(d.status!.availableReplicas, 2);
    assert.equal(d.status!.conditions!.find((c) => c.type === 'Available')!.status, 'True');
    assert.equal(progressing(d)!.reason, 'NewReplicaSetAvailable');
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    await env.client.create(R.deployments, deployment('stuck', 2, { progressDeadlineSeconds: 30 }));
    await env.settle();
    assert.equal(progressing(await get(env, 'stuck'))!.status, 'True');
    await env.advance(32_000);
    const p = progressing(await get(env, 'stuck'))!;
    assert.deepEqual([p.status, p.reason], ['False', 'ProgressDeadlineExceeded']);
    assert.match(p.message!, /has timed out progressing/);
  });

  it('holds a rollout while paused and resumes it', async () => {
    await env.client.create(R.deployments, deployment('hold', 2));
    await readyUntilSettled(env);
    let d = await get(env, 'hold');
    d.spec!.paused = true;
    await env.client.update(R.deployments, d);
    await env.settle();
    assert.equal(progressing(await get(env, 'hold'))!.reason, 'DeploymentPaused');
    await setImage(env, 'hold', 'app:2');
    await env.settle();
    assert.equal((await replicaSets(env, 'hold')).length, 1, 'no new ReplicaSet while paused');
    d = await get(env, 'hold');
    d.spec!.paused = false;
    await env.client.update(R.deployments, d);
    await readyUntilSettled(env);
    assert.deepEqual(await images(env, 'hold'), ['app:2', 'app:2']);
    assert.equal(progressing(await get(env, 'hold'))!.reason, 'NewReplicaSetAvailable');
  });

  it('rolls back to an old template by reviving its ReplicaSet, and trims history', async () => {
    await env.client.create(R.deployments, deployment('back', 2, { revisionHistoryLimit: 1 }));
    await readyUntilSettled(env);
    await setImage(env, 'back', 'app:2');
    await readyUntilSettled(env);
    await setImage(env, 'back', 'app:1');
    await readyUntilSettled(env);
    const rsList = await replicaSets(env, 'back');
    const byImage = new Map(rsList.map((rs) => [rs.spec!.template!.spec!.containers[0]!.image, rs]));
    assert.equal(rsList.length, 2);
    assert.equal(byImage.get('app:1')!.metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(byImage.get('app:1')!.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await get(env, 'back')).metadata!.annotations!['deployment.kubernetes.io/revision'], '3');

    await setImage(env, 'back', 'app:3');
    await readyUntilSettled(env);
    const after3 = (await replicaSets(env, 'back')).map((rs) => rs.spec!.template!.spec!.containers[0]!.image).sort();
    assert.deepEqual(after3, ['app:1', 'app:3'], 'revisionHistoryLimit 1 keeps one old ReplicaSet');
  });

  it('scales proportionally when resized in the middle of a rollout', async () => {
    await env.client.create(R.deployments, deployment('grow', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } }));
    await readyUntilSettled(env);
    await setImage(env, 'grow', 'app:2');
    await env.settle();
    // 10 old, 3 new (not ready): now double the size.
    const d = await get(env, 'grow');
    d.spec!.replicas = 20;
    await env.client.update(R.deployments, d);
    await env.settle();
    const sizes = (await replicaSets(env, 'grow')).map((rs) => [rs.spec!.template!.spec!.containers[0]!.image, rs.spec!.replicas]).sort();
    // 13 pods → 23 allowed (20 + surge 3): each ReplicaSet grows by its share.
    assert.deepEqual(sizes, [
      ['app:1', 18],
      ['app:2', 5],
    ]);
    await readyUntilSettled(env, 40);
    assert.equal((await images(env, 'grow')).filter((i) => i === 'app:2').length, 20);
  });
});
