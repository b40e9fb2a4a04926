import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalQuantity, quantityPtr } from './quantity.js';

describe('canonicalQuantity', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['0Gi', '0'],
    ['1', '1'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['0.5', '500m'],
    ['1200', '1200'],
    ['12000', '12k'],
    ['1k', '1k'],
    ['1000k', '1M'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['2048Ki', '2Mi'],
    ['100Mi', '100Mi'],
    ['1000Mi', '1000Mi'],
    ['1536', '1536'],
    ['512Ki', '512Ki'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1E6', '1e6'],
    ['15e2', '1500'],
    ['-1Gi', '-1Gi'],
    ['-100m', '-100m'],
    ['1u', '1u'],
    ['1000n', '1u'],
    ['0.0000000001', '1n'],
    ['5G', '5G'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(canonicalQuantity(input), want));

  it('passes through what it cannot parse and handles absence', () => {
    assert.equal(canonicalQuantity('lots'), 'lots');
    assert.equal(canonicalQuantity(undefined), '0');
    assert.equal(canonicalQuantity(3), '3');
    assert.equal(quantityPtr(undefined), '<nil>');
    assert.equal(quantityPtr('2Gi'), '2Gi');
  });
});
