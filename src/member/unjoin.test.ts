// unjoin: the Cluster goes first and its Secret only once the Cluster is gone, because the
// cleanup its finalizers run (deleting its Works and what they applied in the member) reaches
// the member with the Secret's credentials.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from '../apiserver/server.js';
import { flotillaCRDs } from '../api/crds.js';
import { isNotFound, KubeClient } from '../client/client.js';
import { R } from '../client/resources.js';
import { createLogger } from '../util/logger.js';
import { CLUSTERS } from './clients.js';
import { CLUSTER_SECRET_NAMESPACE, joinCluster, unjoinCluster } from './join.js';
import { deployment, eventually, startTestFlotilla, work, type TestFlotilla } from '../controllers/execution/testing.js';
import { WORKS } from '../controllers/execution/resources.js';

const HOLD = 'test.flotilla.io/hold';
const gone = (p: Promise<unknown>) => p.then(() => false).catch((e) => (isNotFound(e) ? true : Promise.reject(e)));

describe('unjoinCluster (no controllers: a finalizer stands in for their cleanup)', () => {
  let cp: ApiServer;
  let member: ApiServer;
  let client: KubeClient;
  before(async () => {
    const logger = createLogger({ level: 'silent' });
    cp = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, crds: flotillaCRDs(), logger }).start();
    member = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger }).start();
    client = new KubeClient({ server: cp.url });
  });
  after(async () => {
    await client?.close();
    await cp?.stop();
    await member?.stop();
  });

  async function joinHeld(name: string) {
    await joinCluster(client, { name, member: { contextName: name, clusterName: name, userName: name, server: member.url, token: 'member-token' } as any });
    await client.patch(CLUSTERS, name, { metadata: { finalizers: [HOLD] } }, 'merge');
  }
  const secret = (name: string) => client.get(R.secrets, name, CLUSTER_SECRET_NAMESPACE);

  it('keeps the Secret until the Cluster has gone', async () => {
    await joinHeld('edge1');
    let done = false;
    const unjoin = unjoinCluster(client, 'edge1', { waitMs: 20_000, pollMs: 20 }).then(() => (done = true));
    await eventually('Cluster being deleted', async () => (await client.get(CLUSTERS, 'edge1')).metadata.deletionTimestamp);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(done, false, 'unjoin waits for the Cluster');
    assert.equal(Buffer.from((await secret('edge1')).data.token, 'base64').toString(), 'member-token', 'the credentials are still there for the cleanup');
    await client.patch(CLUSTERS, 'edge1', { metadata: { finalizers: null } }, 'merge');
    await unjoin;
    assert.ok(await gone(client.get(CLUSTERS, 'edge1')));
    assert.ok(await gone(secret('edge1')), 'the Secret goes last');
  });

  it('gives up after --wait, keeping the Secret, and a second unjoin finishes the job', async () => {
    await joinHeld('edge2');
    await assert.rejects(unjoinCluster(client, 'edge2', { waitMs: 300, pollMs: 20 }), /cluster "edge2" is still being removed after 0s: .*test\.flotilla\.io\/hold.*Secret karmada-cluster\/edge2\) are kept/);
    assert.ok(await secret('edge2'));
    const again = unjoinCluster(client, 'edge2', { waitMs: 20_000, pollMs: 20 });
    await client.patch(CLUSTERS, 'edge2', { metadata: { finalizers: null } }, 'merge');
    await again;
    assert.ok(await gone(secret('edge2')));
  });

  it('a cluster that is not joined is an error', async () => {
    await assert.rejects(unjoinCluster(client, 'nope'), /cluster "nope" is not joined/);
  });
});

describe('unjoinCluster with the controllers', () => {
  let t: TestFlotilla;
  before(async () => {
    t = await startTestFlotilla();
  });
  after(async () => t?.stop());

  it('removes what Flotilla applied in the member, then the Cluster, its namespace and its Secret', async () => {
    await eventually('member2 Ready', async () => (await t.cp.get(CLUSTERS, 'member2')).status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    await eventually('execution namespace', () => t.cp.get(R.namespaces, 'karmada-es-member2'));
    await t.cp.create(WORKS, work('member2', 'leaving', [deployment('leaving', { replicas: 1 })]));
    await eventually('applied in member2', () => t.member('member2').get(R.deployments, 'leaving', 'default').catch(() => undefined));
    // The fleet's in-process client, independent of the credentials unjoin removes.
    const m2 = t.f.fleet!.cluster('member2').client;
    await unjoinCluster(t.cp, 'member2', { waitMs: 30_000 });
    assert.ok(await gone(m2.get(R.deployments, 'leaving', 'default')), 'the applied Deployment was removed from member2');
    assert.ok(await gone(t.cp.get(CLUSTERS, 'member2')));
    assert.ok(await gone(t.cp.get(R.namespaces, 'karmada-es-member2')));
    assert.ok(await gone(t.cp.get(R.secrets, 'member2', CLUSTER_SECRET_NAMESPACE)));
    assert.ok(await m2.get(R.deployments, 'leaving', 'default').catch(() => undefined) === undefined);
  });
});

describe('joinCluster', () => {
  it('joins several clusters at once (they share the credentials namespace)', async () => {
    const logger = createLogger({ level: 'silent' });
    const cp = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, crds: flotillaCRDs(), logger }).start();
    const member = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger }).start();
    const client = new KubeClient({ server: cp.url });
    try {
      const names = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
      await Promise.all(names.map((name) => joinCluster(client, { name, member: { contextName: name, clusterName: name, userName: name, server: member.url, token: 'member-token' } as any })));
      for (const name of names) {
        assert.equal((await client.get(CLUSTERS, name)).spec.secretRef.name, name);
        assert.ok(await client.get(R.secrets, name, CLUSTER_SECRET_NAMESPACE));
      }
    } finally {
      await client.close();
      await cp.stop();
      await member.stop();
    }
  });
});
