/** Strategic merge patch for a built-in resource type, mapping patch errors to Status errors. */
import { StatusError } from '../errors.js';
import type { ResourceType } from '../resources/types.js';
import { strategicMergePatch, PatchError } from './smp.js';
import { smpSchemaFor } from './smp-schema.js';

export function strategicPatchFor(rt: ResourceType, current: any, patch: any): any {
  try {
    return strategicMergePatch(current, patch, smpSchemaFor(rt.group, rt.kind));
  } catch (e) {
    if (e instanceof PatchError) {
      const msg = `the server rejected our request due to an error in our request: ${e.message}`;
      throw new StatusError(e.status === 400 ? 'BadRequest' : 'Invalid', msg);
    }
    throw e;
  }
}
