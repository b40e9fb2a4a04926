/**
 * metadata.managedFields bookkeeping, as k8s.io/apimachinery's managedfields package does it:
 *
 *   - one entry per manager identity: (manager, operation, subresource, and apiVersion for
 *     Update only: an applier keeps one entry whatever version it applies with);
 *   - decoding is lenient by design: managedFields a client sends back (kubectl replace,
 *     client-node) must never fail a write, so anything malformed means "not usable";
 *   - Update operations take ownership of what they changed; the others lose it (no conflicts);
 *   - Update entries are capped at 10, the oldest folded into "ancient-changes";
 *   - entries are encoded sorted: operation, time, manager, apiVersion, subresource.
 */
import { StatusError } from '../../errors.js';
import { rfc3339 } from '../../../util/time.js';
import { FieldSet } from './fieldset.js';
import { printPath, type Path } from './element.js';
import type { Comparison } from './compare.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One decoded entry. `time` is RFC 3339 with seconds, as the API serves it. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time?: string;
  set: FieldSet;
}

/** Managers keyed by identity (see identity()). */
export type Managers = Map<string, Manager>;

export const MAX_UPDATE_MANAGERS = 10;
export const ANCIENT_CHANGES = 'ancient-changes';
export const BEFORE_FIRST_APPLY = 'before-first-apply';
export const MAX_MANAGER_LENGTH = 128;

/** Upstream BuildManagerIdentifier: what makes two entries the same manager. */
export function identity(m: { manager: string; operation: Operation; apiVersion: string; subresource?: string }): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);
}

export { rfc3339 };

/** Dates from clients (client-node sends milliseconds) are normalised to whole seconds. */
const SECONDS_RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

function normalizeTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (SECONDS_RFC3339.test(v)) return v;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new Error(`invalid time ${JSON.stringify(v)}`);
  return rfc3339(Math.floor(ms / 1000) * 1000);
}

// Every write decodes the stored managedFields and encodes them again, mostly unchanged. Sets
// are immutable values, so decoded sets are shared by their JSON text (and FieldSet memoises
// its encoding): an untouched manager costs a JSON.stringify and a lookup. (Never mutate
// fieldsV1 in place.)
let decoded = new Map<string, FieldSet>();
const DECODE_CACHE_LIMIT = 1000;

function decodeFieldsV1(raw: unknown): FieldSet {
  const key = JSON.stringify(raw);
  let set = decoded.get(key);
  if (!set) {
    set = FieldSet.fromFieldsV1(raw);
    if (decoded.size >= DECODE_CACHE_LIMIT) decoded = new Map();
    decoded.set(key, set);
  }
  return set;
}

/** Decode managedFields; throws Error when anything is malformed. */
export function decodeManagedFields(raw: unknown): Managers {
  const out: Managers = new Map();
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw new Error('managedFields must be a list');
  raw.forEach((e: any, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new Error(`managed fields entry ${i} must be an object`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(e.fieldsType ? `invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error(`invalid operation ${JSON.stringify(e.operation)} in managed fields entry ${i}`);
    if (typeof e.manager !== 'string' || e.manager.length > MAX_MANAGER_LENGTH) throw new Error(`invalid manager in managed fields entry ${i}`);
    if (e.apiVersion !== undefined && typeof e.apiVersion !== 'string') throw new Error(`invalid apiVersion in managed fields entry ${i}`);
    if (e.subresource !== undefined && typeof e.subresource !== 'string') throw new Error(`invalid subresource in managed fields entry ${i}`);
    const m: Manager = {
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      subresource: e.subresource ?? '',
      time: normalizeTime(e.time),
      set: decodeFieldsV1(e.fieldsV1 ?? {}),
    };
    out.set(identity(m), m);
  });
  return out;
}

/** Decode, or undefined when malformed (the caller falls back to the live object's). */
export function tryDecodeManagedFields(raw: unknown): Managers | undefined {
  try {
    return decodeManagedFields(raw);
  } catch {
    return undefined;
  }
}

/** `[]` or `[{}]`: a client asking to clear managedFields (upstream isResetManagedFields). */
export function isResetRequest(raw: unknown): boolean {
  if (!Array.isArray(raw)) return false;
  if (raw.length === 0) return true;
  return raw.length === 1 && raw[0] !== null && typeof raw[0] === 'object' && !Array.isArray(raw[0]) && Object.keys(raw[0]).length === 0;
}

function compareManagers(a: Manager, b: Manager): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = a.time ? Date.parse(a.time) / 1000 : 0;
  const tb = b.time ? Date.parse(b.time) / 1000 : 0;
  if (ta !== tb) return ta - tb;
  for (const k of ['manager', 'apiVersion', 'subresource'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/** Entries for metadata.managedFields (empty sets dropped, sorted as upstream). */
export function encodeManagedFields(ms: Managers): ManagedFieldsEntry[] {
  return [...ms.values()]
    .filter((m) => !m.set.empty())
    .sort(compareManagers)
    .map((m) => {
      const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, fieldsType: 'FieldsV1', fieldsV1: m.set.toFieldsV1() };
      if (m.time) e.time = m.time;
      if (m.subresource) e.subresource = m.subresource;
      // Key order as the API serves it.
      const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = e;
      return { manager, operation, apiVersion, ...(time ? { time } : {}), fieldsType, fieldsV1, ...(subresource ? { subresource } : {}) };
    });
}

export function cloneManagers(ms: Managers): Managers {
  return new Map([...ms].map(([k, m]) => [k, { ...m }]));
}

/**
 * Ownership after a non-apply write by `self` whose effect is `cmp` (upstream Updater.Update
 * through the "current-operation" manager): every manager loses what changed or went; `self`
 * keeps its old fields and gains the changed ones, with a new time only when it changed
 * something. Returns a new map.
 */
export function recordUpdate(ms: Managers, cmp: Comparison, self: { manager: string; apiVersion: string; subresource: string }, now: number): Managers {
  const changed = cmp.added.union(cmp.modified);
  const out: Managers = new Map();
  for (const [id, m] of ms) {
    const set = m.set.difference(changed).difference(cmp.removed);
    if (!set.empty()) out.set(id, set === m.set ? m : { ...m, set });
  }
  if (!changed.empty()) {
    const me: Manager = { ...self, operation: 'Update', time: rfc3339(now), set: changed };
    const id = identity(me);
    const prev = out.get(id);
    out.set(id, prev ? { ...me, set: prev.set.union(changed) } : me);
  }
  return capUpdateManagers(out);
}

/** More than MAX_UPDATE_MANAGERS Update entries: fold the oldest into one bucket per version. */
export function capUpdateManagers(ms: Managers, max = MAX_UPDATE_MANAGERS): Managers {
  const updaters = [...ms.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= max) return ms;
  const secs = (m: Manager) => (m.time ? Date.parse(m.time) / 1000 : 0);
  updaters.sort(([ia, a], [ib, b]) => secs(a) - secs(b) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const out = new Map(ms);
  let count = updaters.length;
  for (const [id, m] of updaters) {
    if (count <= max) break;
    if (m.manager === ANCIENT_CHANGES) continue;
    const bucket: Manager = { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion, subresource: '', time: m.time, set: m.set };
    const bid = identity(bucket);
    const prev = out.get(bid);
    out.delete(id);
    if (prev) {
      out.set(bid, { ...prev, set: prev.set.union(m.set), time: later(prev.time, m.time) });
      count--;
    } else out.set(bid, bucket);
  }
  return out;
}

const later = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : Date.parse(a) >= Date.parse(b) ? a : b);

// ---------------------------------------------------------------------------------------------
// Conflicts

export interface Conflict {
  /** Identity of the manager that owns the field. */
  managerId: string;
  manager: Manager;
  path: Path;
}

/** How upstream names a manager in conflict messages. */
export function describeManager(m: Manager): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  // The identity upstream prints carries no time, so no "at <time>" either.
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** 409 Conflict with one FieldManagerConflict cause per field, in upstream's words. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.managerId < b.managerId ? -1 : a.managerId > b.managerId ? 1 : 0));
  const causes = sorted.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.manager)}`, field: printPath(c.path) }));
  let message: string;
  if (sorted.length === 1) message = `Apply failed with 1 conflict: conflict with ${describeManager(sorted[0]!.manager)}: ${printPath(sorted[0]!.path)}`;
  else {
    const lines: string[] = [];
    let last = '';
    for (const c of sorted) {
      if (c.managerId !== last) lines.push(`conflicts with ${describeManager(c.manager)}:`);
      last = c.managerId;
      lines.push(`- ${printPath(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError('Conflict', message, { causes });
}
