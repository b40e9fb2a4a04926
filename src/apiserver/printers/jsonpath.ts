/**
 * The JSONPath subset kube evaluates for CRD additionalPrinterColumns (k8s.io/client-go/util/jsonpath
 * with missing keys allowed): fields (`.a.b`, `['a.b']`, `.a\.b`), indexes and slices (`[0]`,
 * `[-1]`, `[1:3]`, `[::2]`, `[0,2]`), wildcards (`[*]`, `.*`), recursive descent (`..name`) and
 * filters (`[?(@.type=="Ready")]`, `[?(@.x)]`, with == != < > <= >=).
 */

type Literal = string | number | boolean;

type Operand = { kind: 'path'; root: boolean; steps: Step[] } | { kind: 'literal'; value: Literal };

export type Step =
  | { kind: 'field'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'slice'; start?: number; end?: number; step?: number; single: boolean }
  | { kind: 'union'; indexes: number[] }
  | { kind: 'filter'; left: Operand; op: string; right?: Operand };

export interface JSONPath {
  source: string;
  steps: Step[];
}

export class JSONPathError extends Error {}

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}', '(', ')']);

/** Parses a JSONPath expression ("{.spec.replicas}" braces optional). Throws JSONPathError. */
export function parseJSONPath(source: string): JSONPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text === '') throw new JSONPathError('empty JSONPath');
  return { source, steps: parseSteps(text) };
}

function parseSteps(text: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  if (text[0] === '$' || text[0] === '@') i = 1;
  const readName = (): string => {
    let name = '';
    while (i < text.length && !TERMINATORS.has(text[i]!)) {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      name += text[i++];
    }
    return name;
  };
  if (i < text.length && text[i] !== '.' && text[i] !== '[') {
    // A bare leading identifier ("spec.replicas") reads as a field.
    steps.push({ kind: 'field', names: [readName()] });
  }
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '.') {
      i++;
      if (text[i] === '.') {
        steps.push({ kind: 'recursive' });
        i++;
        if (text[i] === '[') continue;
      }
      if (text[i] === '*') {
        steps.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const name = readName();
      if (name === '') {
        if (i >= text.length && steps.length === 0) continue; // "." alone: the root
        throw new JSONPathError(`empty field name at ${i} in ${JSON.stringify(text)}`);
      }
      steps.push({ kind: 'field', names: [name] });
    } else if (ch === '[') {
      i = parseBracket(text, i, steps);
    } else if (ch === ' ' || ch === '\t') {
      i++;
    } else {
      throw new JSONPathError(`unexpected ${JSON.stringify(ch)} at ${i} in ${JSON.stringify(text)}`);
    }
  }
  return steps;
}

/** Parses the bracket expression starting at text[start] === '['; returns the index after ']'. */
function parseBracket(text: string, start: number, steps: Step[]): number {
  if (text.startsWith('[?(', start)) return parseFilter(text, start, steps);
  // Find the closing bracket, skipping quoted strings.
  let i = start + 1;
  let quote: string | undefined;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') break;
  }
  if (i >= text.length) throw new JSONPathError(`unclosed [ in ${JSON.stringify(text)}`);
  const inner = text.slice(start + 1, i).trim();
  const end = i + 1;
  if (inner === '*') {
    steps.push({ kind: 'wildcard' });
    return end;
  }
  if (inner.startsWith('"') || inner.startsWith("'")) {
    const names = splitTopLevel(inner).map((part) => {
      const lit = parseLiteral(part.trim());
      if (typeof lit !== 'string') throw new JSONPathError(`bad field name ${part} in ${JSON.stringify(text)}`);
      return lit;
    });
    steps.push({ kind: 'field', names });
    return end;
  }
  const toInt = (s: string): number | undefined => {
    const t = s.trim();
    if (t === '') return undefined;
    if (!/^-?\d+$/.test(t)) throw new JSONPathError(`bad array index ${JSON.stringify(s)} in ${JSON.stringify(text)}`);
    return Number.parseInt(t, 10);
  };
  if (inner.includes(',')) {
    steps.push({ kind: 'union', indexes: inner.split(',').map((p) => toInt(p) ?? 0) });
    return end;
  }
  const parts = inner.split(':');
  if (parts.length > 3) throw new JSONPathError(`bad array slice ${JSON.stringify(inner)}`);
  if (parts.length === 1) {
    const n = toInt(parts[0]!);
    if (n === undefined) throw new JSONPathError(`empty array index in ${JSON.stringify(text)}`);
    steps.push({ kind: 'slice', start: n, single: true });
    return end;
  }
  const step: Step = { kind: 'slice', single: false };
  const s0 = toInt(parts[0]!);
  const s1 = toInt(parts[1]!);
  const s2 = parts.length === 3 ? toInt(parts[2]!) : undefined;
  if (s0 !== undefined) step.start = s0;
  if (s1 !== undefined) step.end = s1;
  if (s2 !== undefined) step.step = s2;
  steps.push(step);
  return end;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < s.length) {
        cur += c + s[++i];
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function parseFilter(text: string, start: number, steps: Step[]): number {
  let i = start + 3;
  let quote: string | undefined;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    }
  }
  if (i >= text.length || text[i + 1] !== ']') throw new JSONPathError(`unterminated filter in ${JSON.stringify(text)}`);
  const expr = text.slice(start + 3, i);
  const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(expr);
  if (!m) {
    steps.push({ kind: 'filter', left: parseOperand(expr), op: 'exists' });
  } else {
    const op = m[2]!;
    if (!['==', '!=', '<', '>', '<=', '>='].includes(op)) throw new JSONPathError(`unrecognized filter operator ${op}`);
    steps.push({ kind: 'filter', left: parseOperand(m[1]!), op, right: parseOperand(m[3]!) });
  }
  return i + 2;
}

function parseLiteral(t: string): Literal | undefined {
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    if (t.length < 2) return undefined;
    return t.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (/^-?\d+$/.test(t)) return Number.parseInt(t, 10);
  if (/^-?\d*\.\d+$/.test(t) || /^-?\d+\.\d*$/.test(t)) return Number.parseFloat(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return undefined;
}

function parseOperand(raw: string): Operand {
  const t = raw.trim();
  const lit = parseLiteral(t);
  if (lit !== undefined) return { kind: 'literal', value: lit };
  if (t.startsWith('@') || t.startsWith('$') || t.startsWith('.')) {
    return { kind: 'path', root: t.startsWith('$'), steps: parseSteps(t) };
  }
  throw new JSONPathError(`unrecognized filter operand ${JSON.stringify(t)}`);
}

// ---------------------------------------------------------------- evaluation

/** Evaluation failed (kube prints an empty cell then). */
class EvalError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const byKey = (o: Record<string, unknown>): unknown[] =>
  Object.keys(o)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => o[k]);

function descendants(v: unknown, out: unknown[]): void {
  out.push(v);
  if (Array.isArray(v)) for (const x of v) descendants(x, out);
  else if (isObject(v)) for (const x of byKey(v)) descendants(x, out);
}

function sliceArray(arr: unknown[], s: Extract<Step, { kind: 'slice' }>): unknown[] {
  const len = arr.length;
  let start = s.start ?? 0;
  let end: number;
  let derived = false;
  if (s.single) {
    end = start + 1;
    derived = true;
  } else end = s.end ?? len;
  if (start < 0) start += len;
  if (end < 0 || (end === 0 && derived)) end += len;
  if (start === end) return [];
  if (start >= len || start < 0) throw new EvalError(`array index out of bounds: index ${start}, length ${len}`);
  if (end > len || end < 0) throw new EvalError(`array index out of bounds: index ${end - 1}, length ${len}`);
  if (start > end) throw new EvalError(`starting index ${start} is greater than ending index ${end}`);
  const step = s.step ?? 1;
  if (step <= 0) throw new EvalError('step must be > 0');
  const out: unknown[] = [];
  for (let i = start; i < end; i += step) out.push(arr[i]);
  return out;
}

function compare(left: unknown, right: unknown, op: string): boolean {
  if (left === null || right === null) {
    if (op === '==') return false;
    if (op === '!=') return true;
    throw new EvalError('cannot order null');
  }
  const tl = typeof left;
  if (tl !== typeof right || (tl !== 'string' && tl !== 'number' && tl !== 'boolean')) {
    throw new EvalError('incompatible types for comparison');
  }
  const l = left as string | number | boolean;
  const r = right as string | number | boolean;
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
  }
  if (tl === 'boolean') throw new EvalError('invalid type for comparison');
  switch (op) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
  }
  throw new EvalError(`unrecognized filter operator ${op}`);
}

function evalOperand(o: Operand, current: unknown, root: unknown): unknown[] {
  if (o.kind === 'literal') return [o.value];
  return evalSteps(o.steps, [o.root ? root : current], root);
}

function evalSteps(steps: readonly Step[], inputs: unknown[], root: unknown): unknown[] {
  let values = inputs;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) {
      switch (step.kind) {
        case 'field':
          if (isObject(v)) for (const n of step.names) if (Object.hasOwn(v, n)) next.push(v[n]);
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (isObject(v)) next.push(...byKey(v));
          break;
        case 'recursive':
          descendants(v, next);
          break;
        case 'slice':
        case 'union':
          if (v === null || v === undefined) break;
          if (!Array.isArray(v)) throw new EvalError('not an array or slice');
          if (step.kind === 'slice') next.push(...sliceArray(v, step));
          else
            for (const idx of step.indexes) next.push(...sliceArray(v, { kind: 'slice', start: idx, single: true }));
          break;
        case 'filter': {
          if (v === null || v === undefined) break;
          if (!Array.isArray(v)) throw new EvalError('not an array or slice and cannot be filtered');
          for (const el of v) {
            if (step.op === 'exists') {
              let found: unknown[] = [];
              try {
                found = evalOperand(step.left, el, root);
              } catch {
                found = [];
              }
              if (found.length > 0) next.push(el);
              continue;
            }
            const lefts = evalOperand(step.left, el, root);
            if (lefts.length === 0) continue;
            if (lefts.length > 1) throw new EvalError('can only compare one element at a time');
            const rights = evalOperand(step.right!, el, root);
            if (rights.length === 0) continue;
            if (rights.length > 1) throw new EvalError('can only compare one element at a time');
            if (compare(lefts[0], rights[0], step.op)) next.push(el);
          }
          break;
        }
      }
    }
    values = next;
  }
  return values;
}

/**
 * All values the path selects in `data`, in order; undefined when evaluation fails
 * (an index out of bounds, indexing a non-array, comparing incompatible types).
 */
export function evaluateJSONPath(path: JSONPath, data: unknown): unknown[] | undefined {
  try {
    return evalSteps(path.steps, [data], data);
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
