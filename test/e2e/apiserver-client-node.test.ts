/**
 * @kubernetes/client-node against `flotilla apiserver`: typed CRUD, the generic object API,
 * and an informer that survives a 410 (relist) and a server restart (reconnect).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startApiServer, waitFor, type TestServer } from './harness.js';

function clients(kubeconfig: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { kc, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api), obj: k8s.KubernetesObjectApi.makeApiClient(kc) };
}

describe('client-node', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.cleanup();
  });

  it('does typed CRUD and generic object calls', async () => {
    const s = await startApiServer();
    servers.push(s);
    const { core, apps, obj } = clients(s.kubeconfig);
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    const cm = await core.createNamespacedConfigMap({ namespace: 'team-a', body: { metadata: { name: 'cfg', labels: { app: 'x' } }, data: { a: '1' } } });
    assert.equal(cm.data?.a, '1');
    assert.ok(cm.metadata?.creationTimestamp instanceof Date);
    // client-node sends dates back with milliseconds; the server must take them.
    cm.data = { a: '2' };
    const updated = await core.replaceNamespacedConfigMap({ namespace: 'team-a', name: 'cfg', body: cm });
    assert.equal(updated.data?.a, '2');
    await assert.rejects(core.replaceNamespacedConfigMap({ namespace: 'team-a', name: 'cfg', body: cm }), (e: any) => e.code === 409);
    const list = await core.listNamespacedConfigMap({ namespace: 'team-a', labelSelector: 'app=x' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['cfg']);
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
    const d = await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: {
        metadata: { name: 'api' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    });
    assert.equal(d.metadata?.generation, 1);
    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'team-a', name: 'api' });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=api');
    const patched = await apps.patchNamespacedDeployment(
      { namespace: 'team-a', name: 'api', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
    );
    assert.equal(patched.spec?.replicas, 3);
    assert.equal(patched.metadata?.generation, 2);
    const st = await apps.replaceNamespacedDeploymentStatus({ namespace: 'team-a', name: 'api', body: { ...patched, status: { replicas: 3, readyReplicas: 1 } } });
    assert.equal(st.status?.readyReplicas, 1);
    assert.equal(st.metadata?.generation, 2, 'status writes do not bump generation');
    const generic = await obj.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'team-a' } });
    assert.equal((generic as any).data.a, '2');
    await obj.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'team-a' } });
    await assert.rejects(core.readNamespacedConfigMap({ namespace: 'team-a', name: 'cfg' }), (e: any) => e.code === 404);
  });

  it('informer relists after a 410 and reconnects after a server restart', async () => {
    // Short watch lifetimes and a tiny watch cache force the informer through 410 quickly.
    const s = await startApiServer(['--min-request-timeout', '1', '--watch-cache-size', '3']);
    servers.push(s);
    const { kc, core } = clients(s.kubeconfig);
    const seen = new Map<string, string | undefined>();
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'watched=yes' }), 'watched=yes');
    let connects = 0;
    informer.on('add', (o) => seen.set(o.metadata!.name!, o.data?.v));
    informer.on('update', (o) => seen.set(o.metadata!.name!, o.data?.v));
    informer.on('delete', (o) => seen.delete(o.metadata!.name!));
    informer.on('connect', () => connects++);
    let stopped = false;
    // The documented client-node pattern: an informer stops on errors and the user restarts it.
    informer.on('error', () => setTimeout(() => stopped || void informer.start().catch(() => {}), 200));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a', labels: { watched: 'yes' } }, data: { v: '1' } } });
      await waitFor('add a', () => seen.get('a') === '1');
      // Writes the informer does not see push the cache window past its resourceVersion.
      for (let i = 0; i < 10; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `noise-${i}` } } });
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'b', labels: { watched: 'yes' } }, data: { v: '1' } } });
      await waitFor('add b after relist', () => seen.get('b') === '1', 20_000);
      const before = connects;
      await waitFor('re-watch after the server closed the stream', () => connects > before, 20_000);

      await s.stop();
      await s.restart();
      await core.patchNamespacedConfigMap({ namespace: 'default', name: 'a', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await waitFor('update after restart', () => seen.get('a') === '2', 30_000);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
