import assert from 'node:assert/strict';
import type { StoreEvent } from './store.js';
import type { Suite } from './conformance-util.js';
import { Collector, failsWith, plain, range, sleep } from './conformance-util.js';

export function watchTests({ test, concurrency }: Suite): void {
  test('live events: create is a put without prev, update a put with prev, delete carries the last value', async (s) => {
    await s.create('/other', 'x');
    const c = Collector.start(s, '/w/', await s.currentRevision());
    const c1 = await s.create('/w/a', 'v1');
    const u1 = await s.update('/w/a', 'v2', c1.revision);
    const d1 = await s.delete('/w/a', 0);
    const events = plain(await c.waitFor(3));
    const v1 = { key: '/w/a', value: 'v1', createRevision: c1.revision, modRevision: c1.revision };
    const v2 = { key: '/w/a', value: 'v2', createRevision: c1.revision, modRevision: u1.revision };
    assert.deepEqual(events, [
      { type: 'put', kv: v1 },
      { type: 'put', kv: v2, prev: v1 },
      { type: 'delete', kv: { ...v2, modRevision: d1.revision }, prev: v2 },
    ]);
    assert.equal('prev' in events[0]!, false);
    c.watch.cancel();
  });

  test('a watch from an older revision replays history, then streams live events in order', async (s) => {
    const start = await s.currentRevision();
    await s.create('/w/a', '1');
    await s.create('/w/b', '1');
    await s.update('/w/a', '2', 0);
    await s.delete('/w/b', 0);
    const live = Collector.start(s, '/w/', start + 2);
    const all = Collector.start(s, '/w/', start);
    await s.create('/w/c', '1');
    await s.update('/w/c', '2', 0);
    await all.waitFor(6);
    await live.waitFor(4);
    assert.deepEqual(all.revisions(), range(start + 1, start + 6));
    assert.deepEqual(live.revisions(), range(start + 3, start + 6));
    assert.deepEqual(
      all.events.map((e) => `${e.type} ${e.kv.key}=${e.kv.value}`),
      ['put /w/a=1', 'put /w/b=1', 'put /w/a=2', 'delete /w/b=1', 'put /w/c=1', 'put /w/c=2'],
    );
    assert.deepEqual(plain(all.events.slice(2)), plain(live.events));
    all.watch.cancel();
    live.watch.cancel();
  });

  test('replayed events equal the events delivered live', async (s) => {
    const start = await s.currentRevision();
    const live = Collector.start(s, '/e/', start);
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const k = `/e/${i % 4}`;
      ops.push(
        i % 9 === 8
          ? s.delete(k, 0).catch(() => {})
          : s.update(k, `v${i}`, 0).catch(() => s.create(k, `c${i}`).catch(() => {})),
      );
      if (i % 3 === 0) await Promise.all(ops.splice(0));
    }
    await Promise.all(ops);
    const n = (await s.currentRevision()) - start;
    await live.waitFor(n);
    const replay = Collector.start(s, '/e/', start);
    await replay.waitFor(n);
    assert.deepEqual(plain(replay.events), plain(live.events));
    live.watch.cancel();
    replay.watch.cancel();
  });

  test('a watch sees only keys under its prefix (/a/b/ excludes /a/bc/x)', async (s) => {
    const c = Collector.start(s, '/a/b/', 0);
    for (const k of ['/a/b', '/a/bc/x', '/a/b/1', '/z', '/a/b/2/3', '/a/b0']) await s.create(k, 'v');
    const end = Collector.start(s, '', 0);
    await end.waitFor(6);
    await c.waitFor(2);
    await sleep(20);
    assert.deepEqual(
      c.events.map((e) => e.kv.key),
      ['/a/b/1', '/a/b/2/3'],
    );
    c.watch.cancel();
    end.watch.cancel();
  });

  test('multiple watchers each receive every event', async (s) => {
    const watchers = Array.from({ length: 5 }, () => Collector.start(s, '/m/', 0));
    const other = Collector.start(s, '/m/k1', 0);
    for (let i = 0; i < 10; i++) await s.create(`/m/k${i}`, 'v');
    for (const w of watchers) {
      await w.waitFor(10);
      assert.deepEqual(w.revisions(), range(1, 10));
    }
    await other.waitFor(1);
    assert.deepEqual(
      other.events.map((e) => e.kv.key),
      ['/m/k1'],
    );
    for (const w of [...watchers, other]) w.watch.cancel();
  });

  test('cancel stops delivery, also during replay', async (s) => {
    for (let i = 0; i < 50; i++) await s.create(`/x/${i}`, 'v');
    const canceled = Collector.start(s, '/x/', await s.currentRevision());
    const replaying = Collector.start(s, '/x/', 0);
    replaying.watch.cancel();
    const witness = Collector.start(s, '/x/', await s.currentRevision());
    await s.create('/x/a', 'v');
    await canceled.waitFor(1);
    canceled.watch.cancel();
    canceled.watch.cancel(); // idempotent
    await s.create('/x/b', 'v');
    await s.update('/x/a', 'w', 0);
    await witness.waitFor(3);
    await sleep(30);
    assert.equal(canceled.events.length, 1);
    assert.equal(replaying.events.length, 0);
    assert.equal(canceled.errors.length + replaying.errors.length, 0);
    witness.watch.cancel();
  });

  test('a watch after a future revision fails with FutureRevision; after the current one it waits', async (s) => {
    await s.create('/f/a', 'v');
    const cur = await s.currentRevision();
    await failsWith(() => s.watch('/f/', { afterRevision: cur + 1, onEvents: () => {} }), 'FutureRevision');
    const c = Collector.start(s, '/f/', cur);
    await sleep(20);
    assert.equal(c.events.length, 0);
    await s.create('/f/b', 'v');
    assert.deepEqual(
      (await c.waitFor(1)).map((e) => e.kv.key),
      ['/f/b'],
    );
    c.watch.cancel();
  });

  test('batched concurrent writes reach watchers in revision order, matching their results', async (s) => {
    const c = Collector.start(s, '/b/', await s.currentRevision());
    const start = await s.currentRevision();
    const results = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => s.create(`/b/${String(i).padStart(4, '0')}`, `v${i}`)),
    );
    const revs = results.map((r) => r.revision);
    await c.waitFor(concurrency);
    assert.deepEqual(c.revisions(), range(start + 1, start + concurrency));
    const byKey = new Map(c.events.map((e) => [e.kv.key, e.kv.modRevision]));
    results.forEach((r, i) => assert.equal(byKey.get(`/b/${String(i).padStart(4, '0')}`), r.revision));
    assert.deepEqual(
      [...revs].sort((a, b) => a - b),
      range(start + 1, start + concurrency),
    );
    c.watch.cancel();
  });

  test('a long replay racing live writes delivers every revision exactly once, in order', async (s) => {
    const N = 2500;
    for (let i = 0; i < N; i += 250) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => s.create(`/long/${i + j}`, 'v')));
    }
    const c = Collector.start(s, '/long/', 0);
    const more: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      more.push(s.update(`/long/${i}`, 'w', 0));
      if (i % 10 === 0) await sleep(1);
    }
    await Promise.all(more);
    await c.waitFor(N + 50);
    await sleep(20);
    assert.deepEqual(c.revisions(), range(1, N + 50));
    c.watch.cancel();
  });

  test('a consumer watching everything sees puts and deletes with consistent prev chains', async (s) => {
    const c = Collector.start(s, '', 0);
    for (let i = 0; i < 20; i++) {
      const k = `/p/${i % 3}`;
      await s.update(k, `u${i}`, 0).catch(() => s.create(k, `c${i}`));
      if (i % 4 === 3) await s.delete(k, 0);
    }
    const n = await s.currentRevision();
    await c.waitFor(n);
    const state = new Map<string, StoreEvent['kv']>();
    for (const e of plain(c.events)) {
      assert.deepEqual(e.prev, state.get(e.kv.key));
      if (e.type === 'delete') {
        assert.equal(e.kv.value, e.prev!.value);
        assert.equal(e.kv.createRevision, e.prev!.createRevision);
        state.delete(e.kv.key);
      } else {
        state.set(e.kv.key, e.kv);
      }
    }
    c.watch.cancel();
  });
}
