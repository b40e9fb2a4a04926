/**
 * Go duration strings ("300ms", "1.5h", "2h45m", "-1m") as used by cron's @every and by the
 * simulation annotations (sim.flotilla.io/run-duration, /ready-delay).
 */

const UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds (fractions kept), or undefined when s is not a valid Go duration. */
export function parseDuration(s: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s.trim());
  let rest = m![2]!;
  if (rest === '0') return 0;
  if (!rest) return undefined;
  let total = 0;
  while (rest) {
    const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * UNITS_MS[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return m![1] === '-' ? -total : total;
}
