// Cluster status and health against real (simulated) members, with short timings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/resources.js';
import { isNotFound } from '../../client/client.js';
import { parseQuantity } from '../../util/quantity.js';
import { CLUSTERS, WORKS } from '../execution/index.js';
import { condition, deployment, eventually, startTestFlotilla, work, type TestFlotilla } from '../execution/testing.js';

describe('cluster controllers', () => {
  let t: TestFlotilla;
  before(async () => {
    t = await startTestFlotilla();
  });
  after(async () => t?.stop());

  const cluster = (name: string) => t.cp.get(CLUSTERS, name);

  it('reports Ready, version, API enablements, node and resource summaries; keeps a Lease', async () => {
    const c = await eventually('member1 summarised', async () => {
      const c = await cluster('member1');
      return condition(c, 'Ready')?.status === 'True' && c.status.nodeSummary && c.status.apiEnablements && c;
    });
    assert.equal(condition(c, 'Ready').reason, 'ClusterReady');
    assert.equal(c.status.kubernetesVersion, 'v1.32.0');
    assert.equal(condition(c, 'CompleteAPIEnablements').status, 'True');
    const apps = c.status.apiEnablements.find((e: any) => e.groupVersion === 'apps/v1');
    assert.ok(apps.resources.some((r: any) => r.name === 'deployments' && r.kind === 'Deployment'));
    assert.ok(c.status.apiEnablements.some((e: any) => e.groupVersion === 'v1' && e.resources.some((r: any) => r.name === 'pods')));
    assert.ok(!apps.resources.some((r: any) => r.name.includes('/')), 'no subresources');
    assert.deepEqual(c.status.nodeSummary, { totalNum: 2, readyNum: 2 });
    assert.equal(c.status.resourceSummary.allocatable.cpu, '16');
    assert.equal(c.status.resourceSummary.allocatable.memory, '64Gi');
    assert.equal(c.status.resourceSummary.allocatable.pods, '220');
    assert.ok(c.metadata.finalizers.includes('karmada.io/cluster-controller'));
    await t.cp.get(R.namespaces, 'karmada-es-member1');
    const lease = await t.cp.get(R.leases, 'member1', 'karmada-cluster');
    assert.equal(lease.spec.holderIdentity, 'flotilla-controller-manager');
    assert.equal(lease.metadata.ownerReferences[0].kind, 'Cluster');
    const renewed = Date.parse(lease.spec.renewTime);
    await eventually('lease renewed', async () => Date.parse((await t.cp.get(R.leases, 'member1', 'karmada-cluster')).spec.renewTime) > renewed);
  });

  it('counts scheduled pods as allocated and writes nothing while nothing changes', async () => {
    const before = (await cluster('member2')).status.resourceSummary.allocated;
    await t.member('member2').create(R.deployments, deployment('load', { replicas: 3 }));
    const c = await eventually('allocated grows', async () => {
      const c = await cluster('member2');
      return c.status.resourceSummary.allocated.pods === String(Number(before.pods) + 3) && c;
    });
    const milli = (q: string) => Number(parseQuantity(q).toMilli());
    assert.equal(milli(c.status.resourceSummary.allocated.cpu), milli(before.cpu) + 300, 'three pods requesting 100m each');
    assert.equal(milli(c.status.resourceSummary.allocated.memory), milli(before.memory) + 3 * 64 * 1024 * 1024 * 1000);
    assert.equal(c.status.resourceSummary.allocating.pods, '0');
    // Steady: the status (and so the Cluster's resourceVersion) stays as it is across probes.
    const rv = (await cluster('member2')).metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await cluster('member2')).metadata.resourceVersion, rv, 'no status churn');
  });

  it('a member that goes down turns Unknown and is tainted unreachable:NoSchedule; it recovers', async () => {
    await eventually('member1 Ready', async () => condition(await cluster('member1'), 'Ready')?.status === 'True');
    const t0 = Date.now();
    await t.f.fleet!.cluster('member1').fault({ mode: 'down' });
    try {
      const c = await eventually('Unknown and tainted', async () => {
        const c = await cluster('member1');
        return condition(c, 'Ready')?.status === 'Unknown' && c.spec.taints?.some((x: any) => x.key === 'cluster.karmada.io/unreachable') && c;
      });
      assert.ok(Date.now() - t0 >= 1_000, 'not before the grace period');
      assert.equal(condition(c, 'Ready').reason, 'ClusterNotReachable');
      const taint = c.spec.taints.find((x: any) => x.key === 'cluster.karmada.io/unreachable');
      assert.equal(taint.effect, 'NoSchedule');
      assert.ok(taint.timeAdded);
      assert.ok(!c.spec.taints.some((x: any) => x.key === 'cluster.karmada.io/not-ready'));
      assert.deepEqual(c.status.nodeSummary, { totalNum: 2, readyNum: 2 }, 'last known summary kept');
    } finally {
      await t.f.fleet!.cluster('member1').fault({ mode: 'up' });
    }
    const c = await eventually('recovered', async () => {
      const c = await cluster('member1');
      return condition(c, 'Ready')?.status === 'True' && !(c.spec.taints ?? []).length && c;
    });
    assert.equal(condition(c, 'Ready').reason, 'ClusterReady');
  });

  it('a member answering but unhealthy turns Ready=False, tainted not-ready', async () => {
    // /readyz is served before any fault hook; a member whose readiness fails is simulated by
    // pointing the Cluster at an endpoint that answers 503.
    const { createServer } = await import('node:http');
    const srv = createServer((_, res) => {
      res.statusCode = 503;
      res.end('not ready');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as any).port;
    try {
      await t.cp.create(CLUSTERS, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'sick' }, spec: { syncMode: 'Push', apiEndpoint: `http://127.0.0.1:${port}` } });
      const c = await eventually('NotReady after the startup grace', async () => {
        const c = await cluster('sick');
        return condition(c, 'Ready')?.status === 'False' && c.spec.taints?.some((x: any) => x.key === 'cluster.karmada.io/not-ready') && c;
      });
      assert.equal(condition(c, 'Ready').reason, 'ClusterNotReady');
      await t.cp.delete(CLUSTERS, 'sick');
      await eventually('sick cluster removed', async () => !(await cluster('sick').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)))));
    } finally {
      srv.close();
    }
  });

  it('a Cluster being deleted has its Works and what they applied removed, then goes', async () => {
    await eventually('member2 Ready', async () => condition(await cluster('member2'), 'Ready')?.status === 'True');
    await t.cp.create(WORKS, work('member2', 'bye', [deployment('bye', { replicas: 1 })]));
    await eventually('applied', () => t.member('member2').get(R.deployments, 'bye', 'default').catch(() => undefined));
    const m2 = t.member('member2');
    await t.cp.delete(CLUSTERS, 'member2');
    await eventually('member2 gone', async () => !(await cluster('member2').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)))));
    await assert.rejects(m2.get(R.deployments, 'bye', 'default'), (e) => isNotFound(e), 'the applied object was removed from the member');
    await assert.rejects(t.cp.get(R.namespaces, 'karmada-es-member2'), (e) => isNotFound(e));
  });
});
