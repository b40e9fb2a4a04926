/**
 * fieldOverrider: JSON-patch a JSON or YAML document held in one string field (a ConfigMap key,
 * typically), as Karmada's applyFieldOverriders: read fieldPath with go-openapi/jsonpointer,
 * require a string, patch it, write the text back.
 * - JSON comes back compact, as Go's json-patch writes it, with untouched numbers spelled as
 *   they were.
 * - YAML goes YAML → JSON → patch → YAML like sigs.k8s.io/yaml (go-yaml v2): YAML 1.1 scalars
 *   (yes/no/on/off are booleans, 0777 is octal), timestamps stay strings, comments and anchors
 *   are lost, keys come out sorted in go-yaml's "natural" order, sequences are not indented under
 *   their key, and strings go-yaml would misread are double-quoted. We never fold long lines
 *   (go-yaml may), which changes only the layout, not the value.
 */
import { parseAllDocuments, stringify, type Pair, type Tags } from 'yaml';
import { OverriderError, errorMessage } from './errors.js';
import { applyPatchInPlace, cloneJson, pointerGet, pointerSet, type PatchOperation } from './jsonpatch.js';
import { marshalGoJson, parseJsonKeepingNumbers } from './json.js';
import { isPlainObject } from './match.js';
import type { FieldOverrider, FieldPatchOperation, Manifest } from './types.js';

const toOps = (list: readonly FieldPatchOperation[]): PatchOperation[] => list.map((p) => ({ op: p.operator, path: p.subPath, value: p.value }));

const isContainer = (v: unknown) => Array.isArray(v) || isPlainObject(v);

/** json-patch v5 Patch.Apply on raw JSON text. */
function patchJsonText(raw: string, ops: readonly PatchOperation[]): string {
  // Go returns an empty document untouched.
  if (raw.length === 0) return raw;
  let doc: unknown;
  try {
    doc = parseJsonKeepingNumbers(raw);
  } catch {
    throw new OverriderError('invalid JSON Document');
  }
  // Go picks array vs object from the first byte, so "  [1]" is not accepted as an array.
  if (!isContainer(doc) || (Array.isArray(doc) && raw[0] !== '[')) {
    throw new OverriderError(`json: cannot unmarshal ${Array.isArray(doc) ? 'array' : doc === null ? 'null' : typeof doc} into Go value of type map[string]*jsonpatch.lazyNode`);
  }
  return marshalGoJson(applyPatchInPlace(doc, ops));
}

const tagName = (t: Tags[number]) => (t as { tag?: string }).tag ?? '';

/**
 * Reading, go-yaml v2 turns neither timestamps nor sexagesimal numbers into values (they stay
 * strings) and ignores the 1.1 collection tags.
 */
const goYamlReadTags = (tags: Tags): Tags =>
  tags.filter((t) => (t as { format?: string }).format !== 'TIME' && !/:(timestamp|binary|omap|pairs|set)$/.test(tagName(t)));

/**
 * Writing, go-yaml v2 still quotes strings that look like timestamps or sexagesimal numbers,
 * so those tags stay in to make `yaml` quote them too.
 */
const goYamlWriteTags = (tags: Tags): Tags => tags.filter((t) => !/:(binary|omap|pairs|set)$/.test(tagName(t)));

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
const cp = (c: string) => c.codePointAt(0)!;

/** go-yaml v2 keyList.Less for string keys: letters before digits, digit runs compared as numbers. */
function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return cp(x) < cp(y);
    if (xl || yl) return yl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + cp(ar[ai]!) - 48;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + cp(br[bi]!) - 48;
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return cp(x) < cp(y);
  }
  return ar.length < br.length;
}

export function goYamlKeyCompare(a: string, b: string): number {
  return goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0;
}

const pairKey = (p: Pair): string => {
  const k = p.key as { value?: unknown } | null;
  return String(k !== null && typeof k === 'object' && 'value' in k ? k.value : k);
};

/** sigs.k8s.io/yaml YAMLToJSON: the first document only; duplicate keys keep the last value. */
export function yamlToJson(raw: string): unknown {
  const docs = parseAllDocuments(raw, { version: '1.1', customTags: goYamlReadTags, uniqueKeys: false, intAsBigInt: true });
  if (!Array.isArray(docs)) return null; // an empty stream
  const first = docs[0];
  if (!first) return null;
  if (first.errors.length) throw new OverriderError(`error converting YAML to JSON: yaml: ${first.errors[0]!.message.split('\n')[0]}`);
  return first.toJS({ maxAliasCount: 100 });
}

/** sigs.k8s.io/yaml JSONToYAML (go-yaml v2 Marshal). */
export function jsonToYaml(v: unknown): string {
  return stringify(v, {
    version: '1.1',
    customTags: goYamlWriteTags,
    sortMapEntries: (a: Pair, b: Pair) => goYamlKeyCompare(pairKey(a), pairKey(b)),
    indentSeq: false,
    lineWidth: 0,
    minContentWidth: 0,
    singleQuote: false,
    aliasDuplicateObjects: false,
  });
}

function patchYamlText(raw: string, ops: readonly PatchOperation[]): string {
  const doc = yamlToJson(raw);
  if (!isContainer(doc)) {
    throw new OverriderError(`json: cannot unmarshal ${doc === null ? 'null' : typeof doc} into Go value of type map[string]*jsonpatch.lazyNode`);
  }
  return jsonToYaml(applyPatchInPlace(doc, ops));
}

/**
 * fieldOverrider. Exactly one of `json` / `yaml` must hold operations: Karmada's webhook rejects
 * both, and with neither Karmada would blank the field, which we refuse (reported as an error).
 */
export function applyFieldOverrider(manifest: Manifest, o: FieldOverrider): Manifest {
  const json = o.json ?? [];
  const yaml = o.yaml ?? [];
  if (json.length && yaml.length) throw new OverriderError('FieldOverrider has both YAML and JSON set. Only one is allowed');
  if (!json.length && !yaml.length) throw new OverriderError('FieldOverrider has neither YAML nor JSON operations');
  const out = cloneJson(manifest);
  try {
    const current = pointerGet(out, o.fieldPath);
    if (typeof current !== 'string') throw new OverriderError(`Get object's value by overrider's path(${o.fieldPath}) is not string`);
    const next = yaml.length ? patchYamlText(current, toOps(yaml)) : patchJsonText(current, toOps(json));
    pointerSet(out, o.fieldPath, next);
  } catch (e) {
    throw e instanceof OverriderError ? e : new OverriderError(errorMessage(e));
  }
  return out;
}
