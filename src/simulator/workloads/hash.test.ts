import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJSON, computeTemplateHash, controllerRevisionName, fnv32, fnv32a, hashRevisionData, SAFE_ALPHABET, safeEncodeString } from './hash.js';
import { parseDuration } from './duration.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('fnv32a / fnv32', () => {
  const cases: Array<[string, number, number]> = [
    // input, FNV-1a, FNV-1 (published test vectors)
    ['', 0x811c9dc5, 0x811c9dc5],
    ['a', 0xe40c292c, 0x050c5d7e],
    ['foobar', 0xbf9cf968, 0x31f0b262],
  ];
  for (const [input, a, one] of cases) {
    it(`hashes ${JSON.stringify(input)}`, () => {
      assert.equal(fnv32a(bytes(input)), a);
      assert.equal(fnv32(bytes(input)), one);
    });
  }
  it('continues from a seed like a streaming hasher', () => {
    assert.equal(fnv32a(bytes('bar'), fnv32a(bytes('foo'))), fnv32a(bytes('foobar')));
  });
});

describe('safeEncodeString', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['0', SAFE_ALPHABET[48 % 27]!],
    ['123', [49, 50, 51].map((b) => SAFE_ALPHABET[b % 27]).join('')],
  ];
  for (const [input, want] of cases) it(`encodes ${JSON.stringify(input)}`, () => assert.equal(safeEncodeString(input), want));
  it('uses only the safe alphabet', () => assert.match(safeEncodeString('4294967295'), /^[bcdfghjklmnpqrstvwxz2456789]+$/));
});

describe('canonicalJSON', () => {
  const cases: Array<[unknown, string]> = [
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"d":[1,{"y":2,"z":1}]}}'],
    [[null, 1], '[null,1]'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [[undefined], '[null]'],
    ['x', '"x"'],
  ];
  for (const [input, want] of cases) it(`serializes ${want}`, () => assert.equal(canonicalJSON(input), want));
});

describe('computeTemplateHash', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } };
  it('is deterministic and independent of key order', () => {
    const reordered = { spec: { containers: [{ image: 'nginx:1.25', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    assert.equal(computeTemplateHash(t), computeTemplateHash(reordered));
  });
  it('changes with the template and with the collision count', () => {
    const h = computeTemplateHash(t);
    assert.notEqual(computeTemplateHash({ ...t, spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } }), h);
    assert.notEqual(computeTemplateHash(t, 1), h);
    assert.notEqual(computeTemplateHash(t, 1), computeTemplateHash(t, 2));
  });
  it('looks like a pod-template-hash', () => assert.match(computeTemplateHash(t), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/));
  it('revision hashes also move with the probe', () => assert.notEqual(hashRevisionData({ a: 1 }, 0), hashRevisionData({ a: 1 }, 1)));
});

describe('controllerRevisionName', () => {
  it('joins prefix and hash', () => assert.equal(controllerRevisionName('web', 'abc'), 'web-abc'));
  it('cuts long prefixes to 223 characters', () => assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225));
});

describe('parseDuration (Go syntax)', () => {
  const cases: Array<[string, number | undefined]> = [
    ['0', 0],
    ['2s', 2000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['-1m', -60_000],
    ['10us', 0.01],
    ['', undefined],
    ['5', undefined],
    ['1d', undefined],
    ['s', undefined],
  ];
  for (const [input, want] of cases) it(`parses ${JSON.stringify(input)}`, () => assert.equal(parseDuration(input), want));
});
