/** Karmada OverridePolicy / ClusterOverridePolicy semantics as pure functions. */
export * from './types.js';
export { clusterMatches, resourceMatches, resourceMatchPriority, resourceMatchSelectorsPriority, ImplicitPriority } from './match.js';
export {
  applyImageOverrider,
  applyCommandOverrider,
  applyArgsOverrider,
  applyLabelsOverrider,
  applyAnnotationsOverrider,
  applyFieldOverrider,
  applyPlaintextOverriders,
  POD_SPEC_PATHS,
} from './overriders.js';
export { OverriderError } from './errors.js';
export { parseImage, formatImage, ImageParseError, type ImageComponents } from './image.js';
export { applyPatch, PatchError, type PatchOperation } from './jsonpatch.js';
export {
  APPLIED_OVERRIDES_ANNOTATION,
  APPLIED_CLUSTER_OVERRIDES_ANNOTATION,
  marshalAppliedOverrides,
  appliedOverridesAnnotations,
  type OverridePolicyShadow,
} from './applied.js';
export {
  applyOverrides,
  applyOverriders,
  sortPoliciesForResource,
  type ApplyOverridesInput,
  type ApplyOverridesResult,
  type AppliedPolicy,
  type OverrideFailure,
  type OverriderName,
  type PolicyKind,
  type RuleFailure,
} from './apply.js';
