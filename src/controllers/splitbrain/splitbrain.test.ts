/**
 * The sweeper's timing against an in-process control plane on a FakeClock and an in-process
 * member API server: it sweeps when a cluster turns Ready, every interval while it stays Ready,
 * never while it is not Ready, and spares a copy whose Work exists.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../api/index.js';
import { ApiServer } from '../../apiserver/server.js';
import { isNotFound, KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { createLogger } from '../../util/logger.js';
import { WORKS } from '../execution/resources.js';
import { REFS } from '../taint/bindings.js';
import { iso, startEnv, type TestEnv } from '../taint/testenv.js';
import { ORPHAN_DELETED_REASON, splitBrainSweeper } from './index.js';

const S = 1000;
const ES = 'karmada-es-m1';
const settle = () => new Promise((r) => setTimeout(r, 300));

const copy = (name: string, work = `${name}-w`) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { 'karmada.io/managed': 'true' }, annotations: { 'work.karmada.io/namespace': ES, 'work.karmada.io/name': work } },
  data: { a: 'b' },
});

describe('split-brain sweeper (fake clock)', () => {
  let env: TestEnv;
  let memberServer: ApiServer;
  let member: KubeClient;
  before(async () => {
    env = await startEnv();
    memberServer = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, logger: createLogger({ level: 'silent' }) }).start();
    member = new KubeClient({ server: memberServer.url });
    await env.start(splitBrainSweeper({ intervalMs: 60 * S }));
  });
  after(async () => {
    await env.stop();
    await member.close();
    await memberServer.stop();
  });

  const present = (name: string) => member.get(R.configmaps, name, 'default').then(() => true, (e) => (isNotFound(e) ? false : Promise.reject(e)));
  const setReady = async (status: 'True' | 'Unknown') => {
    const c = await env.client.get<Cluster>(REFS.clusters, 'm1');
    const conditions = [{ type: 'Ready', status, reason: status === 'True' ? 'ClusterReady' : 'ClusterNotReachable', message: '', lastTransitionTime: iso(env.clock.now()) }];
    await env.client.update(REFS.clusters, { ...c, status: { ...c.status, conditions } }, { subresource: 'status' });
  };

  it('sweeps a cluster that turns Ready', async () => {
    await member.create(R.configmaps, copy('first'));
    await env.client.create(REFS.clusters, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: 'm1' }, spec: { syncMode: 'Push', apiEndpoint: memberServer.url } });
    const c = await env.client.get<Cluster>(REFS.clusters, 'm1');
    await env.client.update(REFS.clusters, { ...c, status: { apiEnablements: [{ groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap' }] }] } }, { subresource: 'status' });
    await setReady('True');
    await env.until('first swept', async () => !(await present('first')));
    const events = await env.until('event', async () => (await env.events()).filter((e) => e.reason === ORPHAN_DELETED_REASON).length > 0 && env.events());
    assert.match(events.find((e) => e.reason === ORPHAN_DELETED_REASON)!.message, /ConfigMap default\/first from m1: its binding is gone and Work karmada-es-m1\/first-w was deleted/);
  });

  it('sweeps again after the interval while Ready; spares a copy whose Work exists', async () => {
    await member.create(R.configmaps, copy('second'));
    await env.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ES } });
    await env.client.create(WORKS, { apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'alive-w', namespace: ES }, spec: { workload: { manifests: [] } } });
    await member.create(R.configmaps, copy('alive'));
    await env.step(59 * S);
    await settle();
    assert.ok(await present('second'), 'not before the interval');
    await env.step(1 * S);
    await env.until('second swept', async () => !(await present('second')));
    assert.ok(await present('alive'), 'its Work exists');
  });

  it('never sweeps a cluster that is not Ready; sweeps when it turns Ready again', async () => {
    await setReady('Unknown');
    await settle();
    await member.create(R.configmaps, copy('third'));
    await env.step(180 * S);
    await settle();
    assert.ok(await present('third'), 'not Ready: left alone');
    await setReady('True');
    await env.until('third swept', async () => !(await present('third')));
  });
});
