/**
 * Per-kind behaviour on create and update, as Kubernetes' REST strategies do it: what the
 * server resets or defaults, which parts a subresource may change, and the validation that
 * keeps obviously broken objects out. Kept deliberately to what clients observe.
 */
import type { StatusCause } from '../errors.js';
import type { ResourceType } from '../resources/types.js';
import { fromLabelSelector } from '../../selectors/labels.js';

/** 'binding' is internal: the pods/binding endpoint sets spec.nodeName and the PodScheduled condition together. */
export type Subresource = '' | 'status' | 'scale' | 'binding';

const isPlainObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Called on create after identity fields are set. */
export function prepareForCreate(rt: ResourceType, obj: any): void {
  if (rt.subresources.status && !keepsStatusOnCreate(rt)) delete obj.status;
  if (rt.hasGeneration || rt.custom) obj.metadata.generation = 1;
  switch (rt.strategy) {
    case 'namespace':
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status = { phase: 'Active' };
      break;
    case 'pod':
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
      obj.spec ??= {};
      obj.spec.restartPolicy ??= 'Always';
      obj.spec.dnsPolicy ??= 'ClusterFirst';
      obj.spec.schedulerName ??= 'default-scheduler';
      obj.spec.terminationGracePeriodSeconds ??= 30;
      obj.spec.serviceAccountName ??= obj.spec.serviceAccount ?? 'default';
      defaultContainers(obj.spec);
      break;
    case 'secret':
      obj.type ??= 'Opaque';
      break;
    case 'service':
      obj.spec ??= {};
      obj.spec.type ??= 'ClusterIP';
      obj.spec.sessionAffinity ??= 'None';
      for (const p of obj.spec.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    case 'workload':
      defaultWorkload(rt, obj);
      break;
  }
}

/** Nodes and a few others accept status on create (kubelets register with status). */
function keepsStatusOnCreate(rt: ResourceType): boolean {
  return rt.strategy === 'node' || (rt.group === '' && (rt.resource === 'persistentvolumes' || rt.resource === 'persistentvolumeclaims'));
}

function defaultWorkload(rt: ResourceType, obj: any): void {
  const spec = (obj.spec ??= {});
  switch (rt.resource) {
    case 'deployments':
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= {};
      spec.strategy.type ??= 'RollingUpdate';
      if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...(spec.strategy.rollingUpdate ?? {}) };
      break;
    case 'replicasets':
      spec.replicas ??= 1;
      break;
    case 'statefulsets':
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= {};
      spec.updateStrategy.type ??= 'RollingUpdate';
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate = { partition: 0, ...(spec.updateStrategy.rollingUpdate ?? {}) };
      spec.revisionHistoryLimit ??= 10;
      break;
    case 'daemonsets':
      spec.updateStrategy ??= {};
      spec.updateStrategy.type ??= 'RollingUpdate';
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 0, ...(spec.updateStrategy.rollingUpdate ?? {}) };
      spec.revisionHistoryLimit ??= 10;
      break;
    case 'jobs':
      // Kubernetes defaults completions only when neither is set (a work-queue Job sets parallelism alone).
      if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
      spec.parallelism ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      spec.podReplacementPolicy ??= 'TerminatingOrFailed';
      generateJobSelector(obj);
      break;
    case 'cronjobs':
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      break;
  }
  const tpl = rt.resource === 'cronjobs' ? spec.jobTemplate?.spec?.template : spec.template;
  if (isPlainObject(tpl?.spec)) {
    tpl.spec.restartPolicy ??= rt.resource === 'jobs' || rt.resource === 'cronjobs' ? 'Never' : 'Always';
    tpl.spec.dnsPolicy ??= 'ClusterFirst';
    tpl.spec.schedulerName ??= 'default-scheduler';
    tpl.spec.terminationGracePeriodSeconds ??= 30;
    defaultContainers(tpl.spec);
  }
}

/** A pod template's embedded pod spec, for the kinds that have one. */
function podTemplateSpec(rt: ResourceType, obj: any): any {
  if (rt.strategy !== 'workload') return undefined;
  const tpl = rt.resource === 'cronjobs' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
  return isPlainObject(tpl?.spec) ? tpl.spec : undefined;
}

/** Container defaults of Kubernetes' pod defaulting, on every write as upstream decodes them. */
function defaultContainers(podSpec: any): void {
  for (const list of [podSpec.containers, podSpec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isPlainObject(c)) continue;
      c.imagePullPolicy ??= typeof c.image === 'string' && (c.image.endsWith(':latest') || !c.image.includes(':')) ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) p.protocol ??= 'TCP';
    }
  }
}

/** Unless manualSelector is set, a Job selects its pods by its own uid (as kube's job strategy does). */
function generateJobSelector(job: any): void {
  const spec = job.spec;
  if (spec.manualSelector === true) return;
  const uid = job.metadata.uid;
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.metadata.name, 'controller-uid': uid, 'job-name': job.metadata.name };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels = { ...(spec.template.metadata.labels ?? {}), ...labels };
}

function qosClass(pod: any): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

/**
 * Merge an update into the stored object according to what the endpoint may change:
 * the main resource keeps the stored status, /status keeps everything but status.
 */
export function prepareForUpdate(rt: ResourceType, next: any, old: any, sub: Subresource): any {
  if (sub === 'binding') return next;
  if (sub === 'status') {
    const merged = structuredClone(old);
    merged.status = next.status;
    // A status update may not touch spec, but metadata changes other than labels/annotations are dropped too.
    return merged;
  }
  if (rt.subresources.status && rt.strategy !== 'namespace') {
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  if (rt.strategy === 'namespace') next.status = old.status;
  // Containers added or replaced by an update get the same defaults as on create.
  const podSpec = rt.strategy === 'pod' ? next.spec : podTemplateSpec(rt, next);
  if (isPlainObject(podSpec)) defaultContainers(podSpec);
  if (rt.strategy === 'service') {
    next.spec ??= {};
    if (old.spec?.clusterIP && !next.spec.clusterIP) next.spec.clusterIP = old.spec.clusterIP;
    if (old.spec?.clusterIPs && !next.spec.clusterIPs) next.spec.clusterIPs = old.spec.clusterIPs;
  }
  return next;
}

/** Whether the spec-like content changed: everything except metadata and status. */
export function specChanged(a: any, b: any): boolean {
  const strip = (o: any) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return JSON.stringify(rest);
  };
  return strip(a) !== strip(b);
}

/** Per-kind validation beyond metadata. Returns field causes (empty when valid). */
export function validateKind(rt: ResourceType, obj: any, old?: any): StatusCause[] {
  const causes: StatusCause[] = [];
  const invalid = (field: string, message: string) => causes.push({ reason: 'FieldValueInvalid', field, message });
  const required = (field: string) => causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });

  const checkPodSpec = (spec: any, path: string) => {
    if (!isPlainObject(spec)) return required(path);
    const containers = spec.containers;
    if (!Array.isArray(containers) || containers.length === 0) return required(`${path}.containers`);
    const names = new Set<string>();
    containers.forEach((c: any, i: number) => {
      const p = `${path}.containers[${i}]`;
      if (!c?.name) required(`${p}.name`);
      else if (names.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${p}.name`, message: `Duplicate value: "${c.name}"` });
      else names.add(c.name);
      if (!c?.image) required(`${p}.image`);
    });
  };
  const checkReplicas = (v: unknown, field: string) => {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) invalid(field, `Invalid value: ${JSON.stringify(v)}: must be an integer`);
    else if (v < 0) invalid(field, `Invalid value: ${v}: must be greater than or equal to 0`);
  };
  const checkSelector = (spec: any, path: string, required_ = true) => {
    const sel = spec?.selector;
    if (!sel) {
      if (required_) required(`${path}.selector`);
      return;
    }
    let selector;
    try {
      selector = fromLabelSelector(sel);
    } catch (e) {
      return invalid(`${path}.selector`, (e as Error).message);
    }
    if (selector.empty) return invalid(`${path}.selector`, 'Invalid value: empty selector is invalid for deployment');
    const labels = spec?.template?.metadata?.labels ?? {};
    if (!selector.matches(labels)) invalid(`${path}.template.metadata.labels`, `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``);
    if (old && old.spec?.selector && JSON.stringify(old.spec.selector) !== JSON.stringify(sel))
      invalid(`${path}.selector`, `Invalid value: ${JSON.stringify(sel)}: field is immutable`);
  };

  switch (rt.strategy) {
    case 'pod':
      checkPodSpec(obj.spec, 'spec');
      break;
    case 'workload':
      if (rt.resource === 'deployments' && obj.spec?.strategy?.type === 'RollingUpdate') {
        const ru = obj.spec.strategy.rollingUpdate ?? {};
        const bad = (v: unknown) => v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0) && !(typeof v === 'string' && /^\d+%$/.test(v));
        for (const f of ['maxSurge', 'maxUnavailable'] as const)
          if (bad(ru[f])) invalid(`spec.strategy.rollingUpdate.${f}`, `Invalid value: ${JSON.stringify(ru[f])}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`);
        const zero = (v: unknown) => v === 0 || v === '0%';
        if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) invalid('spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: 0: may not be 0 when `maxSurge` is 0');
      }
      if (rt.resource === 'cronjobs') {
        if (!obj.spec?.schedule) required('spec.schedule');
        checkPodSpec(obj.spec?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec');
        break;
      }
      checkReplicas(obj.spec?.replicas, 'spec.replicas');
      checkSelector(obj.spec, 'spec', rt.resource !== 'jobs');
      checkPodSpec(obj.spec?.template?.spec, 'spec.template.spec');
      break;
    case 'service':
      for (const [i, p] of (obj.spec?.ports ?? []).entries()) {
        if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535)
          invalid(`spec.ports[${i}].port`, `Invalid value: ${JSON.stringify(p?.port)}: must be between 1 and 65535, inclusive`);
      }
      if (old?.spec?.clusterIP && obj.spec?.clusterIP !== old.spec.clusterIP && old.spec.clusterIP !== 'None')
        invalid('spec.clusterIP', `Invalid value: ${JSON.stringify(obj.spec?.clusterIP)}: field is immutable`);
      break;
    case 'secret':
      if (obj.data && !isPlainObject(obj.data)) invalid('data', 'must be a map of base64 strings');
      for (const [k, v] of Object.entries(obj.data ?? {})) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) invalid(`data[${k}]`, 'Invalid value: must be base64-encoded');
      }
      if (old && old.type !== obj.type) invalid('type', `Invalid value: ${JSON.stringify(obj.type)}: field is immutable`);
      break;
  }
  if (rt.kind === 'ConfigMap' || rt.kind === 'Secret') {
    for (const k of Object.keys({ ...(obj.data ?? {}), ...(obj.binaryData ?? {}), ...(obj.stringData ?? {}) })) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253)
        invalid(`data[${k}]`, `Invalid value: ${JSON.stringify(k)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
    }
  }
  return causes;
}

/** Transformations applied to what is stored (Secret stringData folds into data). */
export function normalize(rt: ResourceType, obj: any): void {
  // What Go's typed round trip does: empty omitempty collections and null timestamps vanish.
  const md = obj.metadata;
  if (md) for (const k of ['finalizers', 'ownerReferences', 'labels', 'annotations', 'managedFields']) {
    const v = md[k];
    if (v !== undefined && v !== null && typeof v === 'object' && Object.keys(v).length === 0) delete md[k];
    if (v === null) delete md[k];
  }
  for (const tpl of [obj.spec?.template, obj.spec?.jobTemplate, obj.spec?.jobTemplate?.spec?.template]) {
    if (tpl?.metadata && tpl.metadata.creationTimestamp === null) delete tpl.metadata.creationTimestamp;
  }
  if (rt.kind === 'Secret' && rt.group === '' && obj.stringData) {
    obj.data ??= {};
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
    delete obj.stringData;
  }
}
