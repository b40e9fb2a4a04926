import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printerFor } from './builtin.js';
import { printerFromCRDColumns } from './crd.js';
import { toTable } from './table.js';
import { NOW, ago } from './testutil.js';

const cm = (name: string, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: ago('5m'), labels: { a: 'b' }, ...extra },
  data: { k: 'v' },
});

describe('toTable', () => {
  const printer = printerFor('', 'configmaps');

  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const t = toTable(printer, [cm('one'), cm('two')], NOW, { resourceVersion: '99' });
    assert.deepEqual(t, {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '99' },
      columnDefinitions: printer.columns,
      rows: [
        { cells: ['one', 1, '5m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('one').metadata } },
        { cells: ['two', 1, '5m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('two').metadata } },
      ],
    });
  });

  it('serializes with the conventional key order', () => {
    const json = JSON.stringify(toTable(printer, [cm('one')], NOW));
    assert.match(json, /^\{"kind":"Table","apiVersion":"meta.k8s.io\/v1","metadata":\{\},"columnDefinitions":\[\{"name":"Name","type":"string","format":"name","description":"[^"]+","priority":0\}/);
    assert.ok(json.indexOf('"columnDefinitions"') < json.indexOf('"rows"'));
  });

  it('includes the full object or none on request', () => {
    const full = toTable(printer, [cm('one')], NOW, { includeObject: 'Object' });
    assert.deepEqual(full.rows[0]!.object, cm('one'));
    const none = toTable(printer, [cm('one')], NOW, { includeObject: 'None' });
    assert.equal('object' in none.rows[0]!, false);
  });

  it('leaves out column definitions with noHeaders', () => {
    const t = toTable(printer, [cm('one')], NOW, { noHeaders: true });
    assert.equal('columnDefinitions' in t, false);
    assert.deepEqual(t.rows[0]!.cells, ['one', 1, '5m']);
  });

  it('carries list metadata (continue, remainingItemCount)', () => {
    const t = toTable(printer, [], NOW, { resourceVersion: '7', continue: 'tok', remainingItemCount: 12 });
    assert.deepEqual(t.metadata, { resourceVersion: '7', continue: 'tok', remainingItemCount: 12 });
    assert.deepEqual(t.rows, []);
    assert.deepEqual(toTable(printer, [], NOW, { remainingItemCount: 0 }).metadata, { remainingItemCount: 0 });
  });

  it('adds row conditions for finished pods', () => {
    const pods = printerFor('', 'pods');
    const t = toTable(pods, [{ metadata: { name: 'done' }, spec: { containers: [] }, status: { phase: 'Succeeded' } }, { metadata: { name: 'up' }, status: { phase: 'Running' } }], NOW);
    assert.equal(t.rows[0]!.conditions?.[0]?.type, 'Completed');
    assert.equal('conditions' in t.rows[1]!, false);
  });

  it('works with CRD printers', () => {
    const p = printerFromCRDColumns([{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }]);
    const t = toTable(p, [{ apiVersion: 'x.io/v1', kind: 'W', metadata: { name: 'w' }, spec: { replicas: 4 } }], NOW, { includeObject: 'None' });
    assert.deepEqual(t.rows, [{ cells: ['w', 4] }]);
    assert.deepEqual(t.columnDefinitions?.map((c) => c.name), ['Name', 'Replicas']);
  });

  it('does not share column definition objects with the printer', () => {
    const t = toTable(printer, [], NOW);
    t.columnDefinitions![0]!.name = 'changed';
    assert.equal(printer.columns[0]!.name, 'Name');
  });
});
