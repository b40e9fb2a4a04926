import assert from 'node:assert/strict';
import type { Suite } from './conformance-util.js';
import { Collector, failsWith, plain, range } from './conformance-util.js';

export function compactionTests({ test }: Suite): void {
  test('after compaction, lists before the compacted revision fail with Compacted; at or after it they work', async (s) => {
    await s.create('/c/a', 'a1'); // 1
    await s.create('/c/b', 'b1'); // 2
    await s.update('/c/a', 'a2', 0); // 3
    await s.create('/c/gone', 'g'); // 4
    await s.delete('/c/gone', 0); // 5
    await s.create('/c/late', 'l1'); // 6
    const at6 = plain(await s.list('/c/', { revision: 6 }));
    await s.delete('/c/b', 0); // 7
    await s.update('/c/a', 'a3', 0); // 8
    const at8 = plain(await s.list('/c/'));
    await s.compact(6);
    assert.equal(s.compactedRevision(), 6);
    assert.equal(await s.currentRevision(), 8, 'compaction does not change the current revision');
    await failsWith(() => s.list('/c/', { revision: 5 }), 'Compacted');
    await failsWith(() => s.list('/c/', { revision: 1 }), 'Compacted');
    assert.deepEqual(plain(await s.list('/c/', { revision: 6 })), at6);
    assert.deepEqual(plain(await s.list('/c/', { revision: 8 })), at8);
    assert.deepEqual(plain(await s.list('/c/')), at8);
    assert.deepEqual(
      at6.items.map((kv) => kv.key),
      ['/c/a', '/c/b', '/c/late'],
    );
  });

  test('compaction keeps the latest value of every key', async (s) => {
    const created = new Map<string, number>();
    for (let i = 0; i < 20; i++) created.set(`/k/${i}`, (await s.create(`/k/${i}`, `v0`)).revision);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 20; i += round) await s.update(`/k/${i}`, `v${round}`, 0);
    }
    for (let i = 0; i < 5; i++) await s.delete(`/k/${i}`, 0);
    const before = plain(await s.list('/k/'));
    const cur = await s.currentRevision();
    await s.compact(cur);
    assert.equal(s.compactedRevision(), cur);
    assert.deepEqual(plain(await s.list('/k/')), before);
    assert.deepEqual(plain(await s.list('/k/', { revision: cur })), before);
    for (const kv of before.items) {
      assert.deepEqual(plain(await s.get(kv.key)), kv);
      assert.equal(kv.createRevision, created.get(kv.key));
    }
    for (let i = 0; i < 5; i++) assert.equal(await s.get(`/k/${i}`), null);
    assert.equal(await s.count('/k/'), 15);
    // Writing goes on from the same revision; preconditions still see the kept revisions.
    const kv = before.items[0]!;
    const u = await s.update(kv.key, 'after', kv.modRevision);
    assert.equal(u.revision, cur + 1);
    const re = await s.create('/k/0', 'reborn');
    assert.equal((await s.get('/k/0'))!.createRevision, re.revision);
  });

  test('watches after a compacted revision fail with Compacted; from it, replay works with prev values', async (s) => {
    await s.create('/w/a', 'a1'); // 1
    await s.create('/w/b', 'b1'); // 2
    await s.update('/w/a', 'a2', 0); // 3
    await s.compact(3);
    await s.update('/w/a', 'a3', 0); // 4
    await s.delete('/w/b', 0); // 5
    await failsWith(() => s.watch('/w/', { afterRevision: 2, onEvents: () => {} }), 'Compacted');
    await failsWith(() => s.watch('/w/', { afterRevision: 0, onEvents: () => {} }), 'Compacted');
    const c = Collector.start(s, '/w/', 3);
    const events = plain(await c.waitFor(2));
    assert.deepEqual(events, [
      {
        type: 'put',
        kv: { key: '/w/a', value: 'a3', createRevision: 1, modRevision: 4 },
        prev: { key: '/w/a', value: 'a2', createRevision: 1, modRevision: 3 },
      },
      {
        type: 'delete',
        kv: { key: '/w/b', value: 'b1', createRevision: 2, modRevision: 5 },
        prev: { key: '/w/b', value: 'b1', createRevision: 2, modRevision: 2 },
      },
    ]);
    c.watch.cancel();
  });

  test('compacting a future revision fails; compacting backwards is a no-op', async (s) => {
    for (let i = 0; i < 5; i++) await s.create(`/x/${i}`, 'v');
    await failsWith(() => s.compact(6), 'FutureRevision');
    await s.compact(4);
    await s.compact(2);
    await s.compact(4);
    assert.equal(s.compactedRevision(), 4);
    assert.equal((await s.list('/x/', { revision: 4 })).items.length, 4);
  });

  test('repeated compactions interleaved with writes keep every retained snapshot intact', async (s) => {
    const snapshots = new Map<number, unknown>();
    for (let i = 0; i < 60; i++) {
      const k = `/r/${i % 7}`;
      if (i % 5 === 4) await s.delete(k, 0).catch(() => s.create(k, `c${i}`));
      else await s.update(k, `u${i}`, 0).catch(() => s.create(k, `c${i}`));
      const rev = await s.currentRevision();
      snapshots.set(rev, plain(await s.list('/r/')));
      if (i % 10 === 9) {
        const to = rev - 5;
        await s.compact(to);
        for (const r of snapshots.keys()) if (r < to) snapshots.delete(r);
      }
    }
    for (const [rev, snap] of snapshots) assert.deepEqual(plain(await s.list('/r/', { revision: rev })), snap);
    // Replay from the compacted revision covers every later revision.
    const from = s.compactedRevision();
    const cur = await s.currentRevision();
    const c = Collector.start(s, '', from);
    await c.waitFor(cur - from);
    assert.deepEqual(c.revisions(), range(from + 1, cur));
    c.watch.cancel();
  });
}
