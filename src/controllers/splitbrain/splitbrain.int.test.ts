// The split-brain sweeper against real (simulated) members: copies whose Work was deleted while
// their cluster was away go when the cluster turns Ready again; nothing else does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../client/client.js';
import { R } from '../../client/resources.js';
import { CLUSTERS, WORKS } from '../execution/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFleet } from '../../simulator/fleet.js';
import { startFlotilla, type Flotilla } from '../../up/flotilla.js';
import { createLogger } from '../../util/logger.js';
import { condition, deployment, eventually, OUR_CONTROLLERS, updateWork, work } from '../execution/testing.js';
import { REFS } from '../taint/bindings.js';
import { ORPHAN_DELETED_REASON } from './index.js';

const ES = 'karmada-es-member1';
const rbLinks = (name: string) => ({ 'resourcebinding.karmada.io/namespace': 'default', 'resourcebinding.karmada.io/name': name });
const withLinks = (d: any, binding: string) => ({ ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, ...rbLinks(binding) } } });

describe('split-brain sweeper', () => {
  let t: { f: Flotilla; dir: string; cp: Flotilla['client']; member(name: string): Flotilla['client'] };
  before(async () => {
    // As execution/testing.ts's startTestFlotilla, plus the sweeper.
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-splitbrain-'));
    const f = await startFlotilla({
      dataDir: dir,
      storage: 'memory',
      fleet: defaultFleet(2, 2, { timeScale: 0.02 }),
      logger: createLogger({ level: process.env.FLOTILLA_TEST_LOG_LEVEL ?? 'silent' }),
      controllers: [...OUR_CONTROLLERS, 'splitBrain'],
      controllerOptions: { clusterMonitorPeriodMs: 250, clusterGracePeriodMs: 1_500, clusterStartupGracePeriodMs: 3_000, clusterStabilizationMs: 500 },
    });
    t = { f, dir, cp: f.client, member: (name) => f.members.get(name)! };
  });
  after(async () => {
    if (!t) return;
    await t.f.stop();
    rmSync(t.dir, { recursive: true, force: true });
  });

  const ready = async (name: string) => condition(await t.cp.get(CLUSTERS, name), 'Ready')?.status;
  const inMember = (name: string) => t.member('member1').get(R.deployments, name, 'default').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  const binding = (name: string, clusters: string[]) => ({
    apiVersion: 'work.karmada.io/v1alpha2',
    kind: 'ResourceBinding',
    metadata: { name, namespace: 'default' },
    spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: name.replace(/-deployment$/, ''), namespace: 'default' }, replicas: 1, clusters: clusters.map((c) => ({ name: c, replicas: 1 })) },
  });
  /** Deletes a Work for good while its cluster cannot answer (its finalizer taken off by hand). */
  const dropWork = async (name: string) => {
    await t.cp.delete(WORKS, name, { namespace: ES });
    await updateWork(t.cp, 'member1', name, (w) => (w.metadata.finalizers = []));
    await eventually(`Work ${name} gone`, () => t.cp.get(WORKS, name, ES).then(() => false, (e) => isNotFound(e)));
  };

  it('deletes only orphans, with positive evidence, once the cluster is Ready again', async () => {
    await eventually('member1 Ready', async () => (await ready('member1')) === 'True');
    // moved: binding now elsewhere; gone: binding deleted; stays: binding still targets member1;
    // pending: binding moved but its Work is still there (execution's job, not the sweeper's).
    await t.cp.create(REFS.resourceBindings, binding('moved-deployment', ['member2']));
    await t.cp.create(REFS.resourceBindings, binding('stays-deployment', ['member1']));
    await t.cp.create(REFS.resourceBindings, binding('pending-deployment', ['member2']));
    for (const n of ['moved', 'gone', 'stays', 'pending']) await t.cp.create(WORKS, work('member1', `${n}-w`, [withLinks(deployment(n, { replicas: 1 }), `${n}-deployment`)]));
    // Not Flotilla's: a look-alike without the managed label.
    await t.member('member1').create(R.deployments, withLinks({ ...deployment('mine', { replicas: 1 }), metadata: { name: 'mine', namespace: 'default', annotations: { 'work.karmada.io/namespace': ES, 'work.karmada.io/name': 'nosuch' } } }, 'nosuch'));
    for (const n of ['moved', 'gone', 'stays', 'pending']) await eventually(`${n} applied`, () => inMember(n));

    await t.f.fleet!.cluster('member1').fault({ mode: 'partition' });
    try {
      await eventually('member1 not Ready', async () => (await ready('member1')) !== 'True');
      for (const n of ['moved', 'gone', 'stays']) await dropWork(`${n}-w`);
      // `pending` keeps its Work: deleted, but its finalizer waits for the member.
      await t.cp.delete(WORKS, 'pending-w', { namespace: ES });
    } finally {
      await t.f.fleet!.cluster('member1').fault({ mode: 'heal' });
    }
    await eventually('member1 Ready again', async () => (await ready('member1')) === 'True');
    await eventually('moved and gone removed', async () => !(await inMember('moved')) && !(await inMember('gone')), 30_000);
    assert.ok(await inMember('stays'), 'the binding still targets member1: kept');
    assert.ok(await inMember('mine'), 'not managed by Flotilla: kept');
    // pending goes through the normal path (execution, the Work's finalizer).
    await eventually('pending removed by execution', async () => !(await inMember('pending')), 30_000);

    const all = await eventually('events', async () => {
      const list = (await t.cp.list(R.events, { namespace: 'default' })).items.filter((e: any) => e.reason === ORPHAN_DELETED_REASON);
      return list.length >= 3 && list;
    });
    const onCluster = all.filter((e: any) => e.involvedObject.kind === 'Cluster' && e.involvedObject.name === 'member1');
    assert.equal(onCluster.length, 2, 'one Event per deletion on the Cluster');
    assert.ok(onCluster.some((e: any) => /Deployment default\/moved .*no longer targets member1/.test(e.message)));
    assert.ok(onCluster.some((e: any) => /Deployment default\/gone .*binding is gone/.test(e.message)));
    // The binding that still exists hears about it too.
    assert.ok(all.some((e: any) => e.involvedObject.kind === 'ResourceBinding' && e.involvedObject.name === 'moved-deployment'));
    assert.ok(!all.some((e: any) => /stays|pending|mine/.test(e.message)));
  });
});
