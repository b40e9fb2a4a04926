/**
 * Validation of a whole CustomResourceDefinition, as apiextensions-apiserver does it on create
 * and update, with its field paths and messages: metadata.name is `<plural>.<group>`; group,
 * scope and names; versions (unique DNS-1035 names, exactly one storage version, at least one
 * served — Flotilla's addition, a CRD serving nothing is a mistake); each version's schema
 * (./schema-rules.ts), subresources and printer columns; conversion None only (Flotilla calls no
 * webhooks); and status.storedVersions, which keeps a version in spec.versions while objects may
 * still be stored in it.
 */
import type { CRDColumnSpec, CRDVersion, CustomResourceDefinition, ScaleSpec } from './types.js';
import { isObject } from './types.js';
import { fieldError, type FieldCause } from './causes.js';
import { validateNames } from './names.js';
import { validateVersionSchema } from './schema-rules.js';
import { validateCRDColumnPath } from '../printers/crd.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../util/validation.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const APPROVAL = 'api-approved.kubernetes.io';

/** Kubernetes' v1 defaults for a CRD (SetDefaults_CustomResourceDefinition*). */
export function defaultCRD(crd: CustomResourceDefinition): void {
  const spec = (crd.spec ??= {});
  const names = spec.names;
  if (isObject(names) && typeof names.kind === 'string' && names.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

export function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec?.versions?.find((v) => v?.storage === true)?.name;
}

/** Everything that must hold for a CRD to be stored. `old` makes it an update. */
export function validateCRD(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldCause[] {
  const out: FieldCause[] = [];
  if (!isObject(crd.spec)) return [fieldError.required('spec', '')];
  const spec = crd.spec;
  const names = isObject(spec.names) ? spec.names : {};
  if (!old && typeof crd.metadata?.name === 'string' && crd.metadata.name !== `${names.plural}.${spec.group}`)
    out.push(fieldError.invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  out.push(...validateSpec(crd));
  if (old) out.push(...immutables(crd, old));
  out.push(...validateStoredVersions(crd.status?.storedVersions ?? [], spec.versions ?? []));
  out.push(...apiApproval(crd, old));
  return out;
}

function validateSpec(crd: CustomResourceDefinition): FieldCause[] {
  const spec = crd.spec;
  const out: FieldCause[] = [];
  if (!spec.group) out.push(fieldError.required('spec.group'));
  else {
    const errs = isDNS1123Subdomain(spec.group);
    if (errs.length) out.push(fieldError.invalid('spec.group', spec.group, errs.join(',')));
    else if (spec.group.split('.').length < 2) out.push(fieldError.invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) out.push(fieldError.required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') out.push(fieldError.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  out.push(...validateVersions(spec.versions));
  const n = spec.names;
  if (!isObject(n)) out.push(fieldError.required('spec.names'));
  else {
    for (const f of ['plural', 'singular', 'kind', 'listKind'] as const) if (!n[f]) out.push(fieldError.required(`spec.names.${f}`));
    out.push(...validateNames(n, 'spec.names'));
  }
  out.push(...validateConversion(spec.conversion));
  if (spec.preserveUnknownFields === true)
    out.push(fieldError.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  return out;
}

function validateVersions(versions: CRDVersion[] | undefined): FieldCause[] {
  const out: FieldCause[] = [];
  if (!Array.isArray(versions)) return [fieldError.required('spec.versions', 'must have exactly one version marked as storage version')];
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    if (!isObject(v)) return void out.push(fieldError.invalid(p, v, 'must be an object'));
    const name = typeof v.name === 'string' ? v.name : '';
    if (seen.has(name)) unique = false;
    seen.add(name);
    const errs = isDNS1035Label(name);
    if (errs.length) out.push(fieldError.invalid(`${p}.name`, name, errs.join(',')));
    if (typeof v.served !== 'boolean') out.push(fieldError.required(`${p}.served`));
    if (typeof v.storage !== 'boolean') out.push(fieldError.required(`${p}.storage`));
    out.push(...validateVersion(v, p));
  });
  const list = versions.map((v) => (isObject(v) ? v.name : v));
  if (!unique) out.push(fieldError.invalid('spec.versions', list, 'must contain unique version names'));
  if (versions.filter((v) => v?.storage === true).length !== 1) out.push(fieldError.invalid('spec.versions', list, 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v?.served === true)) out.push(fieldError.invalid('spec.versions', list, 'must have at least one version marked as served'));
  return out;
}

function validateVersion(v: CRDVersion, p: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (!v.deprecated && v.deprecationWarning !== undefined) out.push(fieldError.invalid(`${p}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'));
  else if (typeof v.deprecationWarning === 'string' && v.deprecationWarning.length > 256)
    out.push(fieldError.invalid(`${p}.deprecationWarning`, v.deprecationWarning, 'must be <= 256 characters long'));
  out.push(...validateVersionSchema(v.schema, `${p}.schema`, isObject(v.subresources?.status)));
  if (isObject(v.subresources?.scale)) out.push(...validateScale(v.subresources!.scale!, `${p}.subresources`));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => out.push(...validateColumn(c, `${p}.additionalPrinterColumns[${i}]`)));
  const fields = v.selectableFields ?? [];
  if (fields.length > 8) out.push(fieldError.invalid(`${p}.selectableFields`, fields.length, 'must have at most 8 items'));
  const seenFields = new Set<string>();
  fields.forEach((f, i) => {
    const jp = f?.jsonPath;
    if (!jp) out.push(fieldError.required(`${p}.selectableFields[${i}].jsonPath`));
    else if (!/^(\.[A-Za-z_][\w-]*)+$/.test(jp)) out.push(fieldError.invalid(`${p}.selectableFields[${i}].jsonPath`, jp, 'must be a simple path of field names starting with .'));
    else if (seenFields.has(jp)) out.push(fieldError.duplicate(`${p}.selectableFields[${i}].jsonPath`, jp));
    seenFields.add(jp ?? '');
  });
  return out;
}

function simplePath(s: string, p: string): FieldCause[] {
  if (s === '') return [fieldError.invalid(p, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldError.invalid(p, s, 'must be a simple json path starting with .')];
  return [];
}

function validateScale(sc: ScaleSpec, p: string): FieldCause[] {
  const out: FieldCause[] = [];
  const check = (v: string | undefined, field: string, under: string[], what: string) => {
    const fp = `${p}.scale.${field}`;
    if (!v) return void out.push(fieldError.required(fp));
    const e = simplePath(v, fp);
    if (e.length) out.push(...e);
    else if (!under.some((u) => v.startsWith(u))) out.push(fieldError.invalid(fp, v, what));
  };
  check(sc.specReplicasPath, 'specReplicasPath', ['.spec.'], 'should be a json path under .spec');
  check(sc.statusReplicasPath, 'statusReplicasPath', ['.status.'], 'should be a json path under .status');
  if (sc.labelSelectorPath) check(sc.labelSelectorPath, 'labelSelectorPath', ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  return out;
}

function validateColumn(c: CRDColumnSpec, p: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (!isObject(c)) return [fieldError.invalid(p, c, 'must be an object')];
  if (!c.name) out.push(fieldError.required(`${p}.name`));
  if (!c.type) out.push(fieldError.required(`${p}.type`, `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(c.type)) out.push(fieldError.invalid(`${p}.type`, c.type, `must be one of ${COLUMN_TYPES.join(',')}`));
  if (c.format && !COLUMN_FORMATS.includes(c.format)) out.push(fieldError.invalid(`${p}.format`, c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c.jsonPath) out.push(fieldError.required(`${p}.JSONPath`));
  else {
    const e = simplePath(c.jsonPath, `${p}.JSONPath`);
    const parse = e.length ? undefined : validateCRDColumnPath(c.jsonPath);
    out.push(...e);
    if (parse) out.push(fieldError.invalid(`${p}.JSONPath`, c.jsonPath, parse));
  }
  return out;
}

function validateConversion(conv: CustomResourceDefinition['spec']['conversion']): FieldCause[] {
  if (conv === undefined) return [];
  if (!isObject(conv)) return [fieldError.invalid('spec.conversion', conv, 'must be an object')];
  const p = 'spec.conversion.strategy';
  if (!conv.strategy) return [fieldError.required(p)];
  if (conv.strategy === 'Webhook')
    return [
      fieldError.invalid(p, 'Webhook', 'conversion webhooks are not supported by Flotilla: use strategy None (every served version is returned from the same stored object, with its apiVersion rewritten)'),
    ];
  if (conv.strategy !== 'None') return [fieldError.notSupported(p, conv.strategy, ['None', 'Webhook'])];
  if (conv.webhook !== undefined) return [fieldError.forbidden('spec.conversion.webhook', 'should not be set when strategy is not set to Webhook')];
  return [];
}

/** ValidateCustomResourceDefinitionStoredVersions, with a hint on what to do instead. */
export function validateStoredVersions(stored: string[], versions: CRDVersion[]): FieldCause[] {
  const p = 'status.storedVersions';
  if (!stored.length) return [fieldError.invalid(p, stored, 'must have at least one stored version')];
  const out: FieldCause[] = [];
  const names = new Set(versions.map((v) => v?.name));
  for (const v of versions) if (v?.storage && !stored.includes(v.name!)) out.push(fieldError.invalid(p, v.name, `must have the storage version ${v.name}`));
  stored.forEach((s, i) => {
    if (!names.has(s))
      out.push(
        fieldError.invalid(
          `${p}[${i}]`,
          s,
          `must appear in spec.versions (objects may still be stored as ${s}: keep it in spec.versions, with served: false if it should no longer be served, until they are rewritten and ${s} is removed from status.storedVersions)`,
        ),
      );
  });
  return out;
}

function immutables(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldCause[] {
  const out: FieldCause[] = [];
  const same = (field: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(fieldError.invalid(field, a, 'field is immutable'));
  };
  same('spec.group', crd.spec.group, old.spec?.group);
  same('spec.names.plural', crd.spec.names?.plural, old.spec?.names?.plural);
  if (old.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
    same('spec.scope', crd.spec.scope, old.spec?.scope);
    same('spec.names.kind', crd.spec.names?.kind, old.spec?.names?.kind);
  }
  return out;
}

/** Groups under k8s.io and kubernetes.io need the approval annotation, as in Kubernetes. */
function apiApproval(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldCause[] {
  const g = crd.spec.group ?? '';
  if (!(g === 'k8s.io' || g === 'kubernetes.io' || g.endsWith('.k8s.io') || g.endsWith('.kubernetes.io'))) return [];
  const v = crd.metadata.annotations?.[APPROVAL];
  if (old && old.metadata.annotations?.[APPROVAL] === v) return [];
  const field = `metadata.annotations[${APPROVAL}]`;
  if (v === undefined) return [fieldError.required(field, `protected groups must have approval annotation "${APPROVAL}", see https://github.com/kubernetes/enhancements/pull/1111`)];
  if (!/^(https?:\/\/\S+|unapproved.*)$/.test(v)) return [fieldError.invalid(field, v, 'protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111')];
  return [];
}
