/**
 * Server-side apply (application/apply-patch+yaml) as the PATCH handler calls it: `current` is
 * the live object, or null when it does not exist (the apply then creates it). The work is in
 * ./ssa/: structured merge, pruning of fields the manager stopped sending, conflicts (409) and
 * managedFields. List semantics and the clock are those the managedFields admission installed
 * (see ./ssa/admission.ts), built-in defaults until then.
 */
import type { ResourceType } from '../resources/types.js';
import { serverSideApply, type ApplyOptions } from './ssa/apply.js';
import { ssaContext } from './ssa/admission.js';

export type { ApplyOptions };

export function applyPatch(rt: ResourceType, current: any | null, applied: any, o: ApplyOptions): any {
  return serverSideApply(rt, current, applied, o, ssaContext());
}
