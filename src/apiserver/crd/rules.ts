/**
 * The schema checks JSON Schema has no words for: x-kubernetes-list-type set/map uniqueness,
 * embedded resources' apiVersion/kind, and x-kubernetes-validations (CEL, the cheap subset of
 * ./cel.ts). Walks schema and value together; `old` is the previous value at the same place
 * (map-list items and map values are correlated by key, as Kubernetes does for transition rules).
 */
import type { JSONSchemaProps, ValidationRule } from './types.js';
import { isObject } from './types.js';
import { compileRule, evaluate, CELError, type CompiledRule } from './cel.js';
import { fieldError, jsonType, type FieldCause } from './causes.js';
import { isDNS1035Label } from '../../util/validation.js';

export interface RuleOptions {
  /** False when the object already failed the schema: Kubernetes then skips CEL. */
  cel: boolean;
  /** Rules that could not be compiled are collected here (skipped, never enforced). */
  skipped: Set<string>;
  compiled: Map<string, CompiledRule | null>;
}

const child = (path: string, k: string) => (path ? `${path}.${k}` : k);

/** A canonical JSON form, so that equal maps with different key order compare equal. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function checkRules(s: JSONSchemaProps | undefined, v: unknown, old: unknown, path: string, o: RuleOptions): FieldCause[] {
  const out: FieldCause[] = [];
  walk(s, v, old, path, o, out);
  return out;
}

function walk(s: JSONSchemaProps | undefined, v: unknown, old: unknown, path: string, o: RuleOptions, out: FieldCause[]): void {
  if (!s || v === undefined) return;
  if (o.cel && v !== null && Array.isArray(s['x-kubernetes-validations'])) {
    for (const rule of s['x-kubernetes-validations']) runRule(rule, s, v, old, path, o, out);
  }
  if (Array.isArray(v)) {
    const items = isObject(s.items) ? (s.items as JSONSchemaProps) : undefined;
    const listType = s['x-kubernetes-list-type'];
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (item: unknown) => (isObject(item) ? Object.fromEntries(keys.filter((k) => k in item).map((k) => [k, item[k]])) : item);
    if (listType === 'set' || listType === 'map') {
      const seen = new Set<string>();
      v.forEach((item, i) => {
        const id = canonical(listType === 'map' ? keyOf(item) : item);
        if (seen.has(id)) out.push(fieldError.duplicate(`${path}[${i}]`, listType === 'map' ? keyOf(item) : item));
        seen.add(id);
      });
    }
    // Only map-list items keep their identity across updates; other lists have no old values.
    const oldByKey = new Map<string, unknown>();
    if (listType === 'map' && Array.isArray(old)) for (const item of old) oldByKey.set(canonical(keyOf(item)), item);
    v.forEach((item, i) => walk(items, item, listType === 'map' ? oldByKey.get(canonical(keyOf(item))) : undefined, `${path}[${i}]`, o, out));
    return;
  }
  if (!isObject(v)) return;
  if (s['x-kubernetes-embedded-resource']) out.push(...embeddedResource(v, path));
  const add = isObject(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined;
  for (const k of Object.keys(v)) {
    const prop = s.properties?.[k] ?? add;
    if (prop) walk(prop, v[k], isObject(old) ? old[k] : undefined, child(path, k), o, out);
  }
}

/** Kubernetes requires apiVersion and kind on an embedded resource; metadata is optional. */
function embeddedResource(x: Record<string, unknown>, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  for (const k of ['apiVersion', 'kind']) {
    const p = child(path, k);
    const v = x[k];
    if (!(k in x)) out.push(fieldError.required(p, 'must not be empty'));
    else if (typeof v !== 'string') out.push(fieldError.invalid(p, v, 'must be a string'));
    else if (v === '') out.push(fieldError.invalid(p, v, 'must not be empty'));
    else if (k === 'kind') {
      const errs = isDNS1035Label(v.toLowerCase());
      if (errs.length) out.push(fieldError.invalid(p, v, 'may have mixed case, but should otherwise match: ' + errs.join(',')));
    } else if (v.split('/').length > 2) out.push(fieldError.invalid(p, v, `unexpected GroupVersion string: ${v}`));
  }
  return out;
}

function runRule(rule: ValidationRule, s: JSONSchemaProps, v: unknown, old: unknown, path: string, o: RuleOptions, out: FieldCause[]): void {
  const text = (rule.rule ?? '').trim();
  if (!text) return;
  let compiled = o.compiled.get(text);
  if (compiled === undefined) {
    compiled = compileRule(text) ?? null;
    o.compiled.set(text, compiled);
  }
  if (!compiled) {
    o.skipped.add(text);
    return;
  }
  if (compiled.usesOldSelf && old === undefined && !rule.optionalOldSelf) return;
  const field = rule.fieldPath ? child(path, rule.fieldPath.replace(/^\./, '')) : path;
  const typeName = s.type ?? jsonType(v);
  let result: unknown;
  try {
    result = evaluate(compiled, v, old);
  } catch (e) {
    if (!(e instanceof CELError)) throw e;
    out.push(fieldError.invalid(field, typeName, `${e.message} evaluating rule: ${text}`));
    return;
  }
  if (result === true) return;
  const detail = rule.message?.trim() || `failed rule: ${text}`;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      out.push(fieldError.forbidden(field, detail));
      break;
    case 'FieldValueRequired':
      out.push(fieldError.required(field, detail));
      break;
    case 'FieldValueDuplicate':
      out.push(fieldError.duplicate(field, typeName));
      break;
    default:
      out.push(fieldError.invalid(field, typeName, detail));
  }
}

/** The rules of a schema this server cannot evaluate (they are skipped; the caller says so). */
export function unsupportedRules(s: JSONSchemaProps | undefined, out: string[] = []): string[] {
  if (!isObject(s)) return out;
  for (const r of s['x-kubernetes-validations'] ?? []) {
    const text = (r?.rule ?? '').trim();
    if (text && !compileRule(text)) out.push(text);
  }
  for (const c of Object.values(s.properties ?? {})) unsupportedRules(c, out);
  if (isObject(s.items)) unsupportedRules(s.items as JSONSchemaProps, out);
  if (isObject(s.additionalProperties)) unsupportedRules(s.additionalProperties as JSONSchemaProps, out);
  return out;
}
