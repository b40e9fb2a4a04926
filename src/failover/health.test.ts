import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideReadiness, healthPhase, healthyFor, isStable, type HealthOptions, type ProbeOutcome } from './health.js';
import { probesEvery, replayHealth } from './timeline.js';

const S = 1000;
const O: HealthOptions = { clusterGracePeriodMs: 20 * S, clusterStartupGracePeriodMs: 60 * S, failoverEvictionTimeoutMs: 30 * S, clusterStabilizationMs: 30 * S };
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (s: number) => T0 + s * S;

describe('decideReadiness (the monitor, with the grace period)', () => {
  const cases: { name: string; prev?: string; probe: ProbeOutcome; now: number; lastHealthy?: number; firstSeen?: number; want?: string; graceEndsAt?: number }[] = [
    { name: 'healthy probe: Ready at once', prev: 'Unknown', probe: 'healthy', now: at(5), want: 'True' },
    { name: 'first healthy probe of a new cluster', probe: 'healthy', now: at(1), want: 'True' },
    { name: 'one failed probe within the grace: unchanged', prev: 'True', probe: 'unreachable', now: at(15), lastHealthy: at(0), graceEndsAt: at(20) },
    { name: 'grace over, no answer: Unknown', prev: 'True', probe: 'unreachable', now: at(20), lastHealthy: at(0), want: 'Unknown' },
    { name: 'grace over, answers unhealthy: False', prev: 'True', probe: 'unhealthy', now: at(25), lastHealthy: at(0), want: 'False' },
    { name: 'already not Ready follows the latest failure at once', prev: 'Unknown', probe: 'unhealthy', now: at(26), lastHealthy: at(0), want: 'False' },
    { name: 'after a restart with Ready=True the grace counts from first seen', prev: 'True', probe: 'unreachable', now: at(10), firstSeen: at(0), graceEndsAt: at(20) },
    { name: 'never Ready: startup grace from creation', probe: 'unreachable', now: at(30), firstSeen: at(0), graceEndsAt: at(60) },
    { name: 'never Ready, startup grace over', probe: 'unreachable', now: at(60), firstSeen: at(0), want: 'Unknown' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideReadiness(
        { prev: c.prev ? { status: c.prev, lastTransitionTime: T0 } : undefined, probe: c.probe, now: c.now, lastHealthy: c.lastHealthy, firstSeen: c.firstSeen ?? T0, created: T0 },
        O,
      );
      assert.equal(d.ready?.status, c.want);
      assert.equal(d.graceEndsAt, c.graceEndsAt);
    });
  }
  it('uses Karmada reasons', () => {
    assert.equal(decideReadiness({ probe: 'unreachable', now: at(100), firstSeen: T0, created: T0 }, O).ready?.reason, 'ClusterNotReachable');
    assert.equal(decideReadiness({ probe: 'unhealthy', now: at(100), firstSeen: T0, created: T0 }, O).ready?.reason, 'ClusterNotReady');
    assert.equal(decideReadiness({ probe: 'healthy', now: at(100), firstSeen: T0, created: T0 }, O).ready?.reason, 'ClusterReady');
  });
});

describe('healthPhase (from the Ready condition alone)', () => {
  const iso = (s: number) => new Date(at(s)).toISOString();
  const cases: { name: string; status?: string; since: number; now: number; want: string; until?: number; opts?: Partial<HealthOptions> }[] = [
    { name: 'no condition', since: 0, now: 10, want: 'Unknown' },
    { name: 'just recovered: stabilizing', status: 'True', since: 0, now: 10, want: 'Stabilizing', until: at(30) },
    { name: 'ready long enough: healthy', status: 'True', since: 0, now: 30, want: 'Healthy' },
    { name: 'no stabilisation window', status: 'True', since: 0, now: 0, want: 'Healthy', opts: { clusterStabilizationMs: 0 } },
    { name: 'not ready, before the eviction timeout', status: 'False', since: 0, now: 29, want: 'Failing', until: at(30) },
    { name: 'unknown at the eviction timeout: evicting', status: 'Unknown', since: 0, now: 30, want: 'Evicting' },
    { name: 'eviction disabled: failing forever', status: 'Unknown', since: 0, now: 3600, want: 'Failing', opts: { failoverEvictionTimeoutMs: -1 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = healthPhase(c.status ? { status: c.status, lastTransitionTime: iso(c.since) } : undefined, at(c.now), { ...O, ...c.opts });
      assert.equal(p.phase, c.want);
      assert.equal(p.until, c.until);
    });
  }
  it('isStable and healthyFor', () => {
    const r = { status: 'True', lastTransitionTime: iso(0) };
    assert.equal(isStable(r, at(29), O), false);
    assert.equal(isStable(r, at(30), O), true);
    assert.deepEqual(healthyFor(r, at(59), 60 * S), { ok: false, at: at(60) });
    assert.deepEqual(healthyFor(r, at(60), 60 * S), { ok: true, at: at(60) });
    assert.deepEqual(healthyFor({ status: 'False', lastTransitionTime: iso(0) }, at(100), 0), { ok: false });
  });
});

describe('replayHealth: the damping chain from probes to taints', () => {
  const up = (from: number, to: number) => probesEvery(at(from), at(to), 2 * S, 'healthy');
  const down = (from: number, to: number) => probesEvery(at(from), at(to), 2 * S, 'unreachable');
  const stepAt = (steps: ReturnType<typeof replayHealth>, s: number) => [...steps].reverse().find((x) => x.at <= at(s))!;

  it('an outage: nothing for the grace, then NoSchedule, then NoExecute after the eviction timeout', () => {
    const steps = replayHealth(T0, [...up(0, 10), ...down(10, 120)], O);
    // Last healthy probe at 8 s: Ready stays True until 28 s.
    assert.deepEqual(stepAt(steps, 26), { at: at(26), ready: 'True', taints: [] });
    assert.deepEqual(stepAt(steps, 28), { at: at(28), ready: 'Unknown', taints: ['cluster.karmada.io/unreachable:NoSchedule'] });
    assert.deepEqual(stepAt(steps, 56).taints, ['cluster.karmada.io/unreachable:NoSchedule']);
    assert.deepEqual(stepAt(steps, 58).taints, ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
  });

  it('a blip shorter than the grace changes nothing', () => {
    const steps = replayHealth(T0, [...up(0, 10), ...down(10, 20), ...up(20, 60)], O);
    assert.ok(steps.every((s) => s.ready === 'True' && s.taints.length === 0));
  });

  it('recovery: NoExecute goes at once, NoSchedule only after the stabilisation window', () => {
    const steps = replayHealth(T0, [...up(0, 10), ...down(10, 80), ...up(80, 140)], O);
    assert.deepEqual(stepAt(steps, 78).taints, ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
    assert.deepEqual(stepAt(steps, 80), { at: at(80), ready: 'True', taints: ['cluster.karmada.io/unreachable:NoSchedule'] });
    assert.deepEqual(stepAt(steps, 108).taints, ['cluster.karmada.io/unreachable:NoSchedule']);
    assert.deepEqual(stepAt(steps, 110).taints, []);
  });

  it('a flapping cluster never loses NoSchedule and is not evicted by short outages', () => {
    // 25 s down / 15 s up, repeatedly: each outage outlasts the grace, none lasts the eviction timeout.
    const probes = [...up(0, 10)];
    for (let t = 10; t < 250; t += 40) probes.push(...down(t, t + 25), ...up(t + 25, t + 40));
    const steps = replayHealth(T0, probes, O).filter((s) => s.at >= at(40));
    assert.ok(steps.every((s) => s.taints.includes('cluster.karmada.io/unreachable:NoSchedule')), 'NoSchedule kept throughout');
    assert.ok(steps.every((s) => !s.taints.some((t) => t.endsWith('NoExecute'))), 'never NoExecute');
  });

  it('a failure kind flip moves the taints to the other key', () => {
    const probes = [...up(0, 2), ...down(2, 60), ...probesEvery(at(60), at(70), 2 * S, 'unhealthy')];
    const steps = replayHealth(T0, probes, O);
    assert.deepEqual(stepAt(steps, 58).taints, ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
    assert.deepEqual(stepAt(steps, 60), { at: at(60), ready: 'False', taints: ['cluster.karmada.io/not-ready:NoSchedule', 'cluster.karmada.io/not-ready:NoExecute'] });
  });

  it('a new cluster that never answers: startup grace, no NoExecute before it', () => {
    const steps = replayHealth(T0, down(0, 100), O);
    assert.deepEqual(stepAt(steps, 58), { at: at(58), taints: [] });
    assert.deepEqual(stepAt(steps, 60), { at: at(60), ready: 'Unknown', taints: ['cluster.karmada.io/unreachable:NoSchedule'] });
    assert.deepEqual(stepAt(steps, 90).taints, ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
  });

  it('re-evaluation without probes (a requeue) adds NoExecute on time', () => {
    const steps = replayHealth(T0, [...up(0, 2), { at: at(25), outcome: 'unreachable' }], O, [at(54), at(55)]);
    assert.deepEqual(stepAt(steps, 54).taints, ['cluster.karmada.io/unreachable:NoSchedule']);
    assert.deepEqual(stepAt(steps, 55).taints, ['cluster.karmada.io/unreachable:NoSchedule', 'cluster.karmada.io/unreachable:NoExecute']);
  });
});
