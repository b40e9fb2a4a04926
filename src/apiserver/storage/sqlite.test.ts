import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { runStoreConformance } from './conformance.js';
import { Collector } from './conformance-util.js';
import { SqliteStore } from './sqlite.js';
import Database from 'better-sqlite3';

const root = mkdtempSync(join(tmpdir(), 'flotilla-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dbs = 0;
const freshPath = () => join(root, `db-${++dbs}.sqlite`);

runStoreConformance('sqlite', async () => {
  const store = SqliteStore.open(freshPath());
  return { store, cleanup: () => store.close() };
});

// Small batches and a small replay chunk would hide bugs the defaults mask; run the suite again with both tiny.
runStoreConformance('sqlite (synchronous FULL, maxBatch 3)', async () => {
  const store = SqliteStore.open(freshPath(), { synchronous: 'FULL', maxBatch: 3 });
  return { store, cleanup: () => store.close() };
});

describe('SqliteStore', () => {
  it('keeps data, revisions and history across close and reopen', async () => {
    const path = freshPath();
    let s = SqliteStore.open(path);
    await s.create('/a', '1'); // 1
    await s.create('/b', '1'); // 2
    await s.update('/a', '2', 0); // 3
    await s.delete('/b', 0); // 4
    await s.create('/c', '1'); // 5
    await s.compact(3);
    await s.close();

    s = SqliteStore.open(path);
    assert.equal(await s.currentRevision(), 5);
    assert.equal(s.compactedRevision(), 3);
    assert.deepEqual(await s.get('/a'), { key: '/a', value: '2', createRevision: 1, modRevision: 3 });
    assert.deepEqual(
      (await s.list('/', { revision: 3 })).items.map((kv) => `${kv.key}=${kv.value}`),
      ['/a=2', '/b=1'],
    );
    const w = Collector.start(s, '/', 3);
    await w.waitFor(2);
    assert.deepEqual(
      w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`),
      ['delete /b 4', 'put /c 5'],
    );
    w.watch.cancel();
    const next = await s.update('/a', '3', 3);
    assert.equal(next.revision, 6, 'the revision continues, it is not reset');
    await s.close();
  });

  it('groups writes issued in the same tick into one transaction', async () => {
    const s = SqliteStore.open(freshPath());
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`/g/${i}`, 'v')));
    assert.equal(s.stats.writes, 200);
    assert.equal(s.stats.commits, 1);
    for (let i = 0; i < 5; i++) await s.update('/g/0', `v${i}`, 0);
    assert.equal(s.stats.commits, 6);
    await s.close();
  });

  it('compaction deletes superseded rows and tombstones, keeping one row per live key', async () => {
    const path = freshPath();
    const s = SqliteStore.open(path);
    for (let i = 0; i < 50; i++) await s.create(`/k/${i}`, 'v0');
    for (let i = 0; i < 50; i += 2) await s.update(`/k/${i}`, 'v1', 0);
    for (let i = 0; i < 50; i += 5) await s.delete(`/k/${i}`, 0);
    const mid = await s.currentRevision();
    await s.update('/k/1', 'after', 0);
    await s.delete('/k/3', 0);
    await s.compact(mid);
    await s.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT key, deleted FROM kv ORDER BY rev').all() as { key: string; deleted: number }[];
    db.close();
    // 40 live keys at mid, one row each; plus the two later writes (the delete's prev row is one of the 40).
    assert.equal(rows.length, 42);
    assert.equal(rows.filter((r) => r.deleted).length, 1);
    assert.equal(new Set(rows.slice(0, 40).map((r) => r.key)).size, 40);
  });

  it('does not reuse a revision when compaction removed the newest row', async () => {
    const path = freshPath();
    let s = SqliteStore.open(path);
    await s.create('/a', '1');
    await s.delete('/a', 0); // 2: a tombstone, the only row left, removed by compacting at 2
    await s.compact(2);
    await s.close();
    s = SqliteStore.open(path);
    assert.equal(await s.currentRevision(), 2);
    assert.equal((await s.create('/a', 'again')).revision, 3);
    await s.close();
  });

  it('compacts large histories in chunks and finishes an interrupted compaction on reopen', async () => {
    const path = freshPath();
    let s = SqliteStore.open(path);
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 3000 }, (_, i) => (round ? s.update(`/k/${i}`, `v${round}`, 0) : s.create(`/k/${i}`, 'v0'))));
    }
    const cur = await s.currentRevision();
    const compaction = s.compact(cur);
    await s.close(); // stops between chunks
    await compaction;
    s = SqliteStore.open(path);
    assert.equal(s.compactedRevision(), cur);
    await s.compact(cur); // waits for the resumed deletion
    const items = (await s.list('/k/')).items;
    assert.equal(items.length, 3000);
    assert.ok(items.every((kv) => kv.value === 'v3'));
    await s.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare('SELECT COUNT(*) FROM kv').pluck().get(), 3000, 'the resumed compaction deleted the history');
    db.close();
  });

  it('a second opener of the same file is refused while the first holds it', async () => {
    const path = freshPath();
    const s = SqliteStore.open(path);
    await s.create('/a', '1');
    assert.throws(() => SqliteStore.open(path, { busyTimeoutMs: 50 }), /locked|busy/i);
    await s.close();
    const again = SqliteStore.open(path);
    assert.equal(await again.currentRevision(), 1);
    await again.close();
  });

  for (const sync of ['NORMAL', 'FULL'] as const) {
    it(`loses no acknowledged write when the writer is killed with SIGKILL (synchronous ${sync})`, async () => {
      const path = freshPath();
      const fixture = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-crash-writer.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, path, sync], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const acked = new Map<string, number>();
      let buf = '';
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', () => reject(new Error('writer exited before it was killed')));
        child.stdout!.on('data', (chunk: Buffer) => {
          buf += chunk.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const line of lines) {
            const [key, rev] = line.split(' ');
            if (rev) acked.set(key!, Number(rev));
          }
          if (acked.size >= 500 && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      assert.equal(await exited, 'SIGKILL');
      // Lines that reached the pipe before the kill are acknowledged writes too.
      for (const line of buf.split('\n')) {
        const [key, rev] = line.split(' ');
        if (rev) acked.set(key!, Number(rev));
      }
      const s = SqliteStore.open(path);
      for (const [key, rev] of acked) {
        const kv = await s.get(key);
        assert.ok(kv, `acknowledged ${key} lost`);
        assert.equal(kv.modRevision, rev);
      }
      const cur = await s.currentRevision();
      assert.ok(cur >= Math.max(...acked.values()));
      assert.equal(await s.count('/crash/'), cur, 'every revision on disk is one create');
      await s.close();
    });
  }
});
