import assert from 'node:assert/strict';
import type { Suite } from './conformance-util.js';
import { plain, rejectsWith } from './conformance-util.js';

export function kvTests({ test }: Suite): void {
  test('a new store is empty at revision 0', async (s) => {
    assert.equal(await s.currentRevision(), 0);
    assert.equal(s.compactedRevision(), 0);
    assert.equal(await s.get('/a'), null);
    assert.deepEqual(plain(await s.list('/')), { items: [], revision: 0, more: false });
    assert.equal(await s.count('/'), 0);
  });

  test('create then get returns the value with create and mod revision of the write', async (s) => {
    const { revision } = await s.create('/r/a', 'v1');
    assert.equal(revision, 1);
    assert.deepEqual(plain(await s.get('/r/a')), { key: '/r/a', value: 'v1', createRevision: 1, modRevision: 1 });
    assert.equal(await s.currentRevision(), 1);
  });

  test('create of an existing key fails with KeyExists and does not consume a revision', async (s) => {
    await s.create('/r/a', 'v1');
    await rejectsWith(s.create('/r/a', 'v2'), 'KeyExists');
    assert.equal(await s.currentRevision(), 1);
    assert.equal((await s.get('/r/a'))!.value, 'v1');
  });

  test('update without precondition replaces the value and keeps createRevision', async (s) => {
    const c = await s.create('/r/a', 'v1');
    await s.create('/r/b', 'x');
    const u = await s.update('/r/a', 'v2', 0);
    assert.equal(u.revision, c.revision + 2);
    assert.deepEqual(plain(await s.get('/r/a')), {
      key: '/r/a',
      value: 'v2',
      createRevision: c.revision,
      modRevision: u.revision,
    });
  });

  test('update with a matching precondition succeeds; a stale one fails with Conflict', async (s) => {
    const c = await s.create('/r/a', 'v1');
    const u = await s.update('/r/a', 'v2', c.revision);
    await rejectsWith(s.update('/r/a', 'v3', c.revision), 'Conflict');
    await rejectsWith(s.update('/r/a', 'v3', u.revision + 100), 'Conflict');
    assert.equal(await s.currentRevision(), u.revision);
    assert.equal((await s.get('/r/a'))!.value, 'v2');
    const u2 = await s.update('/r/a', 'v3', u.revision);
    assert.equal(u2.revision, u.revision + 1);
  });

  test('update of a missing or deleted key fails with NotFound', async (s) => {
    await rejectsWith(s.update('/r/none', 'v', 0), 'NotFound');
    await rejectsWith(s.update('/r/none', 'v', 5), 'NotFound');
    const c = await s.create('/r/a', 'v1');
    await s.delete('/r/a', 0);
    await rejectsWith(s.update('/r/a', 'v2', 0), 'NotFound');
    await rejectsWith(s.update('/r/a', 'v2', c.revision), 'NotFound');
    assert.equal(await s.currentRevision(), c.revision + 1);
  });

  test('delete returns the deleted value and its revision; the key is gone', async (s) => {
    const c = await s.create('/r/a', 'v1');
    const u = await s.update('/r/a', 'v2', 0);
    const d = await s.delete('/r/a', 0);
    assert.equal(d.revision, u.revision + 1);
    assert.deepEqual(plain(d.prev), { key: '/r/a', value: 'v2', createRevision: c.revision, modRevision: u.revision });
    assert.equal(await s.get('/r/a'), null);
    assert.equal(await s.count('/r/'), 0);
  });

  test('delete with a precondition: stale fails with Conflict and keeps the key; matching deletes', async (s) => {
    const c = await s.create('/r/a', 'v1');
    const u = await s.update('/r/a', 'v2', 0);
    await rejectsWith(s.delete('/r/a', c.revision), 'Conflict');
    assert.equal((await s.get('/r/a'))!.value, 'v2');
    assert.equal(await s.currentRevision(), u.revision);
    const d = await s.delete('/r/a', u.revision);
    assert.equal(d.prev.modRevision, u.revision);
    assert.equal(await s.get('/r/a'), null);
  });

  test('delete of a missing key fails with NotFound', async (s) => {
    await rejectsWith(s.delete('/r/none', 0), 'NotFound');
    await s.create('/r/a', 'v');
    await s.delete('/r/a', 0);
    await rejectsWith(s.delete('/r/a', 0), 'NotFound');
    assert.equal(await s.currentRevision(), 2);
  });

  test('every successful write bumps the global revision by exactly one, across keys', async (s) => {
    let last = await s.currentRevision();
    const step = async (p: Promise<{ revision: number }>) => {
      const { revision } = await p;
      assert.equal(revision, last + 1);
      last = revision;
      assert.equal(await s.currentRevision(), revision);
    };
    await step(s.create('/x/1', 'a'));
    await step(s.create('/y/1', 'b'));
    await step(s.update('/x/1', 'c', 0));
    await rejectsWith(s.create('/y/1', 'dup'), 'KeyExists');
    await rejectsWith(s.update('/z/1', 'nope', 0), 'NotFound');
    await step(s.delete('/y/1', 0));
    await step(s.create('/y/1', 'again'));
    await step(s.update('/y/1', 'e', last));
  });

  test('createRevision survives updates and is reset by delete and re-create', async (s) => {
    const c1 = await s.create('/r/a', 'v1');
    await s.update('/r/a', 'v2', 0);
    await s.update('/r/a', 'v3', 0);
    assert.equal((await s.get('/r/a'))!.createRevision, c1.revision);
    await s.delete('/r/a', 0);
    const c2 = await s.create('/r/a', 'v4');
    assert.deepEqual(plain(await s.get('/r/a')), {
      key: '/r/a',
      value: 'v4',
      createRevision: c2.revision,
      modRevision: c2.revision,
    });
  });

  test('values round-trip exactly: empty, large, unicode, JSON', async (s) => {
    const values = ['', 'x'.repeat(1 << 20), 'héllo wörld ✓ 😀 \u0000 \n\t"\\', JSON.stringify({ a: [1, { b: null }] })];
    for (const [i, v] of values.entries()) await s.create(`/v/${i}`, v);
    for (const [i, v] of values.entries()) assert.equal((await s.get(`/v/${i}`))!.value, v);
    const { items } = await s.list('/v/');
    assert.deepEqual(
      items.map((kv) => kv.value),
      values,
    );
    await s.update('/v/0', 'x', 0);
    await s.update('/v/0', '', 0);
    assert.equal((await s.get('/v/0'))!.value, '');
  });

  test('close is idempotent and later calls fail with Unavailable', async (s) => {
    await s.create('/r/a', 'v');
    await s.close();
    await s.close();
    await rejectsWith(s.get('/r/a'), 'Unavailable');
    await rejectsWith(s.create('/r/b', 'v'), 'Unavailable');
  });
}
