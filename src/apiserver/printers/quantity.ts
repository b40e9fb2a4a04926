/**
 * resource.Quantity canonical formatting (what Quantity.String() prints), so that capacities,
 * quota usage and HPA targets read exactly as kube-apiserver (which re-serializes every
 * quantity canonically) would print them: "1.5Gi" -> "1536Mi", "1000m" -> "1", "0.5" -> "500m".
 */

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** A parsed quantity: value = mantissa * 10^scale. */
interface Parsed {
  mantissa: bigint;
  scale: number;
  format: Format;
}

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([a-zA-Z]*|[eE][+-]?\d+)$/;

function pow(base: bigint, exp: number): bigint {
  let r = 1n;
  for (let i = 0; i < exp; i++) r *= base;
  return r;
}

function parse(input: string): Parsed | undefined {
  const m = QUANTITY_RE.exec(input.trim());
  if (!m) return undefined;
  const [, sign, num, suffix] = m as unknown as [string, string, string, string];
  const [whole = '', frac = ''] = num.split('.');
  let mantissa = BigInt((whole || '0') + frac);
  if (sign === '-') mantissa = -mantissa;
  let scale = -frac.length;
  let format: Format;
  if (suffix in BINARY) {
    format = 'BinarySI';
    mantissa *= pow(1024n, BINARY[suffix]!);
  } else if (suffix in DECIMAL) {
    format = 'DecimalSI';
    scale += DECIMAL[suffix]!;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = 'DecimalExponent';
    scale += Number.parseInt(suffix.slice(1), 10);
  } else {
    return undefined;
  }
  // Quantities keep at most nano precision; finer values round away from zero.
  if (scale < -9) {
    const div = pow(10n, -9 - scale);
    const q = mantissa / div;
    mantissa = mantissa % div === 0n ? q : q + (mantissa > 0n ? 1n : -1n);
    scale = -9;
  }
  return { mantissa, scale, format };
}

function removeFactors(value: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (value !== 0n && value % base === 0n) {
    value /= base;
    times++;
  }
  return [value, times];
}

/** Canonical form of a quantity; unparseable input is returned unchanged (as a string). */
export function canonicalQuantity(q: unknown): string {
  if (typeof q === 'number') q = String(q);
  if (typeof q !== 'string') return '0';
  const p = parse(q);
  if (!p) return q;
  if (p.mantissa === 0n) return '0';
  let format = p.format;
  if (format === 'BinarySI') {
    // |value| < 1024, or not a whole number: shown as DecimalSI so no precision is lost.
    const whole = p.scale >= 0 || p.mantissa % pow(10n, -p.scale) === 0n;
    const int = p.scale >= 0 ? p.mantissa * pow(10n, p.scale) : p.mantissa / pow(10n, -p.scale);
    if (!whole || (int > -1024n && int < 1024n)) format = 'DecimalSI';
    else {
      const [amount, exp] = removeFactors(int, 1024n);
      // Exponents past Ei do not exist; kube keeps multiplying back in that case.
      let a = amount;
      let e = exp;
      while (e > 6) {
        a *= 1024n;
        e--;
      }
      return `${a}${BINARY_SUFFIX[e]}`;
    }
  }
  let [amount, times] = removeFactors(p.mantissa, 10n);
  let exponent = p.scale + times;
  switch (exponent % 3) {
    case 1:
    case -2:
      amount *= 10n;
      exponent -= 1;
      break;
    case 2:
    case -1:
      amount *= 100n;
      exponent -= 2;
      break;
  }
  if (format === 'DecimalSI' && exponent in DECIMAL_SUFFIX) return `${amount}${DECIMAL_SUFFIX[exponent]}`;
  return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
}

/** Quantity.String() of an optional quantity pointer: "<nil>" when absent. */
export function quantityPtr(q: unknown): string {
  return q === undefined || q === null ? '<nil>' : canonicalQuantity(q);
}
