// Execution and what the member owns: retained fields, out-of-band changes, pruned and
// preserved objects. Works are created by hand in karmada-es-<cluster>.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { R } from '../../client/resources.js';
import { isNotFound } from '../../client/client.js';
import { WORKS } from './resources.js';
import { deployment, eventually, getWork, startTestFlotilla, updateWork, work, type TestFlotilla } from './testing.js';

describe('execution controller: member objects', () => {
  let t: TestFlotilla;
  before(async () => {
    t = await startTestFlotilla();
    await eventually('execution namespaces', async () => (await t.cp.get(R.namespaces, 'karmada-es-member1')) && (await t.cp.get(R.namespaces, 'karmada-es-member2')));
  });
  after(async () => t?.stop());

  const memberDeploy = (cluster: string, name: string, ns = 'default') => t.member(cluster).get(R.deployments, name, ns).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));

  it('preserveResourcesOnDeletion leaves the object on the member, released from Flotilla', async () => {
    await t.cp.create(WORKS, work('member2', 'kept', [deployment('kept', { replicas: 1 })], { spec: { preserveResourcesOnDeletion: true } }));
    await eventually('applied', async () => (await memberDeploy('member2', 'kept'))?.metadata.labels['karmada.io/managed'] === 'true');
    await t.cp.delete(WORKS, 'kept', { namespace: 'karmada-es-member2' });
    await eventually('work gone', async () => !(await getWork(t.cp, 'member2', 'kept').catch(() => undefined)));
    const d = await memberDeploy('member2', 'kept');
    assert.ok(d, 'still on the member');
    assert.equal(d.metadata.labels?.['karmada.io/managed'], undefined);
    assert.equal(d.metadata.annotations?.['work.karmada.io/name'], undefined);
  });

  it('an object whose manifest leaves the Work is removed from the member', async () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });
    await t.cp.create(WORKS, work('member1', 'bundle', [cm('one'), cm('two')]));
    const m = t.member('member1');
    await eventually('both applied', async () => (await m.get(R.configmaps, 'one', 'default').catch(() => undefined)) && (await m.get(R.configmaps, 'two', 'default').catch(() => undefined)));
    await updateWork(t.cp, 'member1', 'bundle', (w) => (w.spec.workload.manifests = [cm('one')]));
    await eventually('two removed', async () => !(await m.get(R.configmaps, 'two', 'default').catch(() => undefined)));
    assert.ok(await m.get(R.configmaps, 'one', 'default'));
  });

  it('keeps what the member owns: scaled replicas (scale subresource) and labels added there', async () => {
    await t.cp.create(WORKS, work('member2', 'scaled', [deployment('scaled', { replicas: 2 })]));
    await eventually('applied', () => memberDeploy('member2', 'scaled'));
    const m = t.member('member2');
    await m.patch(R.deployments, 'scaled', { spec: { replicas: 3 } }, 'merge', { namespace: 'default', subresource: 'scale', fieldManager: 'hpa-controller' });
    await m.patch(R.deployments, 'scaled', { metadata: { labels: { 'sidecar.example/injected': 'true' } } }, 'merge', { namespace: 'default', fieldManager: 'webhook' });
    // A change of the Work re-applies everything.
    await updateWork(t.cp, 'member2', 'scaled', (w) => (w.spec.workload.manifests[0].spec.template.spec.containers[0].image = 'nginx:1.27'));
    const d = await eventually('re-applied', async () => {
      const d = await memberDeploy('member2', 'scaled');
      return d?.spec.template.spec.containers[0].image === 'nginx:1.27' && d;
    });
    assert.equal(d.spec.replicas, 3, 'the scaler keeps spec.replicas');
    assert.equal(d.metadata.labels['sidecar.example/injected'], 'true', 'member-added labels stay');
  });

  it('restores a member object deleted or changed out of band', async () => {
    await t.cp.create(WORKS, work('member1', 'guarded', [deployment('guarded', { replicas: 1, image: 'app:1' })]));
    await eventually('applied', () => memberDeploy('member1', 'guarded'));
    const m = t.member('member1');
    await m.patch(R.deployments, 'guarded', { spec: { template: { spec: { containers: [{ name: 'main', image: 'hacked:6' }] } } } }, 'strategic', { namespace: 'default', fieldManager: 'intruder' });
    await eventually('reverted', async () => (await memberDeploy('member1', 'guarded'))?.spec.template.spec.containers[0].image === 'app:1');
    await m.delete(R.deployments, 'guarded', { namespace: 'default' });
    await eventually('recreated', async () => (await memberDeploy('member1', 'guarded'))?.metadata.labels['karmada.io/managed'] === 'true');
  });

});
