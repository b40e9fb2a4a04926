/**
 * Test helper: encode an object the way client-go does, so decoder tests exercise the same bytes.
 * gogo-protobuf writes every non-pointer scalar field even when zero (`generateName: ""`,
 * `hostPort: 0`, `stdin: false`); `gogo` fills those in before encoding to reproduce that.
 */
import type { Type } from 'protobufjs';
import { schema } from './registry.js';

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Objects in protobufjs form: IntOrString as {type,intVal,strVal}, Time as {seconds}, bytes as Buffer. */
export type ProtoObject = Record<string, unknown>;

export function encodeObject(apiVersion: string, kind: string, obj: ProtoObject, opts: { gogo?: boolean } = {}): Buffer {
  const s = schema();
  const type = s.kinds.get(`${apiVersion}/${kind}`);
  if (!type) throw new Error(`no schema for ${apiVersion}/${kind}`);
  const raw = type.encode(opts.gogo === false ? obj : gogo(type, obj)).finish();
  return envelope({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' });
}

export function envelope(unknown: ProtoObject): Buffer {
  const u = schema().root.lookupType('k8s.runtime.Unknown');
  return Buffer.concat([MAGIC, u.encode(unknown).finish()]);
}

/** A copy of obj with the zero values gogo would write for unset non-pointer scalars. */
export function gogo(type: Type, obj: ProtoObject): ProtoObject {
  const s = schema();
  const out: ProtoObject = { ...obj };
  for (const f of type.fieldsArray) {
    const v = out[f.name];
    const sub = f.resolvedType && 'fieldsArray' in f.resolvedType ? (f.resolvedType as Type) : null;
    // Time is written as an empty message when zero: nothing to fill in.
    if (sub && (sub.fullName === '.k8s.meta.Time' || sub.fullName === '.k8s.meta.MicroTime')) continue;
    if (f.map) {
      if (sub && v) out[f.name] = Object.fromEntries(Object.entries(v as ProtoObject).map(([k, e]) => [k, gogo(sub, e as ProtoObject)]));
    } else if (f.repeated) {
      if (sub && Array.isArray(v)) out[f.name] = v.map((e) => gogo(sub, e as ProtoObject));
    } else if (sub) {
      if (v != null) out[f.name] = gogo(sub, v as ProtoObject);
    } else if (v === undefined && !s.flags(f).pointer) {
      out[f.name] = f.type === 'string' ? '' : f.type === 'bool' ? false : f.type === 'bytes' ? Buffer.alloc(0) : 0;
    }
  }
  return out;
}
