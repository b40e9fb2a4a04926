/**
 * A workload's per-replica request in the units Karmada's estimator counts in: millicores for
 * cpu, whole units rounded up (Quantity.Value()) for everything else. Parsed once per
 * requirements object: bindings are re-decided often and parsing quantities is the costly part.
 */
import { tryParseQuantity, type QuantityLike } from '../util/quantity.js';
import type { ReplicaRequirements, ResourceList } from './types.js';

/** Amounts in Karmada's estimator units: millicores for cpu, whole units for the rest. */
export type Units = ReadonlyMap<string, number>;

export interface ParsedRequest {
  /** Requested resources with a positive amount, in estimator units. */
  readonly units: Units;
  readonly nodeClaim: ReplicaRequirements['nodeClaim'];
  /** Stable text for caching node estimates per request. */
  readonly key: string;
}

const NANO = 1_000_000_000n;
const ceilDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (a + b - 1n) / b : -((-a) / b));

/** nano → estimator units (ceil, as MilliValue()/Value() do). */
export function toUnits(resource: string, nano: bigint): number {
  return Number(resource === 'cpu' ? ceilDiv(nano, 1_000_000n) : ceilDiv(nano, NANO));
}

export function nanoOf(list: ResourceList | undefined, name: string): bigint {
  const v = list?.[name];
  return v === undefined ? 0n : (tryParseQuantity(v as QuantityLike)?.nano ?? 0n);
}

const requestCache = new WeakMap<object, ParsedRequest>();
const NO_REQUEST: ParsedRequest = { units: new Map(), nodeClaim: undefined, key: '' };

/** The per-replica request in estimator units (cached per requirements object). */
export function parseRequest(req: ReplicaRequirements | null | undefined): ParsedRequest {
  if (!req) return NO_REQUEST;
  let p = requestCache.get(req);
  if (p) return p;
  const units = new Map<string, number>();
  for (const [name, v] of Object.entries(req.resourceRequest ?? {})) {
    const q = tryParseQuantity(v);
    // Karmada skips a resource whose Value() is not positive.
    if (!q || q.value() <= 0n) continue;
    units.set(name, toUnits(name, q.nano));
  }
  const key = JSON.stringify([[...units].sort(), req.nodeClaim ?? null]);
  requestCache.set(req, (p = { units, nodeClaim: req.nodeClaim, key }));
  return p;
}

const describeCache = new WeakMap<object, string>();

/** "2 CPU, 4Gi memory": a per-replica request for messages. */
export function describeRequest(req: ReplicaRequirements | null | undefined): string {
  if (!req) return '';
  const cached = describeCache.get(req);
  if (cached !== undefined) return cached;
  const parts: string[] = [];
  for (const [name, v] of Object.entries(req.resourceRequest ?? {})) {
    const q = tryParseQuantity(v);
    if (!q || q.sign() <= 0) continue;
    parts.push(name === 'cpu' ? `${q.toString()} CPU` : `${q.toString()} ${name}`);
  }
  const text = parts.join(', ');
  describeCache.set(req, text);
  return text;
}
