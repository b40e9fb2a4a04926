import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellText, mergeTables, type Table } from './tables.js';

const deployTable = (rows: [string, string, number][], extra = false): Table => ({
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string' },
    { name: 'Ready', type: 'string' },
    { name: 'Available', type: 'integer' },
    { name: 'Images', type: 'string', priority: 1 },
    ...(extra ? [{ name: 'Adoption', type: 'string' }] : []),
  ],
  rows: rows.map(([name, ready, avail]) => ({ cells: [name, ready, avail, 'nginx', ...(extra ? ['yes'] : [])], object: { metadata: { name, namespace: 'web' } } })),
});

test('CLUSTER comes first; priority columns only in wide', () => {
  const m = mergeTables([{ cluster: 'member1', table: deployTable([['nginx', '2/2', 2]]) }], { wide: false, namespace: false });
  assert.deepEqual(m.headers, ['CLUSTER', 'NAME', 'READY', 'AVAILABLE']);
  assert.deepEqual(m.rows, [['member1', 'nginx', '2/2', '2']]);
  const w = mergeTables([{ cluster: 'member1', table: deployTable([['nginx', '2/2', 2]]) }], { wide: true, namespace: false });
  assert.deepEqual(w.headers, ['CLUSTER', 'NAME', 'READY', 'AVAILABLE', 'IMAGES']);
});

test('all namespaces add NAMESPACE from each row object', () => {
  const m = mergeTables([{ cluster: 'm1', table: deployTable([['a', '1/1', 1]]) }], { wide: false, namespace: true });
  assert.deepEqual(m.headers.slice(0, 3), ['CLUSTER', 'NAMESPACE', 'NAME']);
  assert.deepEqual(m.rows[0]!.slice(0, 3), ['m1', 'web', 'a']);
});

test('members printing different columns: the union, in order of first sight', () => {
  const m = mergeTables(
    [
      { cluster: 'old', table: deployTable([['a', '1/1', 1]]) },
      { cluster: 'new', table: deployTable([['b', '0/1', 0]], true) },
    ],
    { wide: false, namespace: false },
  );
  assert.deepEqual(m.headers, ['CLUSTER', 'NAME', 'READY', 'AVAILABLE', 'ADOPTION']);
  assert.deepEqual(m.rows, [
    ['old', 'a', '1/1', '1', ''],
    ['new', 'b', '0/1', '0', 'yes'],
  ]);
});

test('cells print as kubectl prints them', () => {
  assert.equal(cellText(null), '<none>');
  assert.equal(cellText(undefined), '<none>');
  assert.equal(cellText(3), '3');
  assert.equal(cellText(false), 'false');
  assert.equal(cellText(['a', 'b']), '["a","b"]');
});
