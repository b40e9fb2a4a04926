import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { age, humanDuration, parseTime, shortHumanDuration } from './age.js';
import { NOW, ago } from './testutil.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [70 * S, '70s'],
    [119 * S + 999, '119s'],
    [120 * S, '2m'],
    [190 * S, '3m10s'],
    [200 * S, '3m20s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [70 * M, '70m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [49 * H, '2d1h'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 2 * H, '8d'],
    [367 * D, '367d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [365 * 2 * D + 25 * H, '2y1d'],
    [4 * 365 * D, '4y'],
    [365 * 8 * D + 2 * H, '8y'],
    [20 * 365 * D, '20y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));

  it('tolerates up to two seconds of clock skew', () => {
    assert.equal(humanDuration(-500), '0s');
    assert.equal(humanDuration(-1999), '0s');
    assert.equal(humanDuration(-2000), '<invalid>');
    assert.equal(humanDuration(-5 * M), '<invalid>');
  });
});

describe('shortHumanDuration', () => {
  it('keeps one unit', () => {
    assert.equal(shortHumanDuration(59 * S), '59s');
    assert.equal(shortHumanDuration(90 * S), '1m');
    assert.equal(shortHumanDuration(5 * H + 59 * M), '5h');
    assert.equal(shortHumanDuration(3 * D), '3d');
    assert.equal(shortHumanDuration(400 * D), '1y');
    assert.equal(shortHumanDuration(-3 * S), '<invalid>');
  });
});

describe('age', () => {
  it('is "<unknown>" without a timestamp', () => {
    assert.equal(age(undefined, NOW), '<unknown>');
    assert.equal(age(null, NOW), '<unknown>');
    assert.equal(age('', NOW), '<unknown>');
    assert.equal(age('0001-01-01T00:00:00Z', NOW), '<unknown>');
  });
  it('measures from now', () => {
    assert.equal(age(ago('5s'), NOW), '5s');
    assert.equal(age(ago('3m20s'), NOW), '3m20s');
    assert.equal(age(ago('2d3h'), NOW), '2d3h');
    assert.equal(age(new Date(NOW.getTime() - 4 * 365 * D), NOW), '4y');
  });
  it('reads fractional seconds and offsets', () => {
    assert.equal(age('2024-06-01T11:59:30.123456Z', NOW), '29s');
    assert.equal(age('2024-06-01T13:00:00+02:00', NOW), '60m');
  });
  it('flags timestamps in the future and garbage', () => {
    assert.equal(age('2024-06-01T12:10:00Z', NOW), '<invalid>');
    assert.equal(age('yesterday', NOW), '<invalid>');
    assert.ok(Number.isNaN(parseTime('nope')));
  });
});
