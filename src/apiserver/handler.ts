/**
 * HTTP dispatch for the Kubernetes API: health and version, discovery, OpenAPI, metrics, and
 * the resource verbs. Authentication happens here; every failure leaves as a Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errors, StatusError } from './errors.js';
import { Discovery, AGGREGATED_CONTENT_TYPE } from './discovery.js';
import { OpenAPI } from './openapi.js';
import { parseRequestPath } from './requestinfo.js';
import type { RestRegistry } from './registry/rest.js';
import type { ResourceRegistry } from './resources/registry.js';
import { sendError, sendJSON } from './http/respond.js';
import { handleBinding, handleCreate, handleDelete, handleDeleteCollection, handleGet, handleList, handlePatch, handleUpdate, type ResourceRequest } from './handlers/resource.js';
import { handleWatch, type WatchConfig } from './handlers/watch.js';
import type { ApiMetrics } from './metrics.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export type Authenticator = (authorization: string | undefined) => { user: string; groups: string[] } | null;

/** Extra routes (e.g. a simulator's admin API) get the first look at every authenticated request. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, url: RequestURL) => boolean | Promise<boolean>;

/** The parts of a request target the handler reads; cheaper than a WHATWG URL per request. */
export interface RequestURL {
  pathname: string;
  searchParams: URLSearchParams;
}

const PLAIN_PATH = /^(\/[\w\-.~:@!$&'()*+,;=]+)*\/?$/;
const DOT_SEGMENT = /\/\.\.?(\/|$)/;
// Spaces, controls, non-ASCII, fragments and backslashes: left to URL's rules.
const ODD_TARGET = /[^\x21-\x7e]|[#\\]/;

export function requestURL(target: string | undefined): RequestURL {
  const t = target || '/';
  const q = t.indexOf('?');
  const raw = q < 0 ? t : t.slice(0, q);
  // URL normalises percent-escapes, dot segments, backslashes and empty segments; a path of
  // plain segments (every API path clients send) is already what it would return.
  const plain = raw.startsWith('/') && PLAIN_PATH.test(raw) && !DOT_SEGMENT.test(raw);
  if (!plain || ODD_TARGET.test(t)) return new URL(t, 'https://localhost');
  return { pathname: raw, searchParams: new URLSearchParams(q < 0 ? '' : t.slice(q)) };
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/healthz/', '/livez/', '/readyz/', '/version/']);

export class ApiHandler {
  readonly discovery: Discovery;
  readonly openapi: OpenAPI;
  extraRoutes: ExtraRoute[] = [];
  ready = false;
  /** Pre-request hook (simulated latency and faults). Throwing a StatusError answers with it. */
  beforeRequest?: (req: IncomingMessage) => void | Promise<void>;

  constructor(
    readonly registry: RestRegistry,
    readonly resources: ResourceRegistry,
    readonly metrics: ApiMetrics,
    readonly log: Logger,
    readonly version: VersionInfo,
    readonly watchConfig: WatchConfig,
    readonly authenticate: Authenticator | null,
  ) {
    this.discovery = new Discovery(resources);
    this.openapi = new OpenAPI(resources);
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const start = process.hrtime.bigint();
    let verb = (req.method ?? 'GET').toUpperCase();
    let group = '';
    let resource = '';
    let subresource = '';
    const done = (code: number) => {
      const labels = { verb, group, resource };
      this.metrics.requests.inc({ ...labels, subresource, code: String(code) });
      if (verb !== 'WATCH') this.metrics.latency.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      if (code >= 500) this.log.error({ verb, path: req.url, code }, 'request failed');
      else this.log.debug({ verb, path: req.url, code }, 'request');
    };
    this.#route(req, res, (v, g, r, s) => {
      verb = v;
      group = g;
      resource = r;
      subresource = s;
    }).then(done, (e) => {
      if (!(e instanceof StatusError)) this.log.error({ err: e, path: req.url }, 'unexpected error');
      done(sendError(res, e));
    });
  };

  async #route(req: IncomingMessage, res: ServerResponse, label: (verb: string, group: string, resource: string, sub: string) => void): Promise<number> {
    const url = requestURL(req.url);
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    if (PUBLIC_PATHS.has(path)) {
      if (path.startsWith('/version')) return send(res, 200, this.version);
      if (path.startsWith('/readyz') && !this.ready) return send(res, 503, 'not ready', 'text/plain');
      return send(res, 200, 'ok', 'text/plain');
    }
    if (this.authenticate && !this.authenticate(req.headers.authorization)) throw errors.unauthorized();
    await this.beforeRequest?.(req);
    for (const route of this.extraRoutes) if (await route(req, res, url)) return res.statusCode;

    if (path === '/metrics') {
      const body = await this.metrics.registry.metrics();
      return send(res, 200, body, this.metrics.registry.contentType);
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return send(res, 200, this.openapi.index());
    if (path.startsWith('/openapi/v3/')) {
      const rest = path.slice('/openapi/v3/'.length).split('/');
      const doc = rest[0] === 'api' ? this.openapi.document('', rest[1] ?? '') : this.openapi.document(rest[1] ?? '', rest[2] ?? '');
      if (!doc) throw errors.noResource();
      res.setHeader('ETag', `"${doc.hash}"`);
      if (url.searchParams.get('hash') === doc.hash) res.setHeader('Cache-Control', 'public, immutable');
      if (req.headers['if-none-match'] === `"${doc.hash}"`) return send(res, 304, '');
      return send(res, 200, doc.body);
    }
    if (path.startsWith('/openapi/')) throw errors.noResource();

    const info = parseRequestPath(path);
    if (!info.prefix) throw errors.noResource();
    if (!info.isResource) {
      if (method !== 'GET') throw errors.methodNotAllowed(method, path);
      const aggregated = req.headers.accept?.includes('as=APIGroupDiscoveryList') ?? false;
      if (info.prefix === 'api' && !info.version) {
        if (aggregated) return send(res, 200, this.discovery.aggregated(true), AGGREGATED_CONTENT_TYPE);
        return send(res, 200, this.discovery.apiVersions());
      }
      if (info.prefix === 'apis' && !info.group) {
        if (aggregated) return send(res, 200, this.discovery.aggregated(false), AGGREGATED_CONTENT_TYPE);
        return send(res, 200, this.discovery.apiGroupList());
      }
      if (info.prefix === 'apis' && !info.version) {
        const g = this.discovery.apiGroup(info.group);
        if (!g) throw errors.noResource();
        return send(res, 200, g);
      }
      const rl = info.parts.length <= (info.prefix === 'api' ? 2 : 3) ? this.discovery.resourceList(info.group, info.version) : undefined;
      if (!rl) throw errors.noResource();
      return send(res, 200, rl);
    }

    const rt = this.resources.lookup(info.group, info.version, info.resource);
    if (!rt) throw errors.noResource();
    if (info.namespace && !rt.namespaced) throw errors.noResource();
    const r: ResourceRequest = { req, res, rt, namespace: info.namespace, name: info.name, subresource: info.subresource, query: url.searchParams };
    const watch = info.legacyWatch || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = method === 'GET' ? (watch ? 'WATCH' : info.name ? 'GET' : 'LIST') : method === 'DELETE' && !info.name ? 'DELETECOLLECTION' : method;
    label(verb, rt.group, rt.resource, info.subresource);
    if (info.name && rt.namespaced && !info.namespace) throw errors.noResource();
    const reg = this.registry;
    switch (verb) {
      case 'WATCH':
        if (info.subresource) throw errors.methodNotAllowed('watch', info.subresource);
        return handleWatch(reg, r, this.watchConfig, this.metrics);
      case 'LIST':
        return handleList(reg, r);
      case 'GET':
        return handleGet(reg, r);
      case 'POST':
        if (info.name && rt.group === '' && rt.resource === 'pods' && info.subresource === 'binding') return handleBinding(reg, r);
        if (info.name) throw errors.methodNotAllowed('POST', `${rt.resource}/${info.name}`);
        return handleCreate(reg, r);
      case 'PUT':
        if (!info.name) throw errors.methodNotAllowed('PUT', rt.resource);
        return handleUpdate(reg, r);
      case 'PATCH':
        if (!info.name) throw errors.methodNotAllowed('PATCH', rt.resource);
        return handlePatch(reg, r);
      case 'DELETE':
        return handleDelete(reg, r);
      case 'DELETECOLLECTION':
        return handleDeleteCollection(reg, r);
      default:
        throw errors.methodNotAllowed(method, rt.resource);
    }
  }
}

function send(res: ServerResponse, code: number, body: string | object, contentType = 'application/json'): number {
  sendJSON(res, code, body, contentType);
  return code;
}
