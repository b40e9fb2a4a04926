/**
 * Replays a probe history through the monitor (decideReadiness) and the taint rules
 * (desiredTaints), as the cluster controllers would run them: the whole damping chain (grace,
 * NoSchedule, NoExecute after the eviction timeout, recovery, stabilisation) in one pure
 * function, for tests and for reasoning about timings ("when does member2 start evicting?").
 */
import type { Taint } from '../api/index.js';
import { rfc3339 } from './binding.js';
import { decideReadiness, type HealthOptions, type ProbeOutcome, type ReadyStatus } from './health.js';
import { taintString } from './tolerations.js';
import { desiredTaints } from './taints.js';

export interface ProbeEvent {
  at: number;
  outcome: ProbeOutcome;
}

export interface TimelineStep {
  at: number;
  ready?: ReadyStatus;
  /** "key:effect" of every taint, in order. */
  taints: string[];
}

/**
 * The Ready status and taints after each probe, and at each extra `checkAt` time (a monitor
 * tick or requeue with no new probe), starting from a cluster created at `created` with no
 * condition and no taints.
 */
export function replayHealth(created: number, probes: readonly ProbeEvent[], o: HealthOptions, checkAt: readonly number[] = []): TimelineStep[] {
  const points = [...probes.map((p) => ({ at: p.at, probe: p.outcome as ProbeOutcome | undefined })), ...checkAt.map((at) => ({ at, probe: undefined }))].sort(
    (a, b) => a.at - b.at || (a.probe ? -1 : 1),
  );
  let ready: { status: ReadyStatus; since: number } | undefined;
  let lastHealthy: number | undefined;
  let lastFailure: number | undefined;
  let taints: Taint[] = [];
  const steps: TimelineStep[] = [];
  for (const p of points) {
    if (p.probe) {
      if (p.probe === 'healthy') lastHealthy = p.at;
      else lastFailure = p.at;
      const d = decideReadiness(
        { prev: ready ? { status: ready.status, lastTransitionTime: ready.since } : undefined, probe: p.probe, now: p.at, lastHealthy, firstSeen: created, created },
        o,
      );
      if (d.ready && d.ready.status !== ready?.status) ready = { status: d.ready.status, since: p.at };
    }
    const plan = desiredTaints({ spec: { syncMode: 'Push', taints }, status: undefined }, ready && { status: ready.status, lastTransitionTime: rfc3339(ready.since), ...(lastFailure !== undefined ? { lastFailureAt: lastFailure } : {}) }, p.at, o);
    taints = plan.taints;
    steps.push({ at: p.at, ...(ready ? { ready: ready.status } : {}), taints: taints.map(taintString) });
  }
  return steps;
}

/** Probes every `periodMs` from `from` (inclusive) to `to` (exclusive), all with one outcome. */
export function probesEvery(from: number, to: number, periodMs: number, outcome: ProbeOutcome): ProbeEvent[] {
  const out: ProbeEvent[] = [];
  for (let t = from; t < to; t += periodMs) out.push({ at: t, outcome });
  return out;
}
