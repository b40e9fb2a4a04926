import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PatchError, strategicMergePatch } from './smp.js';
import { ANY, DEFAULT_SMP_SCHEMA, builtinSmpSchema, smpSchemaFor, type SmpType } from './smp-schema.js';

// A schema shaped like upstream's test type (strategicpatch MergeItem), recursive.
const mergeItemFields: Record<string, SmpType> = {};
const MergeItem: SmpType = { kind: 'struct', fields: mergeItemFields };
Object.assign(mergeItemFields, {
  mergingList: { kind: 'list', strategy: 'merge', mergeKey: 'name', items: MergeItem },
  nonMergingList: { kind: 'list', strategy: 'atomic', items: MergeItem },
  mergingIntList: { kind: 'list', strategy: 'merge', items: ANY },
  nonMergingIntList: { kind: 'list', strategy: 'atomic', items: ANY },
  simpleMap: { kind: 'map', values: ANY },
  retainKeysMergingList: { kind: 'list', strategy: 'merge', mergeKey: 'name', retainKeys: true, items: MergeItem },
} satisfies Record<string, SmpType>);
mergeItemFields.retainKeysMap = { kind: 'struct', fields: { mergingList: mergeItemFields.mergingList as SmpType }, retainKeys: true };

const Pod = smpSchemaFor('', 'Pod');
const Deployment = smpSchemaFor('apps', 'Deployment');

interface Case {
  name: string;
  /** Schema, or [group, kind] looked up in the table; MergeItem when omitted. */
  schema?: SmpType | [string, string];
  original: unknown;
  patch: unknown;
  want?: unknown;
  error?: RegExp;
  status?: 400 | 422;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const deployment = (podSpec: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 1, ...spec, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
});
const podPatch = (podSpec: unknown) => ({ spec: { template: { spec: podSpec } } });
const pod = (spec: unknown, status?: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, ...(status ? { status } : {}) });

const cases: Case[] = [
  // ---------------------------------------------------------------- maps
  { name: 'map: add a field', original: { name: 1 }, patch: { value: 1 }, want: { name: 1, value: 1 } },
  { name: 'map: change a field', original: { name: 1, value: 1 }, patch: { value: 2 }, want: { name: 1, value: 2 } },
  { name: 'map: null deletes a field', original: { name: 1, value: 1, other: 'a' }, patch: { name: null, value: 2 }, want: { value: 2, other: 'a' } },
  { name: 'map: null for an absent field is ignored', original: { name: 1 }, patch: { other: null }, want: { name: 1 } },
  { name: 'map: nested null deletes', original: { simpleMap: { key1: 1, key2: 1 } }, patch: { simpleMap: { key2: null } }, want: { simpleMap: { key1: 1 } } },
  { name: 'map: nested map is created, its nulls dropped', original: {}, patch: { simpleMap: { a: '1', b: null } }, want: { simpleMap: { a: '1' } } },
  { name: 'map: empty patch is a no-op', original: { name: 1, mergingList: [{ name: 'a' }] }, patch: {}, want: { name: 1, mergingList: [{ name: 'a' }] } },
  { name: 'map: type change takes the patch value', original: { name: { a: 1 } }, patch: { name: 'x' }, want: { name: 'x' } },
  { name: 'map: $patch delete on a nested map leaves an empty map', original: { simpleMap: { key1: 1 }, name: 'n' }, patch: { simpleMap: { $patch: 'delete' } }, want: { simpleMap: {}, name: 'n' } },
  { name: 'map: $patch delete for an absent key adds nothing', original: { name: 'n' }, patch: { simpleMap: { $patch: 'delete' } }, want: { name: 'n' } },
  { name: 'map: $patch replace at the root', original: { name: 1, value: 1 }, patch: { other: 'a', $patch: 'replace' }, want: { other: 'a' } },
  { name: 'map: $patch replace on a nested map', original: { simpleMap: { a: '1', b: '2' } }, patch: { simpleMap: { $patch: 'replace', c: '3' } }, want: { simpleMap: { c: '3' } } },
  { name: 'map: $patch replace with nothing else empties', original: { name: 1, value: 1 }, patch: { $patch: 'replace' }, want: {} },
  { name: 'map: $patch merge is the default', original: { simpleMap: { a: '1' } }, patch: { simpleMap: { $patch: 'merge', b: '2' } }, want: { simpleMap: { a: '1', b: '2' } } },
  { name: 'map: unknown $patch value is rejected', original: {}, patch: { simpleMap: { $patch: 'bogus' } }, error: /unknown patch type: "bogus"/, status: 422 },
  { name: 'map: unknown $ directive is rejected', original: {}, patch: { $foo: 1 }, error: /unknown patch directive "\$foo"/, status: 422 },

  // ---------------------------------------------------------------- primitive lists
  { name: 'set: union keeps values unique', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, want: { mergingIntList: [1, 2, 3] } },
  { name: 'set: order comes from the patch', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, want: { mergingIntList: [3, 1, 2] } },
  { name: 'set: server-only values interleave by live position', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, want: { mergingIntList: [2, 3, 1] } },
  { name: 'set: a new value goes first (no $setElementOrder)', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [9] }, want: { mergingIntList: [9, 1, 2] } },
  { name: 'set: created when absent', original: {}, patch: { mergingIntList: [2, 1, 2] }, want: { mergingIntList: [2, 1] } },
  { name: 'atomic: primitive list replaced', original: { nonMergingIntList: [1, 2] }, patch: { nonMergingIntList: [2, 3] }, want: { nonMergingIntList: [2, 3] } },
  { name: 'atomic: list of maps replaced', original: { nonMergingList: [{ name: 'a', value: 1 }] }, patch: { nonMergingList: [{ name: 'b' }] }, want: { nonMergingList: [{ name: 'b' }] } },
  { name: 'atomic: null removes the list', original: { nonMergingIntList: [1] }, patch: { nonMergingIntList: null }, want: {} },
  { name: 'atomic: empty list replaces', original: { nonMergingList: [{ name: 'a' }] }, patch: { nonMergingList: [] }, want: { nonMergingList: [] } },
  {
    name: '$deleteFromPrimitiveList removes values',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    want: { mergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList on an atomic list',
    original: { nonMergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/nonMergingIntList': [2] },
    want: { nonMergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList of a missing value is a no-op',
    original: { mergingIntList: [1, 2] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: { mergingIntList: [1, 2] },
  },
  {
    name: '$deleteFromPrimitiveList on an absent list adds nothing',
    original: { foo: ['bar'] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: { foo: ['bar'] },
  },
  {
    name: '$deleteFromPrimitiveList removes duplicates too',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    want: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList + $setElementOrder + additions',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
    want: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList without a field is 400',
    original: { mergingIntList: [1] },
    patch: { $deleteFromPrimitiveList: [1] },
    error: /invalid patch format of primitive list/,
    status: 400,
  },
  {
    name: '$deleteFromPrimitiveList with a non-list is 400',
    original: { mergingIntList: [1] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': 1 },
    error: /deletion list must be a list/,
    status: 400,
  },
  {
    name: '$deleteFromPrimitiveList on a list of maps is rejected',
    original: { mergingList: [{ name: 'a' }] },
    patch: { '$deleteFromPrimitiveList/mergingList': [{ name: 'a' }] },
    error: /lists of primitives only/,
  },

  // ---------------------------------------------------------------- merge lists of maps
  {
    name: 'keyed: items merged by key, live order kept',
    original: { mergingList: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }] },
    patch: { mergingList: [{ name: 'b', other: 'x' }] },
    want: { mergingList: [{ name: 'a', value: 1 }, { name: 'b', value: 2, other: 'x' }] },
  },
  {
    name: 'keyed: a new item goes first (no $setElementOrder)',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '3' }] },
    want: { mergingList: [{ name: '3' }, { name: '1' }, { name: '2' }] },
  },
  {
    name: 'keyed: patch order wins for items it names',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] },
    want: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }] },
  },
  {
    name: 'keyed: server-only items interleave by live position',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] },
    want: { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] },
  },
  {
    name: 'keyed: nested merge lists merge recursively',
    original: { mergingList: [{ name: 'a', mergingList: [{ name: 'x', value: 1 }, { name: 'y' }] }] },
    patch: { mergingList: [{ name: 'a', mergingList: [{ name: 'y', value: 2 }] }] },
    want: { mergingList: [{ name: 'a', mergingList: [{ name: 'x', value: 1 }, { name: 'y', value: 2 }] }] },
  },
  {
    name: 'keyed: null inside an item deletes that field',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: null }] },
    want: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] },
  },
  {
    name: 'keyed: $patch delete removes the item',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }] },
    want: { mergingList: [{ name: '2', value: 'b' }] },
  },
  {
    name: 'keyed: $patch delete removes every duplicate',
    original: { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] },
    want: { mergingList: [{ name: '2', value: 'a' }] },
  },
  {
    name: 'keyed: deleting every item leaves an empty list',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }, { name: '2', $patch: 'delete' }] },
    want: { mergingList: [] },
  },
  {
    name: 'keyed: deleting an absent item is a no-op',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ name: '9', $patch: 'delete' }] },
    want: { mergingList: [{ name: '1' }] },
  },
  {
    name: 'keyed: $patch delete without the merge key',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ $patch: 'delete' }] },
    error: /does not contain declared merge key: name/,
    status: 422,
  },
  {
    name: 'keyed: {"$patch":"replace"} item empties the list',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ $patch: 'replace' }] },
    want: { mergingList: [] },
  },
  {
    name: 'keyed: {"$patch":"replace"} item replaces the list',
    original: { mergingList: [{ name: '1', value: 'x' }, { name: '2' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { $patch: 'replace' }, { name: '1' }] },
    want: { mergingList: [{ name: '3', value: 'c' }, { name: '1' }] },
  },
  {
    name: 'keyed: directive items are dropped from a new list',
    original: { name: 'hi' },
    patch: { mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] },
    want: { name: 'hi', mergingList: [{ name: 'hello' }] },
  },
  {
    name: 'keyed: {"$patch":"merge"} item is rejected',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ name: '1', $patch: 'merge' }] },
    error: /merging lists cannot yet be specified/,
  },
  {
    name: 'keyed: unknown $patch item is rejected',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ name: '1', $patch: 'nope' }] },
    error: /unknown patch type: "nope"/,
  },
  { name: 'keyed: item without merge key', original: { mergingList: [{ name: '1', value: 'a' }] }, patch: { mergingList: [{ value: 'b' }] }, error: /does not contain declared merge key: name/, status: 422 },
  { name: 'keyed: primitives where objects are expected', original: { mergingList: [{ name: '1' }] }, patch: { mergingList: ['x'] }, error: /list element types are not identical/ },
  { name: 'keyed: primitive items in a keyed list', original: {}, patch: { mergingList: ['x'] }, error: /expected a list of objects with merge key "name"/ },
  { name: 'set: objects in a primitive merge list', original: { mergingIntList: [1] }, patch: { mergingIntList: [{ a: 1 }] }, error: /list element types are not identical/ },
  { name: 'set: only objects in a primitive merge list', original: {}, patch: { mergingIntList: [{ a: 1 }] }, error: /cannot merge lists of objects without a merge key/ },
  { name: 'lists of lists are rejected', original: {}, patch: { mergingIntList: [[1]] }, error: /lists of lists are not supported/ },
  { name: 'null list items are rejected in merge lists', original: {}, patch: { mergingIntList: [1, null] }, error: /must not be null/ },
  { name: 'a list patched with a map is rejected', original: { mergingList: [{ name: '1' }] }, patch: { mergingList: { name: '1' } }, error: /mergingList: expected a list, got object/, status: 422 },
  { name: 'a map patched with a list is rejected', original: { simpleMap: { a: 1 } }, patch: { simpleMap: ['a'] }, error: /simpleMap: expected an object, got list/ },
  { name: 'a list patched with a string is rejected', original: {}, patch: { nonMergingIntList: 'x' }, error: /expected a list, got string/ },
  {
    name: 'keyed: empty patch list keeps the live list',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [] },
    want: { mergingList: [{ name: '1' }] },
  },

  // ---------------------------------------------------------------- $setElementOrder
  {
    name: '$setElementOrder: new items placed as ordered, server fields kept',
    original: { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [{ name: '4', value: 4 }, { name: '3', value: 3 }],
    },
    want: {
      mergingList: [{ name: '4', value: 4 }, { name: '1', other: 'a' }, { name: '2', value: 2, other: 'b' }, { name: '3', value: 3 }],
    },
  },
  {
    name: '$setElementOrder: reorder without list content',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'b' }, { name: 'a' }] },
    want: { mergingList: [{ name: 'c' }, { name: 'b' }, { name: 'a' }] },
  },
  {
    name: '$setElementOrder: server-only item interleaved by live position (before)',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'a' }] },
    want: { mergingList: [{ name: 'b' }, { name: 'c' }, { name: 'a' }] },
  },
  {
    name: '$setElementOrder: server-only item interleaved by live position (between)',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'c' }] },
    want: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] },
  },
  {
    name: '$setElementOrder: names an item that is in neither list',
    original: { mergingList: [{ name: '1' }, { name: '3' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }], mergingList: [{ name: '3', value: 3 }, { name: '1', value: 1 }] },
    want: { mergingList: [{ name: '3', value: 3 }, { name: '1', value: 1 }] },
  },
  {
    name: '$setElementOrder: primitive list',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    want: { mergingIntList: [3, 1] },
  },
  {
    name: '$setElementOrder: patch order must agree (maps)',
    original: { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '3', value: 3 }, { name: '1', value: 1 }] },
    error: /doesn't match \$setElementOrder list/,
    status: 422,
  },
  {
    name: '$setElementOrder: patch order must agree (primitives)',
    original: { mergingIntList: [1, 3, 2] },
    patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
    error: /doesn't match/,
  },
  {
    name: '$setElementOrder: list absent from the live object',
    original: { name: 'hi' },
    patch: {
      '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }],
      mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }],
    },
    want: { name: 'hi', mergingList: [{ name: 'hello' }] },
  },
  {
    name: '$setElementOrder: new item vs server-only item',
    original: { name: 'hi', mergingList: [{ name: 'hello2' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }],
      mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }],
    },
    want: { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] },
  },
  {
    // Upstream deletes in place and appends into the freed slot of the same Go array; the
    // order pass then sees the new item where the deleted one's tail was: [a,c,x,d].
    name: '$setElementOrder: delete + add with a server-only item (upstream slice aliasing)',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'x' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'c' }, { name: 'd' }],
      mergingList: [{ name: 'd' }, { name: 'b', $patch: 'delete' }],
    },
    want: { mergingList: [{ name: 'a' }, { name: 'c' }, { name: 'x' }, { name: 'd' }] },
  },
  {
    name: '$setElementOrder: add without delete, server-only item stays last',
    original: { mergingList: [{ name: 'a' }, { name: 'c' }, { name: 'x' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'c' }, { name: 'd' }], mergingList: [{ name: 'd' }] },
    want: { mergingList: [{ name: 'a' }, { name: 'c' }, { name: 'd' }, { name: 'x' }] },
  },
  {
    name: '$setElementOrder: with $patch replace item',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'c' }, { name: 'b' }], mergingList: [{ $patch: 'replace' }, { name: 'c' }, { name: 'b', value: 1 }] },
    want: { mergingList: [{ name: 'c' }, { name: 'b', value: 1 }] },
  },
  {
    name: '$setElementOrder: on an atomic list it is ignored',
    original: { nonMergingIntList: [1, 2] },
    patch: { '$setElementOrder/nonMergingIntList': [2, 1], nonMergingIntList: [5] },
    want: { nonMergingIntList: [5] },
  },
  { name: '$setElementOrder: malformed key is 400', original: {}, patch: { $setElementOrderX: [] }, error: /invalid patch format of setElementOrder list/, status: 400 },
  { name: '$setElementOrder: non-list value is 400', original: {}, patch: { '$setElementOrder/mergingList': { name: 'a' } }, error: /must be a list/, status: 400 },
  {
    name: '$setElementOrder: order items must carry the merge key',
    original: { mergingList: [{ name: 'a' }] },
    patch: { '$setElementOrder/mergingList': [{ value: 'a' }], mergingList: [{ name: 'a', value: 1 }] },
    error: /does not contain declared merge key: name/,
  },

  // ---------------------------------------------------------------- $retainKeys
  {
    name: '$retainKeys clears unlisted keys',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'b' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'other'], other: 'c' } },
    want: { retainKeysMap: { name: 'foo', other: 'c' } },
  },
  {
    name: '$retainKeys with nulls for cleared keys',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: null } },
    want: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: 'retainKeys map can add a field when no directive is present',
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { value: 'bar' } },
    want: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys in a merge,retainKeys list item',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', $retainKeys: ['name', 'other'], other: 'y' }] },
    want: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', other: 'y' }] },
  },
  {
    name: '$retainKeys must list every field the patch sets (400)',
    original: { retainKeysMap: { name: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: 'x' } },
    error: /field "value" is set but not listed in \$retainKeys/,
    status: 400,
  },
  { name: '$retainKeys must be a list (400)', original: { retainKeysMap: {} }, patch: { retainKeysMap: { $retainKeys: 'name' } }, error: /retainKeys must be a list/, status: 400 },
  {
    name: '$retainKeys skips directive keys when validating',
    original: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }], value: 'v' } },
    patch: { retainKeysMap: { $retainKeys: ['mergingList', 'name'], '$setElementOrder/mergingList': [{ name: 'b' }, { name: 'a' }], mergingList: [{ name: 'b' }] } },
    want: { retainKeysMap: { name: 'foo', mergingList: [{ name: 'b' }, { name: 'a' }] } },
  },

  // ---------------------------------------------------------------- top level
  { name: 'patch must be an object (400)', original: {}, patch: [1], error: /must be a JSON object/, status: 400 },
  { name: 'null original is an empty object', original: null, patch: { name: 1 }, want: { name: 1 } },
  { name: '$patch delete at the root empties the object', original: { name: 1 }, patch: { $patch: 'delete' }, want: {} },

  // ---------------------------------------------------------------- Deployments (what kubectl apply sends)
  {
    name: 'Deployment: kubectl apply changes one env var of the second container',
    schema: Deployment,
    original: deployment({
      containers: [
        { name: 'a', image: 'nginx:1' },
        { name: 'b', image: 'busybox', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '1' }] },
      ],
    }),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
            containers: [{ name: 'b', '$setElementOrder/env': [{ name: 'X' }, { name: 'Y' }], env: [{ name: 'Y', value: '2' }] }],
          },
        },
      },
    },
    want: deployment({
      containers: [
        { name: 'a', image: 'nginx:1' },
        { name: 'b', image: 'busybox', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] },
      ],
    }),
  },
  {
    name: 'Deployment: kubectl apply inserts a container in the middle',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }, { name: 'b' }], containers: [{ name: 'c', image: 'c' }] }),
    want: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'c', image: 'c' }, { name: 'b', image: 'b' }] }),
  },
  {
    name: 'Deployment: kubectl apply removes a container with $patch delete',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }, { name: 'c', image: 'c' }] }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }], containers: [{ name: 'b', $patch: 'delete' }] }),
    want: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'c', image: 'c' }] }),
  },
  {
    name: 'Deployment: injected sidecar (server-only) survives apply',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'app', image: 'v1' }, { name: 'istio-proxy', image: 'proxy' }] }),
    patch: podPatch({ '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'app', image: 'v2' }] }),
    want: deployment({ containers: [{ name: 'app', image: 'v2' }, { name: 'istio-proxy', image: 'proxy' }] }),
  },
  {
    name: 'Deployment: env var removed and reordered',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }, { name: 'Z', value: '3' }] }] }),
    patch: podPatch({
      '$setElementOrder/containers': [{ name: 'a' }],
      containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'Z' }, { name: 'X' }], env: [{ name: 'Y', $patch: 'delete' }] }],
    }),
    want: deployment({ containers: [{ name: 'a', env: [{ name: 'Z', value: '3' }, { name: 'X', value: '1' }] }] }),
  },
  {
    name: 'Deployment: env valueFrom replaces value via null',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] }),
    patch: podPatch({ containers: [{ name: 'a', env: [{ name: 'X', value: null, valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }),
    want: deployment({ containers: [{ name: 'a', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }),
  },
  {
    name: 'Deployment: RollingUpdate → Recreate with $retainKeys and null',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    want: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'Recreate' } }),
  },
  {
    name: 'Deployment: RollingUpdate → Recreate with $retainKeys only (defaulted rollingUpdate dropped)',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'Recreate' } }),
  },
  {
    name: 'Deployment: without $retainKeys the strategy merges (rollingUpdate kept)',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } }),
    patch: { spec: { strategy: { type: 'Recreate' } } },
    want: deployment({ containers: [{ name: 'a' }] }, { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: '25%' } } }),
  },
  {
    name: 'Deployment: volume source change emptyDir → configMap via $retainKeys',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: { medium: 'Memory' } }] }),
    patch: podPatch({
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'tmp' }],
      volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }],
    }),
    want: deployment({ containers: [{ name: 'a' }], volumes: [{ name: 'data', configMap: { name: 'cfg' } }, { name: 'tmp', emptyDir: { medium: 'Memory' } }] }),
  },
  {
    name: 'Deployment: container ports merged by containerPort',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 9090 }] }] }),
    patch: podPatch({ containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, name: 'https' }] }] }),
    want: deployment({
      containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https' }, { containerPort: 9090 }] }],
    }),
  },
  {
    name: 'Deployment: kubectl apply reorders ports by numeric merge key',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] }),
    patch: podPatch({
      '$setElementOrder/containers': [{ name: 'a' }],
      containers: [{ name: 'a', '$setElementOrder/ports': [{ containerPort: 443 }, { containerPort: 80 }], ports: [{ containerPort: 443, name: 'https' }] }],
    }),
    want: deployment({ containers: [{ name: 'a', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 80 }] }] }),
  },
  {
    name: 'Deployment: $patch replace on a nested struct (affinity)',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }], affinity: { nodeAffinity: { x: 1 }, podAntiAffinity: { y: 2 } } }),
    patch: podPatch({ affinity: { $patch: 'replace', podAffinity: { z: 3 } } }),
    want: deployment({ containers: [{ name: 'a' }], affinity: { podAffinity: { z: 3 } } }),
  },
  {
    name: 'Deployment: volumeMounts merged by mountPath',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', volumeMounts: [{ name: 'v1', mountPath: '/data' }] }] }),
    patch: podPatch({ containers: [{ name: 'a', volumeMounts: [{ name: 'v2', mountPath: '/data', readOnly: true }] }] }),
    want: deployment({ containers: [{ name: 'a', volumeMounts: [{ name: 'v2', mountPath: '/data', readOnly: true }] }] }),
  },
  {
    name: 'Deployment: args, command and envFrom are atomic',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', args: ['--a', '--b'], command: ['x'], envFrom: [{ configMapRef: { name: 'c1' } }] }] }),
    patch: podPatch({ containers: [{ name: 'a', args: ['--c'], envFrom: [{ secretRef: { name: 's' } }] }] }),
    want: deployment({ containers: [{ name: 'a', args: ['--c'], command: ['x'], envFrom: [{ secretRef: { name: 's' } }] }] }),
  },
  {
    name: 'Deployment: tolerations are atomic',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }], tolerations: [{ key: 'k1', operator: 'Exists' }] }),
    patch: podPatch({ tolerations: [{ key: 'k2', operator: 'Exists' }] }),
    want: deployment({ containers: [{ name: 'a' }], tolerations: [{ key: 'k2', operator: 'Exists' }] }),
  },
  {
    name: 'Deployment: resources limits merge as a map',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m' } } }] }),
    patch: podPatch({ containers: [{ name: 'a', resources: { limits: { cpu: null, memory: '2Gi' } } }] }),
    want: deployment({ containers: [{ name: 'a', resources: { limits: { memory: '2Gi' }, requests: { cpu: '100m' } } }] }),
  },
  {
    name: 'Deployment: initContainers replaced with {"$patch":"replace"}',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }], initContainers: [{ name: 'i1' }, { name: 'i2' }] }),
    patch: podPatch({ initContainers: [{ $patch: 'replace' }, { name: 'i3', image: 'x' }] }),
    want: deployment({ containers: [{ name: 'a' }], initContainers: [{ name: 'i3', image: 'x' }] }),
  },
  {
    name: 'Deployment: new initContainers list with nested order directives',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }),
    patch: podPatch({
      '$setElementOrder/initContainers': [{ name: 'i' }],
      initContainers: [{ name: 'i', '$setElementOrder/env': [{ name: 'B' }, { name: 'A' }], env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }],
    }),
    want: deployment({ containers: [{ name: 'a' }], initContainers: [{ name: 'i', env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }] }),
  },
  {
    name: 'Deployment: pod template labels null-deleted',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }),
    patch: { spec: { template: { metadata: { labels: { app: null, tier: 'web' } } } } },
    want: { ...deployment({ containers: [{ name: 'a' }] }), spec: { replicas: 1, template: { metadata: { labels: { tier: 'web' } }, spec: { containers: [{ name: 'a' }] } } } },
  },
  {
    name: 'Deployment: containers patched with a map is 422',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }),
    patch: podPatch({ containers: { name: 'a' } }),
    error: /spec\.template\.spec\.containers: expected a list, got object/,
    status: 422,
  },
  {
    name: 'Deployment: container without name is 422',
    schema: Deployment,
    original: deployment({ containers: [{ name: 'a' }] }),
    patch: podPatch({ containers: [{ image: 'x' }] }),
    error: /does not contain declared merge key: name/,
  },
  {
    name: 'Deployment: status conditions merged by type',
    schema: Deployment,
    original: { status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } },
    want: { status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True' }] } },
  },

  // ---------------------------------------------------------------- metadata
  {
    // As upstream (discardNullValuesFromPatch): the absent map is created empty; Go's
    // omitempty would then drop it on the typed round trip.
    name: 'metadata: labels null-delete and add; nulls in a new map dropped',
    schema: ['', 'ConfigMap'],
    original: { metadata: { name: 'c', labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' }, annotations: { x: null } } },
    want: { metadata: { name: 'c', labels: { b: '2', c: '3' }, annotations: {} } },
  },
  {
    name: 'metadata: finalizers via $setElementOrder + $deleteFromPrimitiveList',
    schema: ['', 'ConfigMap'],
    original: { metadata: { name: 'c', finalizers: ['a', 'b', 'c', 'd'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'c'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: { metadata: { name: 'c', finalizers: ['a', 'c', 'd'] } },
  },
  {
    name: 'metadata: kubectl apply adds a finalizer; a server-added one stays after',
    schema: ['apps', 'Deployment'],
    original: { metadata: { finalizers: ['a', 'x'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'b'], finalizers: ['b'] } },
    want: { metadata: { finalizers: ['a', 'b', 'x'] } },
  },
  {
    name: 'metadata: finalizers union (new value first, as upstream)',
    schema: ['apps', 'Deployment'],
    original: { metadata: { finalizers: ['a'] } },
    patch: { metadata: { finalizers: ['x', 'a'] } },
    want: { metadata: { finalizers: ['x', 'a'] } },
  },
  {
    name: 'metadata: finalizers added when absent',
    schema: ['', 'Pod'],
    original: { metadata: { name: 'p' } },
    patch: { metadata: { finalizers: ['example.com/f'] } },
    want: { metadata: { name: 'p', finalizers: ['example.com/f'] } },
  },
  {
    name: 'metadata: finalizers null removes them all',
    schema: ['', 'Pod'],
    original: { metadata: { name: 'p', finalizers: ['a'] } },
    patch: { metadata: { finalizers: null } },
    want: { metadata: { name: 'p' } },
  },
  {
    name: 'metadata: ownerReferences merged by uid',
    schema: ['apps', 'ReplicaSet'],
    original: { metadata: { ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd', controller: true }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }, { uid: 'u2', kind: 'Foo', name: 'f' }] } },
    want: {
      metadata: { ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd', controller: true, blockOwnerDeletion: true }, { uid: 'u2', kind: 'Foo', name: 'f' }] },
    },
  },
  {
    name: 'metadata: managedFields are atomic',
    schema: ['', 'Pod'],
    original: { metadata: { managedFields: [{ manager: 'a' }, { manager: 'b' }] } },
    patch: { metadata: { managedFields: [{ manager: 'c' }] } },
    want: { metadata: { managedFields: [{ manager: 'c' }] } },
  },

  // ---------------------------------------------------------------- other built-in kinds
  {
    name: 'Pod: status conditions merged by type, order kept',
    schema: Pod,
    original: pod({ containers: [{ name: 'a' }] }, { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] }),
    patch: { status: { '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'PodScheduled' }], conditions: [{ type: 'Ready', status: 'True' }] } },
    want: pod({ containers: [{ name: 'a' }] }, { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    name: 'Pod: podIPs and hostIPs merged by ip',
    schema: Pod,
    original: pod({}, { podIPs: [{ ip: '10.0.0.1' }], hostIPs: [{ ip: '192.168.0.1' }] }),
    patch: { status: { podIPs: [{ ip: 'fd00::1' }, { ip: '10.0.0.1' }], hostIPs: [{ ip: '192.168.0.1' }] } },
    want: pod({}, { podIPs: [{ ip: 'fd00::1' }, { ip: '10.0.0.1' }], hostIPs: [{ ip: '192.168.0.1' }] }),
  },
  {
    name: 'Pod: containerStatuses are atomic',
    schema: Pod,
    original: pod({}, { containerStatuses: [{ name: 'a', ready: false }, { name: 'b', ready: true }] }),
    patch: { status: { containerStatuses: [{ name: 'a', ready: true }] } },
    want: pod({}, { containerStatuses: [{ name: 'a', ready: true }] }),
  },
  {
    name: 'Pod: ephemeralContainers merged by name',
    schema: Pod,
    original: pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'dbg1', image: 'busybox' }] }),
    patch: { spec: { ephemeralContainers: [{ name: 'dbg2', image: 'busybox', targetContainerName: 'a' }] } },
    want: pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'dbg2', image: 'busybox', targetContainerName: 'a' }, { name: 'dbg1', image: 'busybox' }] }),
  },
  {
    name: 'Pod: imagePullSecrets, hostAliases, schedulingGates, topologySpreadConstraints merge',
    schema: Pod,
    original: pod({
      imagePullSecrets: [{ name: 'r1' }],
      hostAliases: [{ ip: '1.1.1.1', hostnames: ['a'] }],
      schedulingGates: [{ name: 'g1' }, { name: 'g2' }],
      topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 1 }],
    }),
    patch: {
      spec: {
        imagePullSecrets: [{ name: 'r2' }],
        hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }],
        schedulingGates: [{ name: 'g1', $patch: 'delete' }],
        topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }],
      },
    },
    want: pod({
      imagePullSecrets: [{ name: 'r2' }, { name: 'r1' }],
      hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }],
      schedulingGates: [{ name: 'g2' }],
      topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }],
    }),
  },
  {
    name: 'Service: ports merged by port, selector merged as a map',
    schema: ['', 'Service'],
    original: { spec: { selector: { app: 'a', tier: 'x' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443 }] } },
    patch: { spec: { selector: { tier: null }, ports: [{ port: 80, targetPort: 9090 }] } },
    want: { spec: { selector: { app: 'a' }, ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 443 }] } },
  },
  {
    name: 'Service: kubectl apply adds a port with $setElementOrder',
    schema: ['', 'Service'],
    original: { spec: { type: 'ClusterIP', clusterIP: '10.0.0.9', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
    patch: { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 443 }], ports: [{ port: 443, targetPort: 8443 }] } },
    want: { spec: { type: 'ClusterIP', clusterIP: '10.0.0.9', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443, targetPort: 8443 }] } },
  },
  {
    name: 'Pod: kubelet-style status patch adds a condition in order',
    schema: Pod,
    original: pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }),
    patch: {
      status: {
        '$setElementOrder/conditions': [{ type: 'Initialized' }, { type: 'Ready' }, { type: 'PodScheduled' }],
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }],
        phase: 'Running',
      },
    },
    want: pod({}, { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] }),
  },
  {
    name: 'Service: status conditions merged by type',
    schema: ['', 'Service'],
    original: { status: { conditions: [{ type: 'A', status: 'False' }] } },
    patch: { status: { conditions: [{ type: 'B', status: 'True' }] } },
    want: { status: { conditions: [{ type: 'B', status: 'True' }, { type: 'A', status: 'False' }] } },
  },
  {
    name: 'ServiceAccount: secrets merged by name, imagePullSecrets atomic',
    schema: ['', 'ServiceAccount'],
    original: { secrets: [{ name: 's1' }], imagePullSecrets: [{ name: 'p1' }] },
    patch: { secrets: [{ name: 's2' }], imagePullSecrets: [{ name: 'p2' }] },
    want: { secrets: [{ name: 's2' }, { name: 's1' }], imagePullSecrets: [{ name: 'p2' }] },
  },
  {
    name: 'Node: addresses and conditions merged by type, taints atomic, podCIDRs a set',
    schema: ['', 'Node'],
    original: {
      spec: { podCIDRs: ['10.0.0.0/24'], taints: [{ key: 'a', effect: 'NoSchedule' }] },
      status: { addresses: [{ type: 'InternalIP', address: '10.1.1.1' }, { type: 'Hostname', address: 'n1' }], conditions: [{ type: 'Ready', status: 'True' }] },
    },
    patch: {
      spec: { podCIDRs: ['fd00::/64'], taints: [{ key: 'b', effect: 'NoExecute' }] },
      status: { addresses: [{ type: 'InternalIP', address: '10.1.1.2' }], conditions: [{ type: 'MemoryPressure', status: 'False' }] },
    },
    want: {
      spec: { podCIDRs: ['fd00::/64', '10.0.0.0/24'], taints: [{ key: 'b', effect: 'NoExecute' }] },
      status: {
        addresses: [{ type: 'InternalIP', address: '10.1.1.2' }, { type: 'Hostname', address: 'n1' }],
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      },
    },
  },
  {
    name: 'Namespace: status conditions merged, spec.finalizers atomic',
    schema: ['', 'Namespace'],
    original: { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [{ type: 'A' }] } },
    patch: { spec: { finalizers: [] }, status: { conditions: [{ type: 'A', status: 'True' }] } },
    want: { spec: { finalizers: [] }, status: { phase: 'Active', conditions: [{ type: 'A', status: 'True' }] } },
  },
  {
    name: 'ConfigMap: data merged key by key',
    schema: ['', 'ConfigMap'],
    original: { data: { a: '1', b: '2' }, binaryData: { x: 'AA==' } },
    patch: { data: { b: null, c: '3' } },
    want: { data: { a: '1', c: '3' }, binaryData: { x: 'AA==' } },
  },
  {
    name: 'Secret: stringData and data merged',
    schema: ['', 'Secret'],
    original: { type: 'Opaque', data: { a: 'MQ==' } },
    patch: { stringData: { b: '2' }, data: { a: 'Mg==' } },
    want: { type: 'Opaque', data: { a: 'Mg==' }, stringData: { b: '2' } },
  },
  {
    name: 'StatefulSet: volumeClaimTemplates atomic, template containers merge',
    schema: ['apps', 'StatefulSet'],
    original: { spec: { volumeClaimTemplates: [{ metadata: { name: 'd1' } }, { metadata: { name: 'd2' } }], template: { spec: { containers: [{ name: 'a', image: '1' }] } } } },
    patch: { spec: { volumeClaimTemplates: [{ metadata: { name: 'd3' } }], template: { spec: { containers: [{ name: 'a', image: '2' }] } } } },
    want: { spec: { volumeClaimTemplates: [{ metadata: { name: 'd3' } }], template: { spec: { containers: [{ name: 'a', image: '2' }] } } } },
  },
  {
    name: 'DaemonSet: updateStrategy merges, $retainKeys still honoured',
    schema: ['apps', 'DaemonSet'],
    original: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } } },
    patch: { spec: { updateStrategy: { $retainKeys: ['type'], type: 'OnDelete' } } },
    want: { spec: { updateStrategy: { type: 'OnDelete' } } },
  },
  {
    name: 'Job: status conditions merged by type',
    schema: ['batch', 'Job'],
    original: { status: { conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Complete', status: 'True' }] } },
    want: { status: { conditions: [{ type: 'Complete', status: 'True' }, { type: 'SuccessCriteriaMet', status: 'True' }] } },
  },
  {
    name: 'CronJob: jobTemplate containers merge by name',
    schema: ['batch', 'CronJob'],
    original: { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1', args: ['x'] }] } } } } } },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } },
    want: { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2', args: ['x'] }] } } } } } },
  },
  {
    name: 'ControllerRevision: data is opaque (directives inside are data)',
    schema: ['apps', 'ControllerRevision'],
    original: { revision: 1, data: { spec: { template: { a: 1 } } } },
    patch: { data: { spec: { template: { $patch: 'replace', b: 2 } } } },
    want: { revision: 1, data: { spec: { template: { $patch: 'replace', b: 2 } } } },
  },
  {
    name: 'CustomResourceDefinition: $ref in a schema is not a directive',
    schema: ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    original: { spec: { group: 'x', versions: [{ name: 'v1' }] } },
    patch: { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { $ref: '#/x' } } }] } },
    want: { spec: { group: 'x', versions: [{ name: 'v1', schema: { openAPIV3Schema: { $ref: '#/x' } } }] } },
  },

  // ---------------------------------------------------------------- unknown kinds: lists atomic, maps merge
  {
    name: 'unknown kind: lists replaced, maps merged, metadata still ObjectMeta',
    schema: ['example.com', 'Widget'],
    original: { metadata: { finalizers: ['a'], labels: { x: '1' } }, spec: { items: [{ name: 'a', v: 1 }], config: { a: 1, b: 2 } } },
    patch: { metadata: { finalizers: ['b'], labels: { y: '2' } }, spec: { items: [{ name: 'b' }], config: { b: null, c: 3 } } },
    want: { metadata: { finalizers: ['b', 'a'], labels: { x: '1', y: '2' } }, spec: { items: [{ name: 'b' }], config: { a: 1, c: 3 } } },
  },
  {
    name: 'unknown kind: containers-like lists are atomic',
    schema: ['example.com', 'Widget'],
    original: { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } },
    patch: { spec: { template: { spec: { containers: [{ name: 'b', image: 'x' }] } } } },
    want: { spec: { template: { spec: { containers: [{ name: 'b', image: 'x' }] } } } },
  },
  {
    name: 'unknown kind: $setElementOrder on an atomic list is ignored',
    schema: ['example.com', 'Widget'],
    original: { spec: { items: ['a', 'b'] } },
    patch: { spec: { '$setElementOrder/items': ['b', 'a'], items: ['c'] } },
    want: { spec: { items: ['c'] } },
  },
  {
    name: 'unknown kind: $patch delete item in an atomic list is dropped',
    schema: ['example.com', 'Widget'],
    original: { spec: { items: [{ name: 'a' }] } },
    patch: { spec: { items: [{ name: 'b' }, { name: 'c', $patch: 'delete' }] } },
    want: { spec: { items: [{ name: 'b' }] } },
  },
];

describe('strategicMergePatch', () => {
  test('has a heavy table', () => assert.ok(cases.length > 100, `only ${cases.length} cases`));

  for (const c of cases) {
    test(c.name, () => {
      const schema = c.schema === undefined ? MergeItem : Array.isArray(c.schema) ? smpSchemaFor(c.schema[0], c.schema[1]) : c.schema;
      const original = deepFreeze(structuredClone(c.original));
      const patch = deepFreeze(structuredClone(c.patch));
      if (c.error) {
        assert.throws(
          () => strategicMergePatch(original, patch, schema),
          (e: unknown) => {
            assert.ok(e instanceof PatchError, `expected PatchError, got ${String(e)}`);
            assert.match(e.message, c.error as RegExp);
            if (c.status) assert.equal(e.status, c.status);
            return true;
          },
        );
        return;
      }
      const got = strategicMergePatch(original, patch, schema);
      assert.deepStrictEqual(got, c.want);
      // Inputs are frozen (a write would have thrown); the result must not alias them.
      assert.doesNotThrow(() => JSON.stringify(got));
      if (got && typeof got === 'object' && original && typeof original === 'object') assert.notEqual(got, original);
    });
  }
});

describe('strategicMergePatch purity', () => {
  test('result shares no objects with the inputs', () => {
    const original = { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: '1' }] }] } } } };
    const patch = { spec: { template: { spec: { containers: [{ name: 'b', env: [{ name: 'Y', value: '2' }] }], volumes: [{ name: 'v', emptyDir: {} }] } } } };
    const got = strategicMergePatch(original, patch, Deployment);
    got.spec.template.spec.containers[0].env[0].value = 'changed';
    got.spec.template.spec.containers[1].env[0].value = 'changed';
    got.spec.template.spec.volumes[0].emptyDir.medium = 'Memory';
    assert.equal(original.spec.template.spec.containers[0]!.env[0]!.value, '1');
    assert.equal(patch.spec.template.spec.containers[0]!.env[0]!.value, '2');
    assert.deepEqual(patch.spec.template.spec.volumes[0]!.emptyDir, {});
  });
});

describe('strategicMergePatch hardening', () => {
  test('a "__proto__" key stays data', () => {
    const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}},"__proto__":{"spec":1}}');
    const got = strategicMergePatch({ metadata: { name: 'x' } }, patch, smpSchemaFor('', 'ConfigMap'));
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.equal(Object.getPrototypeOf(got.metadata.labels), Object.prototype);
    assert.equal(got.spec, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse('{"metadata":{"name":"x","labels":{"__proto__":{"polluted":"yes"}}},"__proto__":{"spec":1}}'));
  });
});

describe('smp schema table', () => {
  test('built-in kinds are found, core group spelled "" or "core"', () => {
    assert.ok(builtinSmpSchema('', 'Pod'));
    assert.equal(builtinSmpSchema('core', 'Pod'), builtinSmpSchema('', 'Pod'));
    assert.ok(builtinSmpSchema('apps', 'Deployment'));
    assert.equal(builtinSmpSchema('apps', 'Pod'), undefined);
    assert.equal(builtinSmpSchema('example.com', 'Widget'), undefined);
    assert.equal(builtinSmpSchema('', 'toString'), undefined);
  });

  test('unknown kinds fall back to the default schema', () => {
    assert.equal(smpSchemaFor('example.com', 'Widget'), DEFAULT_SMP_SCHEMA);
  });

  test('merge keys match k8s.io/api struct tags', () => {
    const at = (t: SmpType, ...path: string[]): SmpType => {
      let cur = t;
      for (const p of path) {
        if (cur.kind === 'list') cur = cur.items;
        assert.equal(cur.kind, 'struct', `${path.join('.')}: ${p}`);
        cur = (cur as { fields: Record<string, SmpType> }).fields[p] as SmpType;
        assert.ok(cur, `${path.join('.')}: missing ${p}`);
      }
      return cur;
    };
    const expectList = (t: SmpType, strategy: 'merge' | 'atomic', mergeKey?: string, retainKeys?: boolean) => {
      assert.equal(t.kind, 'list');
      if (t.kind !== 'list') return;
      assert.equal(t.strategy, strategy);
      assert.equal(t.mergeKey, mergeKey);
      assert.equal(Boolean(t.retainKeys), Boolean(retainKeys));
    };
    const podSpec = ['spec', 'template', 'spec'];
    expectList(at(Deployment, ...podSpec, 'containers'), 'merge', 'name');
    expectList(at(Deployment, ...podSpec, 'initContainers'), 'merge', 'name');
    expectList(at(Deployment, ...podSpec, 'volumes'), 'merge', 'name', true);
    expectList(at(Deployment, ...podSpec, 'resourceClaims'), 'merge', 'name', true);
    expectList(at(Deployment, ...podSpec, 'tolerations'), 'atomic');
    expectList(at(Deployment, ...podSpec, 'containers', 'ports'), 'merge', 'containerPort');
    expectList(at(Deployment, ...podSpec, 'containers', 'volumeMounts'), 'merge', 'mountPath');
    expectList(at(Deployment, ...podSpec, 'containers', 'volumeDevices'), 'merge', 'devicePath');
    expectList(at(Deployment, ...podSpec, 'containers', 'env'), 'merge', 'name');
    expectList(at(Deployment, ...podSpec, 'containers', 'envFrom'), 'atomic');
    expectList(at(Deployment, 'metadata', 'finalizers'), 'merge', undefined);
    expectList(at(Deployment, 'metadata', 'ownerReferences'), 'merge', 'uid');
    expectList(at(Deployment, 'status', 'conditions'), 'merge', 'type');
    assert.equal((at(Deployment, 'spec', 'strategy') as { retainKeys?: boolean }).retainKeys, true);
    expectList(at(smpSchemaFor('', 'Service'), 'spec', 'ports'), 'merge', 'port');
    expectList(at(smpSchemaFor('', 'Node'), 'status', 'addresses'), 'merge', 'type');
    expectList(at(smpSchemaFor('', 'Pod'), 'status', 'podIPs'), 'merge', 'ip');
    expectList(at(smpSchemaFor('batch', 'CronJob'), 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers'), 'merge', 'name');
    for (const [g, k] of [['', 'Pod'], ['', 'Node'], ['', 'Namespace'], ['apps', 'ReplicaSet'], ['apps', 'StatefulSet'], ['apps', 'DaemonSet'], ['batch', 'Job'], ['policy', 'PodDisruptionBudget'], ['autoscaling', 'HorizontalPodAutoscaler']] as const) {
      expectList(at(smpSchemaFor(g, k), 'status', 'conditions'), 'merge', 'type');
    }
  });
});
