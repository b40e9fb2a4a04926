/** Resource amounts as the cluster tables show them: cores, Gi and percentages. */
import { tryParseQuantity } from '../util/quantity.js';

const GI = 2 ** 30;

/** Up to `digits` decimals, trailing zeros dropped: 3.5, 32, 0.25. */
function trimmed(v: number, digits: number): string {
  return v.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

/** Milli-cores → cores: 3500n → "3.5". */
export function formatCores(milli: bigint): string {
  return trimmed(Number(milli) / 1000, 2);
}

/** Bytes → Gi with two decimals under 10Gi, one above: 512Mi → "0.5", 12.25Gi → "12.3". */
export function formatGi(bytes: bigint): string {
  const gi = Number(bytes) / GI;
  return trimmed(gi, gi >= 10 ? 1 : 2);
}

/** used/total as a whole percentage; undefined when total is zero or unknown. */
export function percent(used: bigint, total: bigint): number | undefined {
  if (total <= 0n) return undefined;
  return Math.round((Number(used) / Number(total)) * 100);
}

/** A quantity from a ResourceList in milli-units, undefined when absent or unparsable. */
export function milliOf(list: Record<string, unknown> | undefined, name: string): bigint | undefined {
  const v = list?.[name];
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return tryParseQuantity(v)?.toMilli();
}

/** Same, in whole units (bytes for memory, a count for pods). */
export function valueOf(list: Record<string, unknown> | undefined, name: string): bigint | undefined {
  const v = list?.[name];
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return tryParseQuantity(v)?.value();
}
