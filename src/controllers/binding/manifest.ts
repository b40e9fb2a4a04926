/**
 * The manifest a Work carries for one cluster, as pure functions, in Karmada's order
 * (binding/common.go prepareWorkTask + ctrlutil.CreateOrUpdateWork):
 *   1. revise replicas to the cluster's share (a Job's completions too, when divided);
 *   2. (the caller applies override policies);
 *   3. stamp the links back: binding and Work permanent ids, binding and Work names, the
 *      template's uid and generation (status aggregation compares it), conflict resolution;
 *   4. prune what the control plane set and the member must not receive.
 */
import type { AnyBinding, Template } from '../detector/index.js';
import {
  BINDING_REF_ANNOTATIONS,
  CONFLICT_RESOLUTION_ANNOTATION,
  MANAGED_BY_LABEL,
  PERMANENT_ID_LABELS,
  TEMPLATE_UID_ANNOTATION,
  WORK_REF_ANNOTATIONS,
} from '../detector/index.js';
import { RESOURCE_TEMPLATE_GENERATION_ANNOTATION, type ResolvedInterpreter } from '../../interpreter/index.js';
import { strategyOf, type Placement } from '../../scheduler/index.js';

type Obj = Record<string, any>;

/** The replicas `cluster` runs, or undefined when the template is not divided into replicas. */
export function replicasFor(binding: AnyBinding, target: { name: string; replicas?: number }): number | undefined {
  const total = binding.spec.replicas ?? 0;
  if (total <= 0) return undefined;
  // Duplicated: every cluster runs the template's count, whatever spec.clusters says.
  if (strategyOf((binding.spec.placement ?? {}) as Placement) === 'Duplicated') return total;
  return target.replicas ?? 0;
}

/** Whether a Job's completions are divided with its parallelism (Karmada: only for Divided scheduling). */
export function dividesCompletions(binding: AnyBinding): boolean {
  return (binding.spec.replicas ?? 0) > 0 && strategyOf((binding.spec.placement ?? {}) as Placement) !== 'Duplicated';
}

/** Step 1: the template revised for one cluster (a copy). */
export function reviseForCluster(template: Template, interp: ResolvedInterpreter, replicas: number | undefined, completions?: number): Obj {
  if (replicas === undefined || !interp.knows('reviseReplica')) return structuredClone(template);
  return interp.reviseReplica(template, replicas, completions === undefined ? undefined : { completions });
}

export interface StampInput {
  binding: AnyBinding;
  template: Template;
  workName: string;
  workNamespace: string;
  /** The Work's permanent id (work.karmada.io/permanent-id), also put on the manifest. */
  workID: string;
}

/** overwrite / abort: the template's own annotation wins, then the binding's conflictResolution. */
export function conflictResolution(template: Template, binding: AnyBinding): 'overwrite' | 'abort' {
  const own = template.metadata.annotations?.[CONFLICT_RESOLUTION_ANNOTATION];
  if (own === 'overwrite' || own === 'abort') return own;
  return binding.spec.conflictResolution === 'Overwrite' ? 'overwrite' : 'abort';
}

/** The binding's identity labels and annotations, as a Work and its manifest both carry them. */
export function bindingLinks(b: AnyBinding): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (b.kind === 'ResourceBinding') {
    const id = b.metadata.labels?.[PERMANENT_ID_LABELS.ResourceBinding] ?? '';
    return {
      labels: { [PERMANENT_ID_LABELS.ResourceBinding]: id },
      annotations: { [BINDING_REF_ANNOTATIONS.rbNamespace]: b.metadata.namespace ?? '', [BINDING_REF_ANNOTATIONS.rbName]: b.metadata.name ?? '' },
    };
  }
  const id = b.metadata.labels?.[PERMANENT_ID_LABELS.ClusterResourceBinding] ?? '';
  return { labels: { [PERMANENT_ID_LABELS.ClusterResourceBinding]: id }, annotations: { [BINDING_REF_ANNOTATIONS.crbName]: b.metadata.name ?? '' } };
}

/** Steps 3 and 4 on the overridden manifest (modified in place and returned). */
export function stampManifest(m: Obj, i: StampInput): Obj {
  const meta = (m['metadata'] ??= {}) as Obj;
  const links = bindingLinks(i.binding);
  meta['labels'] = { ...meta['labels'], ...links.labels, [MANAGED_BY_LABEL]: 'true', [PERMANENT_ID_LABELS.Work]: i.workID };
  const annotations: Record<string, string> = { ...meta['annotations'], ...links.annotations };
  const generation = i.template.metadata.generation;
  if (generation && generation > 0) annotations[RESOURCE_TEMPLATE_GENERATION_ANNOTATION] = String(generation);
  annotations[TEMPLATE_UID_ANNOTATION] = i.template.metadata.uid ?? '';
  annotations[WORK_REF_ANNOTATIONS.name] = i.workName;
  annotations[WORK_REF_ANNOTATIONS.namespace] = i.workNamespace;
  annotations[CONFLICT_RESOLUTION_ANNOTATION] = conflictResolution(i.template, i.binding);
  meta['annotations'] = annotations;
  return pruneIrrelevantFields(m);
}

const SERVER_SET_META = ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'resourceVersion', 'selfLink', 'uid', 'ownerReferences', 'finalizers'];
const DEPLOYMENT_REVISION_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history'];
const JOB_GENERATED_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const JOB_TEMPLATE_LABELS = [...JOB_GENERATED_LABELS, 'job-name', 'batch.kubernetes.io/job-name'];

/**
 * Karmada's prune.RemoveIrrelevantFields (+ RemoveJobTTLSeconds): what the control plane's API
 * server or controllers filled in, which the member must fill in for itself.
 */
export function pruneIrrelevantFields(m: Obj): Obj {
  const meta = (m['metadata'] ?? {}) as Obj;
  for (const k of SERVER_SET_META) delete meta[k];
  delete m['status'];
  const spec = m['spec'] as Obj | undefined;
  switch (m['kind']) {
    case 'Deployment':
      for (const a of DEPLOYMENT_REVISION_ANNOTATIONS) delete meta['annotations']?.[a];
      break;
    case 'Job':
      if (spec) {
        delete spec['ttlSecondsAfterFinished'];
        if (spec['manualSelector'] !== true) {
          for (const l of JOB_GENERATED_LABELS) delete spec['selector']?.['matchLabels']?.[l];
          for (const l of JOB_TEMPLATE_LABELS) delete spec['template']?.['metadata']?.['labels']?.[l];
        }
      }
      break;
    case 'Service':
      // A headless service (clusterIP None) keeps it; any other IP belongs to the member.
      if (spec && spec['clusterIP'] !== undefined && spec['clusterIP'] !== 'None') {
        delete spec['clusterIP'];
        delete spec['clusterIPs'];
      }
      break;
    case 'ServiceAccount': {
      const prefix = `${meta['name']}-token-`;
      if (Array.isArray(m['secrets'])) m['secrets'] = (m['secrets'] as Obj[]).filter((s) => !String(s?.['name'] ?? '').startsWith(prefix));
      break;
    }
    case 'Secret':
      if (m['type'] === 'kubernetes.io/service-account-token') {
        delete meta['annotations']?.['kubernetes.io/service-account.uid'];
        // The member's token controller fills it in.
        delete m['data'];
      }
      break;
    case 'PersistentVolumeClaim':
      if (meta['annotations']?.['volume.kubernetes.io/selected-node']) delete meta['annotations']['volume.kubernetes.io/selected-node'];
      break;
  }
  return m;
}
