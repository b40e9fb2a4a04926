// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) with exact arithmetic.
//
// A Quantity is held as a signed bigint count of nano-units (10^-9), which is the finest precision
// Kubernetes keeps: parsing rounds anything finer up (away from zero) to 1n, exactly as
// ParseQuantity does. Nothing here ever goes through a float.
//
// Behaviour mirrored from Kubernetes:
//  - the scanner accepts exactly what parseQuantityString accepts (including oddities such as "1.",
//    ".5", "1.G", "+1"), and fails with the same three error messages;
//  - suffixes n u m '' k M G T P E, Ki Mi Gi Ti Pi Ei, and exponents e<int>/E<int> (E alone is exa);
//  - BinarySI values are capped at 2^63-1, and a BinarySI value strictly between 0 and 1 becomes DecimalSI;
//  - canonical form (String()): no fractional digits, the largest exponent that keeps precision,
//    base-1024 suffixes only for BinarySI integers with |v| >= 1024, and a string that was parsed
//    already in canonical form is echoed verbatim (so "+1", "12E6" and "1025Ki" round-trip as given);
//  - value()/toMilli() round up away from zero like Quantity.Value()/MilliValue().
// Deliberate deviations: exponents beyond 10^1000 are rejected (Kubernetes keeps them as a scale),
// and decimal values above 10^21 keep the E suffix ("1000E") instead of losing their suffix.

/** How a quantity is serialised, as in Kubernetes. */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** ResourceList as found in Kubernetes objects (kubernetes-types' Quantity is a string). */
export type ResourceList = { [name: string]: string };

/** Anything the ResourceList helpers accept as a value. */
export type QuantityLike = string | number | Quantity;

/** A resource list whose values may be strings, numbers or parsed quantities. */
export type ResourceListLike = { readonly [name: string]: QuantityLike } | null | undefined;

const SPLIT_RE_STRING = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** Kubernetes' ErrFormatWrong message. */
export const ERR_QUANTITY_FORMAT = `quantities must match the regular expression '${SPLIT_RE_STRING}'`;
/** Kubernetes' ErrNumeric message. */
export const ERR_QUANTITY_NUMERIC = 'unable to parse numeric part of quantity';
/** Kubernetes' ErrSuffix message. */
export const ERR_QUANTITY_SUFFIX = "unable to parse quantity's suffix";

/** Thrown for a string Kubernetes would refuse; the message is Kubernetes' own. */
export class InvalidQuantityError extends Error {
  override readonly name = 'InvalidQuantityError';
  constructor(
    readonly input: string,
    message: string = ERR_QUANTITY_FORMAT,
  ) {
    super(message);
  }
}

const NANO = 1_000_000_000n;
const MILLI_PER_NANO = 1_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_BINARY_NANO = MAX_INT64 * NANO;
const MAX_ABS_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s] as const));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e / 10, s] as const));
const SUFFIX_CHARS = 'eEinumkKMGTP';

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** Divides rounding away from zero (the Kubernetes rule for Value/MilliValue and for parsing). */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** ParseInt(s, 10, 64) as Go does it: optional sign, decimal digits, int64 range. */
function parseGoInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > MAX_INT64 || v < MIN_INT64 ? undefined : v;
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** A transliteration of Kubernetes' parseQuantityString: same acceptance, same pieces. */
function scan(str: string): Scanned | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  // strip leading zeros
  for (;;) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
    pos++;
  }
  // numerator
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str[i]!)) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  return undefined;
}

interface Interpreted {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(s: string): Interpreted | undefined {
  const d = DECIMAL_SUFFIXES[s];
  if (d !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, s)) return { base: 10, exponent: d, format: 'DecimalSI' };
  const b = BINARY_SUFFIXES[s];
  if (b !== undefined && Object.hasOwn(BINARY_SUFFIXES, s)) return { base: 2, exponent: b, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const parsed = parseGoInt64(s.slice(1));
    if (parsed === undefined) return undefined;
    // Go stores the exponent as int32(parsed): mirror the truncation.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/**
 * Kubernetes' int64 fast path: whether it applies, and the string it keeps verbatim (if any).
 * Without a verbatim string, String() recomputes the canonical form.
 */
function fastPath(str: string, sc: Scanned, it: Interpreted): { fast: boolean; verbatim?: string } {
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (it.format === 'BinarySI') {
    if (it.exponent >= 0 && sc.denom.length === 0) {
      mantissa = 1n << BigInt(it.exponent);
      precision = 15 - sc.num.length - Math.trunc((it.exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = it.exponent;
    precision = 18 - (sc.num.length + sc.denom.length);
  }
  if (precision < 0) return { fast: false };
  scale -= sc.denom.length;
  if (scale < -9) return { fast: false };
  const shifted = sc.num + sc.denom;
  const value = parseGoInt64(shifted);
  if (value === undefined || value * mantissa > MAX_INT64) return { fast: false };
  if (it.format === 'BinarySI') return { fast: true, verbatim: it.exponent % 10 === 0 && (value & 7n) !== 0n ? str : undefined };
  return { fast: true, verbatim: scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' ? str : undefined };
}

/** A Kubernetes resource quantity: an exact decimal (nano precision) plus its serialisation format. */
export class Quantity {
  private constructor(
    /** The amount in nano-units (value × 10^9). */
    readonly nano: bigint,
    readonly format: QuantityFormat,
    private readonly verbatim?: string,
  ) {}

  static fromNano(nano: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nano, format);
  }
  static fromMilli(milli: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(milli * MILLI_PER_NANO, format);
  }
  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }
  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, format);
  }

  /** @internal used by parseQuantity */
  static _make(nano: bigint, format: QuantityFormat, verbatim?: string): Quantity {
    return new Quantity(nano, format, verbatim);
  }

  /** ceil(q × 1000), away from zero for negatives, like MilliValue(). */
  toMilli(): bigint {
    return divAway(this.nano, MILLI_PER_NANO);
  }
  /** ceil(q), away from zero for negatives, like Value(). */
  value(): bigint {
    return divAway(this.nano, NANO);
  }
  /** ceil(q / 10^scale) like ScaledValue(scale); scale is a power of ten, e.g. -3 for milli. */
  scaledValue(scale: number): bigint {
    const shift = scale + 9;
    return shift >= 0 ? divAway(this.nano, pow10(shift)) : this.nano * pow10(-shift);
  }
  sign(): -1 | 0 | 1 {
    return this.nano < 0n ? -1 : this.nano > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.nano === 0n;
  }
  cmp(other: QuantityLike): -1 | 0 | 1 {
    const o = parseQuantity(other).nano;
    return this.nano < o ? -1 : this.nano > o ? 1 : 0;
  }
  equals(other: QuantityLike): boolean {
    return this.cmp(other) === 0;
  }
  /** Sum; like Quantity.Add, a zero receiver takes the other operand's format. */
  add(other: QuantityLike): Quantity {
    const o = parseQuantity(other);
    return new Quantity(this.nano + o.nano, this.nano === 0n ? o.format : this.format);
  }
  /** Difference; like Quantity.Sub, a zero receiver takes the other operand's format. */
  sub(other: QuantityLike): Quantity {
    const o = parseQuantity(other);
    return new Quantity(this.nano - o.nano, this.nano === 0n ? o.format : this.format);
  }
  neg(): Quantity {
    return new Quantity(-this.nano, this.format);
  }
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.nano, format);
  }
  /** Canonical Kubernetes serialisation (or the parsed string when Kubernetes would keep it). */
  toString(): string {
    return this.verbatim ?? canonicalize(this.nano, this.format);
  }
  toJSON(): string {
    return this.toString();
  }
}

/**
 * Parses a Kubernetes quantity. Numbers are treated as their JSON text (as UnmarshalJSON does);
 * a Quantity is returned unchanged. Throws InvalidQuantityError with Kubernetes' message.
 */
export function parseQuantity(input: QuantityLike): Quantity {
  if (input instanceof Quantity) return input;
  const str = typeof input === 'number' ? String(input) : input;
  if (typeof str !== 'string' || str.length === 0) throw new InvalidQuantityError(String(str), ERR_QUANTITY_FORMAT);
  if (str === '0') return Quantity._make(0n, 'DecimalSI', '0');
  const sc = scan(str);
  if (!sc) throw new InvalidQuantityError(str, ERR_QUANTITY_FORMAT);
  const it = interpretSuffix(sc.suffix);
  if (!it) throw new InvalidQuantityError(str, ERR_QUANTITY_SUFFIX);

  const fp = fastPath(str, sc, it);
  // Off the fast path Kubernetes parses the literal text with inf.Dec, which needs a digit.
  if (!fp.fast && !/[0-9]/.test(sc.value)) throw new InvalidQuantityError(str, ERR_QUANTITY_NUMERIC);
  const digits = sc.num + sc.denom;
  const n = BigInt(digits);
  let nano: bigint;
  let format = it.format;
  if (it.base === 10) {
    const shift = 9 + it.exponent - sc.denom.length;
    if (shift > MAX_ABS_EXPONENT) {
      if (n === 0n) nano = 0n;
      else throw new InvalidQuantityError(str, ERR_QUANTITY_NUMERIC);
    } else if (shift >= 0) nano = n * pow10(shift);
    else if (-shift > digits.length + 1) nano = n === 0n ? 0n : 1n; // 0 < value < 1n: rounds up to 1n
    else nano = divAway(n, pow10(-shift));
  } else {
    nano = divAway(n * (1n << BigInt(it.exponent)) * NANO, pow10(sc.denom.length));
    if (nano > MAX_BINARY_NANO) nano = MAX_BINARY_NANO;
    if (nano > 0n && nano < NANO) format = 'DecimalSI';
  }
  if (!sc.positive) nano = -nano;
  return Quantity._make(nano, format, fp.verbatim);
}

/** Like parseQuantity but returns undefined instead of throwing. */
export function tryParseQuantity(input: QuantityLike): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch (e) {
    if (e instanceof InvalidQuantityError) return undefined;
    throw e;
  }
}

/** Strips factors of `base` from |value| while it stays >= base, as removeInt64Factors does. */
function removeFactors(value: bigint, base: bigint, maxTimes = Number.POSITIVE_INFINITY): [bigint, number] {
  const negative = value < 0n;
  let r = negative ? -value : value;
  let times = 0;
  while (times < maxTimes && r >= base && r % base === 0n) {
    r /= base;
    times++;
  }
  return [negative ? -r : r, times];
}

function canonicalize(nano: bigint, format: QuantityFormat): string {
  if (nano === 0n) return '0';
  let fmt = format;
  if (fmt === 'BinarySI') {
    // Between -1024 and 1024, or not an integer: shown as DecimalSI to avoid rounding.
    if (abs(nano) < 1024n * NANO || nano % NANO !== 0n) fmt = 'DecimalSI';
    else {
      const [mantissa, exp] = removeFactors(nano / NANO, 1024n, 6);
      return `${mantissa}${exp === 0 ? '' : BINARY_BY_EXPONENT.get(exp)!}`;
    }
  }
  let [mantissa, exponent] = removeFactors(nano, 10n);
  exponent -= 9;
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (fmt === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent)!}`;
}

/**
 * Canonical Kubernetes string for an amount given in milli-units, e.g.
 * formatQuantity(1500n, 'DecimalSI') === '1500m', formatQuantity(1536n * 2n ** 20n * 1000n, 'BinarySI') === '1536Mi'.
 */
export function formatQuantity(milli: bigint, format: QuantityFormat = 'DecimalSI'): string {
  return canonicalize(milli * MILLI_PER_NANO, format);
}

/** The canonical form of a quantity string (what the API server would store). */
export function canonicalQuantity(input: QuantityLike): string {
  return parseQuantity(input).toString();
}

function entries(list: ResourceListLike): [string, QuantityLike][] {
  return list ? Object.entries(list) : [];
}

/**
 * Sums resource lists key by key (k8s quota.Add): keys present in any list appear in the result.
 * Values are canonical Kubernetes strings.
 */
export function addResourceLists(...lists: ResourceListLike[]): ResourceList {
  const acc = new Map<string, Quantity>();
  for (const list of lists) {
    for (const [k, v] of entries(list)) {
      const q = parseQuantity(v);
      const cur = acc.get(k);
      acc.set(k, cur ? cur.add(q) : q);
    }
  }
  return Object.fromEntries([...acc].map(([k, q]) => [k, q.toString()]));
}

/**
 * a − b key by key (k8s quota.Subtract): keys only in b come out negated.
 * Values are canonical Kubernetes strings (negative values keep their sign).
 */
export function subtractResourceLists(a: ResourceListLike, b: ResourceListLike): ResourceList {
  const out = new Map<string, Quantity>();
  const bMap = new Map(entries(b));
  for (const [k, v] of entries(a)) {
    const q = parseQuantity(v);
    const other = bMap.get(k);
    out.set(k, other === undefined ? q : q.sub(other));
  }
  for (const [k, v] of bMap) if (!out.has(k)) out.set(k, parseQuantity(v).neg());
  return Object.fromEntries([...out].map(([k, q]) => [k, q.toString()]));
}

/** Converts every value to milli-units (ceil, as MilliValue does). Throws on an invalid quantity. */
export function resourceListToMilli(list: ResourceListLike): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [k, v] of entries(list)) out[k] = parseQuantity(v).toMilli();
  return out;
}

/** Converts a milli-unit map back to a ResourceList; formats default to BinarySI for byte-like resources. */
export function milliToResourceList(milli: Readonly<Record<string, bigint>>, formats?: Readonly<Record<string, QuantityFormat>>): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(milli)) out[k] = formatQuantity(v, formats?.[k] ?? defaultFormatFor(k));
  return out;
}

/** The format Kubernetes components conventionally use for a resource name. */
export function defaultFormatFor(resourceName: string): QuantityFormat {
  return resourceName === 'memory' ||
    resourceName === 'ephemeral-storage' ||
    resourceName === 'storage' ||
    resourceName.startsWith('hugepages-') ||
    resourceName.startsWith('requests.memory') ||
    resourceName.startsWith('limits.memory')
    ? 'BinarySI'
    : 'DecimalSI';
}
