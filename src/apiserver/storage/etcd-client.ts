/**
 * The etcd3 client as the EtcdStore wants it: TLS and several endpoints, no hidden retries
 * (a retried write whose first attempt committed would report KeyExists or Conflict for its own
 * success), a short-lived per-endpoint breaker so a dead member is skipped, fast reconnects,
 * keepalive pings so a silent peer is noticed, and the error mapping onto StoreError.
 */
import { Etcd3, isRecoverableError, type IOptions } from 'etcd3';
import { StoreError } from './store.js';

export interface EtcdConnection {
  /** Client URLs: http://host:2379 or https://host:2379 (all of one kind). */
  endpoints: string[];
  /** PEM: the CA that signed etcd's serving certificate. */
  ca?: string | Buffer;
  /** PEM: a client certificate and key, for etcd's --client-cert-auth. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** The largest etcd response we accept; lists are paged to stay far below it. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

// etcd3 hands policies a cockatiel context; ConnectionPool ignores it, so one shared stub will do.
const CTX = { signal: new AbortController().signal, attempt: 0 };

/** Runs the call once: retrying is the caller's business (only reads are safe to retry). */
const once = { execute: (fn: (c: unknown) => unknown) => fn(CTX) } as unknown as Policy;

/**
 * After two consecutive connection failures an endpoint is skipped for a second (the pool then
 * tries the next one). etcd3's default breaker keeps a recovered etcd out for 5 s.
 */
function breaker(openMs = 1000, threshold = 2): Policy {
  let failures = 0;
  let openUntil = 0;
  return {
    async execute(fn: (c: unknown) => unknown) {
      if (Date.now() < openUntil) throw new StoreError('Unavailable', 'etcd endpoint is marked down after repeated failures');
      try {
        const r = await fn(CTX);
        failures = 0;
        return r;
      } catch (e) {
        // An oversized answer says nothing about the endpoint's health.
        if (e && typeof e === 'object' && isRecoverableError(e as Error) && !isTooLarge(e) && ++failures >= threshold) {
          openUntil = Date.now() + openMs;
          failures = 0;
        }
        throw e;
      }
    },
  } as unknown as Policy;
}

export function connect(c: EtcdConnection): Etcd3 {
  if (!c.endpoints.length) throw new Error('etcd: no endpoints');
  const buf = (v?: string | Buffer) => (v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v));
  const tls = c.ca !== undefined || c.cert !== undefined;
  if (tls && c.endpoints.some((e) => e.startsWith('http://'))) throw new Error('etcd: TLS files given but an endpoint is http://');
  return new Etcd3({
    hosts: c.endpoints,
    ...(tls ? { credentials: { rootCertificate: buf(c.ca)!, privateKey: buf(c.key), certChain: buf(c.cert) } } : {}),
    grpcOptions: {
      'grpc.max_receive_message_length': MAX_RESPONSE_BYTES,
      // Reconnect promptly when etcd comes back (grpc's default backoff grows to 2 minutes).
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      // Pings while a call (the watch) is open detect a peer that vanished without closing the
      // connection; etcd refuses pings more often than every 5 s (--grpc-keepalive-min-time).
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
    },
    faultHandling: { global: once, host: () => breaker() },
  });
}

/** etcd's errors as StoreErrors: compaction, future revisions, and everything transient as Unavailable. */
export function storeErrorOf(e: unknown): Error {
  if (e instanceof StoreError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (msg.includes('required revision has been compacted')) return new StoreError('Compacted', `etcd: ${msg}`);
  if (msg.includes('required revision is a future revision')) return new StoreError('FutureRevision', `etcd: ${msg}`);
  // A request etcd will never accept is the caller's problem, not an outage: no 503 and retry.
  if (msg.includes('request is too large') || msg.includes('too many operations in txn')) return new Error(`etcd: ${msg}`);
  return new StoreError('Unavailable', `etcd: ${msg}`);
}

export const isTooLarge = (e: unknown) => e instanceof Error && /RESOURCE_EXHAUSTED|larger than max/.test(e.message);

/** The first key after every key that starts with bytes (etcd's range_end for a prefix). */
export function prefixEndBytes(bytes: Buffer): Buffer {
  const end = Buffer.from(bytes);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  // Empty or all 0xff: to the end of the keyspace.
  return Buffer.from([0]);
}
