/**
 * Cron schedules as CronJobs read them (robfig/cron v3 ParseStandard): five fields (minute,
 * hour, day of month, month, day of week) with `*`, `?`, ranges, steps, lists and names,
 * the @yearly/@monthly/@weekly/@daily/@hourly/@every descriptors, and an optional TZ= or
 * CRON_TZ= prefix. When both day fields are restricted a day matches either (cron's rule).
 * Times are evaluated on the wall clock of a time zone (UTC unless one is given).
 */
import { parseDuration } from './duration.js';

export class CronParseError extends Error {
  override name = 'CronParseError';
}

interface Field {
  bits: Set<number>;
  /** The field was `*` or `?` (a step > 1 clears it), which matters for the day rule. */
  star: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const BOUNDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  /** The first activation strictly after t (ms since epoch), or undefined if none within five years. */
  next(t: number): number | undefined;
}

function number(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(s)) throw new CronParseError(`failed to parse int from ${s}`);
  return Number(s);
}

function parseRange(expr: string, b: Bounds): Field {
  const [rangePart, stepPart, ...more] = expr.split('/');
  if (more.length) throw new CronParseError(`too many slashes: ${expr}`);
  const lowHigh = rangePart!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    if (lowHigh.length > 1) throw new CronParseError(`too many hyphens: ${expr}`);
    [start, end, star] = [b.min, b.max, true];
  } else {
    if (lowHigh.length > 2) throw new CronParseError(`too many hyphens: ${expr}`);
    start = number(lowHigh[0]!, b);
    end = lowHigh.length === 2 ? number(lowHigh[1]!, b) : start;
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = number(stepPart, { min: 0, max: 0 });
    // "N/step" means N through the maximum.
    if (lowHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  const bits = new Set<number>();
  for (let i = start; i <= end; i += step) bits.add(i);
  return { bits, star };
}

function parseField(field: string, b: Bounds): Field {
  const out: Field = { bits: new Set(), star: false };
  for (const expr of field.split(',')) {
    const r = parseRange(expr, b);
    for (const v of r.bits) out.bits.add(v);
    out.star ||= r.star;
  }
  return out;
}

/** Parses a schedule; throws CronParseError with robfig/cron's messages. */
export function parseCron(spec: string, defaultTimeZone = 'UTC'): CronSchedule {
  let s = spec.trim();
  let tz = defaultTimeZone;
  const m = /^(?:CRON_TZ|TZ)=(\S*)\s*/.exec(s);
  if (m) {
    tz = m[1]!;
    s = s.slice(m[0].length).trim();
  }
  const zone = zoneOf(tz);
  if (s.startsWith('@every ')) {
    const d = parseDuration(s.slice('@every '.length).trim());
    if (d === undefined) throw new CronParseError(`failed to parse duration ${s}: ${spec}`);
    const delay = d < 1000 ? 1000 : d - (d % 1000);
    return { next: (t) => t - (((t % 1000) + 1000) % 1000) + delay };
  }
  if (s.startsWith('@')) {
    const d = DESCRIPTORS[s.toLowerCase()];
    if (!d) throw new CronParseError(`unrecognized descriptor: ${s}`);
    s = d;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]!)) as [Field, Field, Field, Field, Field];
  return { next: (t) => nextActivation(t, { minute, hour, dom, month, dow }, zone) };
}

interface Spec {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

function dayMatches(s: Spec, w: Date): boolean {
  const domMatch = s.dom.bits.has(w.getUTCDate());
  const dowMatch = s.dow.bits.has(w.getUTCDay());
  return s.dom.star || s.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

/** SpecSchedule.Next on the zone's wall clock (a Date whose UTC fields are the wall-clock fields). */
function nextActivation(t: number, s: Spec, zone: Zone): number | undefined {
  // Start at the next whole second, as the cron library does; the seconds field is always 0.
  const w = new Date(zone.toWall(Math.floor(t / 1000) * 1000 + 1000));
  const yearLimit = w.getUTCFullYear() + 5;
  let added = false;
  wrap: for (;;) {
    if (w.getUTCFullYear() > yearLimit) return undefined;
    while (!s.month.bits.has(w.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        w.setUTCDate(1);
        w.setUTCHours(0, 0, 0, 0);
      }
      w.setUTCMonth(w.getUTCMonth() + 1);
      if (w.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        w.setUTCHours(0, 0, 0, 0);
      }
      w.setUTCDate(w.getUTCDate() + 1);
      if (w.getUTCDate() === 1) continue wrap;
    }
    while (!s.hour.bits.has(w.getUTCHours())) {
      if (!added) {
        added = true;
        w.setUTCMinutes(0, 0, 0);
      }
      w.setUTCHours(w.getUTCHours() + 1);
      if (w.getUTCHours() === 0) continue wrap;
    }
    while (!s.minute.bits.has(w.getUTCMinutes())) {
      if (!added) {
        added = true;
        w.setUTCSeconds(0, 0);
      }
      w.setUTCMinutes(w.getUTCMinutes() + 1);
      if (w.getUTCMinutes() === 0) continue wrap;
    }
    while (w.getUTCSeconds() !== 0) {
      added = true;
      w.setUTCSeconds(w.getUTCSeconds() + 1, 0);
      if (w.getUTCSeconds() === 0) continue wrap;
    }
    return zone.fromWall(w.getTime());
  }
}

interface Zone {
  toWall(ms: number): number;
  fromWall(wallMs: number): number;
}

const UTC: Zone = { toWall: (ms) => ms, fromWall: (ms) => ms };

/** A time zone by IANA name, through Intl; throws CronParseError for unknown names. */
export function zoneOf(name: string): Zone {
  if (name === '' || name === 'UTC' || name === 'Etc/UTC') return UTC;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new CronParseError(`provided bad location ${name}: unknown time zone ${name}`);
  }
  const toWall = (ms: number): number => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) + (ms % 1000);
  };
  return {
    toWall,
    fromWall(wallMs) {
      // The offset at the guess, then at the corrected time (differs only around DST changes).
      const off1 = toWall(wallMs) - wallMs;
      const t = wallMs - off1;
      const off2 = toWall(t) - t;
      return off2 === off1 ? t : wallMs - off2;
    },
  };
}
