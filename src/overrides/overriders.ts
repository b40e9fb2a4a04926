/**
 * Karmada's overriders (pkg/util/overridemanager), one function each. Every function takes a
 * manifest, leaves it untouched and returns a patched copy, or throws OverriderError with the
 * message Karmada would log. Each call is atomic: like Karmada, which turns one overrider into one
 * JSON patch, a failure leaves nothing half-applied.
 */
import { OverriderError, errorMessage } from './errors.js';
import { formatImage, parseImage, removeTagOrDigest, setTagOrDigest, tagOrDigest, type ImageComponents } from './image.js';
import { applyPatchInPlace, cloneJson, setOwn, type PatchOperation } from './jsonpatch.js';
import { goTypeName, goValueString } from './json.js';
import { isPlainObject, stringMapAt } from './match.js';
import type { CommandArgsOverrider, ImageOverrider, LabelAnnotationOverrider, Manifest, PlaintextOverrider } from './types.js';

export { applyFieldOverrider } from './field.js';

/**
 * Where each kind keeps its pod spec. Karmada's defaults stop at these six: CronJob (and any CRD)
 * needs an explicit imageOverrider predicate, and command/args overriders never touch it.
 */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
};

const podSpecPath = (m: Manifest) => {
  const kind = m['kind'];
  return typeof kind === 'string' && Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
};

/** Patch a private copy; a failure discards it. */
function patched(manifest: Manifest, ops: readonly PatchOperation[]): Manifest {
  let out: unknown;
  try {
    out = applyPatchInPlace(cloneJson(manifest), ops);
  } catch (e) {
    throw new OverriderError(errorMessage(e));
  }
  if (!isPlainObject(out)) throw new OverriderError('patched document is not a JSON object');
  return out;
}

// ---------------------------------------------------------------- image

function overrideImage(current: string, o: ImageOverrider): string {
  let c: ImageComponents;
  try {
    c = parseImage(current);
  } catch (e) {
    throw new OverriderError(`failed to parse image value(${current}), error: ${errorMessage(e)}`);
  }
  const value = o.value ?? '';
  const op = o.operator;
  switch (o.component) {
    case 'Registry':
      if (op === 'add') c = { ...c, hostname: c.hostname + value };
      else if (op === 'replace') c = { ...c, hostname: value };
      else if (op === 'remove') c = { ...c, hostname: '' };
      break;
    case 'Repository':
      if (op === 'add') c = { ...c, repository: c.repository + value };
      else if (op === 'replace') c = { ...c, repository: value };
      else if (op === 'remove') c = { ...c, repository: '' };
      break;
    case 'Tag':
      if (op === 'add') c = setTagOrDigest(c, tagOrDigest(c) + value);
      else if (op === 'replace') c = setTagOrDigest(c, value);
      else if (op === 'remove') c = removeTagOrDigest(c);
      break;
    default:
      throw new OverriderError(`unsupported image component(${o.component})`);
  }
  // An unknown operator still rewrites the image in canonical form, as Karmada does.
  return formatImage(c);
}

function imageOp(path: string, current: string, o: ImageOverrider): PatchOperation {
  if (!path.startsWith('/')) throw new OverriderError('imagePath should be start with / character');
  return { op: 'replace', path, value: overrideImage(current, o) };
}

/**
 * The image at a predicate path, walked like Karmada's obtainImageValue: "/"-split after trimming
 * slashes (no "~1" unescaping), a list consumes the next segment as its index.
 */
function imageAt(manifest: Manifest, path: string): string {
  const segs = path.replace(/^\/+|\/+$/g, '').split('/');
  let cur: Record<string, unknown> = manifest;
  for (let i = 0; i < segs.length - 1; i++) {
    const v = Object.hasOwn(cur, segs[i]!) ? cur[segs[i]!] : undefined;
    if (isPlainObject(v)) {
      cur = v;
    } else if (Array.isArray(v)) {
      const seg = segs[++i]!;
      // strconv.ParseInt(seg, 10, 32)
      const idx = /^[+-]?[0-9]+$/.test(seg) ? Number(seg) : NaN;
      if (!Number.isInteger(idx) || idx > 2 ** 31 - 1 || idx < -(2 ** 31)) throw new Error(`path(${seg}) of rawObj's is not number`);
      // Go panics on the next two; report them instead.
      if (idx < 0 || idx >= v.length) throw new Error(`path(${seg}) of rawObj's is out of range`);
      const el = v[idx];
      if (!isPlainObject(el)) throw new Error(`path(${seg}) of rawObj's element is not map[string]interface{}`);
      cur = el;
    } else {
      throw new Error(`path(${segs[i]}) of rawObj's type is not map[string]interface{} and []interface{}`);
    }
  }
  const last = segs[segs.length - 1]!;
  const image = Object.hasOwn(cur, last) ? cur[last] : undefined;
  if (typeof image !== 'string') throw new Error(`failed to convert path(${last}) to string`);
  return image;
}

/** The containers' images, read as Karmada's typed conversion would (mistyped fields fail). */
function containerImages(manifest: Manifest, kind: string, specPath: readonly string[]): string[] {
  const fail = (what: string, v: unknown) =>
    new OverriderError(`failed to convert ${kind} from unstructured object: .${what}: cannot use ${goTypeName(v)} here`);
  let cur: unknown = manifest;
  for (const [i, f] of specPath.entries()) {
    cur = (cur as Record<string, unknown>)[f];
    if (cur == null) return [];
    if (!isPlainObject(cur)) throw fail(specPath.slice(0, i + 1).join('.'), cur);
  }
  const containers = (cur as Record<string, unknown>)['containers'];
  if (containers == null) return [];
  const where = [...specPath, 'containers'].join('.');
  if (!Array.isArray(containers)) throw fail(where, containers);
  return containers.map((c, i) => {
    if (c != null && !isPlainObject(c)) throw fail(`${where}[${i}]`, c);
    const image = c?.['image'];
    if (image != null && typeof image !== 'string') throw fail(`${where}[${i}].image`, image);
    return image ?? '';
  });
}

/**
 * imageOverrider: with a predicate, the image at predicate.path; without one, every entry of
 * `containers` (not initContainers) of a Pod, ReplicaSet, Deployment, DaemonSet, StatefulSet or
 * Job; other kinds are left alone. The image is rewritten even when nothing changed, in canonical
 * form (a digest next to a tag is dropped).
 */
export function applyImageOverrider(manifest: Manifest, o: ImageOverrider): Manifest {
  if (o.predicate != null) {
    let current: string;
    try {
      current = imageAt(manifest, o.predicate.path);
    } catch (e) {
      throw new OverriderError(`failed to obtain imageValue with predicate path(${o.predicate.path}), error: ${errorMessage(e)}`);
    }
    return patched(manifest, [imageOp(o.predicate.path, current, o)]);
  }
  const specPath = podSpecPath(manifest);
  if (!specPath) return cloneJson(manifest);
  const images = containerImages(manifest, manifest['kind'] as string, specPath);
  const prefix = '/' + specPath.join('/');
  return patched(
    manifest,
    images.map((img, i) => imageOp(`${prefix}/containers/${i}/image`, img, o)),
  );
}

// ---------------------------------------------------------------- command / args

/** unstructured.NestedSlice; undefined when absent (or under a null), throws when mistyped. */
function nestedSlice(obj: Manifest, fields: readonly string[]): unknown[] | undefined {
  let val: unknown = obj;
  for (const [i, f] of fields.entries()) {
    if (val == null) return undefined;
    if (!isPlainObject(val)) {
      throw new Error(`.${fields.slice(0, i + 1).join('.')} accessor error: ${goValueString(val)} is of the type ${goTypeName(val)}, expected map[string]interface{}`);
    }
    if (!Object.hasOwn(val, f)) return undefined;
    val = val[f];
  }
  if (!Array.isArray(val)) {
    throw new Error(`.${fields.join('.')} accessor error: ${goValueString(val)} is of the type ${goTypeName(val)}, expected []interface{}`);
  }
  return val;
}

function commandArgsPatches(manifest: Manifest, target: 'command' | 'args', o: CommandArgsOverrider): PatchOperation[] {
  const specPath = podSpecPath(manifest);
  if (!specPath) return [];
  const fields = [...specPath, 'containers'];
  let containers: unknown[] | undefined;
  try {
    containers = nestedSlice(manifest, fields);
  } catch (e) {
    throw new OverriderError(`failed to retrieves path(${fields.join('/')}) from rawObj, error: ${errorMessage(e)}`);
  }
  const ops: PatchOperation[] = [];
  (containers ?? []).forEach((c, i) => {
    if (!isPlainObject(c)) throw new OverriderError(`${fields.join('/')}/${i} is not map[string]interface{}`);
    if (c['name'] !== o.containerName) return;
    const path = `/${fields.join('/')}/${i}/${target}`;
    const current = c[target];
    if (current == null) {
      // No list yet: "add" creates one with the values; "remove" (or any other operator) an empty one.
      ops.push({ op: 'add', path, value: o.operator === 'add' ? [...(o.value ?? [])] : [] });
      return;
    }
    if (!Array.isArray(current)) throw new OverriderError(`${path} is not []interface{}`);
    const items = current.map(goValueString);
    const values = o.value ?? [];
    const next = o.operator === 'add' ? [...items, ...values] : o.operator === 'remove' ? items.filter((x) => !values.includes(x)) : items;
    ops.push({ op: 'replace', path, value: next });
  });
  return ops;
}

/**
 * commandOverrider: for each container named containerName (of the six kinds above), "add"
 * appends the values, "remove" drops every occurrence of each value.
 */
export function applyCommandOverrider(manifest: Manifest, o: CommandArgsOverrider): Manifest {
  return patched(manifest, commandArgsPatches(manifest, 'command', o));
}

/** argsOverrider: as commandOverrider, on `args`. */
export function applyArgsOverrider(manifest: Manifest, o: CommandArgsOverrider): Manifest {
  return patched(manifest, commandArgsPatches(manifest, 'args', o));
}

// ---------------------------------------------------------------- labels / annotations

/** unstructured.SetNestedField for an empty map: false when a parent is not an object. */
function ensureMap(obj: Record<string, unknown>, fields: readonly string[]): boolean {
  let m = obj;
  for (const f of fields.slice(0, -1)) {
    if (!Object.hasOwn(m, f)) setOwn(m, f, {});
    const next = m[f];
    if (!isPlainObject(next)) return false;
    m = next;
  }
  setOwn(m, fields[fields.length - 1]!, {});
  return true;
}

function labelAnnotationOverrider(manifest: Manifest, field: 'labels' | 'annotations', o: LabelAnnotationOverrider): Manifest {
  const out = cloneJson(manifest);
  const ops: PatchOperation[] = [];
  const value = o.value ?? {};
  for (const key of Object.keys(value).sort()) {
    const current = stringMapAt(out, 'metadata', field);
    if (o.operator === 'remove' || o.operator === 'replace') {
      if (!current || !Object.hasOwn(current, key)) continue;
    } else if (o.operator === 'add' && !current) {
      // A missing (or not all-string) map is reset to {} first, as Karmada does.
      if (!ensureMap(out, ['metadata', field])) continue;
    }
    // Karmada escapes "/" only; keys with "~" are invalid label/annotation keys anyway.
    ops.push({ op: o.operator, path: `/metadata/${field}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, value: value[key] });
  }
  return ops.length ? patched(out, ops) : out;
}

/**
 * labelsOverrider: "add" sets every key (creating metadata.labels if needed), "replace" and
 * "remove" touch only keys already present.
 */
export function applyLabelsOverrider(manifest: Manifest, o: LabelAnnotationOverrider): Manifest {
  return labelAnnotationOverrider(manifest, 'labels', o);
}

/** annotationsOverrider: as labelsOverrider, on metadata.annotations. */
export function applyAnnotationsOverrider(manifest: Manifest, o: LabelAnnotationOverrider): Manifest {
  return labelAnnotationOverrider(manifest, 'annotations', o);
}

// ---------------------------------------------------------------- plaintext

/**
 * plaintext: all of a rule's plaintext overriders form ONE JSON patch, applied all-or-nothing
 * (RFC 6902 with json-patch v5 semantics; see jsonpatch.ts). A missing value means null.
 */
export function applyPlaintextOverriders(manifest: Manifest, list: readonly PlaintextOverrider[]): Manifest {
  return patched(
    manifest,
    list.map((p) => ({ op: p.operator, path: p.path, value: p.value })),
  );
}

