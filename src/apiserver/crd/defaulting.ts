/**
 * Structural defaulting, as apiextensions-apiserver applies it after pruning: a property's
 * `default` fills it when it is missing (or null and not nullable), then defaulting recurses
 * into what is there, so a nested default applies only where its parent object exists (or was
 * itself defaulted, e.g. `spec: {default: {}}`). Nulls that are not allowed and have no default
 * are dropped first, so they never reach validation.
 */
import type { JSONSchemaProps } from './types.js';
import { isObject } from './types.js';

const nonNullableNull = (v: unknown, s: JSONSchemaProps | undefined): boolean => v === null && !!s && !s.nullable;
const itemsOf = (s: JSONSchemaProps | undefined) => (isObject(s?.items) ? (s!.items as JSONSchemaProps) : undefined);
const additionalOf = (s: JSONSchemaProps | undefined) => (isObject(s?.additionalProperties) ? (s!.additionalProperties as JSONSchemaProps) : undefined);

export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    x.forEach((v, i) => {
      if (nonNullableNull(v, items) && items!.default !== undefined) x[i] = structuredClone(items!.default);
      applyDefaults(x[i], items);
    });
    return;
  }
  if (!isObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (prop.default === undefined) continue;
    if (!(k in x) || nonNullableNull(x[k], prop)) x[k] = structuredClone(prop.default);
  }
  const add = additionalOf(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k];
    if (prop) applyDefaults(x[k], prop);
    else if (add) {
      if (nonNullableNull(x[k], add) && add.default !== undefined) x[k] = structuredClone(add.default);
      applyDefaults(x[k], add);
    }
  }
}

/** Drops `null` where the schema allows no null and offers no default (Kubernetes does this before defaulting). */
export function dropNonNullableNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (const v of x) dropNonNullableNulls(v, itemsOf(s));
    return;
  }
  if (!isObject(x)) return;
  const add = additionalOf(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.[k] ?? add;
    if (!prop) continue;
    if (x[k] === null && prop.default === undefined && !prop.nullable) {
      delete x[k];
      continue;
    }
    dropNonNullableNulls(x[k], prop);
  }
}
