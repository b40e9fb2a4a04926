import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from '../server.js';
import { KubeClient, isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';

const eventually = async (what: string, fn: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('garbage collection and namespace deletion', () => {
  let server: ApiServer;
  let c: KubeClient;
  before(async () => {
    server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null }).start();
    c = new KubeClient({ server: server.url });
  });
  after(async () => {
    await c.close();
    await server.stop();
  });

  const exists = (name: string, ns = 'default') => c.get(R.configmaps, name, ns).then(() => true, (e) => (isNotFound(e) ? false : Promise.reject(e)));
  const owner = async (name: string) => c.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  const dependent = (name: string, o: any, block = false) =>
    c.create(R.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: block }] },
    });

  it('background: dependents go after their owner', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-dep-1', o);
    await dependent('bg-dep-2', o);
    await c.delete(R.configmaps, 'bg-owner', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually('dependents deleted', async () => !(await exists('bg-dep-1')) && !(await exists('bg-dep-2')));
  });

  it('a dependent with another live owner only loses the dangling reference', async () => {
    const a = await owner('multi-a');
    const b = await owner('multi-b');
    await c.create(R.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'multi-dep',
        namespace: 'default',
        ownerReferences: [a, b].map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid })),
      },
    });
    await c.delete(R.configmaps, 'multi-a', { namespace: 'default' });
    await eventually('reference removed', async () => (await c.get(R.configmaps, 'multi-dep', 'default')).metadata.ownerReferences?.length === 1);
    assert.equal((await c.get(R.configmaps, 'multi-dep', 'default')).metadata.ownerReferences[0].name, 'multi-b');
  });

  it('foreground: the owner waits for blocking dependents', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-dep', o, true);
    const held = await c.create(R.configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fg-held', namespace: 'default', finalizers: ['example.com/hold'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid: o.metadata.uid, blockOwnerDeletion: true }] },
    });
    assert.ok(held);
    await c.delete(R.configmaps, 'fg-owner', { namespace: 'default', propagationPolicy: 'Foreground' });
    const during = await c.get(R.configmaps, 'fg-owner', 'default');
    assert.ok(during.metadata.deletionTimestamp);
    assert.ok(during.metadata.finalizers.includes('foregroundDeletion'));
    await eventually('plain dependent deleted', async () => !(await exists('fg-dep')));
    assert.equal(await exists('fg-owner'), true, 'owner stays while a blocking dependent remains');
    await c.patch(R.configmaps, 'fg-held', { metadata: { finalizers: null } }, 'merge', { namespace: 'default' });
    await eventually('owner deleted after its dependents', async () => !(await exists('fg-owner')));
  });

  it('orphan: dependents stay and lose the reference', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', o);
    await c.delete(R.configmaps, 'or-owner', { namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually('owner deleted', async () => !(await exists('or-owner')));
    const dep = await c.get(R.configmaps, 'or-dep', 'default');
    assert.equal(dep.metadata.ownerReferences, undefined);
  });

  it('deleting a namespace deletes its contents, then the namespace; new content is refused meanwhile', async () => {
    await c.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await c.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'doomed', finalizers: ['example.com/hold'] } });
    await c.create(R.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'doomed' } });
    await c.delete(R.namespaces, 'doomed');
    const ns = await c.get(R.namespaces, 'doomed');
    assert.equal(ns.status.phase, 'Terminating');
    await assert.rejects(c.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'doomed' } }), (e: any) => e.code === 403);
    await eventually('secret deleted', async () => (await c.list(R.secrets, { namespace: 'doomed' })).items.length === 0);
    assert.equal((await c.get(R.namespaces, 'doomed')).status.phase, 'Terminating', 'waits for the finalizer');
    await c.patch(R.configmaps, 'x', { metadata: { finalizers: null } }, 'merge', { namespace: 'doomed' });
    await eventually('namespace gone', () => c.get(R.namespaces, 'doomed').then(() => false, (e) => isNotFound(e)));
  });
});

describe('event expiry', () => {
  it('deletes events older than the TTL and keeps fresh ones', async () => {
    let now = Date.now();
    const server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, eventTTLMs: 60_000 }).start();
    const c = new KubeClient({ server: server.url });
    try {
      const ev = (name: string, at: number) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'default' },
        involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
        reason: 'Test',
        message: 'm',
        type: 'Normal',
        lastTimestamp: new Date(at).toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      await c.create(R.events, ev('old', now - 120_000));
      await c.create(R.events, ev('fresh', now));
      const reaper = server.events!;
      reaper.now = () => now;
      assert.equal(await reaper.sweep(), 1);
      const names = (await c.list(R.events, { namespace: 'default', fieldSelector: 'involvedObject.name=p' })).items.map((e: any) => e.metadata.name);
      assert.deepEqual(names, ['fresh']);
      now += 120_000;
      assert.equal(await reaper.sweep(), 1);
    } finally {
      await c.close();
      await server.stop();
    }
  });
});
