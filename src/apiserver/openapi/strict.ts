/**
 * Strict field validation for built-in kinds, from the generated schemas (./builtins.json):
 * kubectl (≥1.27) leaves unknown-field checks to a server whose OpenAPI advertises
 * fieldValidation and sends fieldValidation=Strict, so the server must refuse
 * `spec.replicaz` the way kube's strict decoder does:
 *   400 `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
 *        unknown field "spec.replicaz"`.
 * Free-form places (maps, embedded raw JSON, x-kubernetes-preserve-unknown-fields) accept any
 * key. Fields the stored object already had are not the client's doing and are not reported.
 * Custom resources are the CRD code's (it prunes and reports from the CRD's schema).
 */
import { errors } from '../errors.js';
import type { Admission } from '../registry/rest.js';
import type { ResourceType } from '../resources/types.js';
import { builtinSchemas, type Schema } from './builtins.js';

const REF = '#/components/schemas/';

function resolve(s: Schema | undefined, schemas: ReadonlyMap<string, Schema>): Schema | undefined {
  for (let i = 0; s && i < 8; i++) {
    const ref = (s.$ref ?? (Array.isArray(s.allOf) && s.allOf.length === 1 ? (s.allOf[0] as Schema).$ref : undefined)) as string | undefined;
    if (!ref) return s;
    s = schemas.get(ref.slice(REF.length));
  }
  return s;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The paths (kube's spelling: a.b[0].c) of fields `obj` has that the schema does not declare. */
export function unknownFields(schema: Schema, obj: unknown, schemas: ReadonlyMap<string, Schema> = builtinSchemas().schemas): string[] {
  const out: string[] = [];
  const walk = (raw: Schema | undefined, v: unknown, path: string): void => {
    const s = resolve(raw, schemas);
    if (!s || s['x-kubernetes-preserve-unknown-fields'] === true) return;
    if (Array.isArray(v)) {
      if (s.items) v.forEach((x, i) => walk(s.items as Schema, x, `${path}[${i}]`));
      return;
    }
    if (!isObject(v)) return;
    const props = s.properties as Record<string, Schema> | undefined;
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      for (const [k, x] of Object.entries(v)) walk(s.additionalProperties as Schema, x, path ? `${path}.${k}` : k);
      return;
    }
    if (!props) return; // an object of any shape (RawExtension, FieldsV1)
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (Object.hasOwn(props, k)) walk(props[k], x, p);
      else out.push(p);
    }
  };
  walk(schema, obj, '');
  return out;
}

/**
 * Refuses unknown fields on built-in kinds under fieldValidation=Strict (400, as upstream); under
 * Warn (the default) each one is a warning. Unlike upstream's typed decoding, the fields are kept.
 */
export function strictFieldsAdmission(): Admission {
  return {
    mutate(rt: ResourceType, obj, old, o) {
      // Warn is the server's default when a client sends no fieldValidation (client-node).
      if (o.fieldValidation === 'Ignore' || rt.custom || o.subresource === 'scale') return;
      const { schemas, byGVK } = builtinSchemas();
      const name = byGVK.get(`${rt.group}/${rt.version}/${rt.kind}`);
      const schema = name ? schemas.get(name) : undefined;
      if (!schema) return;
      let unknown = unknownFields(schema, obj, schemas);
      if (!unknown.length) return;
      if (old) {
        const inherited = new Set(unknownFields(schema, old, schemas));
        unknown = unknown.filter((p) => !inherited.has(p));
        if (!unknown.length) return;
      }
      if (o.fieldValidation !== 'Strict') {
        for (const f of unknown) o.warnings?.push(`unknown field "${f}"`);
        return;
      }
      throw errors.badRequest(
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    },
  };
}
