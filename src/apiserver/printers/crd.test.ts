import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goJSON, goNumber, printerFromCRDColumns, validateCRDColumnPath } from './crd.js';
import type { CRDColumn } from './crd.js';
import { evaluateJSONPath, parseJSONPath } from './jsonpath.js';
import { NOW, ago } from './testutil.js';

const q = (path: string, data: unknown) => evaluateJSONPath(parseJSONPath(path), data);

describe('jsonpath', () => {
  const obj = {
    metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'shop' } },
    spec: { replicas: 3, items: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }, { name: 'c', n: 3 }], empty: [] },
    status: {
      conditions: [
        { type: 'Synced', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'Waiting' },
      ],
    },
  };
  it('follows fields', () => {
    assert.deepEqual(q('.spec.replicas', obj), [3]);
    assert.deepEqual(q('{.spec.replicas}', obj), [3]);
    assert.deepEqual(q('$.metadata.name', obj), ['x']);
    assert.deepEqual(q('.spec.missing.deeper', obj), []);
    assert.deepEqual(q('.spec.replicas.x', obj), []);
  });
  it('reads keys with dots by escape or brackets', () => {
    assert.deepEqual(q('.metadata.labels.app\\.kubernetes\\.io/name', obj), ['shop']);
    assert.deepEqual(q(".metadata.labels['app.kubernetes.io/name']", obj), ['shop']);
    assert.deepEqual(q('.metadata["labels"]["app.kubernetes.io/name"]', obj), ['shop']);
  });
  it('indexes and slices arrays', () => {
    assert.deepEqual(q('.spec.items[0].name', obj), ['a']);
    assert.deepEqual(q('.spec.items[-1].name', obj), ['c']);
    assert.deepEqual(q('.spec.items[1:].name', obj), ['b', 'c']);
    assert.deepEqual(q('.spec.items[:2].name', obj), ['a', 'b']);
    assert.deepEqual(q('.spec.items[::2].name', obj), ['a', 'c']);
    assert.deepEqual(q('.spec.items[0,2].n', obj), [1, 3]);
    assert.deepEqual(q('.spec.items[*].name', obj), ['a', 'b', 'c']);
    assert.deepEqual(q('.spec.items.*.n', obj), [1, 2, 3]);
    assert.equal(q('.spec.items[5].name', obj), undefined);
    assert.equal(q('.spec.empty[0]', obj), undefined);
    assert.equal(q('.spec.replicas[0]', obj), undefined);
  });
  it('filters', () => {
    assert.deepEqual(q('.status.conditions[?(@.type=="Ready")].status', obj), ['False']);
    assert.deepEqual(q(".status.conditions[?(@.type == 'Ready')].reason", obj), ['Waiting']);
    assert.deepEqual(q('.status.conditions[?(@.type!="Ready")].type', obj), ['Synced']);
    assert.deepEqual(q('.status.conditions[?(@.reason)].type', obj), ['Ready']);
    assert.deepEqual(q('.spec.items[?(@.n>1)].name', obj), ['b', 'c']);
    assert.deepEqual(q('.spec.items[?(@.n<=1)].name', obj), ['a']);
    assert.deepEqual(q('.status.conditions[?(@.type=="Gone")].status', obj), []);
    assert.equal(q('.spec.items[?(@.n=="1")].name', obj), undefined);
  });
  it('descends recursively', () => {
    assert.deepEqual(q('..name', obj), ['x', 'a', 'b', 'c']);
  });
  it('rejects malformed paths', () => {
    assert.throws(() => parseJSONPath('.spec.items[0'));
    assert.throws(() => parseJSONPath('.spec.items[a]'));
    assert.throws(() => parseJSONPath(''));
    assert.throws(() => parseJSONPath('.a[?(@.x=="y"]'));
    assert.equal(validateCRDColumnPath('.spec.replicas'), undefined);
    assert.match(validateCRDColumnPath('.spec[') ?? '', /unclosed/);
  });
});

describe('printerFromCRDColumns', () => {
  const cols: CRDColumn[] = [
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Readiness' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
    { name: 'Last Sync', type: 'date', jsonPath: '.status.lastSync' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
  const obj = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', creationTimestamp: ago('3h') },
    spec: { replicas: 2.9, ratio: 0.25, paused: false },
    status: { lastSync: ago('42s'), conditions: [{ type: 'Ready', status: 'True' }] },
  };
  it('prepends NAME and keeps the declared definitions', () => {
    const p = printerFromCRDColumns(cols);
    assert.deepEqual(p.columns[0], { name: 'Name', type: 'string', format: 'name', description: p.columns[0]!.description, priority: 0 });
    assert.deepEqual(
      p.columns.map((c) => [c.name, c.type, c.priority]),
      [
        ['Name', 'string', 0],
        ['Replicas', 'integer', 0],
        ['Ready', 'string', 0],
        ['Ratio', 'number', 1],
        ['Paused', 'boolean', 0],
        ['Last Sync', 'date', 0],
        ['Age', 'date', 0],
      ],
    );
    assert.equal(p.columns[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
    assert.equal(p.columns[2]!.description, 'Readiness');
  });
  it('types the cells as kube does', () => {
    const p = printerFromCRDColumns(cols);
    assert.deepEqual(p.cells(obj, NOW), ['w1', 2, 'True', 0.25, false, '42s', '3h']);
  });
  it('leaves missing values and type mismatches empty (null)', () => {
    const p = printerFromCRDColumns(cols);
    const bad = { metadata: { name: 'w2' }, spec: { replicas: 'three', ratio: '1', paused: 'no' }, status: { lastSync: 5 } };
    assert.deepEqual(p.cells(bad, NOW), ['w2', null, null, null, null, null, null]);
  });
  it('prints dates that are empty, invalid or in the future', () => {
    const p = printerFromCRDColumns([{ name: 'T', type: 'date', jsonPath: '.t' }]);
    assert.deepEqual(p.cells({ metadata: { name: 'a' }, t: '' }, NOW), ['a', '<unknown>']);
    assert.deepEqual(p.cells({ metadata: { name: 'a' }, t: 'last tuesday' }, NOW), ['a', '<invalid>']);
    assert.deepEqual(p.cells({ metadata: { name: 'a' }, t: '2024-06-01' }, NOW), ['a', '<invalid>']);
    assert.deepEqual(p.cells({ metadata: { name: 'a' }, t: '2024-06-02T00:00:00Z' }, NOW), ['a', '<invalid>']);
  });
  it('prints objects and arrays in string columns as Go JSON, numbers and bools as text', () => {
    const p = printerFromCRDColumns([
      { name: 'Obj', type: 'string', jsonPath: '.spec.sel' },
      { name: 'Arr', type: 'string', jsonPath: '.spec.hosts' },
      { name: 'Num', type: 'string', jsonPath: '.spec.n' },
      { name: 'Big', type: 'string', jsonPath: '.spec.big' },
      { name: 'Bool', type: 'string', jsonPath: '.spec.b' },
      { name: 'First', type: 'string', jsonPath: '.spec.hosts[*]' },
    ]);
    const o = { metadata: { name: 'a' }, spec: { sel: { z: 1, a: '<b>' }, hosts: ['x', 'y'], n: 3, big: 1234567.5, b: true } };
    assert.deepEqual(p.cells(o, NOW), ['a', '{"a":"\\u003cb\\u003e","z":1}', '["x","y"]', '3', '1.2345675e+06', 'true', 'x']);
  });
  it('serves the default Age column when none are declared', () => {
    for (const none of [undefined, []]) {
      const p = printerFromCRDColumns(none);
      assert.deepEqual(p.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
      assert.deepEqual(p.cells(obj, NOW), ['w1', '3h']);
    }
  });
  it('does not add Age when columns are declared without it (kube does not)', () => {
    const p = printerFromCRDColumns([{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }]);
    assert.deepEqual(p.columns.map((c) => c.name), ['Name', 'Replicas']);
  });
  it('stops at a column whose path does not parse, keeping the ones before it', () => {
    const p = printerFromCRDColumns([
      { name: 'A', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'B', type: 'string', jsonPath: '.spec[' },
      { name: 'C', type: 'string', jsonPath: '.spec.x' },
    ]);
    assert.deepEqual(p.columns.map((c) => c.name), ['Name', 'A']);
    assert.deepEqual(p.cells(obj, NOW), ['w1', 2]);
  });
  it('keeps the declared format', () => {
    const p = printerFromCRDColumns([{ name: 'Size', type: 'integer', format: 'int64', jsonPath: '.spec.replicas', priority: 3 }]);
    assert.deepEqual(p.columns[1], { name: 'Size', type: 'integer', format: 'int64', description: 'Custom resource definition column (in JSONPath format): .spec.replicas', priority: 1 });
  });
});

describe('Go value printing', () => {
  it('goNumber', () => {
    assert.equal(goNumber(3), '3');
    assert.equal(goNumber(-12), '-12');
    assert.equal(goNumber(0.5), '0.5');
    assert.equal(goNumber(123456.5), '123456.5');
    assert.equal(goNumber(1234567.5), '1.2345675e+06');
    assert.equal(goNumber(0.00001), '1e-05');
    assert.equal(goNumber(0.0001), '0.0001');
  });
  it('goJSON sorts keys and escapes HTML', () => {
    assert.equal(goJSON({ b: [{ d: 1, c: 2 }], a: 'x&y' }), '{"a":"x\\u0026y","b":[{"c":2,"d":1}]}');
  });
});
