/**
 * managedFields on every write that is not an apply (create, update, patch, /status, /scale):
 * the writer's field manager takes the fields the write added or changed (operation Update),
 * everyone else loses them, and removed fields leave every set. Apply results
 * (serverSideApply) carry their own managedFields and pass through untouched.
 *
 * managedFields sent by clients are treated as upstream does, so that clients which ignore
 * them can never make a write fail: absent, null or not decodable means "keep the live ones";
 * `[]` or `[{}]` resets them (an update then stops tracking, as upstream's skip-non-applied
 * manager does, until the next apply); a valid non-empty list replaces them (that is how a
 * client may edit managedFields). Writes through subresources always start from the live ones.
 */
import type { Admission } from '../../registry/rest.js';
import type { Subresource } from '../../registry/strategy.js';
import { apiVersionOf, type ResourceType } from '../../resources/types.js';
import { isApplyResult, type SsaContext } from './apply.js';
import { compareObjects, jsonEqual } from './compare.js';
import { ownableFields, ownableSet, ownableView } from './endpoint.js';
import { MAX_MANAGER_LENGTH, encodeManagedFields, isResetRequest, recordUpdate, tryDecodeManagedFields, type Managers } from './managed.js';
import { defaultListTypes } from './listtypes.js';
import type { ListTypeInfo } from './shape.js';

/** The configuration applyPatch (called by the PATCH handler, which cannot pass one) uses. */
let installed: SsaContext = { listTypes: defaultListTypes, now: Date.now };
export const ssaContext = (): SsaContext => installed;

/**
 * The admission plugin. Also installs `listTypes` and `now` for server-side apply, so that
 * apply and update bookkeeping agree on list semantics and the clock.
 */
export function managedFieldsAdmission(listTypes: ListTypeInfo = defaultListTypes, opts: { now?: () => number } = {}): Admission {
  const ctx: SsaContext = { listTypes, now: opts.now ?? Date.now };
  installed = ctx;
  return {
    mutate(rt, obj, old, o) {
      if (isApplyResult(obj) || o.subresource === 'binding') return;
      try {
        recordManagedFields(rt, obj, old, { fieldManager: o.fieldManager, subresource: o.subresource }, ctx);
      } catch {
        // Bookkeeping must never fail a write: keep what was there (upstream UpdateNoErrors).
        if (obj?.metadata && typeof obj.metadata === 'object') {
          if (old?.metadata?.managedFields) obj.metadata.managedFields = old.metadata.managedFields;
          else delete obj.metadata.managedFields;
        }
      }
    },
  };
}

/** Update obj.metadata.managedFields for a non-apply write of `obj` over `old` (undefined: create). */
export function recordManagedFields(
  rt: ResourceType,
  obj: any,
  old: any | undefined,
  o: { fieldManager?: string; subresource: Subresource | string },
  ctx: SsaContext,
): void {
  const md = obj.metadata;
  if (!md || typeof md !== 'object') return;
  const live = (): Managers => tryDecodeManagedFields(old?.metadata?.managedFields) ?? new Map();
  const sent = md.managedFields;
  let managers: Managers;
  // Sent back unchanged (most updates and patches) is the same as not sent.
  if (o.subresource || sent === undefined || sent === null || jsonEqual(sent, old?.metadata?.managedFields)) managers = live();
  else if (isResetRequest(sent)) managers = new Map();
  else {
    const d = tryDecodeManagedFields(sent);
    managers = d && d.size ? d : live();
  }
  if (old && managers.size === 0) {
    // Nothing tracked (reset, or written before tracking): stay untracked until an apply.
    delete md.managedFields;
    return;
  }
  const scope = ownableFields(rt, o.subresource);
  const shape = ctx.listTypes.shapeFor(rt);
  const cmp = compareObjects(old ? ownableView(old, scope) : undefined, ownableView(obj, scope), shape);
  const trimmed = { added: ownableSet(cmp.added, scope), modified: ownableSet(cmp.modified, scope), removed: ownableSet(cmp.removed, scope) };
  const next = recordUpdate(managers, trimmed, { manager: fieldManagerName(o.fieldManager), apiVersion: apiVersionOf(rt), subresource: o.subresource }, ctx.now());
  const entries = encodeManagedFields(next);
  if (entries.length) md.managedFields = entries;
  else delete md.managedFields;
}

/** The manager recorded for a write: its fieldManager, or "unknown" (upstream uses the User-Agent). */
export function fieldManagerName(fieldManager: string | undefined): string {
  const m = fieldManager ? printableMemo(fieldManager) : '';
  return m || 'unknown';
}

// A server sees a handful of managers; their names are cleaned once, not per write.
let printed = new Map<string, string>();
function printableMemo(s: string): string {
  let m = printed.get(s);
  if (m === undefined) {
    if (printed.size >= 1000) printed = new Map();
    printed.set(s, (m = printable(s)));
  }
  return m;
}

/**
 * Upstream's default field manager when a request names none: the User-Agent up to its first
 * "/" ("kubectl/v1.32.4 (linux/amd64) ..." → "kubectl"), printable characters only, at most
 * 128 bytes. For the request handler, which is where the User-Agent is known.
 */
export function managerFromUserAgent(userAgent: string | undefined): string | undefined {
  const m = printableMemo((userAgent ?? '').split('/')[0]!);
  return m || undefined;
}

function printable(s: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    // Go's unicode.IsPrint: no control/format characters, no spaces but ASCII space.
    if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch) || (ch !== ' ' && /\p{Zs}/u.test(ch))) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > MAX_MANAGER_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}
