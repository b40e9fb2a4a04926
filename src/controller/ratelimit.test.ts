import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../util/clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './ratelimit.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure from the base, per key, and caps at max', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 100);
    assert.deepEqual(
      Array.from({ length: 7 }, () => rl.when('a')),
      [5, 10, 20, 40, 80, 100, 100],
    );
    assert.equal(rl.numRequeues('a'), 7);
    assert.equal(rl.when('b'), 5);
    rl.forget('a');
    assert.equal(rl.numRequeues('a'), 0);
    assert.equal(rl.when('a'), 5);
  });

  it('defaults to 5 ms .. 1000 s and never overflows', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>();
    const delays = Array.from({ length: 2000 }, () => rl.when('k'));
    assert.equal(delays[0], 5);
    assert.equal(delays[17], 5 * 2 ** 17);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays[1999], 1_000_000);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through, then spaces calls at qps, refilling over time', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>(10, 3, clock);
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((k) => rl.when(k)),
      [0, 0, 0, 100, 200],
    );
    // 2 tokens are owed; one second refills 10 but the bucket holds at most 3.
    clock.step(1000);
    assert.deepEqual(
      Array.from({ length: 4 }, () => rl.when('x')),
      [0, 0, 0, 100],
    );
    clock.step(50);
    assert.equal(rl.when('x'), 150);
    assert.equal(rl.numRequeues('x'), 0);
  });

  it('defaults to 10 qps with a burst of 100', () => {
    const rl = new BucketRateLimiter<number>(undefined, undefined, new FakeClock());
    for (let i = 0; i < 100; i++) assert.equal(rl.when(i), 0);
    assert.equal(rl.when(100), 100);
  });

  it('rejects nonsense settings', () => {
    assert.throws(() => new BucketRateLimiter(0, 1), RangeError);
    assert.throws(() => new BucketRateLimiter(1, 0), RangeError);
  });
});

describe('MaxOfRateLimiter', () => {
  it('takes the largest delay and requeue count, and forgets everywhere', () => {
    const clock = new FakeClock();
    const rl = new MaxOfRateLimiter<string>(
      new ItemExponentialFailureRateLimiter(10, 1000),
      new BucketRateLimiter(1, 2, clock),
    );
    assert.equal(rl.when('a'), 10);
    assert.equal(rl.when('a'), 20);
    assert.equal(rl.when('b'), 1000); // the bucket is empty now
    assert.equal(rl.numRequeues('a'), 2);
    rl.forget('a');
    assert.equal(rl.numRequeues('a'), 0);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is exponential per key until the shared bucket runs dry', () => {
    const rl = defaultControllerRateLimiter<string>(new FakeClock());
    assert.deepEqual([rl.when('a'), rl.when('a'), rl.when('a')], [5, 10, 20]);
    for (let i = 0; i < 97; i++) rl.when(`k${i}`);
    assert.equal(rl.when('fresh'), 100);
  });
});
