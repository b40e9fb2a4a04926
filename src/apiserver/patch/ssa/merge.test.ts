import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeApplied, prune, removeItems } from './merge.js';
import { FieldSet, fieldSetOf } from './fieldset.js';
import { compareObjects } from './compare.js';
import { ATOMIC_LIST, ATOMIC_OBJECT, SET_LIST, UNKNOWN, mapList, type Shape } from './shape.js';

const Item: { fields: Record<string, Shape>; list?: never } = { fields: {} };
const T: Shape = {
  fields: {
    labels: { values: UNKNOWN },
    selector: ATOMIC_OBJECT,
    tags: { list: SET_LIST },
    args: { list: ATOMIC_LIST },
    items: { list: mapList(['name']), items: Item },
    ports: { list: mapList(['port', 'protocol'], { protocol: 'TCP' }) },
  },
};
Item.fields.env = { list: mapList(['name']) };

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const names = (l: { name: string }[]) => l.map((x) => x.name).join(',');
const items = (...ns: string[]) => ns.map((name) => ({ name }));

describe('mergeApplied', () => {
  const cases: { name: string; live: any; applied: any; want: any }[] = [
    { name: 'maps merge recursively', live: { a: { x: 1, y: 2 }, b: 1 }, applied: { a: { y: 3, z: 4 } }, want: { a: { x: 1, y: 3, z: 4 }, b: 1 } },
    { name: 'new keys keep applied order after live ones', live: { b: 1 }, applied: { c: 1, a: 1 }, want: { b: 1, c: 1, a: 1 } },
    { name: 'scalars replaced', live: { a: 1 }, applied: { a: 'x' }, want: { a: 'x' } },
    { name: 'type change takes the applied value', live: { a: { x: 1 } }, applied: { a: [1] }, want: { a: [1] } },
    { name: 'atomic object replaced whole', live: { selector: { matchLabels: { a: '1' }, x: 1 } }, applied: { selector: { matchLabels: { b: '2' } } }, want: { selector: { matchLabels: { b: '2' } } } },
    { name: 'atomic list replaced whole', live: { args: ['a', 'b'] }, applied: { args: ['c'] }, want: { args: ['c'] } },
    { name: 'set lists are unions (live order, then new values)', live: { tags: ['a', 'b'] }, applied: { tags: ['c', 'a'] }, want: { tags: ['c', 'a', 'b'] } },
    {
      name: 'map-list items merge by key',
      live: { items: [{ name: 'a', x: 1, env: [{ name: 'E', value: '1' }] }, { name: 'b', x: 2 }] },
      applied: { items: [{ name: 'a', y: 1, env: [{ name: 'F', value: '2' }] }] },
      want: { items: [{ name: 'a', x: 1, env: [{ name: 'E', value: '1' }, { name: 'F', value: '2' }], y: 1 }, { name: 'b', x: 2 }] },
    },
    { name: 'multi-key lists: protocol defaults to TCP in the key', live: { ports: [{ port: 80, protocol: 'TCP', name: 'http' }] }, applied: { ports: [{ port: 80, targetPort: 8080 }] }, want: { ports: [{ port: 80, protocol: 'TCP', name: 'http', targetPort: 8080 }] } },
    { name: 'same port, other protocol: a second item', live: { ports: [{ port: 53 }] }, applied: { ports: [{ port: 53, protocol: 'UDP' }] }, want: { ports: [{ port: 53 }, { port: 53, protocol: 'UDP' }] } },
    { name: 'unknown lists are atomic', live: { other: [1, 2] }, applied: { other: [3] }, want: { other: [3] } },
    { name: 'live list that cannot be keyed is replaced', live: { items: [{ x: 1 }] }, applied: { items: [{ name: 'a' }] }, want: { items: [{ name: 'a' }] } },
    { name: 'empty applied list over empty live list', live: { items: [] }, applied: { items: [] }, want: { items: [] } },
    { name: 'empty applied list keeps live items (nothing specified)', live: { items: [{ name: 'a' }] }, applied: { items: [] }, want: { items: [{ name: 'a' }] } },
    { name: 'live duplicates of an applied key fold into one', live: { items: [{ name: 'a', x: 1 }, { name: 'b' }, { name: 'a', x: 2 }] }, applied: { items: [{ name: 'a', y: 1 }] }, want: { items: [{ name: 'a', x: 1, y: 1 }, { name: 'b' }] } },
    { name: 'live duplicates the applier does not touch stay', live: { items: [{ name: 'a', x: 1 }, { name: 'a', x: 2 }] }, applied: { items: [{ name: 'b' }] }, want: { items: [{ name: 'a', x: 1 }, { name: 'a', x: 2 }, { name: 'b' }] } },
  ];
  for (const c of cases)
    test(c.name, () => {
      const live = deepFreeze(structuredClone(c.live));
      const applied = deepFreeze(structuredClone(c.applied));
      assert.deepEqual(mergeApplied(live, applied, T), c.want);
    });

  // Upstream's interleaving: live order is kept for items the applier does not name; shared
  // items come out in applied order; new applied items where the applied list puts them.
  const order: [string, string[], string[], string][] = [
    ['append new', ['a', 'b'], ['c'], 'a,b,c'],
    ['new before shared', ['a', 'b'], ['c', 'a'], 'c,a,b'],
    ['new between shared', ['a', 'b'], ['a', 'x', 'b'], 'a,x,b'],
    ['reorder shared', ['a', 'b', 'c'], ['c', 'b', 'a'], 'c,b,a'],
    ['live-only items stay in place', ['a', 'x', 'b', 'y'], ['b', 'a'], 'x,b,y,a'],
    ['applied subset keeps live order of the rest', ['a', 'b', 'c', 'd'], ['b', 'd'], 'a,b,c,d'],
    ['all new', [], ['a', 'b'], 'a,b'],
    ['all live', ['a', 'b'], [], 'a,b'],
    ['swap with a new item in between', ['a', 'b'], ['b', 'n', 'a'], 'b,n,a'],
  ];
  for (const [name, l, r, want] of order)
    test(`order: ${name}`, () => assert.equal(names(mergeApplied({ items: items(...l) }, { items: items(...r) }, T).items as any), want));

  test('result shares nothing with the applied configuration', () => {
    const applied = { items: [{ name: 'a', env: [{ name: 'E' }] }], labels: { a: '1' } };
    const out: any = mergeApplied({}, applied, T);
    out.items[0].env[0].value = 'x';
    out.labels.b = '2';
    assert.deepEqual(applied, { items: [{ name: 'a', env: [{ name: 'E' }] }], labels: { a: '1' } });
  });

  test('__proto__ keys stay data', () => {
    const applied = JSON.parse('{"labels":{"__proto__":{"x":1}}}');
    const out: any = mergeApplied({ labels: { a: '1' } }, applied, T);
    assert.equal(Object.getPrototypeOf(out.labels), Object.prototype);
    assert.deepEqual(Object.keys(out.labels), ['a', '__proto__']);
  });
});

describe('removeItems', () => {
  const P = (...pes: string[]) => pes;
  const cases: { name: string; value: any; paths: string[][]; want: any }[] = [
    { name: 'a leaf', value: { a: 1, b: 2 }, paths: [P('f:a')], want: { b: 2 } },
    { name: 'a member takes its subtree', value: { a: { x: 1, y: 2 }, b: 1 }, paths: [P('f:a')], want: { b: 1 } },
    { name: 'a child path only', value: { a: { x: 1, y: 2 } }, paths: [P('f:a', 'f:x')], want: { a: { y: 2 } } },
    { name: 'emptied objects stay', value: { a: { x: 1 } }, paths: [P('f:a', 'f:x')], want: { a: {} } },
    { name: 'a list item by key', value: { items: items('a', 'b', 'c') }, paths: [P('f:items', 'k:{"name":"b"}')], want: { items: items('a', 'c') } },
    { name: 'a field inside a list item', value: { items: [{ name: 'a', x: 1 }] }, paths: [P('f:items', 'k:{"name":"a"}', 'f:x')], want: { items: [{ name: 'a' }] } },
    { name: 'a set value', value: { tags: ['a', 'b'] }, paths: [P('f:tags', 'v:"a"')], want: { tags: ['b'] } },
    { name: 'a list whose items all go is dropped', value: { tags: ['a'], x: 1 }, paths: [P('f:tags', 'v:"a"')], want: { x: 1 } },
    { name: 'atomic list: only as a whole', value: { args: ['a'] }, paths: [P('f:args', 'v:"a"')], want: { args: ['a'] } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(removeItems(deepFreeze(c.value), FieldSet.of(...c.paths), T), c.want));
});

describe('prune', () => {
  // `last`: what the applier applied before; `config`: what it applies now; `others`: other managers' sets.
  const run = (live: any, last: any, config: any, others: FieldSet[] = []) => {
    const lastSet = last ? fieldSetOf(last, T) : undefined;
    const cfgSet = fieldSetOf(config, T);
    const owned = others.reduce((a, b) => a.union(b), cfgSet);
    return prune(mergeApplied(live, config, T), lastSet, owned, T);
  };

  test('a field the applier stops sending goes', () => assert.deepEqual(run({ a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1 }), { a: 1 }));
  test('a field others own stays', () => assert.deepEqual(run({ a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1 }, [FieldSet.of(['f:b'])]), { a: 1, b: 2 }));
  test('fields the applier never owned stay', () => assert.deepEqual(run({ a: 1, b: 2, c: 3 }, { a: 1, b: 2 }, { a: 1 }), { a: 1, c: 3 }));
  test('no previous set: nothing is pruned', () => assert.deepEqual(run({ a: 1, b: 2 }, undefined, { a: 1 }), { a: 1, b: 2 }));
  test('a dropped list item goes, with the fields in it', () =>
    assert.deepEqual(run({ items: [{ name: 'a', x: 1 }, { name: 'b', x: 2 }] }, { items: [{ name: 'a', x: 1 }, { name: 'b', x: 2 }] }, { items: [{ name: 'a', x: 1 }] }), { items: [{ name: 'a', x: 1 }] }));
  test('a dropped list item another manager added stays', () =>
    assert.deepEqual(
      run({ items: [{ name: 'a' }, { name: 'b' }] }, { items: [{ name: 'a' }, { name: 'b' }] }, { items: [{ name: 'a' }] }, [fieldSetOf({ items: [{ name: 'b' }] }, T)]),
      { items: [{ name: 'a' }, { name: 'b' }] },
    ));
  test('a dropped item whose other field another manager owns stays, key intact', () =>
    assert.deepEqual(
      run({ items: [{ name: 'a' }, { name: 'b', x: 1, y: 2 }] }, { items: [{ name: 'a' }, { name: 'b', y: 2 }] }, { items: [{ name: 'a' }] }, [FieldSet.of(['f:items', 'k:{"name":"b"}']), FieldSet.of(['f:items', 'k:{"name":"b"}', 'f:x'])]),
      { items: [{ name: 'a' }, { name: 'b', x: 1 }] },
    ));
  test('a dropped env var goes, the env list with it when emptied', () =>
    assert.deepEqual(run({ items: [{ name: 'a', env: [{ name: 'E', value: '1' }] }] }, { items: [{ name: 'a', env: [{ name: 'E', value: '1' }] }] }, { items: [{ name: 'a' }] }), { items: [{ name: 'a' }] }));
  test('an emptied parent object the applier implied goes', () => assert.deepEqual(run({ o: { x: 1 }, k: 1 }, { o: { x: 1 }, k: 1 }, { k: 1 }), { k: 1 }));
  // Upstream: a declared parent nobody owns anything under goes whole, unowned (defaulted) content
  // included; the real server's defaulting then restores defaults.
  test('a parent left with only unowned content goes whole', () => assert.deepEqual(run({ o: { x: 1, d: 'default' }, k: 1 }, { o: { x: 1 }, k: 1 }, { k: 1, o: {} }), { k: 1 }));
  test('a parent with other owned content keeps it and the unowned content', () =>
    assert.deepEqual(run({ o: { x: 1, y: 2, d: 'default' }, k: 1 }, { o: { x: 1 }, k: 1 }, { k: 1 }, [FieldSet.of(['f:o', 'f:y'])]), { o: { y: 2, d: 'default' }, k: 1 }));
  test('a set value dropped', () => assert.deepEqual(run({ tags: ['a', 'b', 'c'] }, { tags: ['a', 'b'] }, { tags: ['a'] }), { tags: ['a', 'c'] }));
  test('a map entry dropped', () => assert.deepEqual(run({ labels: { a: '1', b: '2' } }, { labels: { a: '1', b: '2' } }, { labels: { a: '1' } }), { labels: { a: '1' } }));
  test('an atomic list dropped entirely', () => assert.deepEqual(run({ args: ['x'], k: 1 }, { args: ['x'], k: 1 }, { k: 1 }), { k: 1 }));
});

describe('compareObjects', () => {
  const cmp = (l: any, r: any) => {
    const c = compareObjects(l, r, T);
    return { added: c.added.toString(), modified: c.modified.toString(), removed: c.removed.toString() };
  };
  test('leaves: added, modified, removed', () => assert.deepEqual(cmp({ a: 1, b: 1 }, { a: 2, c: 1 }), { added: '.c', modified: '.a', removed: '.b' }));
  test('new objects and list items are added themselves', () =>
    assert.deepEqual(cmp({}, { labels: { a: '1' }, items: [{ name: 'x' }] }), { added: '.items\n.items[name="x"]\n.items[name="x"].name\n.labels\n.labels.a', modified: '', removed: '' }));
  test('list items matched by key, not position', () =>
    assert.deepEqual(cmp({ items: [{ name: 'a', v: 1 }, { name: 'b' }] }, { items: [{ name: 'b' }, { name: 'a', v: 2 }] }), { added: '', modified: '.items[name="a"].v', removed: '' }));
  test('removed items take their fields', () => assert.deepEqual(cmp({ items: [{ name: 'a', v: 1 }] }, { items: [] }), { added: '', modified: '', removed: '.items[name="a"]\n.items[name="a"].name\n.items[name="a"].v' }));
  test('atomic values compare whole', () => assert.deepEqual(cmp({ args: ['a'], selector: { a: 1 } }, { args: ['b'], selector: { a: 2 } }), { added: '', modified: '.args\n.selector', removed: '' }));
  test('empty containers are leaves', () => assert.deepEqual(cmp({ o: {} }, { o: {}, p: [] }), { added: '.p', modified: '', removed: '' }));
  test('equal objects compare equal', () => assert.deepEqual(cmp({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } }), { added: '', modified: '', removed: '' }));
});
