/**
 * The REST verbs on a resource: list, get, create, update, patch, delete, deletecollection,
 * including the status and scale subresources and Table output for kubectl. Lists and single
 * objects are written from the cached JSON without re-serialising.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError, successStatus } from '../errors.js';
import { apiVersionOf, type ResourceType } from '../resources/types.js';
import type { RestRegistry, Scope, ListOptions, DeleteOptions, WriteOptions } from '../registry/rest.js';
import { servedJSON } from '../watchcache/object.js';
import { decodeBody, isObjectContentType, mediaType, readBody } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import { mergePatch, jsonPatch } from '../patch/merge.js';
import { applyPatch } from '../patch/apply.js';
import { strategicPatchFor } from '../patch/strategic.js';
import { parseLabelSelector } from '../../selectors/labels.js';
import { parseFieldSelector } from '../../selectors/fields.js';
import { toScale, applyScale } from './scale.js';
import { managerFromUserAgent } from '../patch/ssa/admission.js';
import { tableFor, wantsTable, wantsPartialMetadata, type TableOptions } from './table.js';
import type { Subresource } from '../registry/strategy.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../protobuf/decode.js';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  rt: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
  /** Warnings for the response (admission adds them; sent as `Warning: 299 - "..."` headers). */
  warnings?: string[];
}

export function parseListOptions(rt: ResourceType, q: URLSearchParams): ListOptions {
  const o: ListOptions = {};
  const ls = q.get('labelSelector');
  if (ls) {
    try {
      o.labelSelector = parseLabelSelector(ls);
    } catch (e) {
      throw errors.badRequest(`unable to parse requirement: ${(e as Error).message}`);
    }
  }
  const fs = q.get('fieldSelector');
  if (fs) {
    let sel;
    try {
      sel = parseFieldSelector(fs);
    } catch (e) {
      throw errors.badRequest(`invalid field selector: ${(e as Error).message}`);
    }
    for (const r of sel.requirements) {
      if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !rt.fields?.[r.field])
        throw errors.badRequest(`field label not supported: ${r.field}`);
    }
    o.fieldSelector = sel;
  }
  const limit = q.get('limit');
  if (limit) {
    if (!/^\d+$/.test(limit)) throw errors.badRequest(`invalid limit: ${JSON.stringify(limit)}`);
    o.limit = Number(limit);
  }
  o.continue = q.get('continue') ?? undefined;
  o.resourceVersion = q.get('resourceVersion') ?? undefined;
  o.resourceVersionMatch = q.get('resourceVersionMatch') ?? undefined;
  return o;
}

/** The fieldManager query parameter, or, as Kubernetes does, the first token of the User-Agent. */
function fieldManagerOf(r: ResourceRequest): string | undefined {
  return r.query.get('fieldManager') || managerFromUserAgent(r.req.headers['user-agent']);
}

function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (!v.length) return false;
  for (const x of v) if (x !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${x}": supported values: "All"`);
  return true;
}

function writeOptions(r: ResourceRequest): WriteOptions {
  r.warnings ??= [];
  return { dryRun: dryRun(r.query), fieldManager: fieldManagerOf(r), fieldValidation: fieldValidation(r.query), warnings: r.warnings };
}

function fieldValidation(q: URLSearchParams): WriteOptions['fieldValidation'] {
  const v = q.get('fieldValidation');
  if (v && v !== 'Strict' && v !== 'Warn' && v !== 'Ignore')
    throw errors.badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
  return (v || undefined) as WriteOptions['fieldValidation'];
}

function subresourceOf(rt: ResourceType, sub: string): Subresource {
  if (sub === '') return '';
  if (sub === 'status' && rt.subresources.status) return 'status';
  if (sub === 'scale' && rt.subresources.scale) return 'scale';
  throw errors.noResource();
}

function tableOptions(q: URLSearchParams): TableOptions {
  const inc = q.get('includeObject');
  if (inc && inc !== 'None' && inc !== 'Object' && inc !== 'PartialObjectMetadata')
    throw errors.badRequest(`includeObject: Unsupported value: "${inc}"`);
  return { includeObject: (inc as TableOptions['includeObject']) ?? 'PartialObjectMetadata' };
}

export async function handleList(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const { rt, req, res, query } = r;
  const result = await registry.list(rt, r.namespace, parseListOptions(rt, query));
  const meta: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continue) meta.continue = result.continue;
  const accept = req.headers.accept;
  if (wantsTable(accept)) {
    sendJSON(res, 200, tableFor(rt, result.items.map((o) => o.object()), { ...tableOptions(query), resourceVersion: meta.resourceVersion as string, continue: result.continue }));
    return 200;
  }
  if (wantsPartialMetadata(accept)) {
    sendJSON(res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: meta,
      items: result.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.object().metadata })),
    });
    return 200;
  }
  const head = `{"kind":${JSON.stringify(rt.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(rt))},"metadata":${JSON.stringify(meta)},"items":[`;
  sendJSON(res, 200, head + result.items.map((o) => servedJSON(rt, o.json)).join(',') + ']}');
  return 200;
}

function scope(r: ResourceRequest): Scope {
  return { rt: r.rt, namespace: r.namespace, name: r.name, subresource: subresourceOf(r.rt, r.subresource) };
}

/** Send one object, honouring Table / PartialObjectMetadata Accept headers. */
function sendObject(r: ResourceRequest, code: number, json: string): number {
  if (r.warnings?.length) r.res.setHeader('Warning', [...new Set(r.warnings)].map((w) => `299 - ${JSON.stringify(w)}`));
  const accept = r.req.headers.accept;
  if (wantsTable(accept) && r.subresource === '') {
    sendJSON(r.res, code, tableFor(r.rt, [JSON.parse(json)], tableOptions(r.query)));
  } else if (wantsPartialMetadata(accept)) {
    sendJSON(r.res, code, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: JSON.parse(json).metadata });
  } else sendJSON(r.res, code, servedJSON(r.rt, json));
  return code;
}

export async function handleGet(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const s = scope(r);
  const obj = await registry.get(s, r.query.get('resourceVersion') ?? undefined);
  if (s.subresource === 'scale') return sendObject(r, 200, JSON.stringify(toScale(r.rt, obj.object())));
  return sendObject(r, 200, obj.json);
}

async function objectBody(r: ResourceRequest): Promise<any> {
  const mt = mediaType(r.req.headers['content-type']);
  if (mt === PROTOBUF_MEDIA_TYPE) return decodeProtobufObject(await readBody(r.req));
  if (!isObjectContentType(mt)) throw errors.unsupportedMediaType(mt);
  const body = decodeBody(await readBody(r.req), mt);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be an object');
  return body;
}

export async function handleCreate(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  if (r.subresource) throw errors.methodNotAllowed('POST', `${r.rt.resource}/${r.subresource}`);
  const opts = writeOptions(r);
  const body = await objectBody(r);
  const result = await registry.create({ ...scope(r), name: body?.metadata?.name ?? '' }, body, opts);
  return sendObject(r, 201, result.json);
}

export async function handleUpdate(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const s = scope(r);
  const opts = writeOptions(r);
  const body = await objectBody(r);
  const bodyName = body.metadata?.name;
  if (bodyName !== undefined && bodyName !== r.name)
    throw errors.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${r.name})`);
  if (s.subresource === 'scale') {
    const result = await registry.update(s, (cur) => applyScale(r.rt, cur, body), opts);
    return sendObject(r, 200, JSON.stringify(toScale(r.rt, JSON.parse(result.json))));
  }
  const result = await registry.update(
    s,
    (cur) => {
      body.metadata ??= {};
      // A status update only reads .status; keep the rest of the body out of the comparison.
      if (s.subresource === 'status') return { ...cur, status: body.status, metadata: { ...cur.metadata, resourceVersion: body.metadata.resourceVersion } };
      return body;
    },
    opts,
  );
  return sendObject(r, 200, result.json);
}

export async function handlePatch(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const s = scope(r);
  const mt = mediaType(r.req.headers['content-type']);
  const force = r.query.get('force');
  if (force && mt !== 'application/apply-patch+yaml') throw errors.badRequest('force is only valid for apply patches');
  const opts = writeOptions(r);
  let apply: (cur: any) => any;
  switch (mt) {
    case 'application/merge-patch+json':
    case 'application/json-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/apply-patch+yaml':
      break;
    default:
      throw errors.unsupportedMediaType(mt);
  }
  const patch = decodeBody(await readBody(r.req), mt);
  if (mt === 'application/strategic-merge-patch+json' && r.rt.custom)
    throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  if (mt !== 'application/json-patch+json' && (patch === null || typeof patch !== 'object' || Array.isArray(patch)))
    throw errors.badRequest('the patch must be a JSON object');
  const patchObj = (cur: any) => {
    switch (mt) {
      case 'application/merge-patch+json':
        return mergePatch(cur, patch);
      case 'application/json-patch+json':
        return jsonPatch(cur, patch);
      case 'application/strategic-merge-patch+json':
        return strategicPatchFor(r.rt, cur, patch);
      default:
        return applyPatch(r.rt, cur, patch, { fieldManager: opts.fieldManager, force: force === 'true' });
    }
  };
  if (mt === 'application/apply-patch+yaml' && !r.query.get('fieldManager'))
    throw errors.invalid(r.rt.group, r.rt.kind, r.name, [{ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);

  if (s.subresource === 'scale') {
    apply = (cur) => {
      const scaleNow = toScale(r.rt, cur);
      return applyScale(r.rt, cur, patchObj(scaleNow));
    };
    const result = await registry.update(s, apply, opts);
    return sendObject(r, 200, JSON.stringify(toScale(r.rt, JSON.parse(result.json))));
  }
  apply = (cur) => {
    const rv = cur.metadata.resourceVersion;
    const next: any = patchObj(cur);
    // The patch may carry metadata.resourceVersion as a precondition; otherwise none applies.
    const patchedRV = next?.metadata?.resourceVersion;
    if (next?.metadata && patchedRV === rv && !patchHasRV(patch)) delete next.metadata.resourceVersion;
    if (s.subresource === 'status') return { ...cur, status: next.status, metadata: { ...cur.metadata, resourceVersion: next.metadata?.resourceVersion } };
    return next;
  };
  const createIfMissing =
    mt === 'application/apply-patch+yaml' && s.subresource === ''
      ? () => {
          const obj = structuredClone(patch as any);
          obj.metadata ??= {};
          obj.metadata.name ??= r.name;
          return applyPatch(r.rt, null, obj, { fieldManager: opts.fieldManager, force: force === 'true' });
        }
      : undefined;
  const result = await registry.update(s, apply, { ...opts, createIfMissing });
  return sendObject(r, result.created ? 201 : 200, result.json);
}

function patchHasRV(patch: unknown): boolean {
  if (Array.isArray(patch)) return patch.some((op: any) => typeof op?.path === 'string' && op.path === '/metadata/resourceVersion');
  return typeof (patch as any)?.metadata?.resourceVersion === 'string';
}

async function deleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const q = r.query;
  const o: DeleteOptions = { dryRun: dryRun(q) };
  const buf = await readBody(r.req);
  if (buf.length && buf.toString().trim()) {
    const ct = r.req.headers['content-type'] || 'application/json';
    const body: any = mediaType(ct) === PROTOBUF_MEDIA_TYPE ? decodeProtobufObject(buf) : decodeBody(buf, ct);
    if (body && typeof body === 'object') {
      if (body.kind && body.kind !== 'DeleteOptions') throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (DeleteOptions)`);
      if (body.gracePeriodSeconds !== undefined) o.gracePeriodSeconds = Number(body.gracePeriodSeconds);
      if (body.propagationPolicy) o.propagationPolicy = body.propagationPolicy;
      if (body.preconditions) o.preconditions = body.preconditions;
      if (Array.isArray(body.dryRun) && body.dryRun.length) {
        for (const x of body.dryRun) if (x !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${x}"`);
        o.dryRun = true;
      }
      if (body.orphanDependents === true) o.propagationPolicy = 'Orphan';
    }
  }
  const gp = q.get('gracePeriodSeconds');
  if (gp !== null) {
    if (!/^-?\d+$/.test(gp)) throw errors.badRequest(`invalid gracePeriodSeconds: ${gp}`);
    o.gracePeriodSeconds = Number(gp);
  }
  const pp = q.get('propagationPolicy');
  if (pp) o.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  if (o.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy))
    throw errors.badRequest(`propagationPolicy: Unsupported value: "${o.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  return o;
}

export async function handleDelete(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  if (r.subresource) throw errors.methodNotAllowed('DELETE', `${r.rt.resource}/${r.subresource}`);
  const o = await deleteOptions(r);
  const result = await registry.delete(scope(r), o);
  return sendObject(r, 200, result.json);
}

export async function handleDeleteCollection(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const o = await deleteOptions(r);
  const listOpts = parseListOptions(r.rt, r.query);
  delete listOpts.limit;
  delete listOpts.continue;
  const { items } = await registry.list(r.rt, r.namespace, listOpts);
  for (const obj of items) {
    try {
      await registry.delete({ rt: r.rt, namespace: obj.namespace, name: obj.name, subresource: '' }, o);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  sendJSON(r.res, 200, successStatus({ kind: r.rt.resource, group: r.rt.group }));
  return 200;
}

/** POST pods/NAME/binding: a scheduler assigns a pod to a node (once; it never moves). */
export async function handleBinding(registry: RestRegistry, r: ResourceRequest): Promise<number> {
  const body = await objectBody(r);
  const node = body?.target?.name;
  if (!node || (body.target.kind && body.target.kind !== 'Node'))
    throw errors.invalid('', 'Binding', r.name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value: a node name is required' }]);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await registry.update(
    { rt: r.rt, namespace: r.namespace, name: r.name, subresource: 'binding' },
    (pod) => {
      if (pod.spec?.nodeName && pod.spec.nodeName !== node)
        throw errors.conflict('', 'pods', r.name, `pod ${r.name} is already assigned to node "${pod.spec.nodeName}"`);
      if (pod.metadata.deletionTimestamp) throw errors.conflict('', 'pods', r.name, 'pod is being deleted, cannot be assigned to a host');
      pod.spec.nodeName = node;
      const conds = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
      pod.status = { ...(pod.status ?? {}), conditions: [...conds, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] };
      return pod;
    },
    { dryRun: dryRun(r.query) },
  );
  sendJSON(r.res, 201, successStatus());
  return 201;
}
