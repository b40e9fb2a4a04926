/**
 * Simulated behaviour as data, after KWOK's Stage API: a stage says which objects it applies
 * to (matchExpressions over simple JSON paths), how long to wait, and what happens next (a
 * status patch rendered from a template, finalizer changes, deletion). This module is pure:
 * loading and validating stages, matching, delays, and computing a transition; the engine in
 * stage-engine.ts does the timing and the writes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { getPath, parsePath, type PathSegment } from './jsonpath.js';
import { mergeStatus, renderTemplate, type TemplateContext } from './stage-template.js';

export type StageResource = 'pod' | 'node';
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface MatchExpression {
  key: string;
  operator: Operator;
  values?: string[];
}

export interface StageDelay {
  durationMs?: number;
  /** A uniformly random extra wait in [0, jitterMs). */
  jitterMs?: number;
  /** An annotation whose value ("5s", "250ms", "1m", or plain milliseconds) replaces durationMs. */
  fromAnnotation?: string;
  /** Count the delay from the timestamp at this path (e.g. .status.startTime) instead of now. */
  since?: string;
}

export interface StageNext {
  /** Merged into .status: maps merge, conditions merge by type, other lists are replaced, null deletes. */
  statusTemplate?: Record<string, unknown>;
  finalizers?: { add?: string[]; remove?: string[]; empty?: boolean };
  /** Delete the object with grace period 0 (after the status and finalizer changes). */
  delete?: boolean;
}

export interface Stage {
  name: string;
  resource: StageResource;
  selector: { matchExpressions: MatchExpression[] };
  delay?: StageDelay;
  next: StageNext;
}

interface CompiledExpression extends MatchExpression {
  path: PathSegment[];
}
const compiled = new WeakMap<Stage, CompiledExpression[]>();

const OPERATORS = new Set<Operator>(['In', 'NotIn', 'Exists', 'DoesNotExist']);
const STAGE_FIELDS = new Set(['name', 'resource', 'selector', 'delay', 'next']);

/** Validates one parsed stage document; errors name the stage and field. */
export function validateStage(doc: unknown, source: string): Stage {
  const fail = (field: string, msg: string): never => {
    throw new Error(`${source}: ${field}: ${msg}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('(stage)', 'must be a mapping');
  const s = doc as Record<string, any>;
  for (const k of Object.keys(s)) if (!STAGE_FIELDS.has(k)) fail(k, `unknown field (known: ${[...STAGE_FIELDS].join(', ')})`);
  if (typeof s.name !== 'string' || !s.name) fail('name', 'required');
  const at = (f: string) => `${s.name}.${f}`;
  if (s.resource !== 'pod' && s.resource !== 'node') fail(at('resource'), 'must be pod or node');
  const exprs = s.selector?.matchExpressions ?? [];
  if (!Array.isArray(exprs)) fail(at('selector.matchExpressions'), 'must be a list');
  const out: CompiledExpression[] = exprs.map((e: any, i: number) => {
    const f = at(`selector.matchExpressions[${i}]`);
    if (typeof e?.key !== 'string') fail(`${f}.key`, 'required');
    let path: PathSegment[] = [];
    try {
      path = parsePath(e.key);
    } catch (err) {
      fail(`${f}.key`, (err as Error).message);
    }
    if (!OPERATORS.has(e.operator)) fail(`${f}.operator`, 'must be In, NotIn, Exists or DoesNotExist');
    const needsValues = e.operator === 'In' || e.operator === 'NotIn';
    if (needsValues && (!Array.isArray(e.values) || e.values.length === 0)) fail(`${f}.values`, `required for ${e.operator}`);
    if (!needsValues && e.values !== undefined) fail(`${f}.values`, `not allowed for ${e.operator}`);
    return { key: e.key, operator: e.operator, ...(needsValues ? { values: e.values.map(String) } : {}), path };
  });
  const d = s.delay;
  if (d !== undefined) {
    if (typeof d !== 'object' || d === null) fail(at('delay'), 'must be a mapping');
    for (const k of ['durationMs', 'jitterMs'])
      if (d[k] !== undefined && !(typeof d[k] === 'number' && d[k] >= 0)) fail(at(`delay.${k}`), 'must be a non-negative number');
    if (d.since !== undefined) {
      try {
        parsePath(d.since);
      } catch (err) {
        fail(at('delay.since'), (err as Error).message);
      }
    }
  }
  const n = s.next;
  if (typeof n !== 'object' || n === null) fail(at('next'), 'required');
  if (n.statusTemplate !== undefined && (typeof n.statusTemplate !== 'object' || Array.isArray(n.statusTemplate))) fail(at('next.statusTemplate'), 'must be a mapping');
  if (!n.statusTemplate && !n.delete && !n.finalizers) fail(at('next'), 'needs statusTemplate, finalizers or delete');
  const stage: Stage = { name: s.name, resource: s.resource, selector: { matchExpressions: out.map(({ path: _p, ...e }) => e) }, ...(d ? { delay: d } : {}), next: n };
  compiled.set(stage, out);
  return stage;
}

/** Stages from YAML text: one stage per document, or a document holding a list of stages. */
export function parseStages(text: string, source: string): Stage[] {
  const docs = YAML.parseAllDocuments(text);
  const out: Stage[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${source}: ${d.errors[0]!.message}`);
    const v = d.toJS();
    if (v == null) continue;
    for (const s of Array.isArray(v) ? v : [v]) out.push(validateStage(s, source));
  }
  return out;
}

/** Stages from a file, or from every *.yaml in a directory (sorted by file name). */
export function loadStages(path: string): Stage[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const stages = files.flatMap((f) => parseStages(readFileSync(f, 'utf8'), f));
  const names = new Set<string>();
  for (const s of stages) {
    if (names.has(`${s.resource}/${s.name}`)) throw new Error(`${path}: duplicate ${s.resource} stage ${s.name}`);
    names.add(`${s.resource}/${s.name}`);
  }
  return stages;
}

/** The stages shipped in ./stages/ (read from the sources when running from a build). */
export function defaultStagesDir(): string {
  const here = fileURLToPath(new URL('./stages/', import.meta.url));
  try {
    statSync(here);
    return here;
  } catch {
    return fileURLToPath(new URL('../../src/simulator/stages/', import.meta.url));
  }
}

let defaults: Stage[] | undefined;
export function defaultStages(): Stage[] {
  return (defaults ??= loadStages(defaultStagesDir()));
}

function expressionsOf(stage: Stage): CompiledExpression[] {
  let c = compiled.get(stage);
  if (!c) {
    c = stage.selector.matchExpressions.map((e) => ({ ...e, path: parsePath(e.key) }));
    compiled.set(stage, c);
  }
  return c;
}

const present = (v: unknown) => v !== undefined && v !== null;

export function matches(stage: Stage, obj: unknown): boolean {
  for (const e of expressionsOf(stage)) {
    const v = getPath(obj, e.path);
    const s = present(v) ? (typeof v === 'object' ? JSON.stringify(v) : String(v)) : undefined;
    switch (e.operator) {
      case 'Exists':
        if (!present(v)) return false;
        break;
      case 'DoesNotExist':
        if (present(v)) return false;
        break;
      case 'In':
        if (s === undefined || !e.values!.includes(s)) return false;
        break;
      case 'NotIn':
        if (s !== undefined && e.values!.includes(s)) return false;
        break;
    }
  }
  return true;
}

/** The first stage (in order) for this resource whose selector matches. */
export function matchStage(stages: readonly Stage[], resource: StageResource, obj: unknown): Stage | undefined {
  for (const s of stages) if (s.resource === resource && matches(s, obj)) return s;
  return undefined;
}

/** "1.5s", "200ms", "2m", "1h", or a bare number of milliseconds; undefined when unreadable. */
export function parseDuration(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return n * unit;
}

/** How long from now until the stage applies (already scaled by timeScale). */
export function stageDelay(stage: Stage, obj: any, now: number, timeScale = 1, random: () => number = Math.random): number {
  const d = stage.delay;
  if (!d) return 0;
  let ms = d.durationMs ?? 0;
  if (d.fromAnnotation) {
    const a = obj?.metadata?.annotations?.[d.fromAnnotation];
    const parsed = typeof a === 'string' ? parseDuration(a) : undefined;
    if (parsed !== undefined) ms = parsed;
  }
  if (d.jitterMs) ms += random() * d.jitterMs;
  ms *= timeScale;
  if (d.since) {
    const t = getPath(obj, parsePath(d.since));
    const at = typeof t === 'string' ? Date.parse(t) : NaN;
    if (!Number.isNaN(at)) ms = at + ms - now;
  }
  return Math.max(0, Math.round(ms));
}

export interface Transition {
  /** The whole new status, when the stage changes it. */
  status?: Record<string, unknown>;
  finalizers?: string[];
  delete: boolean;
}

/** What applying stage to obj produces (pure; ctx supplies time and addresses). */
export function transition(stage: Stage, obj: any, ctx: TemplateContext): Transition {
  const out: Transition = { delete: stage.next.delete === true };
  if (stage.next.statusTemplate) {
    const patch = renderTemplate(stage.next.statusTemplate, obj, ctx) as Record<string, unknown>;
    out.status = mergeStatus(obj.status ?? {}, patch);
  }
  const f = stage.next.finalizers;
  if (f) {
    const cur: string[] = obj.metadata?.finalizers ?? [];
    let next = f.empty ? [] : cur.filter((x) => !(f.remove ?? []).includes(x));
    for (const a of f.add ?? []) if (!next.includes(a)) next = [...next, a];
    if (JSON.stringify(next) !== JSON.stringify(cur)) out.finalizers = next;
  }
  return out;
}

/** obj with the transition applied (what the API would hold afterwards), or null when deleted. */
export function applyTransition(obj: any, t: Transition): any {
  if (t.delete) return null;
  const next = structuredClone(obj);
  if (t.status) next.status = t.status;
  if (t.finalizers) {
    if (t.finalizers.length) next.metadata.finalizers = t.finalizers;
    else delete next.metadata.finalizers;
  }
  return next;
}
