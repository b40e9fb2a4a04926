/**
 * Declarative interpreter rules: teach Flotilla a CRD's replicas, status and health with field
 * paths instead of Lua (what Karmada's ResourceInterpreterCustomization needs scripts for, and
 * where a broken script fails silently). A rule is compiled once; a bad path or an impossible
 * combination throws at compile time with the offending field named.
 *
 *   target            apiVersion + kind the rule is for (exact apiVersion)
 *   replicas          path of the replica count, optional default, and optional podTemplatePath
 *                     (a PodTemplateSpec) to derive per-replica requirements like the built-ins do
 *   reviseReplica     where a cluster's share is written (defaults to replicas.path)
 *   statusReflection  status fields (paths relative to .status) to report; whole status if omitted
 *   statusAggregation per status field: sum | min | max | allTrue | anyTrue | concat | first;
 *                     observedGeneration: true applies the same up-to-date gate as Deployment
 *   health            observedGeneration caught up, conditions that must hold, and comparisons
 *   dependencies      paths holding names (string or list of strings) of objects the CR needs
 *   retention         paths the member owns (copied from the member object when present)
 *
 * Operations a rule leaves out fall through to the next source (built-ins, then generic).
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { clone, generationOf, isObject, jsonEqual, num, objAt } from './object.js';
import { namespaceOf } from './pod-template.js';
import { getPath, isSettable, parsePath, PathError, setPath, type Segment } from './path.js';
import { replicaRequirementsOf } from './replicas.js';
import { sortRefs } from './dependencies.js';
import { federatedGeneration, memberUpToDate } from './status-workloads.js';
import type { AggregatedStatusItem, DependencyRef, Health, InterpreterSource, JsonObject, KindInterpreter } from './types.js';

export type AggregateOp = 'sum' | 'min' | 'max' | 'allTrue' | 'anyTrue' | 'concat' | 'first';
export type CompareOp = '==' | '!=' | '>=' | '>' | '<=' | '<';

export interface HealthCheck {
  path: string;
  op: CompareOp;
  /** Compare with a literal... */
  value?: string | number | boolean;
  /** ...or with another field of the same object. */
  valuePath?: string;
}

export interface DeclarativeRule {
  target: { apiVersion: string; kind: string };
  replicas?: { path: string; default?: number; podTemplatePath?: string };
  reviseReplica?: { path: string };
  statusReflection?: { fields: string[] };
  statusAggregation?: { fields: Record<string, AggregateOp>; observedGeneration?: boolean };
  health?: { observedGeneration?: boolean; conditions?: { type: string; status?: string }[]; checks?: HealthCheck[] };
  dependencies?: { apiVersion: string; kind: string; path: string }[];
  retention?: { paths: string[] };
}

export class RuleError extends Error {}

const AGGREGATE_OPS: ReadonlySet<string> = new Set(['sum', 'min', 'max', 'allTrue', 'anyTrue', 'concat', 'first']);
const COMPARE_OPS: ReadonlySet<string> = new Set(['==', '!=', '>=', '>', '<=', '<']);

function compiler(rule: DeclarativeRule) {
  const where = `${rule.target?.apiVersion}/${rule.target?.kind}`;
  const path = (field: string, p: string, settable = false): Segment[] => {
    let segs: Segment[];
    try {
      segs = parsePath(p);
    } catch (e) {
      throw new RuleError(`rule ${where}: ${field}: ${(e as PathError).message}`);
    }
    if (settable && !isSettable(segs)) throw new RuleError(`rule ${where}: ${field}: ${JSON.stringify(p)} must be made of .field steps only`);
    return segs;
  };
  const fail = (msg: string): never => {
    throw new RuleError(`rule ${where}: ${msg}`);
  };
  return { path, fail };
}

function aggregate(op: AggregateOp, values: readonly unknown[], itemCount: number): unknown {
  const nums = values.map(num).filter((n): n is number => n !== undefined);
  switch (op) {
    case 'sum':
      return nums.reduce((a, b) => a + b, 0);
    case 'min':
      return nums.length ? Math.min(...nums) : undefined;
    case 'max':
      return nums.length ? Math.max(...nums) : undefined;
    // Every target cluster must say true: a cluster yet to report is not a yes.
    case 'allTrue':
      return itemCount > 0 && values.length === itemCount && values.every((v) => v === true);
    case 'anyTrue':
      return values.some((v) => v === true);
    case 'concat':
      return values.flatMap((v) => (Array.isArray(v) ? clone(v) : []));
    case 'first':
      return values.find((v) => v !== undefined);
  }
}

function compare(a: unknown, op: CompareOp, b: unknown): boolean {
  if (op === '==') return jsonEqual(a, b);
  if (op === '!=') return !jsonEqual(a, b);
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : a < b;
}

/** Compiles a rule into the operations it defines; throws RuleError when the rule is malformed. */
export function compileRule(rule: DeclarativeRule): KindInterpreter {
  const { path, fail } = compiler(rule);
  if (!rule.target?.apiVersion || !rule.target.kind) fail('target.apiVersion and target.kind are required');
  const out: KindInterpreter = {};

  if (rule.replicas) {
    const at = path('replicas.path', rule.replicas.path);
    const tmpl = rule.replicas.podTemplatePath !== undefined ? path('replicas.podTemplatePath', rule.replicas.podTemplatePath) : undefined;
    const dflt = rule.replicas.default ?? 0;
    out.getReplicas = (obj) => {
      const replicas = num(getPath(obj, at)) ?? dflt;
      const spec = tmpl ? getPath(obj, tmpl) : undefined;
      const requirements = isObject(spec) && isObject(spec['spec']) ? replicaRequirementsOf(spec['spec'] as unknown as PodSpec, namespaceOf(obj)) : undefined;
      return requirements ? { replicas, requirements } : { replicas };
    };
  }
  const revisePath = rule.reviseReplica?.path ?? rule.replicas?.path;
  if (revisePath !== undefined) {
    const at = path(rule.reviseReplica ? 'reviseReplica.path' : 'replicas.path (as reviseReplica)', revisePath, true);
    out.reviseReplica = (obj, replicas) => {
      const copy = clone(obj);
      setPath(copy, at, replicas);
      return copy;
    };
  }

  const gated = rule.statusAggregation?.observedGeneration === true;
  if (rule.statusReflection || gated) {
    const fields = rule.statusReflection?.fields.map((f, i) => path(`statusReflection.fields[${i}]`, f, true));
    out.reflectStatus = (obj) => {
      const status = objAt(obj, 'status');
      if (!status) return undefined;
      // Generation fields ride along so aggregation can gate observedGeneration like built-ins.
      const reflected: JsonObject = { ...(fields ? {} : clone(status)), ...federatedGeneration(obj) };
      if (status['observedGeneration'] !== undefined) reflected['observedGeneration'] = status['observedGeneration'];
      for (const f of fields ?? []) {
        const v = getPath(status, f);
        if (v !== undefined) setPath(reflected, f, clone(v));
      }
      return reflected;
    };
  }

  if (rule.statusAggregation) {
    const fields = Object.entries(rule.statusAggregation.fields ?? {}).map(([p, op]) => {
      if (!AGGREGATE_OPS.has(op)) fail(`statusAggregation.fields[${JSON.stringify(p)}]: unknown operation ${JSON.stringify(op)}`);
      return { at: path(`statusAggregation.fields[${JSON.stringify(p)}]`, p, true), op };
    });
    out.aggregateStatus = (template, items: readonly AggregatedStatusItem[]) => {
      const status = clone(objAt(template, 'status') ?? {});
      const statuses = items.map((i) => i.status).filter((s): s is JsonObject => !!s);
      for (const { at, op } of fields) {
        const values = statuses.map((s) => getPath(s, at)).filter((v) => v !== undefined);
        const v = aggregate(op, values, items.length);
        if (v !== undefined) setPath(status, at, v);
      }
      const gen = generationOf(template);
      if (gated && gen > 0 && items.every((i) => memberUpToDate(i, gen))) status['observedGeneration'] = gen;
      return status;
    };
  }

  if (rule.health) {
    const h = rule.health;
    const conds = (h.conditions ?? []).map((c, i) => {
      if (!c.type) fail(`health.conditions[${i}].type is required`);
      return { type: c.type, status: c.status ?? 'True' };
    });
    const checks = (h.checks ?? []).map((c, i) => {
      if (!COMPARE_OPS.has(c.op)) fail(`health.checks[${i}].op: unknown operator ${JSON.stringify(c.op)}`);
      if ((c.value === undefined) === (c.valuePath === undefined)) fail(`health.checks[${i}]: exactly one of value and valuePath is required`);
      const rhs = c.valuePath !== undefined ? path(`health.checks[${i}].valuePath`, c.valuePath) : undefined;
      return { lhs: path(`health.checks[${i}].path`, c.path), op: c.op, value: c.value, rhs };
    });
    out.interpretHealth = (obj): Health => {
      if (h.observedGeneration && (num(getPath(obj, [{ field: 'status' }, { field: 'observedGeneration' }])) ?? 0) < generationOf(obj)) return 'Unhealthy';
      for (const c of conds) {
        const cond = getPath(obj, [{ field: 'status' }, { field: 'conditions' }, { where: 'type', equals: c.type }]);
        if (!isObject(cond) || cond['status'] !== c.status) return 'Unhealthy';
      }
      for (const c of checks) {
        const b = c.rhs ? getPath(obj, c.rhs) : c.value;
        if (!compare(getPath(obj, c.lhs), c.op, b)) return 'Unhealthy';
      }
      return 'Healthy';
    };
  }

  if (rule.dependencies) {
    const deps = rule.dependencies.map((d, i) => {
      if (!d.apiVersion || !d.kind) fail(`dependencies[${i}]: apiVersion and kind are required`);
      return { ...d, at: path(`dependencies[${i}].path`, d.path) };
    });
    out.getDependencies = (obj) => {
      const ns = namespaceOf(obj);
      const refs: DependencyRef[] = [];
      for (const d of deps) {
        const v = getPath(obj, d.at);
        for (const name of Array.isArray(v) ? v : [v]) {
          if (typeof name === 'string' && name) refs.push({ apiVersion: d.apiVersion, kind: d.kind, namespace: ns, name });
        }
      }
      return sortRefs(refs);
    };
  }

  if (rule.retention) {
    const paths = rule.retention.paths.map((p, i) => path(`retention.paths[${i}]`, p, true));
    out.retain = (desired, observed) => {
      const copy = clone(desired);
      for (const p of paths) {
        const v = getPath(observed, p);
        if (v !== undefined) setPath(copy, p, clone(v));
      }
      return copy;
    };
  }
  return out;
}

/** Declarative rules as an interpreter source, keyed by exact apiVersion and kind. */
export class DeclarativeSource implements InterpreterSource {
  readonly name: string;
  private readonly rules = new Map<string, KindInterpreter>();

  constructor(rules: readonly DeclarativeRule[] = [], name = 'declarative') {
    this.name = name;
    for (const r of rules) this.set(r);
  }

  /** Adds or replaces the rule for its target; throws RuleError (and changes nothing) when invalid. */
  set(rule: DeclarativeRule): void {
    const compiled = compileRule(rule);
    this.rules.set(`${rule.target.apiVersion}/${rule.target.kind}`, compiled);
  }

  delete(apiVersion: string, kind: string): boolean {
    return this.rules.delete(`${apiVersion}/${kind}`);
  }

  lookup(apiVersion: string, kind: string): KindInterpreter | undefined {
    return this.rules.get(`${apiVersion}/${kind}`);
  }
}
