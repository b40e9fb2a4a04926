/**
 * The one Kubernetes client Flotilla's controllers, simulator and CLI use: plain REST over
 * HTTPS (undici, keep-alive pool), any resource by group/version/resource, errors as ApiError
 * carrying the server's Status. It speaks to Flotilla's API server and to real clusters alike.
 */
import { createSecureContext } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { loadKubeconfig, type ResolvedKubeconfig } from './kubeconfig.js';

export interface ResourceRef {
  group: string;
  version: string;
  /** Plural: "deployments". */
  resource: string;
  namespaced: boolean;
}

export const ref = (apiVersion: string, resource: string, namespaced = true): ResourceRef => {
  const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group: g!, version: v!, resource, namespaced };
};

export interface ObjectList<T> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export interface WatchEvent<T = any> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';
const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface WriteOptions {
  namespace?: string;
  subresource?: string;
  dryRun?: boolean;
  fieldManager?: string;
  force?: boolean;
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** A non-2xx answer: the HTTP code and the server's Status. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: any,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;
export const isConflict = (e: unknown) => e instanceof ApiError && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown) => e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';

export interface ClientConfig {
  server: string;
  caPem?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  insecureSkipTLSVerify?: boolean;
  /** Sent as the default fieldManager and User-Agent. */
  userAgent?: string;
  /** Per-request timeout for non-watch calls (default 30 s). */
  timeoutMs?: number;
  connections?: number;
}

export class KubeClient {
  readonly #dispatcher: Dispatcher;
  readonly #headers: Record<string, string>;
  readonly base: string;

  constructor(readonly config: ClientConfig) {
    this.base = config.server.replace(/\/+$/, '');
    const isHttps = this.base.startsWith('https:');
    this.#dispatcher = new Agent({
      connections: config.connections ?? 32,
      keepAliveTimeout: 30_000,
      connect: {
        ca: config.caPem,
        cert: config.clientCertPem,
        key: config.clientKeyPem,
        // Built once: otherwise every new connection parses the CA and key again (connections
        // come and go as servers close idle keep-alives, and a controller talks to many members).
        ...(isHttps ? sharedSecureContext(config) : {}),
        rejectUnauthorized: !config.insecureSkipTLSVerify,
      },
    });
    this.#headers = { 'user-agent': config.userAgent ?? 'flotilla' };
    if (config.token) this.#headers.authorization = `Bearer ${config.token}`;
  }

  static fromKubeconfig(path?: string, context?: string, extra: Partial<ClientConfig> = {}): KubeClient {
    const k: ResolvedKubeconfig = loadKubeconfig(path, { context });
    return new KubeClient({ server: k.server, caPem: k.caPem, token: k.token, clientCertPem: k.clientCertPem, clientKeyPem: k.clientKeyPem, insecureSkipTLSVerify: k.insecureSkipTLSVerify, ...extra });
  }

  path(r: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
    let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${r.resource}`;
    if (name) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  /** A raw request; returns the parsed JSON body (or text when it is not JSON). */
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const timeout = AbortSignal.timeout(this.config.timeoutMs ?? 30_000);
    const res = await this.#dispatcher
      .request({
        origin: this.base,
        method: method as Dispatcher.HttpMethod,
        path,
        body: payload,
        headers: { ...this.#headers, accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
      .catch((e: Error) => {
        throw new ApiError(0, 'ConnectionError', `${method} ${path}: ${e.message}`);
      });
    const text = await res.body.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (res.statusCode >= 300) {
      const status = typeof json === 'object' ? json : undefined;
      throw new ApiError(res.statusCode, status?.reason ?? 'Unknown', status?.message ?? `${method} ${path}: HTTP ${res.statusCode}`, status);
    }
    return json as T;
  }

  get<T = any>(r: ResourceRef, name: string, namespace?: string, subresource?: string): Promise<T> {
    return this.request('GET', this.path(r, namespace, name, subresource));
  }

  list<T = any>(r: ResourceRef, o: ListOptions = {}): Promise<ObjectList<T>> {
    return this.request('GET', this.path(r, o.namespace) + query({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue, resourceVersion: o.resourceVersion }));
  }

  /** Lists every page. */
  async listAll<T = any>(r: ResourceRef, o: ListOptions = {}): Promise<ObjectList<T>> {
    const first = await this.list<T>(r, { ...o, limit: o.limit ?? 500 });
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(r, { ...o, limit: o.limit ?? 500, continue: cont, resourceVersion: undefined });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create<T = any>(r: ResourceRef, obj: any, o: WriteOptions = {}): Promise<T> {
    const ns = o.namespace ?? obj?.metadata?.namespace;
    return this.request('POST', this.path(r, ns, undefined, undefined) + writeQuery(o), obj);
  }

  update<T = any>(r: ResourceRef, obj: any, o: WriteOptions = {}): Promise<T> {
    const ns = o.namespace ?? obj?.metadata?.namespace;
    return this.request('PUT', this.path(r, ns, obj.metadata.name, o.subresource) + writeQuery(o), obj);
  }

  patch<T = any>(r: ResourceRef, name: string, patch: unknown, type: PatchType, o: WriteOptions = {}): Promise<T> {
    return this.request('PATCH', this.path(r, o.namespace, name, o.subresource) + writeQuery(o), patch, { 'content-type': PATCH_CONTENT_TYPES[type] });
  }

  /** Server-side apply of a whole object. */
  apply<T = any>(r: ResourceRef, obj: any, o: WriteOptions & { fieldManager: string }): Promise<T> {
    return this.patch(r, obj.metadata.name, obj, 'apply', { ...o, namespace: o.namespace ?? obj.metadata.namespace });
  }

  delete<T = any>(r: ResourceRef, name: string, o: DeleteOptions = {}): Promise<T> {
    const body: any = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.preconditions) body.preconditions = o.preconditions;
    return this.request('DELETE', this.path(r, o.namespace, name), body);
  }

  /**
   * Streams watch events to onEvent until the server ends the stream (resolves), the signal
   * aborts (resolves), or the connection fails (rejects with ApiError).
   */
  async watch<T = any>(r: ResourceRef, o: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    const q = query({
      watch: 'true',
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      resourceVersion: o.resourceVersion,
      allowWatchBookmarks: o.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: o.timeoutSeconds,
      sendInitialEvents: o.sendInitialEvents ? 'true' : undefined,
      resourceVersionMatch: o.sendInitialEvents ? 'NotOlderThan' : undefined,
    });
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#dispatcher.request({ origin: this.base, method: 'GET', path: this.path(r, o.namespace) + q, headers: { ...this.#headers, accept: 'application/json' }, signal });
    } catch (e) {
      if (signal?.aborted) return;
      throw new ApiError(0, 'ConnectionError', `watch ${r.resource}: ${(e as Error).message}`);
    }
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      let status: any;
      try {
        status = JSON.parse(text);
      } catch {
        status = undefined;
      }
      throw new ApiError(res.statusCode, status?.reason ?? 'Unknown', status?.message ?? `watch: HTTP ${res.statusCode}`, status);
    }
    // Lines are cut from each chunk where they end; only an unfinished tail is carried over, so
    // a chunk holding many events is scanned once. The decoder keeps a UTF-8 character split
    // between two chunks whole.
    const decoder = new TextDecoder();
    let buf = '';
    let handlerError: unknown;
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk, { stream: true });
        let start = 0;
        let i: number;
        while ((i = text.indexOf('\n', start)) >= 0) {
          const line = buf ? buf + text.slice(start, i) : text.slice(start, i);
          buf = '';
          start = i + 1;
          if (!line.trim()) continue;
          try {
            onEvent(JSON.parse(line));
          } catch (e) {
            // The handler's own error (e.g. an ERROR event turned into ApiError) ends the watch as is.
            handlerError = e;
            res.body.destroy();
            throw e;
          }
        }
        if (start < text.length) buf += text.slice(start);
      }
    } catch (e) {
      if (handlerError !== undefined) throw handlerError;
      if (signal?.aborted) return;
      throw new ApiError(0, 'ConnectionError', `watch ${r.resource}: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

/** One TLS context for all of a client's connections; none when the PEMs are bad (connect reports that). */
function sharedSecureContext(config: ClientConfig): { secureContext?: ReturnType<typeof createSecureContext> } {
  try {
    return { secureContext: createSecureContext({ ca: config.caPem, cert: config.clientCertPem, key: config.clientKeyPem }) };
  } catch {
    return {};
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function writeQuery(o: WriteOptions): string {
  return query({ dryRun: o.dryRun ? 'All' : undefined, fieldManager: o.fieldManager, force: o.force ? 'true' : undefined });
}
