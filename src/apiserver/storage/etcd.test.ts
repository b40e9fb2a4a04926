import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStoreConformance } from './conformance.js';
import { Collector, rejectsWith } from './conformance-util.js';
import { EtcdStore } from './etcd.js';
import { StoreError } from './store.js';
import { etcdSkip, startEtcd, startEtcdCluster, type EtcdServer } from './testing/etcd.js';
import { ensureCA, ensureServingCert, issueClientCert } from '../../pki/certs.js';

const skip = etcdSkip();
if (skip) console.log(`# etcd storage tests skipped: ${skip}`);

/**
 * The conformance contract counts revisions from an empty store at 0, and etcd's revision is
 * global: each test gets its own etcd (about 150 ms to start), and the next one starts while a
 * test runs.
 */
let spare: Promise<EtcdServer> | undefined;
const nextEtcd = () => {
  const e = spare ?? startEtcd();
  spare = startEtcd();
  spare.catch(() => undefined);
  return e;
};
after(async () => {
  await (await spare?.catch(() => undefined))?.cleanup();
});

describe('etcd', { skip }, () => {
  runStoreConformance(
    'etcd',
    async () => {
      const etcd = await nextEtcd();
      // A prefix, as the API server uses one: keys must come back without it.
      const store = await EtcdStore.open({ endpoints: [etcd.endpoint], prefix: '/flotilla', revisionBase: 1 });
      return {
        store,
        async cleanup() {
          await store.close();
          await etcd.cleanup();
        },
      };
    },
    { issueOrder: false, concurrency: 200 },
  );

  describe('EtcdStore', () => {
    it('pages large lists and replays so no response nears the gRPC limit, at one revision', { timeout: 60_000 }, async () => {
      const etcd = await nextEtcd();
      const s = await EtcdStore.open({ endpoints: [etcd.endpoint] });
      try {
        // 40 values of 1 MiB: 40 MiB in one response would exceed the 32 MiB message limit.
        const big = 'x'.repeat(1 << 20);
        for (let i = 0; i < 40; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => s.create(`/big/${String(i + j).padStart(2, '0')}`, big)));
        const at = await s.currentRevision();
        await s.create('/big/zz-later', 'small');
        const res = await s.list('/big/', { revision: at });
        assert.equal(res.items.length, 40);
        assert.equal(res.revision, at);
        assert.ok(res.items.every((kv) => kv.value.length === 1 << 20));
        const small = await s.list('/big/', { limit: 3 });
        assert.deepEqual(small.items.map((kv) => kv.key), ['/big/00', '/big/01', '/big/02']);
        assert.equal(small.more, true);
        // Replaying that history to a watch comes in fragments, delivered whole and in order.
        const w = Collector.start(s, '/big/', 0);
        await w.waitFor(41, 30_000);
        assert.deepEqual(w.revisions(), Array.from({ length: 41 }, (_, i) => i + 2));
        w.watch.cancel();
      } finally {
        await s.close();
        await etcd.cleanup();
      }
    });

    it('a stopped etcd gives Unavailable quickly (no hang); the store works again when it returns', { timeout: 60_000 }, async () => {
      const etcd = await nextEtcd();
      const s = await EtcdStore.open({ endpoints: [etcd.endpoint], requestTimeoutMs: 2000 });
      try {
        await s.create('/a', '1');
        const w = Collector.start(s, '/', await s.currentRevision());
        await etcd.stop();
        const t0 = Date.now();
        await rejectsWith(s.get('/a'), 'Unavailable');
        await rejectsWith(s.create('/b', '1'), 'Unavailable');
        await rejectsWith(s.currentRevision(), 'Unavailable');
        assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
        const err = await w.waitError();
        assert.ok(err instanceof StoreError && err.code === 'Unavailable', String(err));
        await etcd.start();
        const deadline = Date.now() + 15_000;
        for (;;) {
          try {
            await s.create('/b', '2');
            break;
          } catch (e) {
            if (Date.now() > deadline) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        assert.equal((await s.get('/a'))!.value, '1');
        assert.equal((await s.get('/b'))!.value, '2');
      } finally {
        await s.close();
        await etcd.cleanup();
      }
    });

    it('several endpoints: with one of three members down the store keeps serving, watches included', { timeout: 90_000 }, async () => {
      const members = await startEtcdCluster(3);
      const s = await EtcdStore.open({ endpoints: members.map((m) => m.endpoint), requestTimeoutMs: 3000 });
      try {
        for (let i = 0; i < 20; i++) await s.create(`/m/${i}`, 'v');
        await members[0]!.kill9();
        // A write in flight to the dead member may fail (it is never retried); the next ones go elsewhere.
        let failures = 0;
        for (let i = 20; i < 60; i++) {
          for (;;) {
            try {
              await s.create(`/m/${i}`, 'v');
              break;
            } catch (e) {
              assert.ok(e instanceof StoreError && e.code === 'Unavailable', String(e));
              if (++failures > 20) throw e;
            }
          }
        }
        assert.equal(await s.count('/m/'), 60);
        assert.equal((await s.list('/m/')).items.length, 60);
        const w = Collector.start(s, '/m/', await s.currentRevision());
        await s.update('/m/0', 'w', 0);
        await w.waitFor(1);
        w.watch.cancel();
        await members[0]!.start();
        assert.equal((await s.get('/m/59'))!.value, 'v');
      } finally {
        await s.close();
        await Promise.all(members.map((m) => m.cleanup()));
      }
    });

    it('keeps keys under its prefix: two prefixes on one etcd do not see each other', async () => {
      const etcd = await nextEtcd();
      const a = await EtcdStore.open({ endpoints: [etcd.endpoint], prefix: '/a' });
      const b = await EtcdStore.open({ endpoints: [etcd.endpoint], prefix: '/ab' });
      try {
        await a.create('/registry/k', 'from a');
        await b.create('/registry/k', 'from b');
        assert.deepEqual((await a.list('/registry/')).items.map((kv) => `${kv.key}=${kv.value}`), ['/registry/k=from a']);
        assert.deepEqual((await b.list('/registry/')).items.map((kv) => `${kv.key}=${kv.value}`), ['/registry/k=from b']);
        assert.equal(await a.count('/registry/'), 1);
        const w = Collector.start(a, '/registry/', await a.currentRevision());
        await b.update('/registry/k', 'b again', 0);
        await a.update('/registry/k', 'a again', 0);
        assert.deepEqual((await w.waitFor(1)).map((e) => e.kv.value), ['a again']);
        w.watch.cancel();
      } finally {
        await a.close();
        await b.close();
        await etcd.cleanup();
      }
    });

    it('learns the compaction revision at open and resourceVersion is the etcd revision', async () => {
      const etcd = await nextEtcd();
      let s = await EtcdStore.open({ endpoints: [etcd.endpoint] });
      try {
        assert.equal(await s.currentRevision(), 1, 'a fresh etcd is at revision 1');
        for (let i = 0; i < 20; i++) await s.create(`/c/${i}`, 'v');
        assert.equal((await s.get('/c/0'))!.modRevision, 2, 'the first write is etcd revision 2');
        await s.compact(13);
        await s.close();
        s = await EtcdStore.open({ endpoints: [etcd.endpoint] });
        assert.equal(s.compactedRevision(), 13);
        assert.throws(() => s.watch('/c/', { afterRevision: 12, onEvents: () => {} }), (e: unknown) => e instanceof StoreError && e.code === 'Compacted');
      } finally {
        await s.close();
        await etcd.cleanup();
      }
    });

    it('speaks TLS with client certificates (--etcd-cafile/--etcd-certfile/--etcd-keyfile)', { timeout: 30_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'flotilla-etcd-tls-'));
      let etcd: EtcdServer | undefined;
      try {
        const ca = await ensureCA(dir, { commonName: 'etcd-ca' });
        await ensureServingCert(dir, ca, { hosts: ['127.0.0.1', 'localhost'], name: 'etcd' });
        const client = await issueClientCert(ca, { commonName: 'flotilla-apiserver' });
        writeFileSync(join(dir, 'client.crt'), client.certPem);
        writeFileSync(join(dir, 'client.key'), client.keyPem);
        etcd = await startEtcd({
          tls: { certFile: join(dir, 'etcd.crt'), keyFile: join(dir, 'etcd.key'), caFile: join(dir, 'ca.crt'), clientCertFile: join(dir, 'client.crt'), clientKeyFile: join(dir, 'client.key') },
        });
        assert.ok(etcd.endpoint.startsWith('https://'));
        const s = await EtcdStore.open({ endpoints: [etcd.endpoint], ca: ca.certPem, cert: client.certPem, key: client.keyPem });
        await s.create('/tls', 'ok');
        assert.equal((await s.get('/tls'))!.value, 'ok');
        await s.close();
        // Without a client certificate etcd refuses the connection.
        const anon = new EtcdStore({ endpoints: [etcd.endpoint], ca: ca.certPem, requestTimeoutMs: 2000 });
        await rejectsWith(anon.get('/tls'), 'Unavailable');
        await anon.close();
      } finally {
        await etcd?.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
