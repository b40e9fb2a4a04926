import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, flush, realClock } from './clock.js';

describe('FakeClock', () => {
  it('starts where told and moves only when stepped', () => {
    const clock = new FakeClock(1000);
    assert.equal(clock.now(), 1000);
    clock.step(250);
    assert.equal(clock.now(), 1250);
    clock.setTime(2000);
    assert.equal(clock.now(), 2000);
    assert.throws(() => clock.setTime(1999), RangeError);
  });

  it('fires due timers in time order, creation order on ties, with now() at each due time', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const at = (name: string) => () => fired.push(`${name}@${clock.now()}`);
    clock.setTimeout(at('c'), 30);
    clock.setTimeout(at('a'), 10);
    clock.setTimeout(at('b1'), 20);
    clock.setTimeout(at('b2'), 20);
    clock.setTimeout(at('late'), 100);
    clock.step(50);
    assert.deepEqual(fired, ['a@10', 'b1@20', 'b2@20', 'c@30']);
    assert.equal(clock.now(), 50);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.nextTimerAt(), 100);
  });

  it('fires timers scheduled by callbacks when they fall inside the step', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 0);
      clock.setTimeout(() => {
        fired.push(clock.now());
        clock.setTimeout(() => fired.push(clock.now()), 15);
      }, 15);
      clock.setTimeout(() => fired.push(clock.now()), 100);
    }, 10);
    clock.step(40);
    assert.deepEqual(fired, [10, 10, 25, 40]);
    assert.equal(clock.pendingTimers(), 1);
    clock.setTime(110);
    assert.deepEqual(fired, [10, 10, 25, 40, 110]);
  });

  it('treats negative delays as zero and fires exactly at the boundary', () => {
    const clock = new FakeClock(5);
    let fired = 0;
    clock.setTimeout(() => fired++, -10);
    clock.setTimeout(() => fired++, 7);
    clock.step(0);
    assert.equal(fired, 1);
    clock.step(7);
    assert.equal(fired, 2);
  });

  it('clearTimeout cancels, and is harmless on fired timers', () => {
    const clock = new FakeClock();
    let fired = 0;
    const a = clock.setTimeout(() => fired++, 10);
    const b = clock.setTimeout(() => fired++, 20);
    clock.clearTimeout(a);
    assert.equal(clock.pendingTimers(), 1);
    clock.step(20);
    clock.clearTimeout(b);
    clock.clearTimeout(a);
    assert.equal(fired, 1);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('keeps firing after a callback throws, then rethrows the first error', () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    clock.setTimeout(() => fired++, 2);
    assert.throws(() => clock.step(5), /boom/);
    assert.equal(fired, 1);
    assert.equal(clock.now(), 5);
  });

  it('refuses to spin forever on a self-rescheduling zero-delay timer', () => {
    const clock = new FakeClock();
    const again = (): void => void clock.setTimeout(again, 0);
    clock.setTimeout(again, 0);
    assert.throws(() => clock.step(1), /keeps rescheduling/);
  });

  it('sleep resolves when time reaches it', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = clock.sleep(100).then(() => (done = true));
    clock.step(99);
    await flush();
    assert.equal(done, false);
    clock.step(1);
    await p;
    assert.equal(done, true);
  });

  it('sleep rejects with the abort reason and clears its timer', async () => {
    const clock = new FakeClock();
    const ac = new AbortController();
    const p = clock.sleep(100, ac.signal);
    assert.equal(clock.pendingTimers(), 1);
    ac.abort(new Error('stop'));
    await assert.rejects(p, /stop/);
    assert.equal(clock.pendingTimers(), 0);
    await assert.rejects(clock.sleep(1, ac.signal), /stop/);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('step does not run promise continuations in between; stepAsync does', async () => {
    const loop = async (clock: FakeClock, ticks: number[]): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    };
    const sync = new FakeClock();
    const syncTicks: number[] = [];
    void loop(sync, syncTicks);
    sync.step(30);
    await flush();
    // The first sleep fired; its continuation ran only after step() returned, so the second
    // sleep started at 30 and is still pending.
    assert.deepEqual(syncTicks, [30]);
    assert.equal(sync.nextTimerAt(), 40);

    const async = new FakeClock();
    const asyncTicks: number[] = [];
    const done = loop(async, asyncTicks);
    await async.stepAsync(30);
    await done;
    assert.deepEqual(asyncTicks, [10, 20, 30]);
    assert.equal(async.now(), 30);
  });
});

describe('flush', () => {
  it('lets chained promise continuations run', async () => {
    let n = 0;
    void Promise.resolve()
      .then(() => n++)
      .then(() => n++)
      .then(async () => {
        await null;
        n++;
      });
    await flush();
    assert.equal(n, 3);
  });
});

describe('realClock', () => {
  it('sleeps briefly and can be aborted', async () => {
    const start = realClock.now();
    await realClock.sleep(2);
    assert.ok(realClock.now() - start >= 1);
    const ac = new AbortController();
    const p = realClock.sleep(60_000, ac.signal);
    ac.abort();
    await assert.rejects(p, { name: 'AbortError' });
  });

  it('setTimeout / clearTimeout', async () => {
    let fired = false;
    const h = realClock.setTimeout(() => (fired = true), 1);
    realClock.clearTimeout(h);
    await realClock.sleep(3);
    assert.equal(fired, false);
  });
});
