import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldSet, SsaInputError, ensureNamedMembers, fieldSetOf } from './fieldset.js';
import { compareElements, itemElement, parseElement, printPath } from './element.js';
import { ATOMIC_LIST, ATOMIC_OBJECT, DEDUCED, SET_LIST, UNKNOWN, jsonSchemaShape, mapList, type Shape } from './shape.js';
import { builtinShape, customResourceShape } from './listtypes.js';

const Deployment = builtinShape('apps', 'Deployment');
const Pod = builtinShape('', 'Pod');
const Service = builtinShape('', 'Service');

/** A small schema exercising every list and object kind. */
const T: Shape = {
  fields: {
    name: UNKNOWN,
    labels: { values: UNKNOWN },
    selector: ATOMIC_OBJECT,
    tags: { list: SET_LIST },
    args: { list: ATOMIC_LIST },
    items: { list: mapList(['name']), items: { fields: { sub: { list: mapList(['k']) } } } },
    ports: { list: mapList(['port', 'protocol'], { protocol: 'TCP' }) },
    raw: DEDUCED,
  },
};

const fs = (obj: Record<string, unknown>, shape: Shape = T, strict = false) => fieldSetOf(obj, shape, strict).toFieldsV1();

describe('path elements', () => {
  const cases: [string, unknown, unknown, string][] = [
    ['map key, one field', mapList(['name']), { name: 'web', image: 'x' }, 'k:{"name":"web"}'],
    ['map key, fields sorted by name', mapList(['protocol', 'containerPort']), { containerPort: 80, protocol: 'UDP' }, 'k:{"containerPort":80,"protocol":"UDP"}'],
    ['map key, default for a missing key field', mapList(['containerPort', 'protocol'], { protocol: 'TCP' }), { containerPort: 80 }, 'k:{"containerPort":80,"protocol":"TCP"}'],
    ['set value, string', SET_LIST, 'x', 'v:"x"'],
    ['set value, number', SET_LIST, 3, 'v:3'],
    ['set value, bool', SET_LIST, true, 'v:true'],
  ];
  for (const [name, lt, item, want] of cases) test(name, () => assert.equal(itemElement(lt as any, item), want));

  const bad: [string, unknown, unknown, RegExp][] = [
    ['map item without its key', mapList(['name']), { image: 'x' }, /omits key field "name"/],
    ['null map item', mapList(['name']), null, /may not have a null element/],
    ['scalar in a map list', mapList(['name']), 'x', /non-map elements/],
    ['object in a set', SET_LIST, { a: 1 }, /map type/],
    ['list in a set', SET_LIST, [1], /list type/],
  ];
  for (const [name, lt, item, re] of bad) test(`error: ${name}`, () => assert.throws(() => itemElement(lt as any, item), re));

  test('printing', () => {
    assert.equal(printPath(['f:spec', 'f:replicas']), '.spec.replicas');
    assert.equal(printPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image']), '.spec.template.spec.containers[name="web"].image');
    assert.equal(printPath(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
    assert.equal(printPath(['f:metadata', 'f:finalizers', 'v:"a/b"']), '.metadata.finalizers[="a/b"]');
    assert.equal(printPath(['f:x', 'i:3']), '.x[3]');
    assert.equal(printPath(['f:metadata', 'f:labels', 'f:app.kubernetes.io/name']), '.metadata.labels.app.kubernetes.io/name');
  });

  test('parsing canonicalises keys and rejects junk', () => {
    assert.equal(parseElement('k:{"protocol":"TCP","containerPort":80}'), 'k:{"containerPort":80,"protocol":"TCP"}');
    assert.equal(parseElement('v:"x"'), 'v:"x"');
    assert.equal(parseElement('i:0'), 'i:0');
    for (const s of ['x:1', 'k:[1]', 'k:{}', 'k:{bad', 'v:', 'i:-1', 'i:01']) assert.throws(() => parseElement(s), Error, s);
  });

  test('ordering: fields, then keys, values, indexes; values numbers < strings < bools', () => {
    const els = ['i:1', 'v:"b"', 'k:{"name":"b"}', 'f:b', 'v:2', 'k:{"name":"a"}', 'f:a', 'v:true', 'i:0', 'v:"a"'];
    assert.deepEqual([...els].sort(compareElements), ['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:2', 'v:"a"', 'v:"b"', 'v:true', 'i:0', 'i:1']);
  });
});

describe('fieldSetOf', () => {
  const cases: { name: string; obj: Record<string, unknown>; shape?: Shape; want: unknown }[] = [
    { name: 'scalars are leaves', obj: { name: 'a' }, want: { 'f:name': {} } },
    { name: 'map entries are owned as such; empty maps own nothing', obj: { labels: { a: '1', b: '2' } }, want: { 'f:labels': { 'f:a': {}, 'f:b': {} } } },
    { name: 'an empty declared object owns nothing', obj: { name: 'a', other: {} }, want: { 'f:name': {} } },
    { name: 'atomic object is one leaf', obj: { selector: { matchLabels: { a: '1' } } }, want: { 'f:selector': {} } },
    { name: 'atomic list is one leaf', obj: { args: ['a', 'b'] }, want: { 'f:args': {} } },
    { name: 'set items by value', obj: { tags: ['x', 'y'] }, want: { 'f:tags': { 'v:"x"': {}, 'v:"y"': {} } } },
    { name: 'empty granular list owns nothing', obj: { tags: [], items: [] }, want: {} },
    {
      name: 'map-list items own themselves and their fields ("." )',
      obj: { items: [{ name: 'a', v: 1, sub: [{ k: 'x' }] }] },
      want: { 'f:items': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:sub': { 'k:{"k":"x"}': { '.': {}, 'f:k': {} } }, 'f:v': {} } } },
    },
    { name: 'key defaults fill missing key fields', obj: { ports: [{ port: 80 }] }, want: { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } } },
    { name: 'deduced (untyped) keys are owned at every level', obj: { raw: { a: { b: 1 } } }, want: { 'f:raw': { 'f:a': { '.': {}, 'f:b': {} } } } },
    { name: 'null is a leaf', obj: { name: null }, want: { 'f:name': {} } },
    { name: 'lenient: an un-keyable list is one leaf', obj: { items: [{ v: 1 }] }, want: { 'f:items': {} } },
    {
      name: 'Deployment: selector atomic, containers by name, ports by containerPort+protocol, env by name',
      shape: Deployment,
      obj: {
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] } },
        },
      },
      want: {
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"web"}': {
                  '.': {},
                  'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:valueFrom': { 'f:secretKeyRef': {} } } },
                  'f:image': {},
                  'f:name': {},
                  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                },
              },
            },
          },
        },
      },
    },
    {
      name: 'ObjectMeta: finalizers a set, ownerReferences by uid (atomic items), labels a map',
      shape: Pod,
      obj: { metadata: { finalizers: ['a', 'b'], ownerReferences: [{ uid: 'u1', kind: 'X', name: 'x', apiVersion: 'v1' }], labels: { app: 'x' } } },
      want: { 'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} }, 'f:labels': { 'f:app': {} }, 'f:ownerReferences': { 'k:{"uid":"u1"}': {} } } },
    },
    {
      name: 'Service: ports by port+protocol, selector atomic map',
      shape: Service,
      obj: { spec: { selector: { app: 'x' }, ports: [{ port: 80, protocol: 'UDP' }, { port: 80 }] } },
      want: { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} }, 'k:{"port":80,"protocol":"UDP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} } }, 'f:selector': {} } },
    },
    { name: 'Pod: tolerations and args are atomic', shape: Pod, obj: { spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'c', args: ['x'] }] } }, want: { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:args': {}, 'f:name': {} } }, 'f:tolerations': {} } } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(fs(c.obj, c.shape), c.want));

  test('strict: missing keys and duplicates are input errors with the path', () => {
    assert.throws(() => fieldSetOf({ items: [{ v: 1 }] }, T, true), (e: any) => e instanceof SsaInputError && e.message === '.items: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)');
    assert.throws(() => fieldSetOf({ items: [{ name: 'a' }, { name: 'a' }] }, T, true), (e: any) => e instanceof SsaInputError && e.message === '.items: duplicate entries for key [name="a"]');
    assert.throws(() => fieldSetOf({ tags: ['a', 'a'] }, T, true), /duplicate entries for key \[="a"\]/);
    // Lenient: duplicates keep the first occurrence.
    assert.deepEqual(fs({ items: [{ name: 'a', x: 1 }, { name: 'a', y: 1 }] }), { 'f:items': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:x': {} } } });
  });
});

describe('FieldSet', () => {
  const P = (s: string) => s.split('.').map((x) => (x.startsWith('[') ? x.slice(1, -1) : 'f:' + x));
  const set = (...paths: string[]) => FieldSet.of(...paths.map(P));

  test('insert, has, paths, toString', () => {
    const s = set('spec.replicas', 'spec.template', 'spec.template.spec');
    assert.ok(s.has(P('spec.replicas')));
    assert.ok(s.has(P('spec.template')));
    assert.ok(!s.has(P('spec')));
    assert.ok(!s.has([]));
    assert.equal(s.toString(), '.spec.replicas\n.spec.template\n.spec.template.spec');
  });

  const ops: [string, FieldSet, FieldSet, 'union' | 'difference' | 'intersection', FieldSet][] = [
    ['union', set('a.b', 'c'), set('a.d', 'c'), 'union', set('a.b', 'a.d', 'c')],
    ['difference removes members only, level by level', set('a', 'a.b', 'a.c'), set('a', 'a.b'), 'difference', set('a.c')],
    ['difference leaves no empty nodes', set('a.b'), set('a.b'), 'difference', new FieldSet()],
    ['difference of a parent keeps children', set('a.b'), set('a'), 'difference', set('a.b')],
    ['intersection', set('a.b', 'a.c', 'd'), set('a.c', 'd', 'e'), 'intersection', set('a.c', 'd')],
    ['intersection is by path, not by prefix', set('a.b'), set('a'), 'intersection', new FieldSet()],
  ];
  for (const [name, a, b, op, want] of ops)
    test(name, () => {
      const got = a[op](b);
      assert.ok(got.equals(want), `${got} != ${want}`);
      assert.deepEqual(got.toFieldsV1(), want.toFieldsV1());
    });

  test('operations do not modify their operands', () => {
    const a = set('a.b', 'c');
    const b = set('a.b');
    a.union(set('x'));
    a.difference(b);
    a.intersection(b);
    assert.equal(a.toString(), '.a.b\n.c');
  });

  test('without and withoutTop', () => {
    assert.equal(set('a', 'a.b').without(P('a')).toString(), '.a.b');
    assert.equal(set('a.b').without(P('a.b')).empty(), true);
    assert.equal(set('a.b', 'c', 'd').withoutTop(['f:a', 'f:c']).toString(), '.d');
  });

  test('FieldsV1 round trip with "." for members that have children', () => {
    const v1 = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } }, 'f:finalizers': { 'v:"x"': {} } },
    };
    const s = FieldSet.fromFieldsV1(v1);
    assert.ok(s.has(P('metadata.labels')));
    assert.ok(s.has(P('metadata.labels.app')));
    assert.ok(!s.has(P('metadata')));
    assert.ok(s.has(['f:spec', 'f:containers', 'k:{"name":"web"}']));
    assert.deepEqual(s.toFieldsV1(), v1);
    assert.deepEqual(JSON.stringify(FieldSet.fromFieldsV1({ 'f:b': {}, 'f:a': {} }).toFieldsV1()), '{"f:a":{},"f:b":{}}');
  });

  test('FieldsV1 decoding canonicalises keys and rejects malformed input', () => {
    const s = FieldSet.fromFieldsV1({ 'f:ports': { 'k:{"protocol":"TCP","containerPort":80}': {} } });
    assert.ok(s.has(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}']));
    for (const bad of [[], 'x', { 'f:a': 1 }, { 'f:a': [] }, { 'x:a': {} }, { 'f:a': { 'k:nope': {} } }]) assert.throws(() => FieldSet.fromFieldsV1(bad), Error, JSON.stringify(bad));
  });

  test('ensureNamedMembers: declared fields above owned fields become members, map entries do not', () => {
    const s = fieldSetOf({ metadata: { labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }, Deployment);
    const n = ensureNamedMembers(s, Deployment);
    for (const p of ['metadata', 'metadata.labels', 'spec', 'spec.template', 'spec.template.spec', 'spec.template.spec.containers']) assert.ok(n.has(P(p)), p);
    assert.ok(n.has(P('metadata.labels.a')));
    const d = ensureNamedMembers(fieldSetOf({ raw: { a: { b: 1 } } }, T), T);
    assert.ok(d.has(P('raw')), 'raw is a declared field');
    assert.ok(d.has(P('raw.a')), 'a is a map entry, owned already');
  });
});

describe('shapes', () => {
  test('CRD schema: list types, map keys with defaults, atomic maps, preserve-unknown-fields', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
            rules: { type: 'array', items: { type: 'object' } },
            ports: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['port', 'protocol'],
              items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
            },
            selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            env: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    };
    const shape = customResourceShape(schema);
    const obj = {
      apiVersion: 'x/v1',
      kind: 'K',
      metadata: { name: 'n', finalizers: ['f'] },
      spec: { hosts: ['a'], rules: [{ a: 1 }], ports: [{ port: 1 }], selector: { a: 'b' }, extra: { deep: { x: 1 } }, env: { A: '1' } },
    };
    assert.deepEqual(fieldSetOf(obj, shape).toFieldsV1(), {
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:finalizers': { 'v:"f"': {} }, 'f:name': {} },
      'f:spec': {
        'f:env': { 'f:A': {} },
        'f:extra': { 'f:deep': { '.': {}, 'f:x': {} } },
        'f:hosts': { 'v:"a"': {} },
        'f:ports': { 'k:{"port":1,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
        'f:rules': {},
        'f:selector': {},
      },
    });
    assert.equal(jsonSchemaShape(schema), jsonSchemaShape(schema), 'memoised');
  });

  test('recursive schemas terminate', () => {
    const node: any = { type: 'object', properties: {} };
    node.properties.children = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: node };
    const shape = jsonSchemaShape(node);
    assert.deepEqual(fieldSetOf({ children: [{ name: 'a', children: [{ name: 'b' }] }] }, shape).toFieldsV1(), {
      'f:children': { 'k:{"name":"a"}': { '.': {}, 'f:children': { 'k:{"name":"b"}': { '.': {}, 'f:name': {} } }, 'f:name': {} } },
    });
  });

  test('untyped custom resources: everything but metadata is deduced', () => {
    const shape = customResourceShape(undefined);
    assert.deepEqual(fieldSetOf({ spec: { a: { b: 1 }, l: [1] }, metadata: { labels: { x: 'y' } } }, shape).toFieldsV1(), {
      'f:metadata': { 'f:labels': { 'f:x': {} } },
      'f:spec': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:l': {} },
    });
  });
});
