/**
 * JSON text the way Go produces it, for the two places where Karmada's output is text rather than
 * an object: a fieldOverrider's patched JSON document and the applied-overrides annotations.
 * - Numbers parsed from a document keep their original spelling (Go's json-patch keeps untouched
 *   nodes as raw bytes, so "1.0" and 12345678901234567890 survive a patch elsewhere).
 * - encoding/json escapes <, >, & and U+2028/U+2029.
 */
import { isPlainObject } from './match.js';

/** A number as written in the source document; immutable, printed verbatim. */
export class RawNumber {
  constructor(readonly raw: string) {}
}

/** Marks text that is already JSON and is embedded verbatim. */
export class RawJson {
  constructor(readonly text: string) {}
}

const numberRe = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * JSON.parse, except that numbers become RawNumber. Throws SyntaxError for invalid JSON (checked
 * by JSON.parse itself, so validity is exactly the platform's).
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  JSON.parse(text);
  let pos = 0;
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const str = (): string => {
    const start = pos++;
    while (text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (): unknown => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') return pos++, obj;
      for (;;) {
        ws();
        const k = str();
        ws();
        pos++; // ':'
        const v = value();
        // defineProperty: a "__proto__" key is data, as with JSON.parse.
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[pos++] === '}') return obj;
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') return pos++, arr;
      for (;;) {
        arr.push(value());
        ws();
        if (text[pos++] === ']') return arr;
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, pos)) return (pos += lit.length), v;
    }
    numberRe.lastIndex = pos;
    const m = numberRe.exec(text)!;
    pos += m[0].length;
    return new RawNumber(m[0]);
  };
  return value();
}

const htmlEscapes: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string literal as encoding/json writes it. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => htmlEscapes[c]!);
}

/**
 * Compact JSON as encoding/json.Marshal writes it. `sortKeys` sorts object keys as Go does for
 * maps; leave it off for objects built in Go struct-field order.
 */
export function marshalGoJson(v: unknown, sortKeys = false): string {
  if (v instanceof RawNumber) return v.raw;
  if (v instanceof RawJson) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => marshalGoJson(x, sortKeys)).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (sortKeys) keys.sort(byBytes);
    return `{${keys.map((k) => `${goJsonString(k)}:${marshalGoJson(v[k], sortKeys)}`).join(',')}}`;
  }
  return 'null';
}

/** Go compares strings by bytes; code-point order is the same order for valid UTF-8. */
function byBytes(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Go's %T for a decoded JSON value, for error messages. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go's %v / %s for a decoded JSON value, for error messages and fmt.Sprintf("%s", v). */
export function goValueString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`;
  if (isPlainObject(v)) {
    return `map[${Object.keys(v)
      .sort(byBytes)
      .map((k) => `${k}:${goValueString(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}
