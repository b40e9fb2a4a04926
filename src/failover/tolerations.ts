/**
 * How long a binding may stay on a cluster with NoExecute taints (Karmada's
 * helper.GetMatchingTolerations + GetMinTolerationTime, used by the taint manager):
 *
 *   no NoExecute taint                                  -1  tolerate forever
 *   a NoExecute taint no toleration matches              0  evict now
 *   every taint matched, no used toleration has seconds -1  tolerate forever
 *   otherwise: earliest timeAdded + tolerationSeconds    ms left (0 once it has passed)
 *
 * Only NoExecute taints matter: NoSchedule keeps new work out, it never moves running work. For
 * each taint, the first toleration that matches it is the one "used", as in Karmada.
 */
import type { Taint, Toleration } from '../api/index.js';
import { toleratesTaint } from '../simulator/scheduling/taints.js';
import { timeOf } from './binding.js';

export const TOLERATE_FOREVER = -1;
export const EVICT_NOW = 0;

export const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/** The first matching toleration per taint, or undefined when some taint has none. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

export interface TolerationInput {
  taints: readonly Taint[] | undefined;
  tolerations: readonly Toleration[] | undefined;
  now: number;
  /**
   * When a taint without timeAdded was first seen. Karmada skips such taints (tolerating them
   * forever, a trap for hand-added taints); the taint manager passes the time it noticed them.
   */
  firstSeen?: (taint: Taint) => number | undefined;
}

/** -1 (forever), 0 (now) or the ms left before the binding must go. */
export function tolerationTime(i: TolerationInput): number {
  const taints = noExecuteTaints(i.taints);
  if (!taints.length) return TOLERATE_FOREVER;
  const used = matchingTolerations(taints, i.tolerations ?? []);
  if (!used) return EVICT_NOW;
  let earliest: number | undefined;
  for (const tol of used) {
    if (tol.tolerationSeconds == null) continue;
    for (const taint of taints) {
      if (!toleratesTaint(tol, taint)) continue;
      const added = timeOf(taint.timeAdded) ?? i.firstSeen?.(taint);
      if (added === undefined) continue;
      const at = added + Math.max(0, tol.tolerationSeconds) * 1000;
      if (earliest === undefined || at < earliest) earliest = at;
    }
  }
  if (earliest === undefined) return TOLERATE_FOREVER;
  return Math.max(EVICT_NOW, earliest - i.now);
}

export type EvictionVerdict = { evict: true; taint?: Taint } | { evict: false; retryAfterMs?: number };

/**
 * The taint manager's verdict for one binding on one cluster: evict now (naming the untolerated
 * taint when there is one, for messages), later (retry then), or never.
 */
export function evictionVerdict(i: TolerationInput): EvictionVerdict {
  const ms = tolerationTime(i);
  if (ms === TOLERATE_FOREVER) return { evict: false };
  if (ms > 0) return { evict: false, retryAfterMs: ms };
  const taints = noExecuteTaints(i.taints);
  const untolerated = taints.find((t) => !(i.tolerations ?? []).some((tol) => toleratesTaint(tol, t)));
  return { evict: true, taint: untolerated ?? taints[0] };
}

/** "key=value:effect" (corev1 Taint.ToString). */
export const taintString = (t: Pick<Taint, 'key' | 'value' | 'effect'>): string => (t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`);
