/** Server-side apply and managedFields: the public surface (see the modules for details). */
export { managedFieldsAdmission, recordManagedFields, fieldManagerName, managerFromUserAgent, ssaContext } from './admission.js';
export { serverSideApply, isApplyResult, LAST_APPLIED_ANNOTATION, type ApplyOptions, type SsaContext } from './apply.js';
export { compareObjects, jsonEqual, type Comparison } from './compare.js';
export { canonicalJSON, printPath, printElement, itemElement, fieldElement, type Path, type PathElement } from './element.js';
export { FieldSet, fieldSetOf, ensureNamedMembers, SsaInputError } from './fieldset.js';
export { builtinShape, customResourceShape, setCustomResourceSchema, defaultListTypes, composeListTypes, objectMetaShape } from './listtypes.js';
export {
  decodeManagedFields,
  encodeManagedFields,
  recordUpdate,
  conflictError,
  isResetRequest,
  identity,
  type ManagedFieldsEntry,
  type Manager,
  type Managers,
  type Operation,
  type Conflict,
} from './managed.js';
export { mergeApplied, prune, removeItems } from './merge.js';
export { jsonSchemaShape, ATOMIC_LIST, SET_LIST, mapList, UNKNOWN, DEDUCED, ATOMIC_OBJECT, type Shape, type ListType, type ListTypeInfo } from './shape.js';
