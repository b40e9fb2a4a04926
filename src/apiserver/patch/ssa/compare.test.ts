import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareObjects } from './compare.js';
import { FieldSet, listElements } from './fieldset.js';
import { ATOMIC_OBJECT, DEDUCED, SET_LIST, childShape, itemShape, listTypeOf, mapList, type Shape } from './shape.js';
import type { PathElement } from './element.js';

// The added set of a create, the slow way: every value's path inserted from the root, as
// compareValues did before it built added subtrees in one pass.
function reference(obj: Record<string, unknown>, shape: Shape): FieldSet {
  const s = new FieldSet();
  const walk = (v: unknown, sh: Shape, path: PathElement[]) => {
    if (v === undefined) return;
    s.insert(path);
    if (Array.isArray(v)) {
      const lt = listTypeOf(sh);
      if (lt.type === 'atomic' || !v.length) return;
      const pes = listElements(v, lt, false, path);
      if (!pes) return;
      const seen = new Set<string>();
      v.forEach((item, i) => {
        if (seen.has(pes[i]!)) return;
        seen.add(pes[i]!);
        walk(item, itemShape(sh), [...path, pes[i]!]);
      });
    } else if (v && typeof v === 'object' && !sh.atomic && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) walk(x, childShape(sh, k), [...path, 'f:' + k]);
    }
  };
  for (const [k, x] of Object.entries(obj)) walk(x, childShape(shape, k), ['f:' + k]);
  return s;
}

test('a created object adds exactly every path below it, whatever its shape', () => {
  let seed = 42;
  const rnd = (n: number) => {
    // mulberry32: small, seedable, and uniform enough for picking test inputs
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
  };
  const keyed: Shape = { list: mapList(['name']), items: { fields: { name: {}, value: {}, sub: DEDUCED } } };
  const shape: Shape = {
    fields: { spec: { fields: { items: keyed, tags: { list: SET_LIST }, raw: ATOMIC_OBJECT, any: DEDUCED, plain: {} } }, data: { values: {} } },
  };
  const value = (depth: number): unknown => {
    switch (rnd(depth > 2 ? 3 : 7)) {
      case 0: return rnd(3) ? 'v' + rnd(4) : null;
      case 1: return rnd(10);
      case 2: return rnd(2) === 0;
      case 3: return Array.from({ length: rnd(4) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = rnd(4); i > 0; i--) o['k' + rnd(5)] = value(depth + 1);
        return o;
      }
    }
  };
  const items = () => Array.from({ length: rnd(4) }, () => (rnd(6) ? { name: 'n' + rnd(3), value: value(2), ...(rnd(2) ? { sub: value(2) } : {}) } : rnd(2) ? {} : 'bad'));
  for (let i = 0; i < 2000; i++) {
    const obj = {
      spec: { items: items(), tags: Array.from({ length: rnd(4) }, () => (rnd(8) ? 't' + rnd(3) : { no: 1 })), raw: value(1), any: value(1), plain: value(1), extra: value(1) },
      data: Object.fromEntries(Array.from({ length: rnd(3) }, () => ['d' + rnd(4), value(2)])),
      ...(rnd(2) ? { other: value(0) } : {}),
    };
    const got = compareObjects(undefined, obj, shape);
    const want = reference(obj, shape);
    assert.ok(got.added.equals(want), `object ${JSON.stringify(obj)}\n got:\n${got.added}\n want:\n${want}`);
    assert.deepEqual(got.added.toFieldsV1(), want.toFieldsV1());
    assert.ok(got.modified.empty() && got.removed.empty());
  }
});
