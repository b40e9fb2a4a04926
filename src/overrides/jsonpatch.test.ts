import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, atoi, cloneJson, PatchError, pointerGet, pointerSet, type PatchOperation } from './jsonpatch.js';

const doc = () => ({ spec: { replicas: 1, list: ['a', 'b', 'c'], 'a/b': 1, 'm~n': 2, nul: null }, data: { example: '1' } });

describe('applyPatch (evanphx/json-patch v5 semantics)', () => {
  const ok: [string, PatchOperation[], unknown][] = [
    ['replace a scalar', [{ op: 'replace', path: '/spec/replicas', value: 3 }], { ...doc(), spec: { ...doc().spec, replicas: 3 } }],
    ['add a new key', [{ op: 'add', path: '/spec/paused', value: true }], { ...doc(), spec: { ...doc().spec, paused: true } }],
    ['add overwrites an existing key', [{ op: 'add', path: '/spec/replicas', value: 5 }], { ...doc(), spec: { ...doc().spec, replicas: 5 } }],
    ['add without value sets null', [{ op: 'add', path: '/spec/x' }], { ...doc(), spec: { ...doc().spec, x: null } }],
    ['remove a key', [{ op: 'remove', path: '/data/example' }], { ...doc(), data: {} }],
    ['insert into a list', [{ op: 'add', path: '/spec/list/1', value: 'X' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'X', 'b', 'c'] } }],
    ['append with -', [{ op: 'add', path: '/spec/list/-', value: 'd' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'b', 'c', 'd'] } }],
    ['add at len appends', [{ op: 'add', path: '/spec/list/3', value: 'd' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'b', 'c', 'd'] } }],
    ['add at -1 appends (negative indexes count from len+1)', [{ op: 'add', path: '/spec/list/-1', value: 'd' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'b', 'c', 'd'] } }],
    ['remove -1 removes the last', [{ op: 'remove', path: '/spec/list/-1' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'b'] } }],
    ['replace with a leading-zero index (strconv.Atoi)', [{ op: 'replace', path: '/spec/list/01', value: 'B' }], { ...doc(), spec: { ...doc().spec, list: ['a', 'B', 'c'] } }],
    ['~1 addresses a key with a slash', [{ op: 'replace', path: '/spec/a~1b', value: 9 }], { ...doc(), spec: { ...doc().spec, 'a/b': 9 } }],
    ['~0 addresses a key with a tilde', [{ op: 'remove', path: '/spec/m~0n' }], (() => { const d = doc(); delete (d.spec as Record<string, unknown>)['m~n']; return d; })()],
    ['replace a null value', [{ op: 'replace', path: '/spec/nul', value: 1 }], { ...doc(), spec: { ...doc().spec, nul: 1 } }],
    ['the first segment is never read', [{ op: 'replace', path: 'anything/data', value: 'x' }], { ...doc(), data: 'x' }],
    ['ops run in order', [{ op: 'add', path: '/spec/n', value: {} }, { op: 'add', path: '/spec/n/k', value: 1 }], { ...doc(), spec: { ...doc().spec, n: { k: 1 } } }],
    ['replace the whole document', [{ op: 'replace', path: '', value: { a: 1 } }], { a: 1 }],
  ];
  for (const [name, ops, want] of ok) {
    it(name, () => {
      const input = doc();
      assert.deepEqual(applyPatch(input, ops), want);
      assert.deepEqual(input, doc(), 'input untouched');
    });
  }

  const bad: [string, PatchOperation[], string][] = [
    ['add under a missing parent', [{ op: 'add', path: '/spec/template/spec/x', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/template/spec/x": missing value'],
    ['add under a scalar', [{ op: 'add', path: '/spec/replicas/x', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/replicas/x": missing value'],
    ['add under null', [{ op: 'add', path: '/spec/nul/x', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/nul/x": missing value'],
    ['add past the end', [{ op: 'add', path: '/spec/list/5', value: 1 }], "error in add for path: '/spec/list/5': Unable to access invalid index: 5: invalid index referenced"],
    ['add with a non-index key', [{ op: 'add', path: '/spec/list/x', value: 1 }], `error in add for path: '/spec/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`],
    ['remove a missing key', [{ op: 'remove', path: '/spec/missing' }], "error in remove for path: '/spec/missing': unable to remove nonexistent key: missing: missing value"],
    ['remove under a missing parent', [{ op: 'remove', path: '/nope/x' }], 'remove operation does not apply: doc is missing path: "/nope/x": missing value'],
    ['remove past the end', [{ op: 'remove', path: '/spec/list/3' }], "error in remove for path: '/spec/list/3': Unable to access invalid index: 3: invalid index referenced"],
    ['remove with -', [{ op: 'remove', path: '/spec/list/-' }], `error in remove for path: '/spec/list/-': strconv.Atoi: parsing "-": invalid syntax`],
    ['replace a missing key', [{ op: 'replace', path: '/spec/missing', value: 1 }], 'replace operation does not apply: doc is missing key: /spec/missing: missing value'],
    ['replace under a missing parent', [{ op: 'replace', path: '/a/b', value: 1 }], 'replace operation does not apply: doc is missing path: /a/b: missing value'],
    ['replace with - is not an index', [{ op: 'replace', path: '/spec/list/-', value: 1 }], 'replace operation does not apply: doc is missing key: /spec/list/-: missing value'],
    ['a path without a slash', [{ op: 'add', path: 'spec', value: 1 }], 'add operation does not apply: doc is missing path: "spec": missing value'],
    ['an operator the API does not allow', [{ op: 'upsert', path: '/spec/x', value: 1 }], 'Unexpected kind: upsert'],
    ['move is not supported either', [{ op: 'move', path: '/spec/x' }], 'Unexpected kind: move'],
    ['replacing the document with a scalar', [{ op: 'replace', path: '', value: 1 }], 'replace operation value must be object or array'],
  ];
  for (const [name, ops, message] of bad) {
    it(`fails: ${name}`, () => {
      const input = doc();
      assert.throws(() => applyPatch(input, ops), (e: unknown) => e instanceof PatchError && e.message === message);
      assert.deepEqual(input, doc());
    });
  }

  it('inserted values are copies, not references to the patch', () => {
    const value = { nested: { k: 'v' } };
    const out = applyPatch({}, [{ op: 'add', path: '/x', value }]) as { x: typeof value };
    out.x.nested.k = 'changed';
    assert.equal(value.nested.k, 'v');
  });

  it('a "__proto__" key is stored as data, never as the prototype', () => {
    const out = applyPatch({ m: {} }, [{ op: 'add', path: '/m/__proto__', value: { polluted: true } }]) as { m: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(out.m), Object.prototype);
    assert.deepEqual(Object.keys(out.m), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('atoi (strconv.Atoi)', () => {
  for (const [s, n] of [['0', 0], ['+1', 1], ['-2', -2], ['007', 7]] as const) it(s, () => assert.equal(atoi(s), n));
  for (const s of ['', ' 1', '1.0', '0x1', '-']) it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => atoi(s), /invalid syntax/));
  it('rejects out of range', () => assert.throws(() => atoi('9223372036854775808'), /value out of range/));
});

describe('pointerGet / pointerSet (go-openapi/jsonpointer)', () => {
  const d = { data: { 'db-config.yaml': 'a: 1', 'x/y': 'slash', 't~': 'tilde' }, list: [{ v: 1 }] };
  it('reads', () => {
    assert.equal(pointerGet(d, '/data/db-config.yaml'), 'a: 1');
    assert.equal(pointerGet(d, '/data/x~1y'), 'slash');
    assert.equal(pointerGet(d, '/data/t~0'), 'tilde');
    assert.equal(pointerGet(d, '/list/0/v'), 1);
    assert.equal(pointerGet(d, ''), d);
  });
  const bad: [string, string][] = [
    ['data/x', 'JSON pointer must be empty or start with a "/"'],
    ['/data/missing', 'object has no key "missing"'],
    ['/list/1', "index out of bounds array[0,0] index '1'"],
    ['/list/-1', "index out of bounds array[0,0] index '-1'"],
    ['/list/x', 'strconv.Atoi: parsing "x": invalid syntax'],
    ['/data/db-config.yaml/x', 'invalid token reference "x"'],
  ];
  for (const [p, message] of bad) it(`fails on ${p}`, () => assert.throws(() => pointerGet(d, p), { message }));
  it('writes in place', () => {
    const c = cloneJson(d);
    pointerSet(c, '/data/x~1y', 'new');
    pointerSet(c, '/list/0/v', 2);
    assert.equal(c.data['x/y'], 'new');
    assert.equal(c.list[0]!.v, 2);
    assert.equal(d.data['x/y'], 'slash');
  });
});
