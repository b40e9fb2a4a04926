/**
 * etcd dies (kill -9) under two API servers in the middle of writes: every request ends with a
 * clean answer (201, or a 503 / 504 Status) in bounded time, reads answer 503 while it is down,
 * and when etcd returns the servers serve again on their own: every acknowledged write is
 * there, intact, on both, and a watch opened before the outage carries on without a gap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdSkip, startEtcd, type EtcdServer } from '../../src/apiserver/storage/testing/etcd.js';
import type { TestServer } from './harness.js';
import { waitFor } from './harness.js';
import { api, configMap, startEtcdApiServers, type Api } from './etcd-harness.js';

const skip = etcdSkip();

describe('etcd stopped mid-writes', { skip, timeout: 240_000 }, () => {
  let etcd: EtcdServer;
  let servers: TestServer[];
  let a: Api;
  let b: Api;
  before(async () => {
    etcd = await startEtcd();
    servers = await startEtcdApiServers(etcd, 2);
    [a, b] = servers.map(api) as [Api, Api];
  });
  after(async () => {
    await a?.close();
    await b?.close();
    for (const s of servers ?? []) await s.cleanup();
    await etcd?.cleanup();
  });

  it('gives clean errors, no hang, no lost or corrupt write, and recovers when etcd returns', async () => {
    assert.equal((await a.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'out' } })).status, 201);
    const start = (await b.call('GET', '/api/v1/namespaces/out/configmaps')).json.metadata.resourceVersion;
    const watch = b.watch(`/api/v1/namespaces/out/configmaps?watch=true&resourceVersion=${start}`);

    const acked = new Map<string, { rv: string; data: Record<string, string> }>();
    const codes = new Map<number, number>();
    let slowest = 0;
    let seq = 0;
    let writing = true;
    const writer = async (w: number) => {
      while (writing) {
        const name = `w-${w}-${seq++}`;
        const data = { writer: String(w), payload: `${name}:${'x'.repeat(200)}` };
        const r = await (w % 2 ? a : b).call('POST', '/api/v1/namespaces/out/configmaps', configMap('out', name, data), 60_000);
        slowest = Math.max(slowest, r.ms);
        codes.set(r.status, (codes.get(r.status) ?? 0) + 1);
        if (r.status === 201) acked.set(name, { rv: r.json.metadata.resourceVersion, data });
        else {
          assert.ok(r.status === 503 || r.status === 504, `unclean answer ${r.status}: ${JSON.stringify(r.json)}`);
          assert.equal(r.json.kind, 'Status');
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));

    await waitFor('writes before the outage', () => acked.size >= 100, 30_000);
    await etcd.kill9();
    const ackedBefore = acked.size;
    await waitFor('failures while etcd is down', () => (codes.get(503) ?? 0) + (codes.get(504) ?? 0) >= 20, 30_000);
    // Consistent reads fail too (the caches cannot know what they miss); watches stay open.
    for (const s of [a, b]) {
      const r = await s.call('GET', '/api/v1/namespaces/out/configmaps');
      assert.equal(r.status, 503, JSON.stringify(r.json));
      assert.equal(r.json.reason, 'ServiceUnavailable');
      assert.ok(r.ms < 10_000, `a read took ${r.ms} ms`);
    }
    await new Promise((r) => setTimeout(r, 2000));
    await etcd.start();
    await waitFor('writes after etcd returned', () => acked.size >= ackedBefore + 100, 60_000);
    writing = false;
    await Promise.all(writers);
    assert.ok(slowest < 15_000, `a write took ${slowest} ms`);
    console.log(`# answers ${JSON.stringify(Object.fromEntries(codes))}, slowest ${slowest} ms, acknowledged ${acked.size}`);

    // Every acknowledged write is there, intact, through both servers.
    for (const s of [a, b]) {
      // A server that saw the outage last may still be backing off from it: service resumes, soon.
      const list = await waitFor('a list through each server', async () => {
        const l = await s.call('GET', '/api/v1/namespaces/out/configmaps');
        return l.status === 200 ? l : undefined;
      }, 15_000, 100);
      const byName = new Map<string, any>(list.json.items.map((o: any) => [o.metadata.name, o]));
      for (const [name, w] of acked) {
        const o = byName.get(name);
        assert.ok(o, `${name} acknowledged (rv ${w.rv}) but missing on ${s.url}`);
        assert.equal(o.metadata.resourceVersion, w.rv);
        assert.deepEqual(o.data, w.data);
      }
      // Writes answered 503 may have committed (the answer was lost with etcd): then they are whole.
      for (const o of list.json.items) assert.equal(o.data.payload, `${o.metadata.name}:${'x'.repeat(200)}`);
    }
    // The watch opened before the outage resumed where it was: every acknowledged create, in order.
    await waitFor('the watch to deliver every acknowledged write', () => [...acked.values()].every((w) => watch.events.some((e) => String(e.rv) === w.rv)), 30_000);
    assert.deepEqual(watch.errors, []);
    const revs = watch.events.map((e) => e.rv);
    assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
    watch.close();
  });

  it('a hung etcd (SIGSTOP) gives 503 within the request timeout, and service resumes with SIGCONT', async () => {
    etcd.pause();
    try {
      const [w, r] = await Promise.all([
        a.call('POST', '/api/v1/namespaces/out/configmaps', configMap('out', 'during-pause', { k: 'v' }), 60_000),
        b.call('GET', '/api/v1/namespaces/out/configmaps', undefined, 60_000),
      ]);
      for (const x of [w, r]) {
        assert.ok(x.status === 503 || x.status === 504, `${x.status}: ${JSON.stringify(x.json)}`);
        assert.ok(x.ms < 12_000, `took ${x.ms} ms`);
      }
    } finally {
      etcd.resume();
    }
    await waitFor('writes after SIGCONT', async () => {
      const c = await b.call('POST', '/api/v1/namespaces/out/configmaps', configMap('out', `after-pause-${Date.now()}`));
      return c.status === 201;
    }, 30_000, 200);
    const g = await a.call('GET', '/api/v1/namespaces/out/configmaps');
    assert.equal(g.status, 200);
  });
});
