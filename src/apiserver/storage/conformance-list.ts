import assert from 'node:assert/strict';
import type { Store } from './store.js';
import type { Suite } from './conformance-util.js';
import { failsWith, plain, rng } from './conformance-util.js';

const keysOf = async (s: Store, prefix: string, opts = {}) => (await s.list(prefix, opts)).items.map((kv) => kv.key);

export function listTests({ test }: Suite): void {
  test('list returns the keys under a prefix in key order with their revisions', async (s) => {
    const keys = Array.from({ length: 40 }, (_, i) => `/pods/ns/p${String(i).padStart(2, '0')}`);
    const shuffled = [...keys];
    const r = rng(1);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const revs = new Map<string, number>();
    for (const k of shuffled) revs.set(k, (await s.create(k, `v:${k}`)).revision);
    await s.create('/other/x', 'o');
    const res = await s.list('/pods/');
    assert.equal(res.revision, await s.currentRevision());
    assert.equal(res.more, false);
    assert.deepEqual(
      plain(res.items),
      keys.map((k) => ({ key: k, value: `v:${k}`, createRevision: revs.get(k), modRevision: revs.get(k) })),
    );
  });

  test('a prefix matches whole key prefixes only: /a/b/ excludes /a/bc/x and /a/b', async (s) => {
    for (const k of ['/a/b', '/a/b/', '/a/b/c', '/a/b/c/d', '/a/bc/x', '/a/b0', '/a/a/z', '/a/c']) await s.create(k, k);
    assert.deepEqual(await keysOf(s, '/a/b/'), ['/a/b/', '/a/b/c', '/a/b/c/d']);
    assert.equal(await s.count('/a/b/'), 3);
    assert.deepEqual(await keysOf(s, '/a/b'), ['/a/b', '/a/b/', '/a/b/c', '/a/b/c/d', '/a/b0', '/a/bc/x']);
    assert.deepEqual(await keysOf(s, '/nope/'), []);
  });

  test('keys sort by their UTF-8 bytes (code points), not UTF-16 units', async (s) => {
    // In UTF-16, U+1F600 (a surrogate pair, D83D…) sorts before U+FF01; in UTF-8 (F0… vs EF…) after.
    const sorted = ['/k/-', '/k/.', '/k/0', '/k/A', '/k/_', '/k/a', '/k/a-b', '/k/a.b', '/k/é', '/k/\uff01', '/k/\u{1f600}'];
    for (const k of [...sorted].reverse()) await s.create(k, 'v');
    assert.deepEqual(await keysOf(s, '/k/'), sorted);
    const page = await s.list('/k/', { startKey: '/k/\uff01', limit: 1 });
    assert.deepEqual(
      page.items.map((kv) => kv.key),
      ['/k/\uff01'],
    );
    assert.equal(page.more, true);
    assert.deepEqual(await keysOf(s, '/k/\uff01'), ['/k/\uff01']);
  });

  test('limit and startKey page through a prefix; more says whether keys remain', async (s) => {
    const keys = Array.from({ length: 10 }, (_, i) => `/p/k${i}`);
    for (const k of keys) await s.create(k, k);
    await s.create('/q/after', 'x');
    const first = await s.list('/p/', { limit: 3 });
    assert.deepEqual(
      first.items.map((kv) => kv.key),
      keys.slice(0, 3),
    );
    assert.equal(first.more, true);
    // Walk the pages the way continue tokens do: next start = last key + '\0'.
    const seen: string[] = [];
    let startKey: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await s.list('/p/', { limit: 3, startKey });
      seen.push(...page.items.map((kv) => kv.key));
      pages++;
      if (!page.more) break;
      startKey = page.items[page.items.length - 1]!.key + '\0';
    }
    assert.deepEqual(seen, keys);
    assert.equal(pages, 4);
    // startKey is inclusive; a limit equal to what remains leaves more false.
    const tail = await s.list('/p/', { startKey: '/p/k7', limit: 3 });
    assert.deepEqual(
      tail.items.map((kv) => kv.key),
      ['/p/k7', '/p/k8', '/p/k9'],
    );
    assert.equal(tail.more, false);
    const exact = await s.list('/p/', { limit: 10 });
    assert.equal(exact.items.length, 10);
    assert.equal(exact.more, false);
    assert.equal((await s.list('/p/', { limit: 0 })).items.length, 10);
    const past = await s.list('/p/', { startKey: '/p/k9\0' });
    assert.deepEqual(past.items, []);
    assert.equal(past.more, false);
  });

  test('limit skips deleted keys when deciding more', async (s) => {
    for (const k of ['/d/a', '/d/b', '/d/c', '/d/d']) await s.create(k, k);
    await s.delete('/d/b', 0);
    await s.delete('/d/d', 0);
    const page = await s.list('/d/', { limit: 2 });
    assert.deepEqual(
      page.items.map((kv) => kv.key),
      ['/d/a', '/d/c'],
    );
    assert.equal(page.more, false);
  });

  test('list at an older revision returns that snapshot', async (s) => {
    const a = await s.create('/h/a', 'a1');
    const b = await s.create('/h/b', 'b1');
    await s.create('/h/c', 'c1');
    const snap = await s.currentRevision();
    const expected = plain((await s.list('/h/')).items);
    await s.update('/h/a', 'a2', 0); // changed later: the old value must show
    await s.delete('/h/b', 0); // deleted later: must still be listed
    await s.delete('/h/c', 0);
    await s.create('/h/c', 'c2'); // re-created later: the old incarnation must show
    await s.create('/h/d', 'd1'); // created later: must not show
    await s.create('/h/0', 'z'); // sorts first, created later
    const old = await s.list('/h/', { revision: snap });
    assert.equal(old.revision, snap);
    assert.deepEqual(plain(old.items), expected);
    assert.deepEqual(plain(old.items.slice(0, 2)), [
      { key: '/h/a', value: 'a1', createRevision: a.revision, modRevision: a.revision },
      { key: '/h/b', value: 'b1', createRevision: b.revision, modRevision: b.revision },
    ]);
    // Explicitly asking for the current revision is the same as asking for none.
    const cur = await s.currentRevision();
    assert.deepEqual(plain(await s.list('/h/', { revision: cur })), plain(await s.list('/h/')));
    assert.deepEqual(await keysOf(s, '/h/'), ['/h/0', '/h/a', '/h/c', '/h/d']);
  });

  test('paging at an older revision (continue tokens) keeps the snapshot across writes', async (s) => {
    for (let i = 0; i < 9; i++) await s.create(`/c/k${i}`, 'v1');
    const first = await s.list('/c/', { limit: 4 });
    const at = first.revision;
    // Writes between pages: delete a key on a later page, add one, update one.
    await s.delete('/c/k6', 0);
    await s.create('/c/k55', 'new');
    await s.update('/c/k8', 'v2', 0);
    const seen = first.items.map((kv) => kv.key);
    let startKey = seen[seen.length - 1]! + '\0';
    for (;;) {
      const page = await s.list('/c/', { limit: 4, startKey, revision: at });
      assert.equal(page.revision, at);
      for (const kv of page.items) {
        seen.push(kv.key);
        assert.equal(kv.value, 'v1');
      }
      if (!page.more) break;
      startKey = page.items[page.items.length - 1]!.key + '\0';
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 9 }, (_, i) => `/c/k${i}`),
    );
  });

  test('list at a future revision fails with FutureRevision', async (s) => {
    await s.create('/f/a', 'v');
    const cur = await s.currentRevision();
    await failsWith(() => s.list('/f/', { revision: cur + 1 }), 'FutureRevision');
    await failsWith(() => s.list('/f/', { revision: cur + 1000 }), 'FutureRevision');
  });

  test('count counts live keys under a prefix', async (s) => {
    for (let i = 0; i < 7; i++) await s.create(`/n/a/${i}`, 'v');
    for (let i = 0; i < 3; i++) await s.create(`/n/ab/${i}`, 'v');
    await s.delete('/n/a/3', 0);
    await s.update('/n/a/4', 'w', 0);
    assert.equal(await s.count('/n/a/'), 6);
    assert.equal(await s.count('/n/a'), 9);
    assert.equal(await s.count('/n/'), 9);
    assert.equal(await s.count('/none/'), 0);
  });

  test('an empty prefix lists every key', async (s) => {
    for (const k of ['/b', '/a/x', 'z', '\u{1f600}']) await s.create(k, 'v');
    assert.deepEqual(await keysOf(s, ''), ['/a/x', '/b', 'z', '\u{1f600}']);
    assert.deepEqual(await keysOf(s, '', { revision: 2 }), ['/a/x', '/b']);
    assert.equal(await s.count(''), 4);
  });
}
