/**
 * Status controllers: `workStatus` (Work.status.manifestStatuses from watched member objects)
 * and `bindingStatus` (binding aggregatedStatus and FullyApplied, then the template's status).
 */
export { startWorkStatus } from './work-status-controller.js';
export { startBindingStatus } from './binding-status-controller.js';
export { manifestStatus, manifestStatuses, type Observed } from './manifest-status.js';
export { aggregateItems, fullyAppliedCondition, targetClusters, workHolds, FULLY_APPLIED } from './binding-aggregate.js';
export { workBindingRefs, BindingIndex, rbKey, crbKey, RB_ID_LABEL, CRB_ID_LABEL, RB_NAMESPACE_KEY, RB_NAME_KEY, CRB_NAME_KEY } from './binding-index.js';
export { writeTemplateStatus, type TemplateRef } from './template-status.js';
