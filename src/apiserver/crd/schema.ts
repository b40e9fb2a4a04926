/**
 * One CRD version's schema, compiled once per CRD generation: what a write of a custom
 * resource goes through before it is stored, in apiextensions-apiserver's order:
 *   drop disallowed nulls → prune unknown fields → apply defaults → validate.
 * Validation is ajv (the OpenAPI keywords, ./schema-ajv.ts) plus the x-kubernetes-* rules
 * (./rules.ts); errors are 422 causes with Kubernetes' field paths and messages.
 */
import type { Ajv, ValidateFunction } from 'ajv';
import type { JSONSchemaProps } from './types.js';
import { newAjv, toAjvSchema, mapAjvErrors } from './schema-ajv.js';
import { prune } from './prune.js';
import { applyDefaults, dropNonNullableNulls } from './defaulting.js';
import { checkRules } from './rules.js';
import type { CompiledRule } from './cel.js';
import { more, type FieldCause } from './causes.js';

export interface CompiledSchema {
  readonly schema: JSONSchemaProps;
  /** CEL rules this server cannot evaluate (skipped; see ./cel.ts). */
  readonly skippedRules: ReadonlySet<string>;
  /** Null-dropping, pruning and defaulting in place; returns the pruned field paths. */
  admit(obj: unknown): string[];
  prune(obj: unknown): string[];
  applyDefaults(obj: unknown): void;
  /** Field errors for obj; `old` enables transition rules; `base` prefixes every path. */
  validate(obj: unknown, old?: unknown, base?: string): FieldCause[];
  /** Build the validator now rather than on the first write. */
  compile(): void;
}

export interface CompileOptions {
  /** The schema describes a whole object (apiVersion, kind, metadata are not its to prune). */
  resourceRoot?: boolean;
  /** Share one ajv instance across many small compiles (a CRD's defaults). */
  ajv?: Ajv;
}

const NOT_CHECKED = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

export function compileSchema(schema: JSONSchemaProps, o: CompileOptions = {}): CompiledSchema {
  const ajv = o.ajv ?? newAjv();
  const resourceRoot = o.resourceRoot ?? false;
  let fn: ValidateFunction | undefined;
  const compiled = new Map<string, CompiledRule | null>();
  const skipped = new Set<string>();
  const hasRules = JSON.stringify(schema).includes('"x-kubernetes-validations"');
  const self: CompiledSchema = {
    schema,
    skippedRules: skipped,
    admit(obj) {
      dropNonNullableNulls(obj, schema);
      const pruned = self.prune(obj);
      applyDefaults(obj, schema);
      return pruned;
    },
    prune: (obj) => prune(obj, schema, { resourceRoot }),
    applyDefaults: (obj) => applyDefaults(obj, schema),
    compile() {
      fn ??= ajv.compile(toAjvSchema(schema, resourceRoot));
    },
    validate(obj, old, base = '') {
      // Compiled on first use: a CRD that is registered but never written costs nothing.
      self.compile();
      fn!(obj);
      const causes = mapAjvErrors(fn!.errors, obj, base);
      const celRan = causes.length === 0;
      causes.push(...checkRules(schema, obj, old, base, { cel: celRan, skipped, compiled }));
      if (hasRules && !celRan) causes.push(more.invalidNull(base, NOT_CHECKED));
      return causes;
    },
  };
  return self;
}
