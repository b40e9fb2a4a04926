/**
 * Name and metadata validators with Kubernetes's exact error strings (k8s.io/apimachinery
 * pkg/util/validation, as of the 1.30 API this project serves). Each is* function returns the
 * list of problems; an empty list means valid. Lengths are counted in UTF-8 bytes, like Go's len().
 */
import { fieldError, type FieldCause } from './validation-field.js';

export { fieldError, formatFieldCause, aggregateMessage, fieldPath, goQuote } from './validation-field.js';
export type { FieldCause, FieldErrorType } from './validation-field.js';

export const DNS1123LabelMaxLength = 63;
export const DNS1123SubdomainMaxLength = 253;
export const DNS1035LabelMaxLength = 63;
export const LabelValueMaxLength = 63;
export const QualifiedNameMaxLength = 63;
/** Sum of annotation key and value bytes allowed on one object. */
export const TotalAnnotationSizeLimitB = 256 * 1024;

const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

/** "msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')" — the doubled space is Kubernetes's. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = msg + ' (e.g. ';
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return out + `regex used for validation is '${fmt}')`;
}

const anchored = (fmt: string) => new RegExp(`^(?:${fmt})$`);

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelRe = anchored(dns1123LabelFmt);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelRe = anchored(dns1035LabelFmt);

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameRe = anchored(qualifiedNameFmt);

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRe = anchored(labelValueFmt);

/** RFC 1123 label: most resource names that end up as DNS labels (namespaces, services' ports, ...). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be failing because of dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** RFC 1123 subdomain: the default rule for object names. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/** RFC 1035 label: must start with a letter (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** Label and annotation keys: optional DNS-subdomain prefix and '/', then a 63-char name. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part ' + emptyError());
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part ' + emptyError());
  else if (byteLen(name) > QualifiedNameMaxLength) errs.push('name part ' + maxLenError(QualifiedNameMaxLength));
  if (!qualifiedNameRe.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
  return errs;
}

/** Label values: empty, or up to 63 alphanumerics/'-_.' starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// Keys are visited sorted: Go's map order is random, so any order is faithful, and sorted is stable.
const sortedEntries = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** One cause per problem with a label key. */
export function validateLabelName(name: string, fldPath: string): FieldCause[] {
  return isQualifiedName(name).map((msg) => fieldError.invalid(fldPath, name, msg));
}

/** metav1 validation.ValidateLabels: every cause is reported at fldPath itself, not per key. */
export function validateLabels(labels: Record<string, string> | null | undefined, fldPath: string): FieldCause[] {
  const out: FieldCause[] = [];
  for (const [k, v] of sortedEntries(labels ?? {})) {
    out.push(...validateLabelName(k, fldPath));
    for (const msg of isValidLabelValue(v)) out.push(fieldError.invalid(fldPath, v, msg));
  }
  return out;
}

/** Total bytes of keys and values, compared against TotalAnnotationSizeLimitB. */
export function annotationsSize(annotations: Record<string, string>): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += byteLen(k) + byteLen(v);
  return total;
}

/**
 * ValidateAnnotations: keys are qualified names compared case-insensitively (so upper case is
 * allowed), values are free-form, and keys plus values must fit in 256 KiB.
 */
export function validateAnnotations(annotations: Record<string, string> | null | undefined, fldPath: string): FieldCause[] {
  const out: FieldCause[] = [];
  const a = annotations ?? {};
  for (const [k] of sortedEntries(a)) {
    for (const msg of isQualifiedName(k.toLowerCase())) out.push(fieldError.invalid(fldPath, k, msg));
  }
  if (annotationsSize(a) > TotalAnnotationSizeLimitB) out.push(fieldError.tooLong(fldPath, TotalAnnotationSizeLimitB));
  return out;
}
