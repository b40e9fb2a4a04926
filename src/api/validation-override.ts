/**
 * karmada-webhook's checks of an OverrideSpec (ValidateOverrideSpec / ValidateOverrideRules), plus
 * one Flotilla adds: a plaintext path must be a JSON pointer. Karmada leaves that to apply time,
 * where "spec/image" silently patches a top-level "image" field instead of failing.
 */
import { validateAnnotations, validateLabels } from '../util/validation.js';
import { cause, fromFieldCauses } from './causes.js';
import type { ValidationCause } from './causes.js';
import type { Overriders, OverrideSpec } from './overriders.js';
import { validateClusterAffinity } from './validation-placement.js';

/** go-openapi/jsonpointer.New: empty, or starting with '/'. */
export function jsonPointerError(p: string): string | undefined {
  return p === '' || p.startsWith('/') ? undefined : 'JSON pointer must be empty or start with a "/"';
}

const hasOverriders = (o: Overriders | undefined) => !!o && Object.values(o).some((list) => Array.isArray(list) && list.length > 0);

export function validateOverrideSpec(spec: OverrideSpec, path = 'spec'): ValidationCause[] {
  const out: ValidationCause[] = [];
  if (spec.targetCluster) out.push(...validateClusterAffinity(spec.targetCluster, `${path}.targetCluster`));
  // Karmada compares overrideRules against nil, so even an empty list conflicts with the old form.
  if (spec.targetCluster && spec.overrideRules) out.push(cause.invalid(`${path}.targetCluster`, spec.targetCluster, "overrideRules and targetCluster can't co-exist"));
  if (hasOverriders(spec.overriders) && spec.overrideRules) out.push(cause.invalid(`${path}.overriders`, spec.overriders, "overrideRules and overriders can't co-exist"));
  (spec.overrideRules ?? []).forEach((rule, i) => {
    const p = `${path}.overrideRules[${i}]`;
    out.push(...validateOverriders(rule.overriders, `${p}.overriders`));
    out.push(...validateClusterAffinity(rule.targetCluster, `${p}.targetCluster`));
  });
  if (spec.overriders) out.push(...validateOverriders(spec.overriders, `${path}.overriders`));
  return out;
}

/** One rule's overriders: label and annotation syntax, JSON pointers, field overrider form. */
export function validateOverriders(o: Overriders, path: string): ValidationCause[] {
  const out: ValidationCause[] = [];
  o.annotationsOverrider?.forEach((a, j) => out.push(...fromFieldCauses(validateAnnotations(a.value, `${path}.annotationsOverrider[${j}].value`))));
  o.labelsOverrider?.forEach((l, j) => out.push(...fromFieldCauses(validateLabels(l.value, `${path}.labelsOverrider[${j}].value`))));
  o.imageOverrider?.forEach((img, j) => {
    const msg = img.predicate ? jsonPointerError(img.predicate.path) : undefined;
    if (msg) out.push(cause.invalid(`${path}.imageOverrider[${j}].predicate.path`, img.predicate!.path, msg));
  });
  o.plaintext?.forEach((pt, j) => {
    if (!pt.path.startsWith('/')) out.push(cause.invalid(`${path}.plaintext[${j}].path`, pt.path, 'must be a JSON pointer starting with "/"'));
  });
  o.fieldOverrider?.forEach((fo, j) => {
    const p = `${path}.fieldOverrider[${j}]`;
    const hasJSON = (fo.json?.length ?? 0) > 0;
    const hasYAML = (fo.yaml?.length ?? 0) > 0;
    if (hasJSON && hasYAML) out.push(cause.invalid(p, fo, 'FieldOverrider has both YAML and JSON set. Only one is allowed'));
    if (!hasJSON && !hasYAML) out.push(cause.invalid(p, fo, 'FieldOverrider must have either YAML or JSON set'));
    const msg = jsonPointerError(fo.fieldPath);
    if (msg) out.push(cause.invalid(`${p}.fieldPath`, fo.fieldPath, msg));
    for (const [format, ops] of [['json', fo.json], ['yaml', fo.yaml]] as const) {
      ops?.forEach((op, k) => {
        const opPath = `${p}.${format}[${k}]`;
        const subMsg = jsonPointerError(op.subPath);
        if (subMsg) out.push(cause.invalid(`${opPath}.subPath`, op.subPath, subMsg));
        if (op.operator !== 'remove' && op.value === undefined) out.push(cause.invalid(`${opPath}.value`, null, 'value is required for add or replace operation'));
        if (op.operator === 'remove' && op.value !== undefined) out.push(cause.invalid(`${opPath}.value`, op.value, 'value is not allowed for remove operation'));
      });
    }
  });
  return out;
}
