/**
 * Writes src/apiserver/openapi/builtins.json: OpenAPI v3 component schemas for every built-in
 * kind Flotilla serves (src/apiserver/resources/builtin.ts) and everything they reference,
 * named as upstream names them (io.k8s.api.apps.v1.Deployment,
 * io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...), with field descriptions and types.
 *
 * Sources:
 *   - the `kubernetes-types` package (devDependency): one .d.ts per group-version with the
 *     upstream field documentation as JSDoc, read with the TypeScript compiler API;
 *   - the strategic-merge-patch table (src/apiserver/patch/smp-schema.ts) for
 *     x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key, and the server-side apply
 *     shapes derived from it (src/apiserver/patch/ssa/listtypes.ts) for x-kubernetes-list-type,
 *     x-kubernetes-list-map-keys and x-kubernetes-map-type: the same facts the server patches
 *     with, so what kubectl reads cannot drift from what the server does.
 *
 * src/apiserver/openapi/builtins.test.ts fails when the committed file differs from what this
 * writes. Usage: node --import tsx scripts/gen-openapi.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { BUILTIN_RESOURCES } from '../src/apiserver/resources/builtin.js';
import { builtinSmpSchema, DEFAULT_SMP_SCHEMA, type SmpType } from '../src/apiserver/patch/smp-schema.js';
import { builtinShape } from '../src/apiserver/patch/ssa/listtypes.js';
import type { Shape } from '../src/apiserver/patch/ssa/shape.js';

export const BUILTINS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'apiserver', 'openapi', 'builtins.json');

type Schema = Record<string, unknown>;

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_DOC =
  'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
const VALIDATION_RULE = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule';

/**
 * JSONSchemaProps' x-kubernetes-* fields, which kubernetes-types cannot spell as TypeScript
 * properties and leaves out (descriptions shortened from apiextensions/v1 types.go).
 */
const JSON_SCHEMA_PROPS_EXTENSIONS: Record<string, Schema> = {
  'x-kubernetes-embedded-resource': { description: 'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object.', type: 'boolean' },
  'x-kubernetes-int-or-string': { description: 'x-kubernetes-int-or-string specifies that this value is either an integer or a string.', type: 'boolean' },
  'x-kubernetes-list-map-keys': { description: 'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.', type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
  'x-kubernetes-list-type': { description: 'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.', type: 'string' },
  'x-kubernetes-map-type': { description: 'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.', type: 'string' },
  'x-kubernetes-preserve-unknown-fields': { description: 'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.', type: 'boolean' },
  'x-kubernetes-validations': {
    description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
    type: 'array',
    items: { $ref: `#/components/schemas/${VALIDATION_RULE}` },
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['rule'],
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': 'rule',
  },
};

/** The upstream package of a kubernetes-types file (path relative to the package, no .d.ts). */
function packageOf(file: string): string {
  if (file === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (file === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (file === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  const [dir, version] = file.split('/');
  if (dir === 'meta') return `io.k8s.apimachinery.pkg.apis.meta.${version}`;
  if (dir === 'apiextensions') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  return `io.k8s.api.${dir}.${version}`;
}

/** A served group's kubernetes-types directory: its first DNS label ('' is core). */
const dirOfGroup = (group: string): string => (group === '' ? 'core' : group.split('.')[0]!);

class Generator {
  readonly #root: string;
  readonly #program: ts.Program;
  readonly #checker: ts.TypeChecker;
  readonly schemas = new Map<string, Schema>();
  /** Declarations still to convert, by schema name. */
  readonly #pending = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();

  constructor() {
    const require = createRequire(import.meta.url);
    this.#root = dirname(require.resolve('kubernetes-types/package.json'));
    const files = BUILTIN_RESOURCES.map((rt) => join(this.#root, dirOfGroup(rt.group), `${rt.version}.d.ts`));
    this.#program = ts.createProgram([...new Set(files)], { noEmit: true, types: [] });
    this.#checker = this.#program.getTypeChecker();
  }

  version(): string {
    const require = createRequire(import.meta.url);
    return (require(join(this.#root, 'package.json')) as { version: string }).version;
  }

  #fileKey(sf: ts.SourceFile): string {
    return relative(this.#root, sf.fileName).split(sep).join('/').replace(/\.d\.ts$/, '');
  }

  #doc(node: ts.Node): string | undefined {
    const sym = (node as { name?: ts.Node }).name ? this.#checker.getSymbolAtLocation((node as unknown as { name: ts.Node }).name) : undefined;
    const text = sym ? ts.displayPartsToString(sym.getDocumentationComment(this.#checker)).trim() : '';
    return text || undefined;
  }

  /** The schema name of a declaration, queueing it for conversion. */
  #nameOf(decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration): string {
    const name = `${packageOf(this.#fileKey(decl.getSourceFile()))}.${decl.name.text}`;
    if (!this.schemas.has(name) && !this.#pending.has(name)) this.#pending.set(name, decl);
    return name;
  }

  /** Follows imports to the declaration a type reference names. */
  #declOf(ref: ts.TypeReferenceNode): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
    let sym = this.#checker.getSymbolAtLocation(ref.typeName);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.#checker.getAliasedSymbol(sym);
    const d = sym?.declarations?.[0];
    return d && (ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) ? d : undefined;
  }

  addKind(group: string, version: string, kind: string): string {
    const sf = this.#program.getSourceFile(join(this.#root, dirOfGroup(group), `${version}.d.ts`));
    const decl = sf?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === kind);
    if (!decl) throw new Error(`kubernetes-types has no ${kind} in ${dirOfGroup(group)}/${version}`);
    const name = this.#nameOf(decl);
    this.drain();
    const s = this.schemas.get(name)!;
    const gvks = (s['x-kubernetes-group-version-kind'] as object[] | undefined) ?? [];
    s['x-kubernetes-group-version-kind'] = [...gvks, { group, kind, version }];
    return name;
  }

  drain(): void {
    for (const [name, decl] of this.#pending) {
      this.#pending.delete(name);
      this.schemas.set(name, {}); // placeholder: recursive types refer to themselves
      this.schemas.set(name, this.#declaration(name, decl));
    }
  }

  #declaration(name: string, decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration): Schema {
    const description = this.#doc(decl);
    const withDoc = (s: Schema): Schema => (description ? { description, ...s } : s);
    if (name === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' || name === 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime')
      return withDoc({ type: 'string', format: 'date-time' });
    // A number or a string in JSON (upstream's OpenAPIV3OneOfTypes), so explain shows <Quantity>.
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return withDoc({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    if (ts.isTypeAliasDeclaration(decl)) {
      if (decl.type.kind === ts.SyntaxKind.StringKeyword) return withDoc({ type: 'string' });
      // JSONSchemaPropsOrArray / OrBool / OrStringArray: one of several shapes, untyped.
      return withDoc({ 'x-kubernetes-preserve-unknown-fields': true });
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    const members = decl.members.filter(ts.isPropertySignature).sort((a, b) => propName(a).localeCompare(propName(b)));
    for (const m of members) {
      const key = propName(m);
      const t = m.type ? this.#type(m.type) : {};
      const doc = this.#doc(m);
      properties[key] = withDescription(t, doc);
      if (!m.questionToken) required.push(key);
    }
    if (!members.length) {
      // Embedded raw JSON (RawExtension, FieldsV1) is an object; apiextensions JSON is any value.
      return withDoc(name.endsWith('.apiextensions.v1.JSON') ? { 'x-kubernetes-preserve-unknown-fields': true } : { type: 'object' });
    }
    if (name === JSON_SCHEMA_PROPS) {
      Object.assign(properties, JSON_SCHEMA_PROPS_EXTENSIONS);
      const rule = decl.getSourceFile().statements.find((x): x is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(x) && x.name.text === 'ValidationRule');
      if (!rule || this.#nameOf(rule) !== VALIDATION_RULE) throw new Error('kubernetes-types has no apiextensions/v1 ValidationRule');
    }
    return withDoc({ type: 'object', properties, ...(required.length ? { required } : {}) });
  }

  #type(node: ts.TypeNode): Schema {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        // Kubernetes API conventions forbid floats: every number in these kinds is an integer.
        return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return { 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (ts.isLiteralTypeNode(node)) return { type: ts.isStringLiteral(node.literal) ? 'string' : 'object' };
    if (ts.isParenthesizedTypeNode(node)) return this.#type(node.type);
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.#type(node.elementType) };
    if (ts.isTypeReferenceNode(node)) {
      const id = ts.isIdentifier(node.typeName) ? node.typeName.text : '';
      if (id === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: this.#type(node.typeArguments[0]!) };
      const decl = this.#declOf(node);
      if (!decl) throw new Error(`cannot resolve type ${node.getText()}`);
      return { $ref: `#/components/schemas/${this.#nameOf(decl)}` };
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) return { type: 'object', additionalProperties: this.#type(index.type) };
      throw new Error(`unexpected type literal ${node.getText()}`);
    }
    if (ts.isUnionTypeNode(node)) {
      const kinds = new Set(node.types.map((t) => t.kind));
      if (node.types.length === 2 && kinds.has(ts.SyntaxKind.StringKeyword) && kinds.has(ts.SyntaxKind.NumberKeyword)) {
        this.schemas.set(INT_OR_STRING, {
          description: INT_OR_STRING_DOC,
          format: 'int-or-string',
          oneOf: [{ type: 'integer' }, { type: 'string' }],
          'x-kubernetes-int-or-string': true,
        });
        return { $ref: `#/components/schemas/${INT_OR_STRING}` };
      }
    }
    throw new Error(`unexpected type ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
  }

  // -------------------------------------------------------------------------------------------
  // Patch and list metadata from the server's own tables.

  /** The component a property (or its items / values) refers to. */
  #target(s: Schema): string | undefined {
    const ref = (s.$ref ?? (s.allOf as Schema[] | undefined)?.[0]?.$ref) as string | undefined;
    return ref?.slice('#/components/schemas/'.length);
  }

  readonly #annotated = new Map<string, string>();

  #annotate(owner: string, key: string, prop: Schema, ext: string, value: unknown): void {
    const id = `${owner}.${key}/${ext}`;
    const v = JSON.stringify(value);
    const prev = this.#annotated.get(id);
    if (prev !== undefined && prev !== v) throw new Error(`conflicting ${ext} for ${owner}.${key}: ${prev} vs ${v}`);
    this.#annotated.set(id, v);
    prop[ext] = value;
  }

  /** Walk component `name` alongside its SMP metadata and SSA shape, annotating properties. */
  annotate(name: string, smp: SmpType | undefined, shape: Shape | undefined, seen = new Set<string>()): void {
    const s = this.schemas.get(name);
    const props = s?.properties as Record<string, Schema> | undefined;
    if (!props) return;
    const smpFields = smp?.kind === 'struct' ? smp.fields : undefined;
    const shapeFields = shape?.fields;
    for (const [key, p] of Object.entries(props)) {
      const fs = smpFields?.[key];
      const fh = shapeFields?.[key];
      if (!fs && !fh) continue;
      const visit = `${name}.${key}`;
      if (seen.has(visit)) continue;
      const inner = new Set(seen).add(visit);
      let target: Schema = p;
      if (fs?.kind === 'list' && fs.strategy === 'merge') {
        this.#annotate(name, key, p, 'x-kubernetes-patch-strategy', fs.retainKeys ? 'merge,retainKeys' : 'merge');
        if (fs.mergeKey) this.#annotate(name, key, p, 'x-kubernetes-patch-merge-key', fs.mergeKey);
      }
      if (fs?.kind === 'struct' && fs.retainKeys) this.#annotate(name, key, p, 'x-kubernetes-patch-strategy', 'retainKeys');
      if (fh?.list && p.type === 'array') {
        this.#annotate(name, key, p, 'x-kubernetes-list-type', fh.list.type);
        if (fh.list.type === 'map') this.#annotate(name, key, p, 'x-kubernetes-list-map-keys', fh.list.keys);
      }
      if (fh?.atomic && p.type !== 'array') this.#annotate(name, key, p, 'x-kubernetes-map-type', 'atomic');
      let childSmp: SmpType | undefined = fs;
      let childShape: Shape | undefined = fh;
      if (p.type === 'array') {
        target = p.items as Schema;
        childSmp = fs?.kind === 'list' ? fs.items : undefined;
        childShape = fh?.items;
      } else if (p.additionalProperties) {
        target = p.additionalProperties as Schema;
        childSmp = fs?.kind === 'map' ? fs.values : undefined;
        childShape = fh?.values;
      }
      const next = this.#target(target);
      if (next && (childSmp || childShape)) this.annotate(next, childSmp, childShape, inner);
    }
  }
}

function propName(m: ts.PropertySignature): string {
  return ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
}

/** A property's schema with its description: references are wrapped in allOf, as upstream does. */
function withDescription(t: Schema, description: string | undefined): Schema {
  const d = description ? { description } : {};
  if (t.$ref) return { allOf: [t], ...d };
  return { ...d, ...t };
}

/** The generated file's text: one schema per line, sorted by name, so diffs stay readable. */
export function renderBuiltinSchemas(): string {
  const g = new Generator();
  const kinds: string[] = [];
  for (const rt of BUILTIN_RESOURCES) kinds.push(g.addKind(rt.group, rt.version, rt.kind));
  g.drain();
  BUILTIN_RESOURCES.forEach((rt, i) => g.annotate(kinds[i]!, builtinSmpSchema(rt.group, rt.kind) ?? DEFAULT_SMP_SCHEMA, builtinShape(rt.group, rt.kind)));
  const names = [...g.schemas.keys()].sort();
  const lines = [
    `"": ${JSON.stringify(`Generated by scripts/gen-openapi.ts from kubernetes-types ${g.version()} and the server's patch tables. Do not edit: run node --import tsx scripts/gen-openapi.ts`)}`,
    ...names.map((n) => `${JSON.stringify(n)}: ${JSON.stringify(g.schemas.get(n))}`),
  ];
  return `{\n${lines.join(',\n')}\n}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(BUILTINS_PATH, renderBuiltinSchemas());
  process.stdout.write(`wrote ${BUILTINS_PATH}\n`);
}
