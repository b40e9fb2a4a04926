/**
 * Fields of a member object that its cluster owns, kept out of Flotilla's way when it applies.
 *
 * Server-side apply already leaves alone every field Flotilla does not send: labels, annotations
 * and finalizers added by member webhooks and operators, injected sidecars, defaulted fields.
 * Two cases need more:
 *
 *  - Fields the manifest does send but the member allocates or controls (a Service's clusterIP
 *    and nodePorts, a Job's generated selector, spec.replicas of a template labelled
 *    resourcetemplate.karmada.io/retain-replicas): the interpreter's retain rules copy the
 *    member's value into the configuration. Its metadata merge is not used: applying member-added
 *    labels back would make Flotilla co-own them and fight their real owner later.
 *  - spec.replicas written through the scale subresource by another manager (a member HPA, or
 *    someone running `kubectl scale` there): the field is dropped from the configuration, so the
 *    scaler keeps it without a Retain rule or label (Karmada needs one, kar#386). Server-side
 *    apply does not prune a dropped field another manager owns.
 */
import type { ResolvedInterpreter } from '../../interpreter/index.js';
import { FIELD_MANAGER } from './ownership.js';

type Json = Record<string, any>;

interface ManagedFieldsEntry {
  manager?: string;
  subresource?: string;
  fieldsV1?: Json;
}

/** Whether a manager other than Flotilla owns spec.replicas through the scale subresource. */
export function replicasOwnedByScaler(observed: Json): boolean {
  const entries: ManagedFieldsEntry[] = Array.isArray(observed?.metadata?.managedFields) ? observed.metadata.managedFields : [];
  return entries.some((e) => e.manager !== FIELD_MANAGER && e.subresource === 'scale' && e.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined);
}

/** The configuration to apply over `observed`: desired with the member-owned fields handled. */
export function retainForApply(desired: Json, observed: Json, interp: Pick<ResolvedInterpreter, 'retain'>): Json {
  const out = interp.retain(desired, observed) as Json;
  out.metadata = structuredClone(desired.metadata);
  if (out.spec && typeof out.spec === 'object' && 'replicas' in out.spec && replicasOwnedByScaler(observed)) delete out.spec.replicas;
  return out;
}
