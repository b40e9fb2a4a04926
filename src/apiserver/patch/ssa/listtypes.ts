/**
 * ListTypeInfo for what Flotilla serves:
 *
 *   - built-in kinds: derived from the strategic-merge-patch table (../smp-schema.ts), where a
 *     merge list with a key is a map list, one without is a set and the rest are atomic; then
 *     the places where server-side apply's markers (+listType, +listMapKey, +structType,
 *     +mapType in k8s.io/api) say something else: ports keyed by port *and* protocol, atomic
 *     label selectors and key references, and so on;
 *   - custom resources: the CRD's structural schema (jsonSchemaShape), registered per served
 *     ResourceType by the CRD code with setCustomResourceSchema; ObjectMeta keeps its
 *     built-in semantics, as the real API server splices it into CRD schemas.
 */
import type { ResourceType } from '../../resources/types.js';
import { DEFAULT_SMP_SCHEMA, builtinSmpSchema, type SmpType } from '../smp-schema.js';
import { ATOMIC_LIST, ATOMIC_OBJECT, DEDUCED, SET_LIST, UNKNOWN, jsonSchemaShape, mapList, type ListTypeInfo, type Shape } from './shape.js';

type MutableShape = { -readonly [K in keyof Shape]: K extends 'fields' ? Record<string, Shape> : Shape[K] };

const converted = new WeakMap<object, MutableShape>();

/** Strategic-merge-patch metadata as an SSA Shape (memoised: shared schema nodes stay shared). */
function fromSmp(t: SmpType): Shape {
  switch (t.kind) {
    case 'any':
      return UNKNOWN;
    case 'opaque':
      return DEDUCED;
  }
  const hit = converted.get(t);
  if (hit) return hit;
  const out: MutableShape = {};
  converted.set(t, out);
  switch (t.kind) {
    case 'map':
      out.values = fromSmp(t.values);
      break;
    case 'struct':
      out.fields = {};
      for (const [k, v] of Object.entries(t.fields)) out.fields[k] = fromSmp(v);
      break;
    case 'list':
      out.list = t.strategy === 'atomic' ? ATOMIC_LIST : t.mergeKey ? mapList([t.mergeKey]) : SET_LIST;
      out.items = fromSmp(t.items);
      break;
  }
  return out;
}

/** The mutable node at `path` (field names; '[]' for list items), created where unknown. */
function at(root: Shape, path: string[]): MutableShape {
  let node = root as MutableShape;
  for (const step of path) {
    if (step === '[]') {
      if (!node.items || node.items === UNKNOWN) node.items = {};
      node = node.items as MutableShape;
    } else {
      node.fields ??= {};
      let next = node.fields[step];
      if (!next || next === UNKNOWN) node.fields[step] = next = {};
      node = next as MutableShape;
    }
  }
  return node;
}

function setField(root: Shape, path: string[], field: string, shape: Shape): void {
  const node = at(root, path);
  (node.fields ??= {})[field] = shape;
}
const byProtocol = (port: string) => mapList([port, 'protocol'], { protocol: 'TCP' });
const keyRefs = { configMapKeyRef: ATOMIC_OBJECT, secretKeyRef: ATOMIC_OBJECT, fieldRef: ATOMIC_OBJECT, resourceFieldRef: ATOMIC_OBJECT };

/** Where SSA markers differ from the patch strategy (sources: k8s.io/api core, apps, meta v1). */
function ssaOverrides(): void {
  const pod = shapeOf('', 'Pod');
  const podSpec = ['spec'];
  const container = [...podSpec, 'containers', '[]']; // shared by initContainers and ephemeralContainers
  at(pod, [...container, 'ports']).list = byProtocol('containerPort');
  at(pod, [...container, 'env', '[]', 'valueFrom']).fields = { ...keyRefs };
  for (const f of ['configMapRef', 'secretRef']) setField(pod, [...container, 'envFrom', '[]'], f, ATOMIC_OBJECT);
  at(pod, [...container, 'resources', 'claims']).list = mapList(['name']);
  at(pod, [...podSpec, 'topologySpreadConstraints']).list = mapList(['topologyKey', 'whenUnsatisfiable']);
  setField(pod, [...podSpec, 'affinity', 'nodeAffinity'], 'requiredDuringSchedulingIgnoredDuringExecution', ATOMIC_OBJECT);
  // LabelSelector is +structType=atomic; the node is shared by every workload's spec.selector.
  at(shapeOf('apps', 'Deployment'), ['spec', 'selector']).atomic = true;
  setField(shapeOf('networking.k8s.io', 'NetworkPolicy'), ['spec'], 'podSelector', ATOMIC_OBJECT);
  const svc = shapeOf('', 'Service');
  at(svc, ['spec', 'ports']).list = byProtocol('port');
  at(svc, ['spec', 'selector']).atomic = true; // +mapType=atomic
  // OwnerReference is +structType=atomic (items of a map list keyed by uid).
  at(pod, ['metadata', 'ownerReferences']).items = ATOMIC_OBJECT;
  const crd = at(shapeOf('apiextensions.k8s.io', 'CustomResourceDefinition'), ['spec', 'versions']);
  crd.list = mapList(['name']);
  crd.items = DEDUCED;
}

const rootShapes = new Map<string, Shape>();

function shapeOf(group: string, kind: string): Shape {
  const key = `${group}/${kind}`;
  let s = rootShapes.get(key);
  if (!s) rootShapes.set(key, (s = fromSmp(builtinSmpSchema(group, kind) ?? DEFAULT_SMP_SCHEMA)));
  return s;
}

let overridden = false;

/** The Shape of a built-in kind (unknown kinds get ObjectMeta semantics and nothing else). */
export function builtinShape(group: string, kind: string): Shape {
  if (!overridden) {
    overridden = true;
    ssaOverrides();
  }
  return shapeOf(group === 'core' ? '' : group, kind);
}

/** meta/v1 ObjectMeta, for splicing into custom resource shapes. */
export function objectMetaShape(): Shape {
  return builtinShape('', 'ConfigMap').fields!.metadata!;
}

/** The Shape of custom resources with this schema (openAPIV3Schema; undefined: untyped). */
export function customResourceShape(schema: unknown): Shape {
  const root = schema ? jsonSchemaShape(schema) : { values: DEDUCED };
  return { ...root, fields: { ...(root.fields ?? {}), apiVersion: UNKNOWN, kind: UNKNOWN, metadata: objectMetaShape() } };
}

const customShapes = new WeakMap<ResourceType, Shape>();

/**
 * Register the schema a served custom resource version validates with (the CRD code calls
 * this whenever it (re)builds a ResourceType). Keyed by the ResourceType object, so servers
 * sharing a process do not see each other's CRDs.
 */
export function setCustomResourceSchema(rt: ResourceType, openAPIV3Schema: unknown): void {
  customShapes.set(rt, customResourceShape(openAPIV3Schema));
}

const UNTYPED_CUSTOM = customResourceShape(undefined);

/** Built-in kinds from the tables above; custom resources from their registered schema. */
export const defaultListTypes: ListTypeInfo = {
  shapeFor(rt: ResourceType): Shape {
    if (rt.custom) return customShapes.get(rt) ?? UNTYPED_CUSTOM;
    return builtinShape(rt.group, rt.kind);
  },
};

/** A ListTypeInfo answering from `lookup` first, then from `fallback`. */
export function composeListTypes(lookup: (rt: ResourceType) => Shape | undefined, fallback: ListTypeInfo = defaultListTypes): ListTypeInfo {
  return { shapeFor: (rt) => lookup(rt) ?? fallback.shapeFor(rt) };
}
