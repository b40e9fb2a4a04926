/**
 * The resource template's status on the control plane, aggregated from its clusters by the
 * interpreter (a Deployment's counters summed, observedGeneration and conditions made true for
 * the whole fleet), so `kubectl rollout status` and `kubectl wait` on the control plane tell the
 * truth. Written only when it differs: through the /status subresource when the kind has one
 * (discovery says), else on the object itself. The whole status is replaced (a JSON patch
 * `add /status`), so a field the aggregation drops does not linger as a merge patch would leave it.
 */
import { isNotFound, type KubeClient } from '../../client/client.js';
import type { AggregatedStatusItem } from '../../api/work.js';
import { interpreterFor, statusEqual } from '../../interpreter/index.js';
import type { RestMapper } from '../execution/index.js';

export interface TemplateRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export type TemplateStatusResult = 'written' | 'unchanged' | 'missing';

export const CONTROL_PLANE = '@control-plane';

export async function writeTemplateStatus(client: KubeClient, mapper: RestMapper, ref: TemplateRef, items: readonly AggregatedStatusItem[], now: Date): Promise<TemplateStatusResult> {
  const mapping = await mapper.resolve(client, CONTROL_PLANE, ref.apiVersion, ref.kind);
  const namespace = mapping.namespaced ? ref.namespace : undefined;
  let template: any;
  try {
    template = await client.get(mapping, ref.name, namespace);
  } catch (e) {
    if (isNotFound(e)) return 'missing';
    throw e;
  }
  // A template deleted and created again under the same name is another object.
  if (ref.uid && template.metadata?.uid !== ref.uid) return 'missing';
  const next = interpreterFor(ref.apiVersion, ref.kind).aggregateStatus(template, items, { now });
  if (next === undefined || statusEqual(template, next)) return 'unchanged';
  await client.patch(mapping, ref.name, [{ op: 'add', path: '/status', value: next }], 'json', { namespace, ...(mapping.hasStatus ? { subresource: 'status' } : {}) });
  return 'written';
}
