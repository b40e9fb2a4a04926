/**
 * Fault injection at a simulated cluster's API edge. Callers from outside reach the cluster
 * through its public HTTPS listener; the cluster's own simulated components use a second,
 * loopback-only listener. So a partition closes just the public listener (outside clients are
 * refused, pods keep running), and latency and error injection apply only to outside callers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { StatusError } from '../apiserver/errors.js';
import type { ApiHandler } from '../apiserver/handler.js';

export type FaultMode = 'down' | 'up' | 'partition' | 'heal' | 'slow' | 'errors' | 'node-failure';
export const FAULT_MODES: readonly FaultMode[] = ['down', 'up', 'partition', 'heal', 'slow', 'errors', 'node-failure'];

export interface FaultRequest {
  mode: FaultMode;
  /** slow: added to every outside API call (default 1000). */
  latencyMs?: number;
  /** errors: fraction of outside calls that fail (default 0.5); node-failure: fraction of nodes (default: one node). */
  rate?: number;
}

export interface FaultState {
  down: boolean;
  partitioned: boolean;
  latencyMs: number;
  errorRate: number;
  failedNodes: string[];
}

export const healthy = (): FaultState => ({ down: false, partitioned: false, latencyMs: 0, errorRate: 0, failedNodes: [] });

/** Checks a fault request from the CLI or the admin endpoint; the message names the bad field. */
export function validateFault(body: any): FaultRequest {
  if (!body || typeof body !== 'object') throw new Error('body must be a JSON object {mode, latencyMs?, rate?}');
  if (!FAULT_MODES.includes(body.mode)) throw new Error(`mode must be one of ${FAULT_MODES.join(', ')} (got ${JSON.stringify(body.mode)})`);
  if (body.latencyMs !== undefined && !(typeof body.latencyMs === 'number' && body.latencyMs >= 0 && body.latencyMs <= 600_000))
    throw new Error('latencyMs must be a number of milliseconds from 0 to 600000');
  if (body.rate !== undefined && !(typeof body.rate === 'number' && body.rate >= 0 && body.rate <= 1)) throw new Error('rate must be a number from 0 to 1');
  return { mode: body.mode, ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs } : {}), ...(body.rate !== undefined ? { rate: body.rate } : {}) };
}

/** The state after a request (node failures are applied by the cluster, which knows its nodes). */
export function nextState(s: FaultState, r: FaultRequest): FaultState {
  switch (r.mode) {
    case 'down':
      return { ...s, down: true };
    case 'partition':
      return { ...s, partitioned: true };
    case 'slow':
      return { ...s, latencyMs: r.latencyMs ?? 1000 };
    case 'errors':
      return { ...s, errorRate: r.rate ?? 0.5 };
    case 'node-failure':
      return s;
    case 'up':
    case 'heal':
      return healthy();
  }
}

/** Describes a state in one line for the CLI. */
export function describeState(name: string, s: FaultState): string {
  const parts: string[] = [];
  if (s.down) parts.push('down (API refusing connections, workloads stopped)');
  else if (s.partitioned) parts.push('partitioned (API unreachable from outside, workloads running)');
  if (s.latencyMs) parts.push(`slow (+${s.latencyMs}ms per API call)`);
  if (s.errorRate) parts.push(`errors (${Math.round(s.errorRate * 100)}% of API calls fail with 500/429)`);
  if (s.failedNodes.length) parts.push(`failed nodes: ${s.failedNodes.join(',')}`);
  return `${name}: ${parts.length ? parts.join('; ') : 'healthy'}`;
}

const internalRequests = new WeakSet<IncomingMessage>();

/**
 * The loopback listener for in-process components (plain HTTP: it never leaves the machine
 * and still needs the admin token). Its requests skip injected latency and errors.
 */
export async function listenInternal(handler: ApiHandler): Promise<{ server: Server; url: string; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  // No header/request timeouts: on a loaded process the event loop can lag for seconds, and
  // these callers are our own (a timeout would just reset their connections mid-request).
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 0, requestTimeout: 0 }, (req, res) => {
    internalRequests.add(req);
    handler.handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

/** The ApiHandler.beforeRequest hook: latency (configured + injected) and error injection for outside callers. */
export function faultHook(state: () => FaultState, baseLatencyMs: number, random: () => number = Math.random) {
  // Synchronous when there is nothing to do: this runs on every request, in-process ones included.
  return (req: IncomingMessage): void | Promise<void> => {
    if (internalRequests.has(req)) return;
    const s = state();
    const latency = baseLatencyMs + s.latencyMs;
    const fail = s.errorRate > 0 && random() < s.errorRate;
    if (fail && latency <= 0) throw injectedError(random);
    if (latency > 0)
      return new Promise((resolve, reject) =>
        setTimeout(() => (fail ? reject(injectedError(random)) : resolve()), latency),
      );
  };
}

function injectedError(random: () => number): StatusError {
  if (random() < 0.5) return new StatusError('InternalError', 'Internal error occurred: injected fault (flotilla sim errors)');
  return new StatusError('TooManyRequests', 'injected fault (flotilla sim errors): too many requests, please try again later', { retryAfterSeconds: 1 });
}

/** Closes a listening server now: no new connections, open ones destroyed. */
export function closeListener(server: Server | import('node:https').Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
}

export function reopenListener(server: Server | import('node:https').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
