import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asList, colorEnabled, colors, formatTable, oneLine, resourceName, serialize, visibleWidth, withoutManagedFields } from './output.js';

test('tables: columns as wide as their widest cell, three spaces apart, no trailing blanks', () => {
  const text = formatTable(
    ['NAME', 'READY', 'AGE'],
    [
      ['member1', 'True', '5m'],
      ['a-much-longer-name', 'Unknown', ''],
    ],
  );
  assert.equal(text, ['NAME                 READY     AGE', 'member1              True      5m', 'a-much-longer-name   Unknown'].join('\n') + '\n');
});

test('tables: colour codes take no width, so coloured cells stay aligned', () => {
  const c = colors(true);
  const text = formatTable(['A', 'B'], [[c.green('True'), 'x'], ['False', 'y']]);
  const lines = text.trimEnd().split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  assert.deepEqual(lines, ['A       B', 'True    x', 'False   y']);
  assert.equal(visibleWidth(c.red('abc')), 3);
});

test('tables: a tab or newline in a cell cannot break the layout', () => {
  assert.equal(formatTable(['A', 'B'], [['x\ty', 'z\nw']]), 'A     B\nx y   z w\n');
});

test('colour only on a terminal, and never with NO_COLOR or TERM=dumb', () => {
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(colorEnabled({}, {}), false);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
  assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  assert.equal(colors(false).green('x'), 'x');
});

test('yaml looks like kubectl: list items flush with their key, YAML 1.1 quoting', () => {
  const text = serialize(asList([{ kind: 'ConfigMap', data: { a: 'yes', b: '0777', c: 'plain' } }]), 'yaml');
  assert.match(text, /^items:\n- kind: ConfigMap$/m);
  assert.match(text, /a: "yes"/);
  assert.match(text, /b: "0777"/);
  assert.match(text, /c: plain/);
  assert.match(text, /^apiVersion: v1\nkind: List\n/);
});

test('json is indented like kubectl (4 spaces) and ends with a newline', () => {
  assert.equal(serialize({ a: { b: 1 } }, 'json'), '{\n    "a": {\n        "b": 1\n    }\n}\n');
});

test('-o name is kind.group/name, with no group for core kinds', () => {
  assert.equal(resourceName('Deployment', 'apps', 'nginx'), 'deployment.apps/nginx');
  assert.equal(resourceName('Namespace', '', 'default'), 'namespace/default');
});

test('errors stay on one line', () => {
  assert.equal(oneLine('first\n  second\nthird'), 'first; second; third');
});

test('managedFields are hidden, the rest of the metadata kept', () => {
  assert.deepEqual(withoutManagedFields({ metadata: { name: 'a', managedFields: [{}] } }), { metadata: { name: 'a' } });
  const o = { metadata: { name: 'b' } };
  assert.equal(withoutManagedFields(o), o);
});
