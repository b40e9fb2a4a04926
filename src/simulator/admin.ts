/**
 * The simulator's admin endpoint: HTTPS with the fleet's CA, a bearer token of its own, and
 * a small JSON API to look at clusters and switch faults at runtime:
 *   GET  /clusters                     every cluster's URL and fault state
 *   GET  /clusters/{name}              one cluster
 *   POST /clusters/{name}/fault        {mode: down|up|partition|heal|slow|errors|node-failure, latencyMs?, rate?}
 * Errors are Kubernetes Status objects, like the API servers'.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { CertAndKey } from '../pki/certs.js';
import { constantTimeEqual, parseBearer } from '../pki/tokens.js';
import type { SimCluster } from './cluster.js';
import { validateFault } from './faults.js';

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

async function readJSON(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'RequestEntityTooLarge', 'request body too large');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new HttpError(400, 'BadRequest', 'request body is not valid JSON');
  }
}

export interface AdminServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startAdminServer(opts: {
  clusters: ReadonlyMap<string, SimCluster>;
  token: string;
  cert: CertAndKey;
  port?: number;
  bind?: string;
  log: Logger;
}): Promise<AdminServer> {
  const view = (c: SimCluster) => ({ name: c.name, url: c.url, state: c.state });
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname.replace(/\/+$/, '');
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    const token = parseBearer(req.headers.authorization);
    if (!token || !constantTimeEqual(token, opts.token)) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    const m = /^\/clusters(?:\/([^/]+)(\/fault)?)?$/.exec(path);
    if (!m) throw new HttpError(404, 'NotFound', `no such endpoint: ${path}`);
    const [, name, fault] = m;
    if (!name) {
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${req.method} not allowed on /clusters`);
      return send(res, 200, { clusters: [...opts.clusters.values()].map(view) });
    }
    const cluster = opts.clusters.get(decodeURIComponent(name));
    if (!cluster) throw new HttpError(404, 'NotFound', `no simulated cluster named ${JSON.stringify(decodeURIComponent(name))} (have: ${[...opts.clusters.keys()].join(', ')})`);
    if (!fault) {
      if (req.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${req.method} not allowed here`);
      return send(res, 200, view(cluster));
    }
    if (req.method !== 'POST') throw new HttpError(405, 'MethodNotAllowed', 'use POST to change faults');
    let request;
    try {
      request = validateFault(await readJSON(req));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'BadRequest', (e as Error).message);
    }
    let result;
    try {
      result = await cluster.fault(request);
    } catch (e) {
      throw new HttpError(409, 'Conflict', (e as Error).message);
    }
    opts.log.info({ cluster: cluster.name, mode: request.mode }, 'fault changed through the admin endpoint');
    send(res, 200, { name: cluster.name, url: cluster.url, ...result });
  };

  const sockets = new Set<Socket>();
  const server = createServer({ key: opts.cert.keyPem, cert: opts.cert.certPem }, (req, res) => {
    route(req, res).catch((e) => {
      const err = e instanceof HttpError ? e : new HttpError(500, 'InternalError', (e as Error).message);
      if (err.code >= 500) opts.log.error({ err: e }, 'admin request failed');
      if (!res.headersSent) send(res, err.code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code });
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.bind ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.bind && opts.bind !== '0.0.0.0' && opts.bind !== '::' ? opts.bind : '127.0.0.1';
  return {
    server,
    port,
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
