import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFieldOverrider, goYamlKeyCompare, jsonToYaml, yamlToJson } from './field.js';
import { OverriderError } from './errors.js';
import type { FieldOverrider, Manifest } from './types.js';

const configMap = (data: Record<string, unknown>): Manifest =>
  Object.freeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: Object.freeze({ name: 'example-config' }), data: Object.freeze(data) });
const data = (m: Manifest, key: string) => (m['data'] as Record<string, string>)[key];
const fails = (fn: () => unknown, message: string | RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof OverriderError && (typeof message === 'string' ? e.message === message : message.test(e.message)));

describe('fieldOverrider on YAML', () => {
  it('the proposal example: host and port of db-config.yaml', () => {
    const m = configMap({ 'db-config.yaml': 'database:\n  host: localhost\n  port: 3306\n' });
    const out = applyFieldOverrider(m, {
      fieldPath: '/data/db-config.yaml',
      yaml: [
        { subPath: '/database/host', operator: 'replace', value: 'remote-db.example.com' },
        { subPath: '/database/port', operator: 'replace', value: '3307' },
      ],
    });
    // "3307" is a string in the policy, so go-yaml quotes it.
    assert.equal(data(out, 'db-config.yaml'), 'database:\n  host: remote-db.example.com\n  port: "3307"\n');
    assert.equal(data(m, 'db-config.yaml'), 'database:\n  host: localhost\n  port: 3306\n');
  });

  const cases: [string, string, FieldOverrider['yaml'], string][] = [
    ['replace with a number', 'port: 3306\n', [{ subPath: '/port', operator: 'replace', value: 3307 }], 'port: 3307\n'],
    ['add a key; keys come out sorted', 'b: 1\na: 2\n', [{ subPath: '/c', operator: 'add', value: true }], 'a: 2\nb: 1\nc: true\n'],
    ['remove a key', 'a: 1\nb: 2\n', [{ subPath: '/a', operator: 'remove' }], 'b: 2\n'],
    ['append to a list (sequences not indented)', 'hosts:\n  - a\n', [{ subPath: '/hosts/-', operator: 'add', value: 'b' }], 'hosts:\n- a\n- b\n'],
    ['add an object', 'a: 1\n', [{ subPath: '/tls', operator: 'add', value: { enabled: true, ciphers: ['x'] } }], 'a: 1\ntls:\n  ciphers:\n  - x\n  enabled: true\n'],
    ['comments are lost', '# header\na: 1 # trailing\n', [{ subPath: '/a', operator: 'replace', value: 2 }], 'a: 2\n'],
    ['anchors and merge keys are expanded', 'base: &b\n  k: v\nd:\n  <<: *b\n  j: w\n', [{ subPath: '/d/j', operator: 'replace', value: 'x' }], 'base:\n  k: v\nd:\n  j: x\n  k: v\n'],
    ['YAML 1.1 booleans read as booleans', 'a: yes\nb: off\n', [{ subPath: '/c', operator: 'add', value: 'on' }], 'a: true\nb: false\nc: "on"\n'],
    ['timestamps stay strings, re-quoted', 'd: 2001-12-14\n', [{ subPath: '/e', operator: 'add', value: 1 }], 'd: "2001-12-14"\ne: 1\n'],
    ['large integers survive', 'id: 12345678901234567890\n', [{ subPath: '/x', operator: 'add', value: 1 }], 'id: 12345678901234567890\nx: 1\n'],
    ['multi-line strings become literal blocks', 'a: 1\n', [{ subPath: '/script', operator: 'add', value: 'echo a\necho b\n' }], 'a: 1\nscript: |\n  echo a\n  echo b\n'],
    ['only the first document is read', 'a: 1\n---\nb: 2\n', [{ subPath: '/a', operator: 'replace', value: 3 }], 'a: 3\n'],
    ['duplicate keys keep the last value', 'a: 1\na: 2\n', [{ subPath: '/b', operator: 'add', value: 0 }], 'a: 2\nb: 0\n'],
    ['a top-level list', '- a\n- b\n', [{ subPath: '/0', operator: 'remove' }], '- b\n'],
    ['go-yaml natural key order', 'a10: 1\na2: 2\nZ: 3\n_x: 4\n', [{ subPath: '/b', operator: 'add', value: 5 }], '_x: 4\nZ: 3\na2: 2\na10: 1\nb: 5\n'],
  ];
  for (const [name, before, ops, after] of cases) {
    it(name, () => assert.equal(data(applyFieldOverrider(configMap({ f: before }), { fieldPath: '/data/f', yaml: ops }), 'f'), after));
  }

  it('a missing subPath parent fails like json-patch', () => {
    fails(
      () => applyFieldOverrider(configMap({ f: 'a: 1\n' }), { fieldPath: '/data/f', yaml: [{ subPath: '/x/y', operator: 'add', value: 1 }] }),
      'add operation does not apply: doc is missing path: "/x/y": missing value',
    );
  });
  it('invalid YAML fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: 'a: [1\n' }), { fieldPath: '/data/f', yaml: [{ subPath: '/a', operator: 'remove' }] }), /^error converting YAML to JSON: yaml: /);
  });
  it('a scalar document fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: 'just text' }), { fieldPath: '/data/f', yaml: [{ subPath: '/a', operator: 'remove' }] }), /cannot unmarshal string/);
  });
  it('an empty document fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: '' }), { fieldPath: '/data/f', yaml: [{ subPath: '/a', operator: 'add', value: 1 }] }), /cannot unmarshal null/);
  });
});

describe('fieldOverrider on JSON', () => {
  const config = '{\n  "keyA": "valueA",\n  "keyB": "valueB",\n  "keyC": "valueC"\n}';
  const cases: [string, string, FieldOverrider['json'], string][] = [
    [
      'add, remove, replace (proposal example, compact output)',
      config,
      [
        { subPath: '/keyD', operator: 'add', value: '' },
        { subPath: '/keyB', operator: 'remove' },
        { subPath: '/keyC', operator: 'replace', value: 'newly added value' },
      ],
      '{"keyA":"valueA","keyC":"newly added value","keyD":""}',
    ],
    ['numbers keep their spelling', '{"v": 1.0, "big": 12345678901234567890, "e": 1E3}', [{ subPath: '/n', operator: 'add', value: 2.5 }], '{"v":1.0,"big":12345678901234567890,"e":1E3,"n":2.5}'],
    ['HTML characters are escaped as Go does', '{"a": "<b>&"}', [{ subPath: '/c', operator: 'add', value: 'x>y' }], '{"a":"\\u003cb\\u003e\\u0026","c":"x\\u003ey"}'],
    ['a top-level array', '[1, 2]', [{ subPath: '/-', operator: 'add', value: { k: 'v' } }], '[1,2,{"k":"v"}]'],
    ['nested replace', '{"db": {"hosts": ["a", "b"]}}', [{ subPath: '/db/hosts/1', operator: 'replace', value: 'c' }], '{"db":{"hosts":["a","c"]}}'],
    ['an empty string is left as is', '', [{ subPath: '/a', operator: 'add', value: 1 }], ''],
  ];
  for (const [name, before, ops, after] of cases) {
    it(name, () => assert.equal(data(applyFieldOverrider(configMap({ 'config.json': before }), { fieldPath: '/data/config.json', json: ops }), 'config.json'), after));
  }
  it('invalid JSON fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: '{"a": ' }), { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'remove' }] }), 'invalid JSON Document');
  });
  it('a JSON scalar fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: '"x"' }), { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'remove' }] }), /cannot unmarshal string/);
  });
  it('an array after whitespace fails (Go looks at the first byte)', () => {
    fails(() => applyFieldOverrider(configMap({ f: ' [1]' }), { fieldPath: '/data/f', json: [{ subPath: '/0', operator: 'remove' }] }), /cannot unmarshal array/);
  });
  it('a failing op fails', () => {
    fails(() => applyFieldOverrider(configMap({ f: '{}' }), { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'replace', value: 1 }] }), 'replace operation does not apply: doc is missing key: /a: missing value');
  });
});

describe('fieldOverrider: fieldPath and json/yaml choice', () => {
  const m = configMap({ f: '{"a":1}', 'x/y': '{"a":1}', n: 5 as unknown as string });
  it('fieldPath with ~1 escaping', () => {
    assert.equal(data(applyFieldOverrider(m, { fieldPath: '/data/x~1y', json: [{ subPath: '/a', operator: 'replace', value: 2 }] }), 'x/y'), '{"a":2}');
  });
  const bad: [string, FieldOverrider, string][] = [
    ['both json and yaml', { fieldPath: '/data/f', json: [{ subPath: '/a', operator: 'remove' }], yaml: [{ subPath: '/a', operator: 'remove' }] }, 'FieldOverrider has both YAML and JSON set. Only one is allowed'],
    ['neither json nor yaml', { fieldPath: '/data/f' }, 'FieldOverrider has neither YAML nor JSON operations'],
    ['a field that is not a string', { fieldPath: '/data/n', json: [{ subPath: '/a', operator: 'remove' }] }, "Get object's value by overrider's path(/data/n) is not string"],
    ['a field that is an object', { fieldPath: '/data', json: [{ subPath: '/a', operator: 'remove' }] }, "Get object's value by overrider's path(/data) is not string"],
    ['a missing field', { fieldPath: '/data/nope', json: [{ subPath: '/a', operator: 'remove' }] }, 'object has no key "nope"'],
    ['a fieldPath without "/"', { fieldPath: 'data/f', json: [{ subPath: '/a', operator: 'remove' }] }, 'JSON pointer must be empty or start with a "/"'],
  ];
  for (const [name, o, message] of bad) it(`fails: ${name}`, () => fails(() => applyFieldOverrider(m, o), message));
});

describe('YAML conversions', () => {
  it('go-yaml key order', () => {
    const keys = ['b', 'a10', 'a2', 'A', '_', '1', '10', '2', 'a', 'ab', 'a02'];
    assert.deepEqual([...keys].sort(goYamlKeyCompare), ['_', '1', '2', '10', 'A', 'a', 'a2', 'a02', 'a10', 'ab', 'b']);
  });
  it('strings go-yaml would misread are double-quoted', () => {
    assert.equal(jsonToYaml({ a: 'null', b: '~', c: '0777', d: '1:20', e: 'y', f: '', g: ' x', h: 'a: b', i: 'plain' }), 'a: "null"\nb: "~"\nc: "0777"\nd: "1:20"\ne: "y"\nf: ""\ng: " x"\nh: "a: b"\ni: plain\n');
  });
  it('YAML 1.1 octal and sexagesimal-looking values', () => {
    assert.deepEqual(yamlToJson('a: 0777\nb: 1:20\n'), { a: 511n, b: '1:20' });
  });
});
