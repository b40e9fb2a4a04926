import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.js';
import { startEnv, type TestEnv } from './test-env.js';

function sts(name: string, replicas: number, extra: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'db:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

const names = (pods: Pod[]) => pods.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!).sort();

describe('StatefulSet controller (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('statefulset');
  });
  after(async () => {
    await env.stop();
  });

  it('creates pods in order, each after the previous is Ready, with Bound claims', async () => {
    await env.client.create(R.statefulsets, sts('web', 3));
    await env.settle();
    assert.deepEqual(names(await env.pods('default', 'app=web')), ['web-0']);
    const pod0 = (await env.pods('default', 'app=web'))[0]!;
    assert.equal(pod0.spec!.hostname, 'web-0');
    assert.equal(pod0.spec!.subdomain, 'web');
    assert.equal(pod0.metadata!.labels!['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(pod0.metadata!.labels!['apps.kubernetes.io/pod-index'], '0');
    assert.deepEqual(pod0.spec!.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    const pvc = await env.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'data-web-0', 'default');
    assert.equal(pvc.status!.phase, 'Bound');
    assert.equal(pvc.status!.capacity!.storage, '1Gi');
    assert.deepEqual(pvc.metadata!.labels, { app: 'web' });

    for (const expected of [['web-0', 'web-1'], ['web-0', 'web-1', 'web-2']]) {
      await env.readyPods();
      await env.settle();
      assert.deepEqual(names(await env.pods('default', 'app=web')), expected);
    }
    await env.readyPods();
    await env.settle();
    const set = await env.client.get<StatefulSet>(R.statefulsets, 'web', 'default');
    assert.equal(set.status!.replicas, 3);
    assert.equal(set.status!.readyReplicas, 3);
    assert.equal(set.status!.availableReplicas, 3);
    assert.equal(set.status!.currentReplicas, 3);
    assert.equal(set.status!.updatedReplicas, 3);
    assert.equal(set.status!.observedGeneration, 1);
    assert.match(set.status!.currentRevision!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(set.status!.updateRevision, set.status!.currentRevision);
    for (const p of await env.pods('default', 'app=web')) assert.equal(p.metadata!.labels!['controller-revision-hash'], set.status!.currentRevision);
  });

  it('rolls an update from the highest ordinal down to the partition', async () => {
    let set = await env.client.get<StatefulSet>(R.statefulsets, 'web', 'default');
    const oldRev = set.status!.currentRevision!;
    set.spec!.template!.spec!.containers[0]!.image = 'db:2';
    set.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    await env.client.update(R.statefulsets, set);
    const order: string[] = [];
    for (let i = 0; i < 10; i++) {
      await env.settle();
      const pods = await env.pods('default', 'app=web');
      for (const p of pods) if (p.spec!.containers[0]!.image === 'db:2' && !order.includes(p.metadata!.name!)) order.push(p.metadata!.name!);
      if (!(await env.readyPods())) break;
    }
    assert.deepEqual(order, ['web-2', 'web-1']);
    const byName = new Map((await env.pods('default', 'app=web')).map((p) => [p.metadata!.name!, p]));
    assert.equal(byName.get('web-0')!.spec!.containers[0]!.image, 'db:1', 'below the partition stays');
    set = await env.client.get<StatefulSet>(R.statefulsets, 'web', 'default');
    assert.equal(set.status!.currentRevision, oldRev);
    assert.notEqual(set.status!.updateRevision, oldRev);
    assert.equal(set.status!.updatedReplicas, 2);
    assert.equal(set.status!.currentReplicas, 1);
    assert.equal(set.status!.readyReplicas, 3);
  });

  it('scales down from the highest ordinal, one at a time', async () => {
    const set = await env.client.get<StatefulSet>(R.statefulsets, 'web', 'default');
    const deleted: string[] = [];
    const stopWatch = new AbortController();
    const watching = env.client.watch<Pod>(R.pods, { namespace: 'default', resourceVersion: set.metadata!.resourceVersion! }, (ev) => {
      if (ev.type === 'DELETED') deleted.push(ev.object.metadata!.name!);
    }, stopWatch.signal);
    set.spec!.replicas = 1;
    await env.client.update(R.statefulsets, set);
    await env.settle();
    stopWatch.abort();
    await watching;
    assert.deepEqual(deleted, ['web-2', 'web-1']);
    assert.deepEqual(names(await env.pods('default', 'app=web')), ['web-0']);
    const now = await env.client.get<StatefulSet>(R.statefulsets, 'web', 'default');
    assert.equal(now.status!.replicas, 1);
    // Claims are retained (the default retention policy).
    const pvcs = (await env.client.list<PersistentVolumeClaim>(R.persistentvolumeclaims, { namespace: 'default' })).items.map((c) => c.metadata!.name).sort();
    assert.deepEqual(pvcs, ['data-web-0', 'data-web-1', 'data-web-2']);
  });

  it('creates all pods at once with Parallel', async () => {
    await env.client.create(R.statefulsets, sts('par', 3, { podManagementPolicy: 'Parallel' }));
    await env.settle();
    assert.deepEqual(names(await env.pods('default', 'app=par')), ['par-0', 'par-1', 'par-2']);
  });
});
