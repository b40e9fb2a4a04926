import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from '../api/index.js';
import { evictionVerdict, matchingTolerations, taintString, tolerationTime } from './tolerations.js';

const S = 1000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (s: number) => new Date(T0 + s * S).toISOString();
const UNREACH = (s: number | undefined, effect = 'NoExecute'): Taint => ({ key: 'cluster.karmada.io/unreachable', effect, ...(s !== undefined ? { timeAdded: iso(s) } : {}) });
const NOTREADY = (s: number): Taint => ({ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute', timeAdded: iso(s) });
const tol = (key: string | undefined, seconds?: number, extra: Partial<Toleration> = {}): Toleration => ({
  ...(key ? { key } : {}),
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
  ...extra,
});

describe('tolerationTime (Karmada GetMatchingTolerations + GetMinTolerationTime)', () => {
  const cases: { name: string; taints: Taint[]; tolerations: Toleration[]; now: number; want: number }[] = [
    { name: 'no taints: forever', taints: [], tolerations: [], now: 0, want: -1 },
    { name: 'only NoSchedule taints: forever', taints: [UNREACH(0, 'NoSchedule')], tolerations: [], now: 0, want: -1 },
    { name: 'NoExecute, no tolerations: now', taints: [UNREACH(0)], tolerations: [], now: 0, want: 0 },
    { name: 'toleration for another key: now', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/not-ready', 60)], now: 0, want: 0 },
    { name: 'matching toleration without seconds: forever', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable')], now: 0, want: -1 },
    { name: 'toleration 60s, 10s in: 50s left', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: 10, want: 50 * S },
    { name: 'toleration 60s, exactly 60s in: now', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: 60, want: 0 },
    { name: 'toleration 60s, long after: now', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: 600, want: 0 },
    { name: 'toleration 0s: now', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 0)], now: 0, want: 0 },
    {
      name: 'two taints, one tolerated: now',
      taints: [UNREACH(0), NOTREADY(0)],
      tolerations: [tol('cluster.karmada.io/unreachable', 300)],
      now: 0,
      want: 0,
    },
    {
      name: 'two taints both tolerated: the earliest deadline wins',
      taints: [UNREACH(0), NOTREADY(20)],
      tolerations: [tol('cluster.karmada.io/unreachable', 100), tol('cluster.karmada.io/not-ready', 30)],
      now: 10,
      want: 40 * S,
    },
    { name: 'wildcard toleration (empty key, Exists) with seconds', taints: [UNREACH(0), NOTREADY(5)], tolerations: [tol(undefined, 30)], now: 0, want: 30 * S },
    { name: 'the first matching toleration is the one used', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable'), tol(undefined, 10)], now: 0, want: -1 },
    { name: 'Equal operator needs the value', taints: [{ ...UNREACH(0), value: 'x' }], tolerations: [tol('cluster.karmada.io/unreachable', 60, { operator: 'Equal', value: 'y' })], now: 0, want: 0 },
    { name: 'toleration for NoSchedule only does not cover NoExecute', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60, { effect: 'NoSchedule' })], now: 0, want: 0 },
    { name: 'empty effect matches NoExecute too', taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60, { effect: undefined })], now: 0, want: 60 * S },
    { name: 'taint without timeAdded: skipped (Karmada), so forever', taints: [UNREACH(undefined)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: 100, want: -1 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(tolerationTime({ taints: c.taints, tolerations: c.tolerations, now: T0 + c.now * S }), c.want));
  }

  it('a taint without timeAdded counts from when it was first seen, when known', () => {
    const ms = tolerationTime({ taints: [UNREACH(undefined)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: T0 + 100 * S, firstSeen: () => T0 + 90 * S });
    assert.equal(ms, 50 * S);
  });

  it('matchingTolerations returns undefined when a taint is not tolerated', () => {
    assert.equal(matchingTolerations([UNREACH(0), NOTREADY(0)], [tol('cluster.karmada.io/unreachable')]), undefined);
    assert.equal(matchingTolerations([UNREACH(0)], [tol(undefined)])?.length, 1);
  });
});

describe('evictionVerdict', () => {
  it('names the untolerated taint', () => {
    const v = evictionVerdict({ taints: [UNREACH(0), NOTREADY(0)], tolerations: [tol('cluster.karmada.io/unreachable')], now: T0 });
    assert.equal(v.evict, true);
    assert.equal(v.evict && v.taint && taintString(v.taint), 'cluster.karmada.io/not-ready:NoExecute');
  });
  it('asks to come back when the toleration runs out', () => {
    assert.deepEqual(evictionVerdict({ taints: [UNREACH(0)], tolerations: [tol('cluster.karmada.io/unreachable', 60)], now: T0 }), { evict: false, retryAfterMs: 60 * S });
  });
  it('tolerated forever: no retry', () => {
    assert.deepEqual(evictionVerdict({ taints: [UNREACH(0)], tolerations: [tol(undefined)], now: T0 }), { evict: false });
  });
});
