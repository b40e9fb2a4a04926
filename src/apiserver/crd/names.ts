/**
 * A CRD's names: their syntax (ValidateCustomResourceDefinitionNames) and whether they are free
 * in the group, computed the way Kubernetes' naming controller does (calculateNamesAndConditions):
 * a name is fine when it is already ours or nobody else in the group has accepted it; a conflict
 * keeps the previously accepted name and sets NamesAccepted=False with PluralConflict,
 * SingularConflict, ShortNamesConflict, KindConflict or ListKindConflict.
 * Flotilla also counts the built-in resources of the group as taken.
 */
import type { CRDCondition, CRDNames } from './types.js';
import { fieldError, type FieldCause } from './causes.js';
import { isDNS1035Label } from '../../util/validation.js';

export function validateNames(n: CRDNames | undefined, p: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (!n) return out;
  const dns = (field: string, v: string, mixedCase = false) => {
    const errs = isDNS1035Label(mixedCase ? v.toLowerCase() : v);
    if (errs.length) out.push(fieldError.invalid(field, v, (mixedCase ? 'may have mixed case, but should otherwise match: ' : '') + errs.join(',')));
  };
  if (n.plural) dns(`${p}.plural`, n.plural);
  if (n.singular) dns(`${p}.singular`, n.singular);
  if (n.kind) dns(`${p}.kind`, n.kind, true);
  if (n.listKind) dns(`${p}.listKind`, n.listKind, true);
  (n.shortNames ?? []).forEach((s, i) => dns(`${p}.shortNames[${i}]`, String(s)));
  if (n.kind && n.kind === n.listKind) out.push(fieldError.invalid(`${p}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (n.categories ?? []).forEach((c, i) => dns(`${p}.categories[${i}]`, String(c)));
  return out;
}

/** Names held in one group by others: resource-ish names and kind-ish names, each with its holder. */
export interface TakenNames {
  resources: Map<string, string>;
  kinds: Map<string, string>;
}

export function emptyTaken(): TakenNames {
  return { resources: new Map(), kinds: new Map() };
}

export function addTaken(t: TakenNames, holder: string, n: CRDNames | undefined): void {
  if (!n) return;
  for (const r of [n.plural, n.singular, ...(n.shortNames ?? [])]) if (r && !t.resources.has(r)) t.resources.set(r, holder);
  for (const k of [n.kind, n.listKind]) if (k && !t.kinds.has(k)) t.kinds.set(k, holder);
}

export interface NamesResult {
  accepted: CRDNames;
  /** The NamesAccepted condition (without lastTransitionTime). */
  condition: CRDCondition;
  /** One cause per conflicting name, for refusing the write outright. */
  conflicts: FieldCause[];
}

export function acceptNames(requested: CRDNames, previously: CRDNames | undefined, taken: TakenNames, p = 'spec.names'): NamesResult {
  const prev = previously ?? {};
  const accepted: CRDNames = { ...prev };
  const conflicts: FieldCause[] = [];
  let condition: CRDCondition | undefined;
  const fail = (reason: string, message: string) => {
    condition ??= { type: 'NamesAccepted', status: 'False', reason, message };
  };
  const fresh = (want: string | undefined, had: string | undefined, used: Map<string, string>): string | undefined =>
    !want || want === had || !used.has(want) ? undefined : used.get(want);

  const one = (field: 'plural' | 'singular' | 'kind' | 'listKind', used: Map<string, string>, reason: string) => {
    const holder = fresh(requested[field], prev[field], used);
    if (holder === undefined) return void (accepted[field] = requested[field]);
    fail(reason, `${JSON.stringify(requested[field])} is already in use`);
    conflicts.push(fieldError.invalid(`${p}.${field}`, requested[field], `${JSON.stringify(requested[field])} is already in use by ${holder} (${reason})`));
  };
  one('plural', taken.resources, 'PluralConflict');
  one('singular', taken.resources, 'SingularConflict');
  const shortBad: string[] = [];
  const had = new Set(prev.shortNames ?? []);
  (requested.shortNames ?? []).forEach((s, i) => {
    const holder = had.has(s) ? undefined : fresh(s, '', taken.resources);
    if (holder === undefined) return;
    shortBad.push(`${JSON.stringify(s)} is already in use`);
    conflicts.push(fieldError.invalid(`${p}.shortNames[${i}]`, s, `${JSON.stringify(s)} is already in use by ${holder} (ShortNamesConflict)`));
  });
  if (shortBad.length) fail('ShortNamesConflict', shortBad.length === 1 ? shortBad[0]! : `[${shortBad.join(', ')}]`);
  else accepted.shortNames = requested.shortNames;
  one('kind', taken.kinds, 'KindConflict');
  one('listKind', taken.kinds, 'ListKindConflict');
  accepted.categories = requested.categories;
  for (const k of Object.keys(accepted) as (keyof CRDNames)[]) if (accepted[k] === undefined) delete accepted[k];
  return { accepted, condition: condition ?? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, conflicts };
}
