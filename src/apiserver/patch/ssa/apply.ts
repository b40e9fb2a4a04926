/**
 * Server-side apply of one applied configuration to a live object (or to nothing: create),
 * following k8s.io/apimachinery's field manager and structured-merge-diff's Updater.Apply:
 *
 *   1. The applier's new field set is what its configuration specifies (list keys respected).
 *   2. The configuration is merged onto the live object, then fields the applier owned last
 *      time, no longer sends, and nobody else owns are pruned.
 *   3. Compared with the live object, whatever changed or appeared that another manager owns
 *      is a conflict (409 with one cause per field) unless force: then ownership moves.
 *      Removed fields leave every other manager's set.
 *   4. kubectl's migration rules: for manager "kubectl", conflicts on fields the client-side
 *      apply annotation records with their live value are not conflicts, and an existing
 *      annotation is rewritten from the applied configuration.
 *
 * A live object without managedFields is first owned by "before-first-apply" (as upstream),
 * so fields set before tracking began conflict instead of being silently taken.
 */
import { errors } from '../../errors.js';
import { apiVersionOf, type ResourceType } from '../../resources/types.js';
import { compareObjects } from './compare.js';
import { canonicalJSON } from './element.js';
import { ownableFields, ownableSet, ownableView, type OwnableFields } from './endpoint.js';
import { FieldSet, SsaInputError, fieldSetOf } from './fieldset.js';
import { BEFORE_FIRST_APPLY, MAX_MANAGER_LENGTH, capUpdateManagers, cloneManagers, conflictError, encodeManagedFields, identity, recordUpdate, rfc3339, tryDecodeManagedFields, type Conflict, type Managers } from './managed.js';
import { cloneJSON, mergeApplied, prune } from './merge.js';
import type { ListTypeInfo, Shape } from './shape.js';

type Obj = Record<string, any>;

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Upstream's limit on the total size of an object's annotations. */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

export interface ApplyOptions {
  fieldManager?: string;
  force?: boolean;
}

export interface SsaContext {
  listTypes: ListTypeInfo;
  /** Clock for managedFields timestamps (ms since the epoch). */
  now: () => number;
}

/** Objects produced by serverSideApply, so the managedFields admission leaves them alone. */
const applyResults = new WeakSet<object>();
export const isApplyResult = (obj: unknown): boolean => typeof obj === 'object' && obj !== null && applyResults.has(obj);

const isPlainObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Apply `applied` to `current` (null: the object does not exist and is created). Returns the
 * object to store, with metadata.managedFields updated. Pure: neither input is modified.
 * Throws StatusError: 400 for a malformed configuration, 409 Conflict for conflicts.
 */
export function serverSideApply(rt: ResourceType, current: Obj | null, applied: unknown, o: ApplyOptions, ctx: SsaContext): Obj {
  const manager = o.fieldManager ?? '';
  if (!manager) throw errors.invalid(rt.group, rt.kind, '', [{ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
  if (manager.length > MAX_MANAGER_LENGTH)
    throw errors.invalid(rt.group, rt.kind, '', [{ reason: 'FieldValueTooLong', field: 'fieldManager', message: `Too long: may not be more than ${MAX_MANAGER_LENGTH} bytes` }]);
  if (!isPlainObject(applied)) throw errors.badRequest('the apply patch must be a YAML or JSON object');

  // A subresource view (autoscaling/v1 Scale) is applied as itself; everything else as rt.
  const view = current && current.kind !== rt.kind ? { apiVersion: current.apiVersion, kind: current.kind } : { apiVersion: apiVersionOf(rt), kind: rt.kind };
  if (applied.apiVersion !== view.apiVersion)
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${view.apiVersion}`);
  if (applied.kind !== view.kind) throw errors.badRequest(`the kind in the apply patch (${applied.kind ?? ''}) does not match the expected kind (${view.kind})`);
  if (applied.metadata?.managedFields != null) throw errors.badRequest('metadata.managedFields must be nil');

  const shape: Shape = view.kind === rt.kind ? ctx.listTypes.shapeFor(rt) : {};
  const scope = ownableFields(rt, view.kind === rt.kind ? '' : 'scale');
  const config = dropNulls(applied) as Obj;
  let fullSet: FieldSet;
  try {
    fullSet = fieldSetOf(config, shape, true);
  } catch (e) {
    if (!(e instanceof SsaInputError)) throw e;
    const ns = config.metadata?.namespace ?? current?.metadata?.namespace ?? '';
    const name = config.metadata?.name ?? current?.metadata?.name ?? '';
    const gv = view.apiVersion.includes('/') ? view.apiVersion : `/${view.apiVersion}`;
    throw errors.badRequest(`failed to create typed patch object (${ns}/${name}; ${gv}, Kind=${view.kind}): ${e.message}`);
  }
  // Ignored fields (status on the main resource) are neither owned nor pruned.
  const ignored = [...scope.ignored].map((f) => 'f:' + f);
  const appliedSet = ignored.length ? fullSet.withoutTop(ignored) : fullSet;

  const live: Obj = current ? cloneJSON(current) : {};
  let managers: Managers = new Map();
  if (current) {
    const md = isPlainObject(live.metadata) ? { ...live.metadata } : {};
    managers = tryDecodeManagedFields(md.managedFields) ?? new Map();
    delete md.managedFields;
    live.metadata = md;
    // Tracking starts now: what is already there belongs to "before-first-apply". (Not for a
    // Scale view: it never carries its parent's managedFields, the /scale write records them.)
    if (managers.size === 0 && view.kind === rt.kind) {
      const cmp = compareObjects(undefined, ownableView(live, scope), shape);
      managers = recordUpdate(managers, trim(cmp, scope), { manager: BEFORE_FIRST_APPLY, apiVersion: view.apiVersion, subresource: '' }, ctx.now());
    }
  }

  const step = { live, config, appliedSet, managers, shape, scope, manager, apiVersion: view.apiVersion, now: ctx.now() };
  let r = attempt(step, !!o.force);
  if (r.conflicts.length && manager === 'kubectl') {
    // Migrating from client-side apply: fields the annotation records, with their live value, are kubectl's.
    const allowed = allowedFromLastApplied(live, view.apiVersion, shape);
    if (allowed) {
      const remaining = r.conflicts.filter((c) => !allowed.has(c.path));
      r = remaining.length ? { ...r, conflicts: remaining } : attempt(step, true);
    }
  }
  if (r.conflicts.length) throw conflictError(r.conflicts);

  const result = r.object;
  if (manager === 'kubectl' && current) syncLastApplied(result, live, applied);
  const md = (result.metadata = isPlainObject(result.metadata) ? { ...result.metadata } : {});
  const entries = encodeManagedFields(r.managers);
  if (entries.length) md.managedFields = entries;
  else delete md.managedFields;
  applyResults.add(result);
  return result;
}

interface Step {
  live: Obj;
  config: Obj;
  appliedSet: FieldSet;
  managers: Managers;
  shape: Shape;
  scope: OwnableFields;
  manager: string;
  apiVersion: string;
  now: number;
}

function attempt(s: Step, force: boolean): { object: Obj; managers: Managers; conflicts: Conflict[] } {
  const applierId = identity({ manager: s.manager, operation: 'Apply', apiVersion: s.apiVersion });
  const previous = s.managers.get(applierId);
  const managers = cloneManagers(s.managers);
  managers.set(applierId, { manager: s.manager, operation: 'Apply', apiVersion: s.apiVersion, subresource: '', time: previous?.time, set: s.appliedSet });
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  const merged = mergeApplied(s.live, s.config, s.shape, true);
  const object = prune(merged, previous?.set, owned, s.shape);

  const cmp = trim(compareObjects(ownableView(s.live, s.scope), ownableView(object, s.scope), s.shape), s.scope);
  const changed = cmp.added.union(cmp.modified);
  const conflicts: Conflict[] = [];
  for (const [id, m] of managers) {
    if (id === applierId) continue;
    const taken = m.set.intersection(changed);
    if (!taken.empty()) for (const path of taken.paths()) conflicts.push({ managerId: id, manager: m, path });
  }
  if (conflicts.length && !force) return { object, managers, conflicts };

  for (const [id, m] of managers) {
    if (id === applierId) continue;
    const set = m.set.difference(changed).difference(cmp.removed);
    if (set.empty()) managers.delete(id);
    else managers.set(id, { ...m, set });
  }
  let mine = ownableSet(s.appliedSet, s.scope);
  const sameSet = !!previous && previous.set.equals(mine);
  if (sameSet) mine = previous.set; // keeps its memoised encoding
  if (mine.empty()) managers.delete(applierId);
  else {
    const touched = !cmp.added.empty() || !cmp.modified.empty() || !cmp.removed.empty() || !sameSet;
    managers.set(applierId, { ...managers.get(applierId)!, set: mine, time: touched || !previous?.time ? rfc3339(s.now) : previous.time });
  }
  return { object, managers: capUpdateManagers(managers), conflicts: [] };
}

/** A comparison without what nobody may own through this endpoint. */
function trim<T extends { added: FieldSet; modified: FieldSet; removed: FieldSet }>(c: T, scope: OwnableFields): T {
  return { ...c, added: ownableSet(c.added, scope), modified: ownableSet(c.modified, scope), removed: ownableSet(c.removed, scope) };
}

/** `null` in an applied configuration means "not specified" (it is dropped, not stored). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v)) {
    if (v[k] === null || v[k] === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: dropNulls(v[k]), writable: true, enumerable: true, configurable: true });
    else out[k] = dropNulls(v[k]);
  }
  return out;
}

/**
 * Upstream lastAppliedManager: the fields of the client-side apply annotation whose value is
 * still the live one. Undefined when there is no usable annotation.
 */
function allowedFromLastApplied(live: Obj, apiVersion: string, shape: Shape): FieldSet | undefined {
  const text = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || !text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(last) || last.apiVersion !== apiVersion) return undefined;
  const set = fieldSetOf(last, shape);
  const cmp = compareObjects(last, live, shape);
  return set.difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}

/** Upstream lastAppliedUpdater: kubectl's SSA keeps an existing client-side apply annotation current. */
function syncLastApplied(result: Obj, live: Obj, applied: Obj): void {
  const had = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof had !== 'string' || !had) return;
  const copy = cloneJSON(applied);
  if (isPlainObject(copy.metadata?.annotations)) delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  const md = (result.metadata = { ...(result.metadata ?? {}) });
  const annotations: Record<string, string> = { ...(md.annotations ?? {}) };
  annotations[LAST_APPLIED_ANNOTATION] = canonicalJSON(copy) + '\n';
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += k.length + String(v).length;
  if (size > MAX_ANNOTATIONS_BYTES) delete annotations[LAST_APPLIED_ANNOTATION];
  md.annotations = annotations;
}

