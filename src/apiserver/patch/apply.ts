/**
 * Server-side apply (application/apply-patch+yaml), first cut: creates the object when absent
 * and otherwise merges the applied configuration into it (maps merged, lists merged by their
 * keys for built-in kinds). Field ownership comes with ./ssa/.
 */
import type { ResourceType } from '../resources/types.js';
import { mergePatch } from './merge.js';
import { strategicPatchFor } from './strategic.js';

export interface ApplyOptions {
  fieldManager?: string;
  force?: boolean;
}

export function applyPatch(rt: ResourceType, current: any | null, applied: any, _o: ApplyOptions): any {
  if (current === null) return applied;
  const { metadata: appliedMeta, ...rest } = applied;
  const patch = { ...rest, metadata: { ...(appliedMeta ?? {}) } };
  delete patch.metadata.resourceVersion;
  return rt.custom ? mergePatch(current, patch) : strategicPatchFor(rt, current, patch);
}
