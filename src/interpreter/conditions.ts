/**
 * Conditions on aggregated statuses. Timestamps are carried over from the template's previous
 * condition whenever nothing observable changed, so re-aggregating an unchanged fleet yields an
 * identical status and no write (Karmada stamps "now" every time, which makes each aggregation a
 * status update).
 */
import { isObject, listAt, rfc3339 } from './object.js';
import type { JsonObject } from './types.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string;
}

export function findCondition(status: unknown, type: string): Condition | undefined {
  const c = listAt(status, 'conditions').find((x) => isObject(x) && x['type'] === type);
  return c as Condition | undefined;
}

export function conditionIs(status: unknown, type: string, value: 'True' | 'False' | 'Unknown'): boolean {
  return findCondition(status, type)?.status === value;
}

/** Which timestamp fields a kind's conditions carry besides lastTransitionTime. */
export type ExtraStamp = 'lastUpdateTime' | 'lastProbeTime';

/**
 * The condition to store: lastTransitionTime moves only when status flips; the extra stamp moves
 * when status, reason or message change.
 */
export function nextCondition(
  prev: Condition | undefined,
  want: { type: string; status: string; reason: string; message: string },
  now: Date,
  extra?: ExtraStamp,
): Condition {
  const t = rfc3339(now);
  const same = prev && prev.status === want.status && prev.reason === want.reason && prev.message === want.message;
  const cond: Condition = { type: want.type, status: want.status };
  if (extra) cond[extra] = same && prev[extra] ? prev[extra] : t;
  cond.lastTransitionTime = prev && prev.status === want.status && prev.lastTransitionTime ? prev.lastTransitionTime : t;
  cond.reason = want.reason;
  cond.message = want.message;
  return cond;
}

/**
 * Replaces (or appends) conditions of the given types in status, keeping the others in place
 * and a stable order.
 */
export function putConditions(status: JsonObject, conds: readonly Condition[]): void {
  const list = listAt(status, 'conditions').filter((c) => isObject(c)) as unknown as Condition[];
  const out = [...list];
  for (const c of conds) {
    const i = out.findIndex((x) => x.type === c.type);
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  status['conditions'] = out;
}

/** Drops conditions of a type; removes the list when it ends up empty. */
export function dropCondition(status: JsonObject, type: string): void {
  const rest = listAt(status, 'conditions').filter((c) => !(isObject(c) && c['type'] === type));
  if (rest.length) status['conditions'] = rest;
  else delete status['conditions'];
}
