import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessModes, boolString, containerCells, formatLabels, formatLabelSelector, joinHostPort, listWithMore, selectorString } from './format.js';

describe('format helpers', () => {
  it('formatLabels sorts keys and prints <none> when empty', () => {
    assert.equal(formatLabels({ b: '2', a: '1', 'app.kubernetes.io/name': 'x' }), 'a=1,app.kubernetes.io/name=x,b=2');
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels(undefined), '<none>');
  });
  it('selectorString renders requirements like labels.Selector.String()', () => {
    assert.equal(selectorString(undefined), '');
    assert.equal(selectorString({}), '');
    assert.equal(selectorString({ matchExpressions: [{ key: 'k', operator: 'In', values: ['z', 'a', 'm'] }] }), 'k in (a,m,z)');
    assert.equal(selectorString({ matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['one'] }] }), 'k notin (one)');
    assert.equal(selectorString({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }), 'a=1,a');
    assert.equal(selectorString({ matchExpressions: [{ key: 'k', operator: 'In', values: [] }] }), undefined);
    assert.equal(selectorString({ matchExpressions: [{ key: 'k', operator: 'Exists', values: ['x'] }] }), undefined);
  });
  it('formatLabelSelector', () => {
    assert.equal(formatLabelSelector(undefined), '<none>');
    assert.equal(formatLabelSelector({ matchLabels: {} }), '<none>');
    assert.equal(formatLabelSelector({ matchLabels: { app: 'a' } }), 'app=a');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'k', operator: 'Gt', values: ['1'] }] }), '<error>');
  });
  it('containerCells joins names and images', () => {
    assert.deepEqual(containerCells([{ name: 'a', image: 'x' }, { name: 'b' }]), ['a,b', 'x,']);
    assert.deepEqual(containerCells(undefined), ['', '']);
  });
  it('joinHostPort, listWithMore, accessModes, boolString', () => {
    assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
    assert.equal(joinHostPort('::1', 80), '[::1]:80');
    assert.equal(listWithMore([]), '<unset>');
    assert.equal(listWithMore(['a', 'b', 'c']), 'a,b,c');
    assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e']), 'a,b,c + 2 more...');
    assert.equal(accessModes(['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce']), 'RWO,ROX,RWOP');
    assert.equal(accessModes(undefined), '');
    assert.deepEqual([boolString(true), boolString(false), boolString(undefined)], ['True', 'False', '<unset>']);
  });
});
