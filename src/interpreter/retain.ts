/**
 * Retain: before Flotilla writes `desired` over the member's `observed` object, fields the member
 * cluster owns are copied from observed, so the two sides stop fighting over them (Karmada
 * retain.go, lifted kubefed RetainServiceFields / RetainServiceAccountFields, and the object
 * watcher's label/annotation/finalizer merge).
 *
 * Every kind:
 *   labels, annotations  member-added keys are kept; a key the template sets wins; a key Flotilla
 *                        propagated before (listed in the observed object's managed-labels /
 *                        managed-annotations annotation) and the template dropped is removed
 *   finalizers           observed ones kept (member controllers add them), desired ones added
 *   ownerReferences      observed ones kept (by uid), desired ones added
 * Per kind:
 *   Service         clusterIP(s), ipFamilies, ipFamilyPolicy, healthCheckNodePort and the
 *                   nodePort of each matching port (name, protocol, port) — allocated by the
 *                   member and mostly immutable; a value the template sets explicitly wins, and
 *                   nothing is kept that the desired type cannot carry (e.g. nodePorts on ClusterIP)
 *   ServiceAccount  secrets (token controller)
 *   PVC             spec.volumeName (binder)
 *   PV              spec.claimRef (binder)
 *   Pod             nodeName, serviceAccountName, volumes and volumeMounts (scheduler, admission)
 *   Job             spec.selector.matchLabels and the pod template labels (controller-uid labels
 *                   the Job controller generates; the template is immutable anyway)
 *   Deployment, StatefulSet, ReplicaSet  spec.replicas when labelled
 *                   resourcetemplate.karmada.io/retain-replicas=true (a member HPA owns it)
 */
import { MANAGED_ANNOTATIONS_ANNOTATION, MANAGED_LABELS_ANNOTATION, RETAIN_REPLICAS_LABEL } from './constants.js';
import { clone, getIn, isObject, kindKeyOf, listAt, num, objAt, setIn, str, stringMap } from './object.js';
import type { JsonObject } from './types.js';

function managedKeys(observed: JsonObject, annotation: string): Set<string> {
  const raw = stringMap(observed, 'annotations')[annotation] ?? '';
  return new Set(raw.split(',').map((k) => k.trim()).filter(Boolean));
}

/** RetainLabels / RetainAnnotations. */
function mergeMap(desired: JsonObject, observed: JsonObject, field: 'labels' | 'annotations', managedAnnotation: string): void {
  const want = stringMap(desired, field);
  const removed = managedKeys(observed, managedAnnotation);
  const out: Record<string, string> = { ...want };
  for (const [k, v] of Object.entries(stringMap(observed, field))) {
    if (k in want || removed.has(k)) continue;
    out[k] = v;
  }
  if (Object.keys(out).length) setIn(desired, ['metadata', field], out);
}

function mergeFinalizers(desired: JsonObject, observed: JsonObject): void {
  const out = listAt(observed, 'metadata', 'finalizers').filter((f): f is string => typeof f === 'string');
  for (const f of listAt(desired, 'metadata', 'finalizers')) if (typeof f === 'string' && !out.includes(f)) out.push(f);
  if (out.length) setIn(desired, ['metadata', 'finalizers'], out);
}

function mergeOwnerReferences(desired: JsonObject, observed: JsonObject): void {
  const out = listAt(observed, 'metadata', 'ownerReferences').filter(isObject).map((r) => clone(r));
  for (const r of listAt(desired, 'metadata', 'ownerReferences')) {
    if (isObject(r) && !out.some((o) => o['uid'] === r['uid'])) out.push(clone(r));
  }
  if (out.length) setIn(desired, ['metadata', 'ownerReferences'], out);
}

/** Copies observed.<path> into desired when observed has a value and desired has none. */
function keepIfUnset(desired: JsonObject, observed: JsonObject, path: string[]): void {
  const have = getIn(observed, ...path);
  if (have === undefined || have === null || have === '') return;
  const want = getIn(desired, ...path);
  if (want === undefined || want === null || want === '' || (Array.isArray(want) && !want.length)) setIn(desired, path, clone(have));
}

/** Copies observed.<path> into desired whenever observed has a value. */
function keep(desired: JsonObject, observed: JsonObject, path: string[]): void {
  const have = getIn(observed, ...path);
  if (have !== undefined && have !== null) setIn(desired, path, clone(have));
}

const samePort = (a: JsonObject, b: JsonObject): boolean =>
  (a['name'] ?? '') === (b['name'] ?? '') && (a['protocol'] ?? 'TCP') === (b['protocol'] ?? 'TCP') && a['port'] === b['port'];

function retainService(desired: JsonObject, observed: JsonObject): void {
  const type = str(getIn(desired, 'spec', 'type')) ?? 'ClusterIP';
  if (type === 'ExternalName') return; // carries no cluster IP, ports or families
  // Keep the allocated IPs unless the template asks for a different one (e.g. "None" to go
  // headless): then the member's API server must judge the change, not us.
  const wantIP = str(getIn(desired, 'spec', 'clusterIP'));
  if (!wantIP || wantIP === str(getIn(observed, 'spec', 'clusterIP'))) {
    keepIfUnset(desired, observed, ['spec', 'clusterIP']);
    keepIfUnset(desired, observed, ['spec', 'clusterIPs']);
  }
  keepIfUnset(desired, observed, ['spec', 'ipFamilies']);
  keepIfUnset(desired, observed, ['spec', 'ipFamilyPolicy']);
  if (type !== 'NodePort' && type !== 'LoadBalancer') return;
  if (type === 'LoadBalancer' && getIn(desired, 'spec', 'externalTrafficPolicy') === 'Local') {
    const hc = num(getIn(observed, 'spec', 'healthCheckNodePort'));
    if (hc && !num(getIn(desired, 'spec', 'healthCheckNodePort'))) setIn(desired, ['spec', 'healthCheckNodePort'], hc);
  }
  const observedPorts = listAt(observed, 'spec', 'ports').filter(isObject);
  for (const p of listAt(desired, 'spec', 'ports')) {
    if (!isObject(p) || num(p['nodePort'])) continue;
    const match = observedPorts.find((o) => samePort(p, o));
    const nodePort = num(match?.['nodePort']);
    if (nodePort) p['nodePort'] = nodePort;
  }
}

function retainPod(desired: JsonObject, observed: JsonObject): void {
  keep(desired, observed, ['spec', 'nodeName']);
  keep(desired, observed, ['spec', 'serviceAccountName']);
  keep(desired, observed, ['spec', 'volumes']);
  for (const list of ['containers', 'initContainers']) {
    const observedContainers = listAt(observed, 'spec', list).filter(isObject);
    for (const c of listAt(desired, 'spec', list)) {
      if (!isObject(c)) continue;
      const match = observedContainers.find((o) => o['name'] === c['name']);
      if (match?.['volumeMounts'] !== undefined) c['volumeMounts'] = clone(match['volumeMounts']);
    }
  }
}

function retainJob(desired: JsonObject, observed: JsonObject): void {
  if (objAt(observed, 'spec', 'selector', 'matchLabels')) keep(desired, observed, ['spec', 'selector', 'matchLabels']);
  if (objAt(observed, 'spec', 'template', 'metadata', 'labels')) keep(desired, observed, ['spec', 'template', 'metadata', 'labels']);
}

function retainReplicas(desired: JsonObject, observed: JsonObject): void {
  const labelled = stringMap(desired, 'labels')[RETAIN_REPLICAS_LABEL] === 'true' || stringMap(observed, 'labels')[RETAIN_REPLICAS_LABEL] === 'true';
  if (labelled && num(getIn(observed, 'spec', 'replicas')) !== undefined) keep(desired, observed, ['spec', 'replicas']);
}

/** Native Retain (kind-specific part), by kindKey; each mutates `desired`, a private copy. */
export const NATIVE_RETAIN: Readonly<Record<string, (desired: JsonObject, observed: JsonObject) => void>> = {
  '/Service': retainService,
  '/ServiceAccount': (d, o) => keep(d, o, ['secrets']),
  '/PersistentVolumeClaim': (d, o) => keepIfUnset(d, o, ['spec', 'volumeName']),
  '/PersistentVolume': (d, o) => keep(d, o, ['spec', 'claimRef']),
  '/Pod': retainPod,
  'batch/Job': retainJob,
  'apps/Deployment': retainReplicas,
  'apps/StatefulSet': retainReplicas,
  'apps/ReplicaSet': retainReplicas,
};

/** The metadata merge every kind gets (mutates `desired`, a private copy). */
export function retainMetadata(desired: JsonObject, observed: JsonObject): void {
  mergeMap(desired, observed, 'labels', MANAGED_LABELS_ANNOTATION);
  mergeMap(desired, observed, 'annotations', MANAGED_ANNOTATIONS_ANNOTATION);
  mergeFinalizers(desired, observed);
  mergeOwnerReferences(desired, observed);
}

/** A copy of desired with the member-owned fields of observed kept (built-in knowledge). */
export function retainMemberFields(desired: JsonObject, observed: JsonObject): JsonObject {
  const out = clone(desired);
  retainMetadata(out, observed);
  NATIVE_RETAIN[kindKeyOf(desired)]?.(out, observed);
  return out;
}
