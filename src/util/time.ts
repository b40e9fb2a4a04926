/** Kubernetes timestamp formats. */

let lastSecond = NaN;
let lastText = '';

/**
 * RFC 3339 with whole seconds (metav1.Time as the API serves it): "2026-11-22T05:55:00Z".
 * Memoised for the current second: every write in that second formats the same string.
 */
export function rfc3339(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastText = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = sec;
  }
  return lastText;
}

/** RFC 3339 with microseconds (metav1.MicroTime: leases, events.k8s.io). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
