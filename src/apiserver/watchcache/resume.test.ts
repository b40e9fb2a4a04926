import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../storage/memory.js';
import type { Store, Watch, WatchOptions } from '../storage/store.js';
import { StoreError } from '../storage/store.js';
import { CacheManager, type CacheEvent } from './cache.js';

/** A MemoryStore whose watches can be broken and whose reads can be made to fail, like etcd going away. */
class FlakyStore extends MemoryStore {
  down = false;
  readonly live = new Set<{ opts: WatchOptions; w: Watch }>();

  override watch(prefix: string, opts: WatchOptions): Watch {
    if (this.down) throw new StoreError('Unavailable', 'down');
    const entry = { opts, w: super.watch(prefix, opts) };
    this.live.add(entry);
    return {
      cancel: () => {
        this.live.delete(entry);
        entry.w.cancel();
      },
    };
  }

  override currentRevision(): Promise<number> {
    return this.down ? Promise.reject(new StoreError('Unavailable', 'down')) : super.currentRevision();
  }

  /** Every open watch fails with err. */
  break(err: Error): void {
    for (const e of [...this.live]) {
      this.live.delete(e);
      e.w.cancel();
      e.opts.onError?.(err);
    }
  }
}

const P = '/registry/core/configmaps/';
const obj = (name: string, v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { v } });
const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('CacheManager when its storage watch fails', () => {
  it('fails consistent reads while down, then resumes from its revision: watchers see every event, no gap', async () => {
    const store = new FlakyStore();
    await store.create(`${P}ns/a`, obj('a', '1'));
    const caches = new CacheManager(store, 100);
    await caches.start([P]);
    const seen: string[] = [];
    let closed = '';
    caches.cache(P)!.watchers.add({ onEvent: (ev: CacheEvent) => seen.push(`${ev.type} ${ev.obj.name} ${ev.rev}`), onClose: (r) => (closed = r) });

    store.down = true;
    store.break(new StoreError('Unavailable', 'connection lost'));
    await assert.rejects(caches.fresh(), (e: unknown) => e instanceof StoreError && e.code === 'Unavailable');
    // Writes land in storage while the cache is cut off (another API server took them).
    store.down = false;
    const u = await store.update(`${P}ns/a`, obj('a', '2'), 0);
    const c = await store.create(`${P}ns/b`, obj('b', '1'));
    await until('the cache to resume and catch up', async () => {
      try {
        await caches.fresh();
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(caches.revision, c.revision);
    assert.deepEqual(seen, [`MODIFIED a ${u.revision}`, `ADDED b ${c.revision}`]);
    assert.equal(closed, '', 'watchers stay open across the outage');
    assert.equal(caches.failed, null);
    caches.stop();
  });

  it('reloads when its history was compacted meanwhile: caches are rebuilt, their watchers closed', async () => {
    const store = new FlakyStore();
    await store.create(`${P}ns/a`, obj('a', '1'));
    await store.create(`${P}ns/gone`, obj('gone', '1'));
    const caches = new CacheManager(store, 100);
    await caches.start([P]);
    let closed = '';
    caches.cache(P)!.watchers.add({ onEvent: () => {}, onClose: (r) => (closed = r) });
    store.down = true;
    store.break(new StoreError('Unavailable', 'connection lost'));
    store.down = false;
    await store.delete(`${P}ns/gone`, 0);
    await store.update(`${P}ns/a`, obj('a', '2'), 0);
    await store.compact(await store.currentRevision()); // the revisions the cache missed are gone
    await until('the reload', () => closed !== '');
    await caches.fresh();
    const cache = caches.cache(P)!;
    assert.deepEqual([...cache.objects.keys()], [`${P}ns/a`]);
    assert.equal(JSON.parse(cache.get(`${P}ns/a`)!.json).data.v, '2');
    assert.equal(cache.startRev, await store.currentRevision(), 'watches from before the reload get 410');
    // And it is live again.
    const n = await store.create(`${P}ns/c`, obj('c', '1'));
    await caches.waitFor(n.revision);
    assert.ok(caches.cache(P)!.get(`${P}ns/c`));
    caches.stop();
  });

  it('stop() ends the retries', async () => {
    const store = new FlakyStore();
    const caches = new CacheManager(store, 100);
    await caches.start([P]);
    store.down = true;
    store.break(new StoreError('Unavailable', 'connection lost'));
    caches.stop();
    store.down = false;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(store.live.size, 0, 'no watch was re-established after stop');
  });
});
