import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, rangeEnd } from './keys.js';
import { SortedKeys } from './sorted-keys.js';
import { rng } from './conformance-util.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareKeys', () => {
  it('orders like the UTF-8 bytes', () => {
    const chars = ['a', 'z', '/', '-', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uff01', '\uffff', '\u{10000}', '\u{1f600}', '\u{10ffff}'];
    const r = rng(3);
    for (let i = 0; i < 2000; i++) {
      const mk = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => chars[Math.floor(r() * chars.length)]).join('');
      const a = mk();
      const b = mk();
      assert.equal(Math.sign(compareKeys(a, b)), Math.sign(utf8Compare(a, b)), `${a} vs ${b}`);
    }
  });

  it('rangeEnd bounds exactly the keys with the prefix', () => {
    assert.equal(rangeEnd('/a/'), '/a0');
    assert.equal(rangeEnd(''), null);
    assert.equal(rangeEnd('\u{10ffff}'), null);
    assert.equal(rangeEnd('a\u{10ffff}'), 'b');
    assert.equal(rangeEnd('a\ud7ff'), 'a\ue000');
    assert.equal(rangeEnd('a\uffff'), 'a\u{10000}');
  });
});

describe('SortedKeys', () => {
  for (const wide of [false, true]) {
    it(`matches a sorted array under random adds and deletes (${wide ? 'with' : 'without'} non-BMP keys)`, () => {
      const r = rng(wide ? 11 : 12);
      const alphabet = wide ? ['a', 'b', '/', '\uff01', '\u{1f600}'] : ['a', 'b', '/', '0', 'é'];
      const s = new SortedKeys();
      const ref = new Set<string>();
      for (let i = 0; i < 20_000; i++) {
        const key = Array.from({ length: 1 + Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
        if (r() < 0.6) {
          assert.equal(s.add(key), !ref.has(key));
          ref.add(key);
        } else {
          assert.equal(s.delete(key), ref.delete(key));
        }
        assert.equal(s.size, ref.size);
      }
      const want = [...ref].sort(compareKeys);
      const got: string[] = [];
      s.scan('', (k) => got.push(k) > 0);
      assert.deepEqual(got, want);
      for (const start of ['a', 'b/', '\uff01', '\u{1f600}', 'zz']) {
        const from: string[] = [];
        s.scan(start, (k) => from.push(k) < 5);
        assert.deepEqual(from, want.filter((k) => compareKeys(k, start) >= 0).slice(0, 5), `scan from ${start}`);
      }
      for (const k of want.slice(0, 50)) assert.ok(s.has(k));
      assert.deepEqual(
        (() => {
          const x: string[] = [];
          SortedKeys.fromSorted(want).scan('', (k) => x.push(k) > 0);
          return x;
        })(),
        want,
      );
    });
  }
});
