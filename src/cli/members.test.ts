import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '../api/cluster.js';
import type { KubeClient } from '../client/client.js';
import { fanOut, pickClusters, type Member } from './members.js';

const cluster = (name: string) => ({ metadata: { name }, spec: { syncMode: 'Push' } }) as Cluster;
const member = (name: string, reachable = true): Member => ({ name, cluster: cluster(name), ...(reachable ? { client: {} as KubeClient } : { problem: 'Pull mode' }) });

test('fan-out keeps order, bounds concurrency and reports failures per cluster', async () => {
  let running = 0;
  let peak = 0;
  const members = ['a', 'b', 'c', 'd', 'e'].map((n) => member(n));
  members.push(member('pull', false));
  const results = await fanOut(
    members,
    async (m) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      if (m.name === 'c') throw new Error('connection refused');
      return m.name.toUpperCase();
    },
    { limit: 2, timeoutMs: 1000 },
  );
  assert.equal(peak, 2);
  assert.deepEqual(
    results.map((r) => (r.ok ? r.value : `!${r.error}`)),
    ['A', 'B', '!connection refused', 'D', 'E', '!Pull mode'],
  );
});

test('a cluster that does not answer in time is a failure, not a hang', async () => {
  const started = Date.now();
  const [slow, quick] = await fanOut([member('slow'), member('quick')], (m) => (m.name === 'slow' ? new Promise<string>(() => {}) : Promise.resolve('ok')), { limit: 2, timeoutMs: 50 });
  assert.deepEqual(slow, { name: 'slow', ok: false, error: 'no answer within 0.05s' });
  assert.deepEqual(quick, { name: 'quick', ok: true, value: 'ok' });
  assert.ok(Date.now() - started < 1000);
});

test('--clusters names must exist', () => {
  const all = [cluster('member1'), cluster('member2')];
  assert.deepEqual(pickClusters(all).length, 2);
  assert.deepEqual(pickClusters(all, ['member2']).map((c) => c.metadata!.name), ['member2']);
  assert.throws(() => pickClusters(all, ['nope']), /cluster "nope" not found \(joined: member1, member2\)/);
});
