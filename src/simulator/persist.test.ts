// A persistent fleet (`flotilla up` runs one) started again on the same data dir is the same
// fleet: objects keep their uids, the clusters their identity (kube-system's uid) and ports, and
// the pods run again.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../client/resources.js';
import { createLogger } from '../util/logger.js';
import { defaultFleet } from './fleet.js';
import { SimFleet } from './sim.js';

const logger = createLogger({ level: 'silent' });
const start = (dataDir: string, persist: boolean) => new SimFleet({ fleet: defaultFleet(2, 1, { timeScale: 0.02 }), dataDir, logger, persist }).start();

async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25', resources: { requests: { cpu: '10m' } } }] } },
  },
};

describe('SimFleet persist', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'flotilla-sim-persist-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('a restart on the same data dir keeps objects, uids, identity and ports; pods run again', async () => {
    const dir = tmp();
    let fleet = await start(dir, true);
    let c = fleet.cluster('member2').client;
    const kubeSystem = (await c.get(R.namespaces, 'kube-system')).metadata.uid;
    const cm = await c.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } });
    const d = await c.create(R.deployments, deployment);
    await eventually('2 ready', async () => (await c.get(R.deployments, 'web', 'default')).status?.readyReplicas === 2);
    const pods = (await c.list(R.pods, { namespace: 'default' })).items.map((p: any) => p.metadata.uid).sort();
    const url = fleet.cluster('member2').url;
    await fleet.stop();
    assert.ok(existsSync(join(dir, 'state', 'member2.db')));

    fleet = await start(dir, true);
    try {
      c = fleet.cluster('member2').client;
      assert.equal(fleet.cluster('member2').url, url, 'the same port, so kubeconfigs keep working');
      assert.equal((await c.get(R.namespaces, 'kube-system')).metadata.uid, kubeSystem, 'the same cluster identity');
      assert.equal((await c.get(R.configmaps, 'settings', 'default')).metadata.uid, cm.metadata.uid);
      assert.equal((await c.get(R.deployments, 'web', 'default')).metadata.uid, d.metadata.uid);
      assert.deepEqual((await c.list(R.pods, { namespace: 'default' })).items.map((p: any) => p.metadata.uid).sort(), pods, 'the same pods');
      const restarted = await eventually('pods running again after a restart', async () => {
        const l = (await c.list(R.pods, { namespace: 'default' })).items;
        return l.every((p: any) => p.status?.containerStatuses?.[0]?.ready && p.status.containerStatuses[0].restartCount === 1) && l;
      });
      assert.equal(restarted.length, 2);
      await eventually('2 ready again', async () => (await c.get(R.deployments, 'web', 'default')).status?.readyReplicas === 2);
      // And the fleet keeps working: a new object is created and runs.
      await c.patch(R.deployments, 'web', { spec: { replicas: 3 } }, 'merge', { namespace: 'default' });
      await eventually('3 ready', async () => (await c.get(R.deployments, 'web', 'default')).status?.readyReplicas === 3);
    } finally {
      await fleet.stop();
    }
  });

  it('without persist, a restart starts from nothing and writes no state', async () => {
    const dir = tmp();
    let fleet = await start(dir, false);
    await fleet.cluster('member1').client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'default' } });
    await fleet.stop();
    assert.equal(existsSync(join(dir, 'state')), false);
    fleet = await start(dir, false);
    try {
      await assert.rejects(fleet.cluster('member1').client.get(R.configmaps, 'gone', 'default'), /not found/i);
    } finally {
      await fleet.stop();
    }
  });

  it('a second fleet cannot open the state of a running one', async () => {
    const dir = tmp();
    const fleet = await start(dir, true);
    try {
      await assert.rejects(start(dir, true), /locked|busy/i);
    } finally {
      await fleet.stop();
    }
  });
});
