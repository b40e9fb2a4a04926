import assert from 'node:assert/strict';
import type { Suite } from './conformance-util.js';
import { Collector, range } from './conformance-util.js';
import { StoreError } from './store.js';

type Outcome = { ok: true; revision: number } | { ok: false; code: string };

const settle = (p: Promise<{ revision: number }>): Promise<Outcome> =>
  p.then(
    (r) => ({ ok: true as const, revision: r.revision }),
    (e: unknown) => ({ ok: false as const, code: e instanceof StoreError ? e.code : String(e) }),
  );

export function concurrencyTests({ test, concurrency, issueOrder }: Suite): void {
  test('concurrent creates, updates and deletes each get one outcome; revisions are contiguous', async (s) => {
    const n = Math.max(20, Math.floor(concurrency / 10)); // keys in each group
    const base = new Map<string, number>();
    for (let i = 0; i < n; i++) base.set(`/u/${i}`, (await s.create(`/u/${i}`, 'v0')).revision);
    for (let i = 0; i < n; i++) await s.create(`/d/${i}`, 'v0');
    const start = await s.currentRevision();
    const watch = Collector.start(s, '', start);

    type Op = { kind: string; key: string; run: () => Promise<{ revision: number }> };
    const ops: Op[] = [];
    const fill = concurrency - 6 * n; // the rest are plain creates of distinct keys
    for (let i = 0; i < Math.max(0, fill); i++) ops.push({ kind: 'create', key: `/c/${i}`, run: () => s.create(`/c/${i}`, 'v') });
    for (let i = 0; i < n; i++) {
      // Two creates of one new key: exactly one wins.
      ops.push({ kind: 'dup', key: `/dup/${i}`, run: () => s.create(`/dup/${i}`, 'first') });
      ops.push({ kind: 'dup', key: `/dup/${i}`, run: () => s.create(`/dup/${i}`, 'second') });
      // Two updates with the same precondition: exactly one wins.
      const rev = base.get(`/u/${i}`)!;
      ops.push({ kind: 'cas', key: `/u/${i}`, run: () => s.update(`/u/${i}`, 'a', rev) });
      ops.push({ kind: 'cas', key: `/u/${i}`, run: () => s.update(`/u/${i}`, 'b', rev) });
      // A delete racing an unconditional update of the same key: both order themselves.
      ops.push({ kind: 'del', key: `/d/${i}`, run: () => s.delete(`/d/${i}`, 0) });
      ops.push({ kind: 'upd', key: `/d/${i}`, run: () => s.update(`/d/${i}`, 'x', 0) });
    }
    const outcomes = await Promise.all(ops.map((op) => settle(op.run())));

    const won = outcomes.filter((o): o is { ok: true; revision: number } => o.ok);
    const revs = won.map((o) => o.revision).sort((a, b) => a - b);
    assert.deepEqual(revs, range(start + 1, start + won.length), 'revisions unique and contiguous');
    assert.equal(await s.currentRevision(), start + won.length);

    const byKey = new Map<string, { op: Op; o: Outcome }[]>();
    ops.forEach((op, i) => byKey.set(op.key, [...(byKey.get(op.key) ?? []), { op, o: outcomes[i]! }]));
    for (const [key, list] of byKey) {
      const kind = list[0]!.op.kind;
      const oks = list.filter((x) => x.o.ok).length;
      if (kind === 'create') assert.equal(oks, 1, key);
      if (kind === 'dup') {
        assert.equal(oks, 1, key);
        assert.deepEqual(list.filter((x) => !x.o.ok).map((x) => (x.o as { code: string }).code), ['KeyExists']);
      }
      if (kind === 'cas') {
        assert.equal(oks, 1, key);
        assert.deepEqual(list.filter((x) => !x.o.ok).map((x) => (x.o as { code: string }).code), ['Conflict']);
      }
      if (kind === 'del') {
        // The delete always succeeds; the update succeeds only if it came first.
        const [del, upd] = [list[0]!, list[1]!];
        assert.ok(del.o.ok, key);
        if (!upd.o.ok) assert.equal(upd.o.code, 'NotFound');
        else assert.ok(upd.o.revision < (del.o as { revision: number }).revision);
        assert.equal(await s.get(key), null);
      }
    }
    // The final state is the last successful write to each key.
    for (let i = 0; i < n; i++) {
      const cas = byKey.get(`/u/${i}`)!;
      const winner = cas.findIndex((x) => x.o.ok);
      const kv = await s.get(`/u/${i}`);
      assert.equal(kv!.value, winner === 0 ? 'a' : 'b');
      assert.equal(kv!.modRevision, (cas[winner]!.o as { revision: number }).revision);
      assert.equal(kv!.createRevision, base.get(`/u/${i}`));
    }
    // The watcher saw exactly the successful writes, in revision order.
    await watch.waitFor(won.length);
    assert.deepEqual(watch.revisions(), range(start + 1, start + won.length));
    watch.watch.cancel();
  });

  test('a write is visible to get and list as soon as its promise resolves', async (s) => {
    const checks = Array.from({ length: concurrency }, (_, i) =>
      s.create(`/vis/${i}`, `v${i}`).then(async ({ revision }) => {
        const kv = await s.get(`/vis/${i}`);
        assert.ok(kv, `/vis/${i} not visible after its create resolved`);
        assert.ok(kv.modRevision >= revision);
        assert.ok((await s.currentRevision()) >= revision);
        const listed = await s.list(`/vis/${i}`);
        assert.ok(listed.items.some((x) => x.key === `/vis/${i}`));
      }),
    );
    await Promise.all(checks);
    const deletes = Array.from({ length: 20 }, (_, i) =>
      s.delete(`/vis/${i}`, 0).then(async () => assert.equal(await s.get(`/vis/${i}`), null)),
    );
    await Promise.all(deletes);
  });

  test('one failing write in a batch does not fail the others', async (s) => {
    await s.create('/f/exists', 'v');
    const start = await s.currentRevision();
    const outcomes = await Promise.all([
      settle(s.create('/f/a', 'v')),
      settle(s.create('/f/exists', 'v')),
      settle(s.update('/f/missing', 'v', 0)),
      settle(s.create('/f/b', 'v')),
      settle(s.update('/f/exists', 'v', 999999)),
      settle(s.delete('/f/missing', 0)),
      settle(s.update('/f/a', 'v2', 0)),
    ]);
    const codes = outcomes.map((o) => (o.ok ? 'ok' : o.code));
    assert.deepEqual(codes.slice(0, 6), ['ok', 'KeyExists', 'NotFound', 'ok', 'Conflict', 'NotFound']);
    const revs = outcomes.filter((o) => o.ok).map((o) => (o as { revision: number }).revision);
    if (issueOrder) assert.equal(codes[6], 'ok');
    assert.deepEqual(
      [...revs].sort((a, b) => a - b),
      range(start + 1, start + revs.length),
    );
    if (issueOrder) assert.deepEqual(revs, range(start + 1, start + 3));
  });

  if (!issueOrder) return;

  test('writes issued together are applied in issue order and see each other', async (s) => {
    const start = await s.currentRevision();
    const [c, u, d, c2] = await Promise.all([
      s.create('/o/k', 'v1'),
      s.update('/o/k', 'v2', start + 1),
      s.delete('/o/k', start + 2),
      s.create('/o/k', 'v3'),
    ]);
    assert.deepEqual(
      [c.revision, u.revision, d.revision, c2.revision],
      range(start + 1, start + 4),
    );
    assert.equal(d.prev.value, 'v2');
    assert.equal(d.prev.createRevision, start + 1);
    const kv = await s.get('/o/k');
    assert.equal(kv!.value, 'v3');
    assert.equal(kv!.createRevision, start + 4);
  });
}
