/**
 * Durations as kubectl shows them: a port of k8s.io/apimachinery/pkg/util/duration.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Like Go's int(x) conversion of a float: truncates toward zero. */
const trunc = (x: number): number => Math.trunc(x);

/**
 * HumanDuration: a succinct representation with ~2-3 significant figures
 * ("5s", "119s", "3m20s", "15m", "2h30m", "10h", "2d3h", "30d", "2y100d", "9y").
 * A deviation of up to 2 seconds into the future is tolerated as "0s"; beyond that "<invalid>".
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365;
    return dy === 0 ? `${trunc(hours / 24 / 365)}y` : `${trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** ShortHumanDuration: one unit only ("5s", "3m", "2h", "4d", "1y"). */
export function shortHumanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(ms / HOUR / 24 / 365)}y`;
}

/**
 * Parses a metav1.Time / MicroTime (RFC3339, optional fractional seconds).
 * Returns undefined for a missing or empty value (Go's zero time), NaN when unparseable.
 */
export function parseTime(ts: unknown): number | undefined {
  if (ts === undefined || ts === null || ts === '') return undefined;
  if (ts instanceof Date) return ts.getTime();
  if (typeof ts === 'number') return ts;
  if (typeof ts !== 'string') return Number.NaN;
  // Go's zero time, as some clients serialize it, counts as missing.
  if (ts.startsWith('0001-01-01T00:00:00')) return undefined;
  return Date.parse(ts);
}

/** Time since `timestamp` (kube's translateTimestampSince): "<unknown>" when missing. */
export function age(timestamp: string | Date | null | undefined, now: Date): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '<unknown>';
  if (Number.isNaN(t)) return '<invalid>';
  return humanDuration(now.getTime() - t);
}
