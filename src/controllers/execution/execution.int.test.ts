// Execution against real (simulated) members: Works created by hand in karmada-es-<cluster>.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/resources.js';
import { isNotFound } from '../../client/client.js';
import { WORKS } from './resources.js';
import { condition, deployment, eventually, getWork, startTestFlotilla, updateWork, work, type TestFlotilla } from './testing.js';

describe('execution controller', () => {
  let t: TestFlotilla;
  before(async () => {
    t = await startTestFlotilla();
    await eventually('execution namespaces', async () => (await t.cp.get(R.namespaces, 'karmada-es-member1')) && (await t.cp.get(R.namespaces, 'karmada-es-member2')));
  });
  after(async () => t?.stop());

  const memberDeploy = (cluster: string, name: string, ns = 'default') => t.member(cluster).get(R.deployments, name, ns).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));

  it('applies a Deployment with ownership marks; it runs; the Work reports Applied, status and health', async () => {
    await t.cp.create(WORKS, work('member1', 'web', [deployment('web', { namespace: 'shop', replicas: 2 })]));
    const d = await eventually('ready in member1', async () => {
      const d = await memberDeploy('member1', 'web', 'shop');
      return d?.status?.readyReplicas === 2 && d;
    });
    assert.equal(d.metadata.labels['karmada.io/managed'], 'true');
    assert.equal(d.metadata.labels['work.karmada.io/namespace'], 'karmada-es-member1');
    assert.equal(d.metadata.labels['work.karmada.io/name'], 'web');
    assert.equal(d.metadata.annotations['work.karmada.io/name'], 'web');
    assert.ok(d.metadata.managedFields.some((m: any) => m.manager === 'flotilla' && m.operation === 'Apply'), 'applied with server-side apply as flotilla');
    const w = await eventually('manifest status', async () => {
      const w = await getWork(t.cp, 'member1', 'web');
      return w.status?.manifestStatuses?.[0]?.status?.readyReplicas === 2 && w.status.manifestStatuses[0].health === 'Healthy' && w;
    });
    assert.ok(w.metadata.finalizers.includes('karmada.io/execution-controller'));
    assert.equal(condition(w, 'Applied').status, 'True');
    assert.equal(condition(w, 'Applied').reason, 'AppliedSuccessful');
    assert.deepEqual(w.status.manifestStatuses[0].identifier, { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespace: 'shop', name: 'web' });
    assert.equal(t.f.fleet!.cluster('member2') !== undefined, true);
    assert.equal(await memberDeploy('member2', 'web', 'shop'), undefined, 'only the Work’s cluster gets it');
  });

  it('Abort (default): a pre-existing member object is left alone and the conflict reported', async () => {
    await t.member('member1').create(R.deployments, deployment('legacy', { image: 'legacy:1', replicas: 1 }), { fieldManager: 'kubectl-create' });
    await t.cp.create(WORKS, work('member1', 'legacy', [deployment('legacy', { image: 'new:2', replicas: 1 })]));
    const w = await eventually('conflict reported', async () => {
      const w = await getWork(t.cp, 'member1', 'legacy');
      return condition(w, 'Applied')?.status === 'False' && w;
    });
    assert.equal(condition(w, 'Applied').reason, 'WorkloadConflict');
    assert.match(condition(w, 'Applied').message, /already exists in cluster member1 and is not managed by Flotilla/);
    const d = await memberDeploy('member1', 'legacy');
    assert.equal(d.spec.template.spec.containers[0].image, 'legacy:1');
    assert.equal(d.metadata.labels?.['karmada.io/managed'], undefined);
    const evs: any[] = await eventually('event on the template', async () => {
      const l = await t.cp.list(R.events, { namespace: 'default' });
      const e = l.items.filter((e: any) => e.involvedObject.kind === 'Deployment' && e.involvedObject.name === 'legacy' && e.reason === 'WorkloadConflict');
      return e.length > 0 && e;
    });
    assert.equal(evs[0].type, 'Warning');
    // Deleting the Work must not delete an object it never applied.
    await t.cp.delete(WORKS, 'legacy', { namespace: 'karmada-es-member1' });
    await eventually('work gone', async () => !(await getWork(t.cp, 'member1', 'legacy').catch(() => undefined)));
    assert.ok(await memberDeploy('member1', 'legacy'), 'the foreign object survives');
  });

  it('Overwrite: the member object is taken over', async () => {
    await t.member('member2').create(R.deployments, deployment('takeover', { image: 'legacy:1', replicas: 1 }), { fieldManager: 'kubectl-create' });
    await t.cp.create(WORKS, work('member2', 'takeover', [deployment('takeover', { image: 'new:2', replicas: 1, annotations: { 'work.karmada.io/conflict-resolution': 'overwrite' } })]));
    const d = await eventually('taken over', async () => {
      const d = await memberDeploy('member2', 'takeover');
      return d?.spec.template.spec.containers[0].image === 'new:2' && d;
    });
    assert.equal(d.metadata.labels['karmada.io/managed'], 'true');
    assert.equal(d.metadata.annotations['work.karmada.io/conflict-resolution'], undefined, 'the instruction is not copied to the member');
    assert.equal(condition(await getWork(t.cp, 'member2', 'takeover'), 'Applied').status, 'True');
  });

  it('deleting the Work removes the member object', async () => {
    await t.cp.create(WORKS, work('member2', 'temp', [deployment('temp', { replicas: 1 })]));
    await eventually('applied', () => memberDeploy('member2', 'temp'));
    await t.cp.delete(WORKS, 'temp', { namespace: 'karmada-es-member2' });
    await eventually('removed from member2', async () => !(await memberDeploy('member2', 'temp')));
    await eventually('work gone', async () => !(await getWork(t.cp, 'member2', 'temp').catch(() => undefined)));
  });

  it('a member that is down while the Work changes receives the change when it is back', async () => {
    await t.cp.create(WORKS, work('member1', 'resilient', [deployment('resilient', { replicas: 1, image: 'app:1' })]));
    await eventually('applied', () => memberDeploy('member1', 'resilient'));
    await t.f.fleet!.cluster('member1').fault({ mode: 'down' });
    try {
      await updateWork(t.cp, 'member1', 'resilient', (w) => (w.spec.workload.manifests[0].spec.template.spec.containers[0].image = 'app:2'));
      await eventually('not applied while down', async () => condition(await getWork(t.cp, 'member1', 'resilient'), 'Applied')?.status === 'False', 10_000);
    } finally {
      await t.f.fleet!.cluster('member1').fault({ mode: 'up' });
    }
    await eventually('change arrives', async () => (await memberDeploy('member1', 'resilient'))?.spec.template.spec.containers[0].image === 'app:2', 30_000);
    await eventually('Applied again', async () => condition(await getWork(t.cp, 'member1', 'resilient'), 'Applied')?.status === 'True');
  });

  it('suspendDispatching keeps changes from the member', async () => {
    await t.cp.create(WORKS, work('member2', 'paused', [deployment('paused', { replicas: 1, image: 'app:1' })]));
    await eventually('applied', () => memberDeploy('member2', 'paused'));
    await updateWork(t.cp, 'member2', 'paused', (w) => {
      w.spec.suspendDispatching = true;
      w.spec.workload.manifests[0].spec.template.spec.containers[0].image = 'app:2';
    });
    await eventually('Dispatching=False', async () => condition(await getWork(t.cp, 'member2', 'paused'), 'Dispatching')?.reason === 'SuspendDispatching');
    assert.equal((await memberDeploy('member2', 'paused')).spec.template.spec.containers[0].image, 'app:1');
    await updateWork(t.cp, 'member2', 'paused', (w) => (w.spec.suspendDispatching = false));
    await eventually('resumed', async () => (await memberDeploy('member2', 'paused'))?.spec.template.spec.containers[0].image === 'app:2');
  });
});
