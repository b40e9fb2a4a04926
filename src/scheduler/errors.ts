/**
 * Decision failures, one class per Scheduled-condition reason Karmada reports, so the
 * controller can map them without parsing messages.
 */
import type { ScheduleFailureReason } from './types.js';

export abstract class ScheduleError extends Error {
  abstract readonly reason: ScheduleFailureReason;
}

/**
 * No cluster passed the filters (Karmada's framework.FitError). The message has Karmada's shape:
 * "0/5 clusters are available: 2 cluster(s) had untolerated taint {a:NoSchedule}, 3 cluster(s) ...".
 */
export class FitError extends ScheduleError {
  readonly reason = 'NoClusterFit' as const;
  constructor(
    readonly numAllClusters: number,
    /** reason → how many clusters it rejected. */
    readonly reasons: ReadonlyMap<string, number>,
  ) {
    super(fitErrorMessage(numAllClusters, reasons));
    this.name = 'FitError';
  }
}

function fitErrorMessage(n: number, reasons: ReadonlyMap<string, number>): string {
  // Sorted like kube-scheduler's histogram so the message is stable across runs.
  const parts = [...reasons].map(([r, c]) => `${c} ${r}`).sort();
  return parts.length ? `0/${n} clusters are available: ${parts.join(', ')}.` : `0/${n} clusters are available.`;
}

/** Feasible clusters exist but cannot hold the replicas (Karmada's framework.UnschedulableError). */
export class UnschedulableError extends ScheduleError {
  readonly reason = 'Unschedulable' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UnschedulableError';
  }
}

/** Anything else: spread constraints that cannot be met, an unknown strategy. */
export class SchedulerError extends ScheduleError {
  readonly reason = 'SchedulerError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerError';
  }
}
