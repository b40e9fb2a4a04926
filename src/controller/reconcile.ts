/**
 * The reconciler contract (controller-runtime's pkg/reconcile).
 *
 * Reconciliation is level-based: a reconcile gets only a key, reads the current state, and
 * moves it one step toward the desired state. It must be idempotent, because a key is
 * reconciled again after any error, and events for one key are collapsed into one call.
 */

import type { Logger } from 'pino';

/** What a successful reconcile asks for next. */
export interface Result {
  /** Reconcile this key again after this many ms (> 0), with no backoff. */
  requeueAfter?: number;
}

export interface ReconcileContext {
  /** Bound to `controller`, `key` and a `reconcileID` unique to this call. */
  log: Logger;
  /** Aborted when the controller is told to stop at once; pass it to I/O. */
  signal: AbortSignal;
}

/**
 * Reconciles one key. Returning (or resolving to) nothing means done; throwing means retry
 * with per-key exponential backoff; throwing a {@link TerminalError} means do not retry.
 */
export type Reconciler<K> = (key: K, ctx: ReconcileContext) => Promise<Result | void>;

/**
 * An error retrying cannot fix (invalid spec, unsupported kind): the controller logs and
 * counts it and does not requeue the key. It is recognised anywhere in an error's cause chain.
 */
export class TerminalError extends Error {
  override name = 'TerminalError';

  /** Wraps err, keeping it as the cause. */
  static from(err: unknown): TerminalError {
    return err instanceof TerminalError
      ? err
      : new TerminalError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** Whether err is, or was caused by, a {@link TerminalError}. */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}
