/**
 * Two `flotilla apiserver` processes over one etcd serve one API: writes through either are
 * seen, in the same order, by watches on both; reads on one see writes acknowledged by the
 * other; optimistic concurrency holds across them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { etcdSkip, startEtcd, type EtcdServer } from '../../src/apiserver/storage/testing/etcd.js';
import type { TestServer } from './harness.js';
import { api, configMap, startEtcdApiServers, type Api } from './etcd-harness.js';
import { waitFor } from './harness.js';

const skip = etcdSkip();

describe('two API servers on one etcd', { skip, timeout: 180_000 }, () => {
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

  it('writes through both servers reach watches on both, in one order', async () => {
    assert.equal((await a.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ha' } })).status, 201);
    const list = await b.call('GET', '/api/v1/namespaces/ha/configmaps');
    assert.equal(list.status, 200, JSON.stringify(list.json));
    const rv = list.json.metadata.resourceVersion;
    const path = `/api/v1/namespaces/ha/configmaps?watch=true&resourceVersion=${rv}`;
    const wa = a.watch(path);
    const wb = b.watch(path);

    const acked: number[] = [];
    const ok = (r: { status: number; json: any }, want: number) => {
      assert.equal(r.status, want, JSON.stringify(r.json));
      acked.push(Number(r.json.metadata.resourceVersion));
      return r.json;
    };
    const rvOf = new Map<string, string>();
    for (let round = 0; round < 10; round++) {
      // Concurrent creates through both servers, then cross-server updates and deletes.
      const created = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).call('POST', '/api/v1/namespaces/ha/configmaps', configMap('ha', `cm-${round}-${i}`, { v: '0' }))),
      );
      for (const r of created) rvOf.set(ok(r, 201).metadata.name, r.json.metadata.resourceVersion);
      const updated = await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const name = `cm-${round}-${i}`;
          return (i % 2 ? b : a).call('PUT', `/api/v1/namespaces/ha/configmaps/${name}`, configMap('ha', name, { v: '1' }, rvOf.get(name)));
        }),
      );
      for (const r of updated) ok(r, 200);
      const deleted = await (round % 2 ? a : b).call('DELETE', `/api/v1/namespaces/ha/configmaps/cm-${round}-0`);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
      acked.push(-1); // a delete: its revision is only in the watch
    }

    await waitFor('both watches to see every write', () => wa.events.length >= acked.length && wb.events.length >= acked.length, 30_000);
    assert.deepEqual(wa.errors, []);
    assert.deepEqual(wb.errors, []);
    const line = (e: { type: string; name: string; rv: number }) => `${e.rv} ${e.type} ${e.name}`;
    assert.deepEqual(wa.events.map(line), wb.events.map(line), 'both servers deliver the same events in the same order');
    const revs = wa.events.map((e) => e.rv);
    assert.deepEqual(revs, [...revs].sort((x, y) => x - y), 'in revision order');
    assert.equal(new Set(revs).size, revs.length);
    for (const r of acked.filter((x) => x > 0)) assert.ok(revs.includes(r), `acknowledged revision ${r} not delivered`);
    assert.equal(wa.events.filter((e) => e.type === 'DELETED').length, 10);
    wa.close();
    wb.close();
  });

  it('a write acknowledged by one server is read at once through the other', async () => {
    for (let i = 0; i < 20; i++) {
      const [w, r] = i % 2 ? [a, b] : [b, a];
      const c = await w.call('POST', '/api/v1/namespaces/ha/configmaps', configMap('ha', `read-${i}`, { i: String(i) }));
      assert.equal(c.status, 201);
      const g = await r.call('GET', `/api/v1/namespaces/ha/configmaps/read-${i}`);
      assert.equal(g.status, 200, `read-${i} not visible through the other server: ${JSON.stringify(g.json)}`);
      assert.equal(g.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
    }
  });

  it('optimistic concurrency holds across servers: a stale update through the other gets 409', async () => {
    const c = await a.call('POST', '/api/v1/namespaces/ha/configmaps', configMap('ha', 'occ', { n: '0' }));
    const rv1 = c.json.metadata.resourceVersion;
    const u = await b.call('PUT', '/api/v1/namespaces/ha/configmaps/occ', configMap('ha', 'occ', { n: '1' }, rv1));
    assert.equal(u.status, 200);
    const stale = await a.call('PUT', '/api/v1/namespaces/ha/configmaps/occ', configMap('ha', 'occ', { n: 'stale' }, rv1));
    assert.equal(stale.status, 409, JSON.stringify(stale.json));
    assert.equal(stale.json.reason, 'Conflict');
    const staleDelete = await a.call('DELETE', '/api/v1/namespaces/ha/configmaps/occ', { preconditions: { resourceVersion: rv1 } });
    assert.equal(staleDelete.status, 409);

    // Read-modify-write increments through both servers: none is lost.
    const increment = async (s: Api) => {
      for (;;) {
        const g = await s.call('GET', '/api/v1/namespaces/ha/configmaps/occ');
        const n = Number(g.json.data.n);
        const p = await s.call('PUT', '/api/v1/namespaces/ha/configmaps/occ', configMap('ha', 'occ', { n: String(n + 1) }, g.json.metadata.resourceVersion));
        if (p.status === 200) return;
        assert.equal(p.status, 409, JSON.stringify(p.json));
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? a : b)));
    assert.equal((await b.call('GET', '/api/v1/namespaces/ha/configmaps/occ')).json.data.n, '21');
  });

  it('kubectl sees one API through either server', async () => {
    const [s1, s2] = servers as [TestServer, TestServer];
    await s1.k(['create', 'namespace', 'kubectl-ha']);
    await s2.k(['-n', 'kubectl-ha', 'create', 'configmap', 'x', '--from-literal=k=v']);
    assert.equal(await s1.k(['-n', 'kubectl-ha', 'get', 'configmap', 'x', '-o', 'jsonpath={.data.k}']), 'v');
    const crds = await s2.k(['get', 'crd', '-o', 'name']);
    assert.match(crds, /propagationpolicies\.policy\.karmada\.io/);
  });
});
