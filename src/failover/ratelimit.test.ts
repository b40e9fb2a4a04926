import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './ratelimit.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces takes at the rate', () => {
    const b = new TokenBucket(2, 2); // 2/s, burst 2
    assert.equal(b.tryTake(0), 0);
    assert.equal(b.tryTake(0), 0);
    assert.equal(b.tryTake(0), 500);
    assert.equal(b.tryTake(499), 2);
    assert.equal(b.tryTake(500), 0);
    assert.equal(b.tryTake(500), 500);
  });

  it('tryTake never holds a token while waiting', () => {
    const b = new TokenBucket(1, 1);
    b.tryTake(0);
    for (let i = 0; i < 5; i++) assert.equal(b.tryTake(0), 1000);
    assert.equal(b.tryTake(1000), 0);
  });

  it('reservations queue up in order; each waiter wakes once', () => {
    const b = new TokenBucket(10, 1);
    assert.deepEqual([b.reserve(0), b.reserve(0), b.reserve(0), b.reserve(0)], [0, 100, 200, 300]);
    // A waiter that no longer needs its turn gives it back: the next reservation moves up.
    b.cancel(0);
    assert.equal(b.reserve(0), 300);
  });

  it('refills up to the burst only', () => {
    const b = new TokenBucket(5, 3);
    for (let i = 0; i < 3; i++) b.tryTake(0);
    assert.equal(b.available(10_000), 3);
  });

  it('rate <= 0 is unlimited; default burst is one second of tokens', () => {
    const u = new TokenBucket(0);
    for (let i = 0; i < 100; i++) assert.equal(u.reserve(0), 0);
    assert.equal(u.unlimited, true);
    const d = new TokenBucket(10);
    assert.equal(d.available(0), 10);
    const slow = new TokenBucket(0.5);
    assert.equal(slow.available(0), 1);
    slow.tryTake(0);
    assert.equal(slow.tryTake(0), 2000);
  });

  it('time going backwards does not mint tokens', () => {
    const b = new TokenBucket(1, 1);
    b.tryTake(1000);
    assert.equal(b.tryTake(500), 1000);
    assert.equal(b.tryTake(2000), 0);
  });
});
