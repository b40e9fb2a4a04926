import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStoreConformance } from './conformance.js';
import { MemoryStore } from './memory.js';

runStoreConformance('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore', () => {
  it('handles 100k keys: creates, lists, paging and compaction stay fast', async () => {
    const s = new MemoryStore();
    const n = 100_000;
    const t0 = performance.now();
    // Random-ish key order, so inserts land all over the sorted key set.
    for (let i = 0; i < n; i++) await s.create(`/registry/pods/ns${i % 10}/p${(i * 7919) % n}`, 'v');
    for (let i = 0; i < n; i += 10) await s.update(`/registry/pods/ns${i % 10}/p${(i * 7919) % n}`, 'w', 0);
    const full = await s.list('/registry/pods/');
    assert.equal(full.items.length, n);
    const page = await s.list('/registry/pods/ns3/', { limit: 500, revision: n });
    assert.equal(page.items.length, 500);
    assert.equal(page.more, true);
    assert.equal(await s.count('/registry/pods/ns3/'), n / 10);
    await s.compact(await s.currentRevision());
    assert.equal((await s.list('/registry/pods/ns3/')).items.length, n / 10);
    const ms = performance.now() - t0;
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    await s.close();
  });

  it('stored values are frozen, so callers cannot corrupt history', async () => {
    const s = new MemoryStore();
    await s.create('/a', 'v');
    const kv = (await s.get('/a'))!;
    assert.throws(() => {
      (kv as { value: string }).value = 'mutated';
    }, TypeError);
    assert.equal((await s.get('/a'))!.value, 'v');
    await s.close();
  });
});
