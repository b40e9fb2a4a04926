/**
 * The record Karmada's binding controller puts on each Work: annotations
 * policy.karmada.io/applied-cluster-overrides and policy.karmada.io/applied-overrides, each the
 * JSON of overridemanager.AppliedOverrides — `[{"policyName":...,"overriders":{...}}]`, one item
 * per applied rule, sorted by policy name, absent when nothing applied. Encoded as Go's
 * encoding/json would encode policyv1alpha1.Overriders: struct fields in declaration order,
 * empty lists / strings / maps omitted, plaintext and fieldOverrider `value` always present
 * (null when unset), map keys and raw JSON values with sorted keys.
 */
import { marshalGoJson, RawJson } from './json.js';
import type { FieldPatchOperation, Overriders } from './types.js';

export const APPLIED_OVERRIDES_ANNOTATION = 'policy.karmada.io/applied-overrides';
export const APPLIED_CLUSTER_OVERRIDES_ANNOTATION = 'policy.karmada.io/applied-cluster-overrides';

/** overridemanager.OverridePolicyShadow. */
export interface OverridePolicyShadow {
  policyName: string;
  overriders: Overriders;
}

/** A raw JSON value (apiextensionsv1.JSON): stored sorted and compact by the API server. */
const raw = (v: unknown) => new RawJson(marshalGoJson(v ?? null, true));

/** Builds an object in Go field order, dropping `omitempty` fields that are empty. */
function struct(fields: [name: string, value: unknown, omitEmpty: boolean][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value, omitEmpty] of fields) {
    const empty =
      value == null || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawJson) && Object.keys(value).length === 0);
    if (!(omitEmpty && empty)) out[name] = value ?? null;
  }
  return out;
}

const patchOps = (ops: readonly FieldPatchOperation[] | null | undefined) =>
  (ops ?? []).map((p) => struct([['subPath', p.subPath, false], ['operator', p.operator, false], ['value', raw(p.value), false]]));

const sortedMap = (m: Readonly<Record<string, string>> | null | undefined) => (m && Object.keys(m).length ? raw(m) : undefined);

function overridersStruct(o: Overriders): Record<string, unknown> {
  return struct([
    ['plaintext', (o.plaintext ?? []).map((p) => struct([['path', p.path, false], ['operator', p.operator, false], ['value', raw(p.value), false]])), true],
    [
      'imageOverrider',
      (o.imageOverrider ?? []).map((i) =>
        struct([
          ['predicate', i.predicate ? struct([['path', i.predicate.path, false]]) : undefined, true],
          ['component', i.component, false],
          ['operator', i.operator, false],
          ['value', i.value, true],
        ]),
      ),
      true,
    ],
    ...(['commandOverrider', 'argsOverrider'] as const).map(
      (k): [string, unknown, boolean] => [
        k,
        (o[k] ?? []).map((c) => struct([['containerName', c.containerName, false], ['operator', c.operator, false], ['value', c.value ? [...c.value] : undefined, true]])),
        true,
      ],
    ),
    ...(['labelsOverrider', 'annotationsOverrider'] as const).map(
      (k): [string, unknown, boolean] => [k, (o[k] ?? []).map((l) => struct([['operator', l.operator, false], ['value', sortedMap(l.value), true]])), true],
    ),
    [
      'fieldOverrider',
      (o.fieldOverrider ?? []).map((f) => struct([['fieldPath', f.fieldPath, false], ['json', patchOps(f.json), true], ['yaml', patchOps(f.yaml), true]])),
      true,
    ],
  ]);
}

/**
 * AppliedOverrides.MarshalJSON: undefined when there is nothing to record (Karmada then leaves
 * the annotation off); otherwise the items sorted by policy name (stable, as Go's sort is for
 * the few items a resource ever gets).
 */
export function marshalAppliedOverrides(items: readonly OverridePolicyShadow[]): string | undefined {
  if (items.length === 0) return undefined;
  const sorted = [...items].sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  return marshalGoJson(sorted.map((s) => struct([['policyName', s.policyName, false], ['overriders', overridersStruct(s.overriders), false]])));
}

/** The two annotations for a Work, keys present only when something applied. */
export function appliedOverridesAnnotations(cluster: readonly OverridePolicyShadow[], namespaced: readonly OverridePolicyShadow[]): Record<string, string> {
  const out: Record<string, string> = {};
  const c = marshalAppliedOverrides(cluster);
  if (c !== undefined) out[APPLIED_CLUSTER_OVERRIDES_ANNOTATION] = c;
  const n = marshalAppliedOverrides(namespaced);
  if (n !== undefined) out[APPLIED_OVERRIDES_ANNOTATION] = n;
  return out;
}
