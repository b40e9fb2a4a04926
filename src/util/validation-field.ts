/**
 * Field-level validation errors, shaped like apimachinery's field.Error so that messages read
 * exactly as a real API server's do ("metadata.labels: Invalid value: \"a b\": ...").
 * A FieldCause maps 1:1 onto a Status details.causes entry (type -> reason).
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldCause {
  /** Field path, e.g. "metadata.labels" or "spec.selector.matchExpressions[0].values". */
  field: string;
  type: FieldErrorType;
  /** The error body Kubernetes puts in StatusCause.message: `Invalid value: "x": detail`. */
  message: string;
  /** The bare explanation, without the type and value. */
  detail: string;
  badValue?: unknown;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

// These types never print the bad value (mirrors field.Error.ErrorBody).
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** Go's strconv.Quote / %q, close enough for the printable strings that reach error messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c <= 0x9f) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // lone surrogate: Go sees invalid UTF-8
    else out += ch;
  }
  return out + '"';
}

/** Go's json.Marshal escapes HTML-significant characters; match it so values print identically. */
function goJSON(v: unknown): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function renderValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return goJSON(v === undefined ? null : v);
}

function make(type: FieldErrorType, field: string, badValue: unknown, detail: string): FieldCause {
  let body = typeText[type];
  if (!valueless.has(type)) body += ': ' + renderValue(badValue);
  if (detail) body += ': ' + detail;
  const c: FieldCause = { field, type, message: body, detail };
  if (badValue !== undefined) c.badValue = badValue;
  return c;
}

/** Constructors named after apimachinery's field.Invalid, field.Required, ... */
export const fieldError = {
  invalid: (field: string, value: unknown, detail: string) => make('FieldValueInvalid', field, value, detail),
  required: (field: string, detail = '') => make('FieldValueRequired', field, '', detail),
  forbidden: (field: string, detail: string) => make('FieldValueForbidden', field, '', detail),
  duplicate: (field: string, value: unknown) => make('FieldValueDuplicate', field, value, ''),
  notFound: (field: string, value: unknown) => make('FieldValueNotFound', field, value, ''),
  notSupported: (field: string, value: unknown, valid: readonly string[]) =>
    make('FieldValueNotSupported', field, value, valid.length ? 'supported values: ' + valid.map(goQuote).join(', ') : ''),
  /** The limit is in bytes, as in Kubernetes (the value itself is never echoed). */
  tooLong: (field: string, maxBytes: number) =>
    make('FieldValueTooLong', field, '<value omitted>', `must have at most ${maxBytes} bytes`),
};

/** `field: body`, which is field.Error.Error(). */
export function formatFieldCause(c: FieldCause): string {
  return `${c.field}: ${c.message}`;
}

/**
 * utilerrors.Aggregate's message: one error prints bare, several print as "[a, b]" with
 * duplicates dropped.
 */
export function aggregateMessage(messages: readonly string[]): string {
  if (messages.length === 0) return '';
  if (messages.length === 1) return messages[0]!;
  const seen = [...new Set(messages)];
  return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`;
}

/** Path building like field.Path: child "a.b", index "a[0]", key "a[k]"; root "" renders as a bare name. */
export const fieldPath = {
  child: (parent: string, ...names: string[]) => [parent, ...names].filter((s) => s !== '').join('.'),
  index: (parent: string, i: number) => `${parent}[${i}]`,
  key: (parent: string, k: string) => `${parent}[${k}]`,
};
