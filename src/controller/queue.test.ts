import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, flush } from '../util/clock.js';
import { WorkQueue } from './queue.js';
import { ItemExponentialFailureRateLimiter } from './ratelimit.js';

const newQueue = (clock = new FakeClock()) =>
  new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000) });

/** Takes everything queued right now. */
async function drainNow(q: WorkQueue<string>): Promise<string[]> {
  const keys: string[] = [];
  while (q.len() > 0) keys.push((await q.get())!);
  return keys;
}

/** Whether p has settled after pending continuations ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await flush();
  return done;
}

describe('WorkQueue', () => {
  it('hands keys out in FIFO order and ignores adds of a key already queued', async () => {
    const q = newQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b', 'a']) q.add(k);
    assert.equal(q.len(), 3);
    assert.deepEqual(await drainNow(q), ['a', 'b', 'c']);
  });

  it('marks a key added while processing dirty and re-queues it on done', async () => {
    const q = newQueue();
    q.add('a');
    const key = await q.get();
    assert.equal(key, 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'not queued while processing');
    const next = q.get();
    assert.equal(await settled(next), false, 'no second worker gets it');
    q.done('a');
    assert.equal(await next, 'a');
    q.done('a');
    assert.equal(q.len(), 0);
    assert.equal(await settled(q.get()), false, 'processed once per dirty mark');
  });

  it('does not re-queue a key on done when nobody added it meanwhile', async () => {
    const q = newQueue();
    q.add('a');
    q.done((await q.get())!);
    q.done('a'); // a second done is a no-op
    assert.equal(q.len(), 0);
  });

  it('serves waiting getters in order as keys arrive', async () => {
    const q = newQueue();
    const g1 = q.get();
    const g2 = q.get();
    q.add('x');
    q.add('y');
    assert.deepEqual(await Promise.all([g1, g2]), ['x', 'y']);
  });

  it('addRateLimited backs off exponentially per key until forgotten', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const before = clock.now();
      q.addRateLimited('a');
      assert.equal(q.len(), 0);
      clock.setTime(clock.nextTimerAt()!);
      assert.equal(q.len(), 1);
      delays.push(clock.now() - before);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000]);
    assert.equal(q.numRequeues('a'), 9);
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
    q.addRateLimited('a');
    assert.equal(clock.nextTimerAt()! - clock.now(), 5);
  });

  it('addAfter: keys come out when due, in due order; the earliest addAfter for a key wins', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('mid', 200);
    q.addAfter('late', 400); // later: ignored
    q.addAfter('mid', 50); // earlier: replaces 200
    assert.equal(clock.pendingTimers(), 3);
    clock.step(99);
    assert.deepEqual(await drainNow(q), ['mid']);
    clock.step(1);
    assert.deepEqual(await drainNow(q), ['early']);
    clock.step(199);
    assert.deepEqual(await drainNow(q), []);
    clock.step(1);
    assert.deepEqual(await drainNow(q), ['late']);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('addAfter with no delay adds at once; a due key already queued is not duplicated', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.addAfter('a', 0);
    assert.equal(q.len(), 1);
    q.addAfter('a', 10);
    clock.step(10);
    assert.deepEqual(await drainNow(q), ['a']);
  });

  it('shutDown drops queued and delayed keys and releases getters', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    const processing = await q.get();
    q.add('a'); // dirty while processing
    q.shutDown();
    assert.equal(q.shuttingDown, true);
    assert.equal(q.len(), 0);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(await q.get(), undefined);
    q.add('d');
    q.addAfter('e', 1);
    q.addRateLimited('f');
    assert.equal(q.len(), 0);
    q.done(processing!);
    assert.equal(q.len(), 0, 'dirty keys are not re-queued after shutDown');
  });

  it('shutDown wakes workers blocked in get', async () => {
    const q = newQueue();
    const waiting = [q.get(), q.get()];
    q.shutDown();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
  });

  it('shutDownWithDrain hands out what was queued, refuses new keys, resolves when all are done', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('a');
    q.add('b');
    q.addAfter('later', 10);
    const first = (await q.get())!;
    q.add(first); // dirty while processing: still owed one more pass
    const drained = q.shutDownWithDrain();
    q.add('new');
    assert.equal(clock.pendingTimers(), 0, 'delayed keys are dropped');
    assert.equal(await settled(drained), false);

    const seen: string[] = [first];
    q.done(first);
    for (let k = await q.get(); k !== undefined; k = await q.get()) {
      seen.push(k);
      assert.equal(await settled(drained), false, 'not drained while a key is processing');
      q.done(k);
    }
    assert.deepEqual(seen, ['a', 'b', 'a']);
    await drained;
    assert.equal(await q.get(), undefined);
  });

  it('idle resolves once nothing is queued, processing, or due', async () => {
    const clock = new FakeClock();
    const q = newQueue(clock);
    q.add('a');
    q.addAfter('b', 50);
    const idle = q.idle();
    assert.equal(await settled(idle), false);
    const a = (await q.get())!;
    assert.equal(await settled(idle), false, 'a is processing');
    q.done(a);
    assert.equal(await settled(idle), true, 'b is only due later');

    const within = q.idle(100);
    assert.equal(await settled(within), false, 'b is due within 100 ms');
    clock.step(50);
    q.done((await q.get())!);
    assert.equal(await settled(within), true);
  });

  it('reports depth and retries to its metrics hooks', async () => {
    const depths: number[] = [];
    let retries = 0;
    const q = new WorkQueue<string>({
      clock: new FakeClock(),
      metrics: { depth: (n) => depths.push(n), retry: () => retries++ },
    });
    q.add('a');
    q.add('b');
    await q.get();
    q.addRateLimited('c');
    q.addRateLimited('c');
    assert.deepEqual(depths, [1, 2, 1]);
    assert.equal(retries, 2);
  });

  it('keeps FIFO order across many keys (head compaction)', async () => {
    const q = newQueue();
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    for (const k of keys.slice(0, 3000)) q.add(k);
    const out: string[] = [];
    for (let i = 0; i < 2500; i++) out.push((await q.get())!);
    for (const k of keys.slice(3000)) q.add(k);
    out.push(...(await drainNow(q)));
    assert.deepEqual(out, keys);
  });
});
