/** Writing responses: every response has a JSON Content-Type, errors are Status objects. */
import type { ServerResponse } from 'node:http';
import { StatusError, errors } from '../errors.js';
import { StoreError } from '../storage/store.js';

export function sendJSON(res: ServerResponse, code: number, body: string | object, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // A Cache-Control set before (immutable OpenAPI documents) is kept.
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-cache, private');
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  // Storage errors that reach here unmapped (watch setup, consistent-read waits): an outage is 503.
  if (e instanceof StoreError && e.code === 'Unavailable') return errors.unavailable(`storage is unavailable: ${e.message}`);
  if (e instanceof StoreError && e.code === 'Compacted') return errors.expired(e.message);
  return errors.internal((e as Error)?.message ?? String(e));
}

export function sendError(res: ServerResponse, e: unknown): number {
  const err = toStatusError(e);
  if (res.headersSent) {
    res.destroy();
    return err.code;
  }
  const headers: Record<string, string> = {};
  if (err.code === 429 || err.code === 503) headers['Retry-After'] = String(err.details?.retryAfterSeconds ?? 1);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJSON(res, err.code, err.toStatus());
  return err.code;
}
