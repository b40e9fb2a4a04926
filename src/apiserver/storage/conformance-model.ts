import assert from 'node:assert/strict';
import type { KeyValue, StoreEvent } from './store.js';
import { StoreError } from './store.js';
import type { Suite } from './conformance-util.js';
import { Collector, plain, rng } from './conformance-util.js';

/**
 * Random operations checked against a reference model: a Map per revision. Every result, every
 * list at every retained revision, and the whole event stream must match what the model says.
 */
export function modelTests({ test }: Suite): void {
  for (const seed of [7, 42]) {
    test(`random operations match a reference model (seed ${seed})`, async (s) => {
      const r = rng(seed);
      const keys = Array.from({ length: 12 }, (_, i) => `/m/${'abcdef'[i % 6]}${i}`);
      let state = new Map<string, KeyValue>();
      const history: Map<string, KeyValue>[] = [new Map()]; // history[rev] = state after rev
      const expectedEvents: StoreEvent[] = [];
      let compactedRev = 0;
      const watch = Collector.start(s, '/m/', 0);

      for (let step = 0; step < 300; step++) {
        const key = keys[Math.floor(r() * keys.length)]!;
        const cur = state.get(key);
        const rev = history.length;
        const roll = r();
        const stale = r() < 0.2; // sometimes use a wrong precondition
        const expect = (x: KeyValue) => (stale ? x.modRevision + 1 : r() < 0.5 ? 0 : x.modRevision);
        let code: string | undefined;
        try {
          if (roll < 0.4) {
            await s.create(key, `c${step}`);
            assert.ok(!cur, `create of existing ${key} succeeded`);
            const kv = { key, value: `c${step}`, createRevision: rev, modRevision: rev };
            expectedEvents.push({ type: 'put', kv });
            state = new Map(state).set(key, kv);
          } else if (roll < 0.8) {
            const pre = cur ? expect(cur) : 0;
            const res = await s.update(key, `u${step}`, pre);
            assert.ok(cur && (pre === 0 || pre === cur.modRevision), `update of ${key} should have failed`);
            assert.equal(res.revision, rev);
            const kv = { key, value: `u${step}`, createRevision: cur.createRevision, modRevision: rev };
            expectedEvents.push({ type: 'put', kv, prev: cur });
            state = new Map(state).set(key, kv);
          } else if (roll < 0.95) {
            const pre = cur ? expect(cur) : 0;
            const res = await s.delete(key, pre);
            assert.ok(cur && (pre === 0 || pre === cur.modRevision), `delete of ${key} should have failed`);
            assert.deepEqual(plain(res.prev), plain(cur));
            expectedEvents.push({ type: 'delete', kv: { ...cur, modRevision: rev }, prev: cur });
            state = new Map(state);
            state.delete(key);
          } else {
            const to = Math.max(compactedRev, rev - 1 - Math.floor(r() * 20));
            await s.compact(to);
            compactedRev = to;
            assert.equal(s.compactedRevision(), to);
            continue;
          }
          history.push(state);
        } catch (err) {
          if (err instanceof assert.AssertionError || !(err instanceof StoreError)) throw err;
          code = err.code;
          if (!cur) {
            assert.ok(roll >= 0.4, `create of absent ${key} failed with ${code}`);
            assert.equal(code, 'NotFound');
          } else {
            assert.equal(code, roll < 0.4 ? 'KeyExists' : 'Conflict');
          }
        }
        assert.equal(await s.currentRevision(), history.length - 1);
        assert.deepEqual(plain(await s.get(key)), plain(state.get(key) ?? null));
      }

      // Every retained revision lists exactly the model's state then, in key order, also paged.
      const current = history.length - 1;
      for (let rev = Math.max(1, compactedRev); rev <= current; rev++) {
        const want = [...history[rev]!.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
        assert.deepEqual(plain((await s.list('/m/', { revision: rev })).items), plain(want), `list at ${rev}`);
        const paged: KeyValue[] = [];
        let startKey: string | undefined;
        for (;;) {
          const page = await s.list('/m/', { revision: rev, limit: 5, startKey });
          paged.push(...page.items);
          if (!page.more) break;
          startKey = page.items[page.items.length - 1]!.key + '\0';
        }
        assert.deepEqual(plain(paged), plain(want), `paged list at ${rev}`);
      }
      assert.equal(await s.count('/m/'), history[current]!.size);

      // The live watch saw every event; a replay from the compacted revision sees the tail.
      await watch.waitFor(expectedEvents.length);
      assert.deepEqual(plain(watch.events), plain(expectedEvents));
      const replay = Collector.start(s, '/m/', compactedRev);
      const tail = expectedEvents.filter((e) => e.kv.modRevision > compactedRev);
      await replay.waitFor(tail.length);
      assert.deepEqual(plain(replay.events), plain(tail));
      watch.watch.cancel();
      replay.watch.cancel();
    });
  }
}
