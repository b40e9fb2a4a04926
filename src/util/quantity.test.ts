import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ERR_QUANTITY_FORMAT,
  ERR_QUANTITY_NUMERIC,
  ERR_QUANTITY_SUFFIX,
  InvalidQuantityError,
  Quantity,
  addResourceLists,
  canonicalQuantity,
  formatQuantity,
  milliToResourceList,
  parseQuantity,
  resourceListToMilli,
  subtractResourceLists,
  tryParseQuantity,
  type QuantityFormat,
} from './quantity.js';

describe('parseQuantity', () => {
  // input, milli (ceil), value (ceil), String(), format
  const table: [string | number, bigint, bigint, string, QuantityFormat][] = [
    ['0', 0n, 0n, '0', 'DecimalSI'],
    ['00', 0n, 0n, '0', 'DecimalSI'],
    ['0.5', 500n, 1n, '500m', 'DecimalSI'],
    ['1.5', 1500n, 2n, '1500m', 'DecimalSI'],
    ['1.50', 1500n, 2n, '1500m', 'DecimalSI'],
    ['.5', 500n, 1n, '500m', 'DecimalSI'],
    ['100m', 100n, 1n, '100m', 'DecimalSI'],
    ['2000m', 2000n, 2n, '2', 'DecimalSI'],
    ['1500000', 1500000000n, 1500000n, '1500k', 'DecimalSI'],
    ['1000000k', 1000000000000n, 1000000000n, '1G', 'DecimalSI'],
    ['128974848', 128974848000n, 128974848n, '128974848', 'DecimalSI'],
    ['1k', 1000000n, 1000n, '1k', 'DecimalSI'],
    ['1M', 1000000000n, 1000000n, '1M', 'DecimalSI'],
    ['2G', 2000000000000n, 2000000000n, '2G', 'DecimalSI'],
    ['1T', 10n ** 15n, 10n ** 12n, '1T', 'DecimalSI'],
    ['1P', 10n ** 18n, 10n ** 15n, '1P', 'DecimalSI'],
    ['1E', 10n ** 21n, 10n ** 18n, '1E', 'DecimalSI'],
    ['1.01E', 101n * 10n ** 19n, 101n * 10n ** 16n, '1010P', 'DecimalSI'],
    ['1n', 1n, 1n, '1n', 'DecimalSI'],
    ['1u', 1n, 1n, '1u', 'DecimalSI'],
    ['1500u', 2n, 1n, '1500u', 'DecimalSI'],
    ['0.1m', 1n, 1n, '100u', 'DecimalSI'],
    ['1Ki', 1024000n, 1024n, '1Ki', 'BinarySI'],
    ['1Mi', 1048576000n, 1048576n, '1Mi', 'BinarySI'],
    ['1Gi', 1073741824000n, 1073741824n, '1Gi', 'BinarySI'],
    ['1.5Gi', 1610612736000n, 1610612736n, '1536Mi', 'BinarySI'],
    ['1024Mi', 1073741824000n, 1073741824n, '1Gi', 'BinarySI'],
    ['1536Mi', 1610612736000n, 1610612736n, '1536Mi', 'BinarySI'],
    ['8Ki', 8192000n, 8192n, '8Ki', 'BinarySI'],
    ['1025Ki', 1049600000n, 1049600n, '1025Ki', 'BinarySI'],
    ['1.5Ki', 1536000n, 1536n, '1536', 'BinarySI'],
    ['0.5Ki', 512000n, 512n, '512', 'BinarySI'],
    ['0.5Mi', 524288000n, 524288n, '512Ki', 'BinarySI'],
    ['0Ki', 0n, 0n, '0', 'BinarySI'],
    // below 1 a BinarySI value turns DecimalSI, and rounds up to 1n
    ['0.000000000001Ki', 1n, 1n, '2n', 'DecimalSI'],
    // BinarySI saturates at 2^63-1
    ['8Ei', 9223372036854775807000n, 9223372036854775807n, '9223372036854775807', 'BinarySI'],
    ['1e3', 1000000n, 1000n, '1e3', 'DecimalExponent'],
    ['12E6', 12000000000n, 12000000n, '12E6', 'DecimalExponent'],
    ['1e2', 100000n, 100n, '100', 'DecimalExponent'],
    ['12e-3', 12n, 1n, '12e-3', 'DecimalExponent'],
    ['1.5e3', 1500000n, 1500n, '1500', 'DecimalExponent'],
    ['1e+3', 1000000n, 1000n, '1e+3', 'DecimalExponent'],
    ['1e-400', 1n, 1n, '1e-9', 'DecimalExponent'],
    ['-1.5', -1500n, -2n, '-1500m', 'DecimalSI'],
    ['-1Ki', -1024000n, -1024n, '-1Ki', 'BinarySI'],
    ['-0.0001', -1n, -1n, '-100u', 'DecimalSI'],
    // strings Kubernetes keeps verbatim
    ['+1', 1000n, 1n, '+1', 'DecimalSI'],
    ['1.', 1000n, 1n, '1.', 'DecimalSI'],
    ['1.G', 1000000000000n, 1000000000n, '1.G', 'DecimalSI'],
    // quirks of the Kubernetes scanner: no digits at all still parses as zero on the fast path
    ['.', 0n, 0n, '0', 'DecimalSI'],
    ['Mi', 0n, 0n, '0', 'BinarySI'],
    ['-', 0n, 0n, '0', 'DecimalSI'],
    // numbers are read as their JSON text
    [2, 2000n, 2n, '2', 'DecimalSI'],
    [0.5, 500n, 1n, '500m', 'DecimalSI'],
    [-3, -3000n, -3n, '-3', 'DecimalSI'],
  ];
  for (const [input, milli, value, str, format] of table) {
    it(`${JSON.stringify(input)} → ${str}`, () => {
      const q = parseQuantity(input);
      assert.equal(q.toMilli(), milli, 'toMilli');
      assert.equal(q.value(), value, 'value');
      assert.equal(q.toString(), str, 'toString');
      assert.equal(q.format, format, 'format');
      assert.equal(JSON.stringify({ q }), JSON.stringify({ q: str }));
    });
  }

  const invalid: [string | number, string][] = [
    ['', ERR_QUANTITY_FORMAT],
    ['1.1.M', ERR_QUANTITY_FORMAT],
    ['1+1.0M', ERR_QUANTITY_FORMAT],
    [' 1', ERR_QUANTITY_FORMAT],
    ['1 ', ERR_QUANTITY_FORMAT],
    ['aoeu', ERR_QUANTITY_FORMAT],
    ['1Gb', ERR_QUANTITY_FORMAT],
    ['1KiB', ERR_QUANTITY_FORMAT],
    ['1e+-3', ERR_QUANTITY_FORMAT],
    ['1,5', ERR_QUANTITY_FORMAT],
    ['0x10', ERR_QUANTITY_FORMAT],
    ['１', ERR_QUANTITY_FORMAT],
    [Number.NaN, ERR_QUANTITY_FORMAT],
    [Number.POSITIVE_INFINITY, ERR_QUANTITY_FORMAT],
    ['0.1mi', ERR_QUANTITY_SUFFIX],
    ['0.1am', ERR_QUANTITY_FORMAT],
    ['1i', ERR_QUANTITY_SUFFIX],
    ['.5i', ERR_QUANTITY_SUFFIX],
    ['-3.01i', ERR_QUANTITY_SUFFIX],
    ['1ki', ERR_QUANTITY_SUFFIX],
    ['1K', ERR_QUANTITY_SUFFIX],
    ['1e', ERR_QUANTITY_SUFFIX],
    ['-3.01e-', ERR_QUANTITY_SUFFIX],
    ['1e3k', ERR_QUANTITY_FORMAT],
    ['1e99999999999999999999', ERR_QUANTITY_SUFFIX],
    ['Ei', ERR_QUANTITY_NUMERIC],
    ['.Ei', ERR_QUANTITY_NUMERIC],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseQuantity(input),
        (e: unknown) => e instanceof InvalidQuantityError && e.message === message && e.input === String(input),
      );
      assert.equal(tryParseQuantity(input), undefined);
    });
  }

  it('uses the exact Kubernetes regular-expression message', () => {
    assert.equal(ERR_QUANTITY_FORMAT, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('returns a Quantity unchanged', () => {
    const q = parseQuantity('1Gi');
    assert.equal(parseQuantity(q), q);
  });
});

describe('Quantity arithmetic', () => {
  it('1Ki and 1k differ', () => {
    assert.equal(parseQuantity('1Ki').cmp('1k'), 1);
    assert.equal(parseQuantity('1k').cmp('1Ki'), -1);
    assert.ok(parseQuantity('1000').equals('1k'));
    assert.ok(parseQuantity('1024').equals('1Ki'));
    assert.ok(parseQuantity('1e3').equals('1k'));
  });

  it('compares exactly where floats would not', () => {
    assert.equal(parseQuantity('9007199254740993').cmp('9007199254740992'), 1);
    assert.equal(parseQuantity('0.1').add('0.2').cmp('0.3'), 0);
  });

  it('add/sub keep the receiver format unless it is zero', () => {
    assert.equal(parseQuantity('1Gi').add('512Mi').toString(), '1536Mi');
    assert.equal(parseQuantity('1').add('500m').toString(), '1500m');
    assert.equal(parseQuantity('0').add('1Ki').toString(), '1Ki');
    assert.equal(parseQuantity('1Gi').sub('1Gi').toString(), '0');
    assert.equal(parseQuantity('1').sub('1500m').toString(), '-500m');
    assert.equal(parseQuantity('2Gi').neg().toString(), '-2Gi');
  });

  it('value/toMilli round up away from zero', () => {
    assert.equal(parseQuantity('1001m').value(), 2n);
    assert.equal(parseQuantity('-1001m').value(), -2n);
    assert.equal(parseQuantity('1n').toMilli(), 1n);
    assert.equal(parseQuantity('-1n').toMilli(), -1n);
    assert.equal(parseQuantity('1.5Gi').scaledValue(6), 1611n);
    assert.equal(parseQuantity('1').scaledValue(-9), 1000000000n);
  });

  it('constructs from milli/value', () => {
    assert.equal(Quantity.fromMilli(250n).toString(), '250m');
    assert.equal(Quantity.fromValue(3n * 1024n * 1024n, 'BinarySI').toString(), '3Mi');
    assert.equal(Quantity.fromValue(1000, 'DecimalExponent').toString(), '1e3');
    assert.equal(Quantity.zero('BinarySI').toString(), '0');
  });
});

describe('formatQuantity', () => {
  const table: [bigint, QuantityFormat, string][] = [
    [0n, 'DecimalSI', '0'],
    [0n, 'BinarySI', '0'],
    [1500n, 'DecimalSI', '1500m'],
    [2000n, 'DecimalSI', '2'],
    [100n, 'DecimalSI', '100m'],
    [1000000n, 'DecimalSI', '1k'],
    [1200000n, 'DecimalSI', '1200'],
    [1073741824000n, 'BinarySI', '1Gi'],
    [1610612736000n, 'BinarySI', '1536Mi'],
    [128974848000n, 'BinarySI', '123Mi'],
    [128974848000n, 'DecimalSI', '128974848'],
    [1023000n, 'BinarySI', '1023'],
    [1024000n, 'BinarySI', '1Ki'],
    [1025000n, 'BinarySI', '1025'],
    [1536000n, 'BinarySI', '1536'],
    [500n, 'BinarySI', '500m'],
    [1024500n, 'BinarySI', '1024500m'],
    [-1073741824000n, 'BinarySI', '-1Gi'],
    [(1n << 70n) * 1000n, 'BinarySI', '1024Ei'],
    [1000000n, 'DecimalExponent', '1e3'],
    [1500n, 'DecimalExponent', '1500e-3'],
    [10n ** 24n, 'DecimalSI', '1000E'],
  ];
  for (const [milli, format, want] of table) {
    it(`${milli}m as ${format} → ${want}`, () => assert.equal(formatQuantity(milli, format), want));
  }

  it('canonicalQuantity normalises strings', () => {
    assert.equal(canonicalQuantity('1.5Gi'), '1536Mi');
    assert.equal(canonicalQuantity('1000m'), '1');
    assert.equal(canonicalQuantity(0.25), '250m');
  });
});

describe('ResourceList helpers', () => {
  it('adds key by key, keeping keys from every list', () => {
    assert.deepEqual(addResourceLists({ cpu: '1', memory: '1Gi' }, { cpu: '500m', 'nvidia.com/gpu': '1' }), {
      cpu: '1500m',
      memory: '1Gi',
      'nvidia.com/gpu': '1',
    });
    assert.deepEqual(addResourceLists({ memory: '512Mi' }, { memory: '512Mi' }, { memory: '1Gi' }), { memory: '2Gi' });
    assert.deepEqual(addResourceLists(undefined, null, {}), {});
  });

  it('subtracts, negating keys only on the right', () => {
    assert.deepEqual(subtractResourceLists({ cpu: '1', pods: '110' }, { cpu: '250m', memory: '1Gi' }), {
      cpu: '750m',
      pods: '110',
      memory: '-1Gi',
    });
  });

  it('converts to milli', () => {
    assert.deepEqual(resourceListToMilli({ cpu: '250m', memory: '1Ki', pods: 110, 'example.com/foo': '1n' }), {
      cpu: 250n,
      memory: 1024000n,
      pods: 110000n,
      'example.com/foo': 1n,
    });
    assert.throws(() => resourceListToMilli({ cpu: 'lots' }), InvalidQuantityError);
  });

  it('converts milli back to a ResourceList with conventional formats', () => {
    assert.deepEqual(milliToResourceList({ cpu: 1500n, memory: 1073741824000n, pods: 110000n }), {
      cpu: '1500m',
      memory: '1Gi',
      pods: '110',
    });
  });
});
