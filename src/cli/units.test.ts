import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCores, formatGi, milliOf, percent, valueOf } from './units.js';

test('cores: up to two decimals, no trailing zeros', () => {
  assert.equal(formatCores(3500n), '3.5');
  assert.equal(formatCores(32000n), '32');
  assert.equal(formatCores(250n), '0.25');
  assert.equal(formatCores(0n), '0');
  assert.equal(formatCores(1n), '0');
});

test('Gi: two decimals under 10Gi, one above', () => {
  assert.equal(formatGi(512n * 2n ** 20n), '0.5');
  assert.equal(formatGi(64n * 2n ** 30n), '64');
  assert.equal(formatGi((12n * 2n ** 30n) + 2n ** 28n), '12.3');
  assert.equal(formatGi(0n), '0');
});

test('percent: rounded, undefined without a total', () => {
  assert.equal(percent(1n, 3n), 33);
  assert.equal(percent(2n, 3n), 67);
  assert.equal(percent(5n, 0n), undefined);
});

test('quantities read from resource lists', () => {
  const list = { cpu: '3500m', memory: '1Gi', pods: 110, bad: 'x' };
  assert.equal(milliOf(list, 'cpu'), 3500n);
  assert.equal(valueOf(list, 'memory'), 2n ** 30n);
  assert.equal(valueOf(list, 'pods'), 110n);
  assert.equal(milliOf(list, 'bad'), undefined);
  assert.equal(milliOf(undefined, 'cpu'), undefined);
});
