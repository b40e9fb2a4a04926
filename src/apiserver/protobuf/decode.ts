/**
 * Request bodies in `application/vnd.kubernetes.protobuf`, turned into the object the JSON body
 * of the same request would have carried. kubectl's `create <generator>` subcommands and every
 * client-go >= 1.32 typed client send them; replies stay JSON, which those clients accept.
 *
 * Wire format: the bytes `k8s\0`, then runtime.Unknown{typeMeta, raw, contentEncoding,
 * contentType}; raw is the gogo-protobuf message of the kind typeMeta names. gogo writes every
 * value (non-pointer) field, zero or not, so the conversion applies Go's encoding/json rules per
 * field (see schema.ts): omitempty drops zeros, pointers keep them, value structs are always
 * written (`strategy: {}`, `resources: {}`, `status: {}`), nil lists without omitempty are null.
 * One deliberate difference: a zero metav1.Time with omitempty (creationTimestamp) is left out
 * where Go would write null; the server sets the real value anyway.
 */
import type { Field, Message, Type } from 'protobufjs';
import { errors, StatusError } from '../errors.js';
import { schema } from './registry.js';
import type { FieldFlags, Schema } from './schema.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from('k8s\0', 'latin1');

/** Returned by a field conversion to mean "Go would not write this key". */
const OMIT = Symbol('omit');
/** Returned by a special-type conversion for its zero value (written as null, or omitted). */
const ZERO = Symbol('zero');

type JSONValue = unknown;
type Special = (v: any) => JSONValue | typeof ZERO;

/** Decode one protobuf request body. Throws StatusError only: 400 for malformed bytes, 415 for kinds without a schema. */
export function decodeProtobufObject(buf: Buffer): any {
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    throw errors.badRequest('the body of the request is not a Kubernetes protobuf object: it does not begin with the "k8s\\x00" prefix');
  const s = schema();
  const envelope = decodeOrThrow(s.root.lookupType('k8s.runtime.Unknown'), buf.subarray(MAGIC.length)) as any;
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? '';
  const kind: string = envelope.typeMeta?.kind ?? '';
  if (!apiVersion || !kind) throw errors.badRequest("Object 'Kind' is missing in the protobuf envelope (typeMeta needs apiVersion and kind)");
  if (envelope.contentEncoding) throw unsupported(`protobuf content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
  if (envelope.contentType && envelope.contentType !== PROTOBUF_MEDIA_TYPE)
    throw unsupported(`protobuf envelope content type ${JSON.stringify(envelope.contentType)} is not supported`);
  const type = s.kinds.get(`${apiVersion}/${kind}`);
  if (!type) throw unsupported(`protobuf is not supported for ${kind} (${apiVersion}); send it as application/json`);
  const msg = decodeOrThrow(type, envelope.raw ?? new Uint8Array());
  let body: Record<string, JSONValue>;
  try {
    body = messageToJSON(s, type, msg);
  } catch (e) {
    throw asBadRequest(e);
  }
  // TypeMeta is inlined first in every Go object, so kind and apiVersion lead the JSON too.
  return { kind, apiVersion, ...body };
}

function decodeOrThrow(type: Type, bytes: Uint8Array): Message {
  try {
    return type.decode(bytes);
  } catch (e) {
    throw asBadRequest(e);
  }
}

function asBadRequest(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  return errors.badRequest(`the body of the request could not be decoded as protobuf: ${(e as Error)?.message ?? String(e)}`);
}

function unsupported(why: string): StatusError {
  return new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - ${why}`);
}

function messageToJSON(s: Schema, type: Type, msg: Message): Record<string, JSONValue> {
  const out: Record<string, JSONValue> = {};
  for (const field of type.fieldsArray) {
    const flags = s.flags(field);
    const value = fieldToJSON(s, field, flags, msg);
    if (value === OMIT) continue;
    if (flags.inline) Object.assign(out, value);
    else out[field.name] = value;
  }
  return out;
}

function fieldToJSON(s: Schema, field: Field, flags: FieldFlags, msg: Message): JSONValue | typeof OMIT {
  const v = (msg as any)[field.name];
  if (field.map) {
    // Go's encoding/json writes map keys sorted.
    const keys = Object.keys(v ?? {}).sort();
    if (!keys.length) return flags.required ? null : OMIT;
    const out: Record<string, JSONValue> = {};
    for (const k of keys) out[k] = elementToJSON(s, field, v[k]);
    return out;
  }
  if (field.repeated) {
    if (!v?.length) return flags.required ? null : OMIT;
    return (v as unknown[]).map((e) => elementToJSON(s, field, e));
  }
  const present = Object.prototype.hasOwnProperty.call(msg, field.name) && v != null;
  const sub = messageType(field);
  if (sub) {
    // A value struct is always on the wire from gogo; only pointers (or other encoders) leave it out.
    if (!present) return flags.required ? null : OMIT;
    const special = SPECIALS[sub.fullName];
    if (special) {
      const j = special(v);
      if (j !== ZERO) return j;
      // Go writes a zero Time as null; for the omitempty value ones (creationTimestamp) we leave it out.
      return flags.required || flags.pointer ? null : OMIT;
    }
    return messageToJSON(s, sub, v);
  }
  if (!present) return flags.required ? (flags.pointer ? null : zeroOf(field.type)) : OMIT;
  const j = scalarToJSON(field.type, v);
  if (!flags.pointer && !flags.required && isZero(j)) return OMIT;
  return j;
}

function elementToJSON(s: Schema, field: Field, v: unknown): JSONValue {
  const sub = messageType(field);
  if (!sub) return scalarToJSON(field.type, v);
  const special = SPECIALS[sub.fullName];
  if (special) {
    const j = special(v);
    return j === ZERO ? null : j;
  }
  return messageToJSON(s, sub, v as Message);
}

function messageType(field: Field): Type | null {
  const t = field.resolvedType;
  // Enums never occur in Kubernetes protos; anything resolved is a message Type.
  return t && 'fieldsArray' in t ? (t as Type) : null;
}

function scalarToJSON(type: string, v: unknown): JSONValue {
  switch (type) {
    case 'int64':
      return toNumber(v);
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    default:
      return v;
  }
}

function zeroOf(type: string): JSONValue {
  switch (type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

function isZero(v: JSONValue): boolean {
  return v === '' || v === 0 || v === false;
}

/** int64 arrives as a Long; JSON numbers are doubles, exact up to 2^53 like any JS client sees them. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
}

function timeToJSON(v: any, micro: boolean): string | typeof ZERO {
  const seconds = toNumber(v.seconds);
  const nanos = toNumber(v.nanos);
  if (seconds === 0 && nanos === 0) return ZERO;
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  // Go refuses to marshal years outside [0,9999]; so do we, rather than write a non-RFC 3339 string.
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw errors.badRequest(`time ${seconds}s is outside the range RFC 3339 can express`);
  const base = d.toISOString().slice(0, 19);
  // metav1.Time is written with second precision, MicroTime with microseconds.
  return micro ? `${base}.${String(Math.floor(Math.max(0, nanos) / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

function rawJSON(v: any): JSONValue {
  const raw: Uint8Array | undefined = v.raw ?? v.Raw;
  if (!raw?.length) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (e) {
    throw errors.badRequest(`embedded raw object is not valid JSON: ${(e as Error).message}`);
  }
}

/** Messages whose Go types marshal to JSON by hand instead of field by field. */
const SPECIALS: Record<string, Special> = {
  '.k8s.meta.Time': (v) => timeToJSON(v, false),
  '.k8s.meta.MicroTime': (v) => timeToJSON(v, true),
  // The zero Quantity marshals as "0".
  '.k8s.resource.Quantity': (v) => (v.string ? v.string : '0'),
  '.k8s.intstr.IntOrString': (v) => (toNumber(v.type) === 1 ? (v.strVal ?? '') : (v.intVal ?? 0)),
  '.k8s.runtime.RawExtension': rawJSON,
  '.k8s.meta.FieldsV1': rawJSON,
};
