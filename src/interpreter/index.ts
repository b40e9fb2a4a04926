/**
 * The resource interpreter: everything Flotilla knows about a kind, asked in one place.
 *
 * A registry holds sources in precedence order (Karmada: customizations before built-ins).
 * interpreterFor(apiVersion, kind) resolves each operation separately, from the first source that
 * defines it, falling back to generic behaviour (no replicas, whole status reflected, template
 * status kept, Healthy, no dependencies, metadata-only retention). So a declarative rule that only
 * describes a CRD's health still gets generic replicas, and a rule for Deployment that only
 * changes health keeps the built-in aggregation.
 *
 * Sources today: 'native' (built-in kinds, this folder) and DeclarativeSource (declarative.ts).
 */
import { NATIVE_DEPENDENCIES } from './dependencies.js';
import { NATIVE_HEALTH } from './health.js';
import { clone, isObject, kindKey, str } from './object.js';
import { NATIVE_REPLICAS, NATIVE_REVISE_REPLICA } from './replicas.js';
import { NATIVE_RETAIN, retainMetadata } from './retain.js';
import { keepTemplateStatus, NATIVE_AGGREGATE_STATUS, NATIVE_REFLECT_STATUS, reflectWholeStatus } from './status.js';
import type { InterpreterOperation, InterpreterSource, JsonObject, KindInterpreter } from './types.js';

export type * from './types.js';
export { compileRule, DeclarativeSource, RuleError, type DeclarativeRule, type AggregateOp, type CompareOp, type HealthCheck } from './declarative.js';
export { divideJobCompletions, websterDivide, type ClusterShare } from './job-completions.js';
export { getReplicas, reviseReplica, replicaRequirementsOf, podResourceRequest } from './replicas.js';
export { reflectStatus, aggregateStatus, statusEqual } from './status.js';
export { interpretHealth } from './health.js';
export { getDependencies, podSpecDependencies } from './dependencies.js';
export { retainMemberFields } from './retain.js';
export { memberUpToDate } from './status-workloads.js';
export * from './constants.js';

const OPERATIONS: readonly InterpreterOperation[] = [
  'getReplicas',
  'reviseReplica',
  'reflectStatus',
  'aggregateStatus',
  'interpretHealth',
  'getDependencies',
  'retain',
];

/** Built-in knowledge, composed per kind from the tables in each concern's file. */
function buildNative(): Map<string, KindInterpreter> {
  const table = new Map<string, KindInterpreter>();
  const at = (key: string): KindInterpreter => {
    let k = table.get(key);
    if (!k) table.set(key, (k = {}));
    return k;
  };
  for (const [key, fn] of Object.entries(NATIVE_REPLICAS)) at(key).getReplicas = fn;
  for (const [key, fn] of Object.entries(NATIVE_REVISE_REPLICA)) at(key).reviseReplica = fn;
  for (const [key, fn] of Object.entries(NATIVE_REFLECT_STATUS)) at(key).reflectStatus = fn;
  for (const [key, fn] of Object.entries(NATIVE_AGGREGATE_STATUS)) at(key).aggregateStatus = fn;
  for (const [key, fn] of Object.entries(NATIVE_HEALTH)) at(key).interpretHealth = fn;
  for (const [key, fn] of Object.entries(NATIVE_DEPENDENCIES)) at(key).getDependencies = fn;
  for (const [key, fn] of Object.entries(NATIVE_RETAIN)) {
    at(key).retain = (desired, observed) => {
      const out = clone(desired);
      fn(out, observed);
      return out;
    };
  }
  return table;
}

const NATIVE = buildNative();

/** Built-in kinds (matched by API group and kind, any version). */
export const nativeSource: InterpreterSource = {
  name: 'native',
  lookup: (apiVersion, kind) => NATIVE.get(kindKey(apiVersion, kind)),
};

/** What kinds nobody knows get. */
const GENERIC: Required<KindInterpreter> = {
  getReplicas: () => ({ replicas: 0 }),
  reviseReplica: (obj) => clone(obj),
  reflectStatus: reflectWholeStatus,
  aggregateStatus: keepTemplateStatus,
  interpretHealth: () => 'Healthy',
  getDependencies: () => [],
  retain: (desired) => clone(desired),
};

/** A kind's complete interpreter: every operation answers, and says where its answer came from. */
export interface ResolvedInterpreter extends Required<KindInterpreter> {
  readonly apiVersion: string;
  readonly kind: string;
  /** For each operation, the source that answers it ('generic' when none does). */
  readonly sources: Readonly<Record<InterpreterOperation, string>>;
  /** Whether some source has real knowledge of the operation (Karmada's HookEnabled). */
  knows(op: InterpreterOperation): boolean;
}

export class InterpreterRegistry {
  private sources: InterpreterSource[];

  /** Sources in precedence order; defaults to the built-ins alone. */
  constructor(sources: readonly InterpreterSource[] = [nativeSource]) {
    this.sources = [...sources];
  }

  /** Adds a source ahead of the others (customizations override built-ins) or behind them. */
  addSource(source: InterpreterSource, where: 'first' | 'last' = 'first'): void {
    this.removeSource(source.name);
    if (where === 'first') this.sources.unshift(source);
    else this.sources.push(source);
  }

  removeSource(name: string): void {
    this.sources = this.sources.filter((s) => s.name !== name);
  }

  sourceNames(): string[] {
    return this.sources.map((s) => s.name);
  }

  interpreterFor(apiVersion: string, kind: string): ResolvedInterpreter {
    const found = this.sources.map((s) => ({ name: s.name, k: s.lookup(apiVersion, kind) }));
    const ops = {} as Record<InterpreterOperation, unknown>;
    const from = {} as Record<InterpreterOperation, string>;
    for (const op of OPERATIONS) {
      const hit = found.find((f) => f.k?.[op]);
      ops[op] = hit ? hit.k![op] : GENERIC[op];
      from[op] = hit ? hit.name : 'generic';
    }
    const kindRetain = ops.retain as Required<KindInterpreter>['retain'];
    const interp = ops as unknown as Required<KindInterpreter>;
    return {
      ...interp,
      interpretHealth: (obj) => (isObject(obj) ? interp.interpretHealth(obj) : 'Unknown'),
      // Metadata (labels, annotations, finalizers, owners) is merged for every kind, then the kind's own rule.
      retain: (desired, observed) => {
        const out = clone(desired);
        retainMetadata(out, observed);
        return kindRetain(out, observed);
      },
      apiVersion,
      kind,
      sources: from,
      knows: (op) => from[op] !== 'generic',
    };
  }

  /** interpreterFor the object's own apiVersion and kind. */
  interpreterOf(obj: JsonObject): ResolvedInterpreter {
    return this.interpreterFor(str(obj['apiVersion']) ?? '', str(obj['kind']) ?? '');
  }
}

/** The process-wide registry (built-ins; controllers add declarative rules to it). */
export const defaultRegistry = new InterpreterRegistry();

/** defaultRegistry.interpreterFor. */
export function interpreterFor(apiVersion: string, kind: string): ResolvedInterpreter {
  return defaultRegistry.interpreterFor(apiVersion, kind);
}
