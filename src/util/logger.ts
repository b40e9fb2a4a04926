/**
 * The root logger. One JSON line per event; components take a child logger with their own
 * bindings (controller, cluster, kind, namespace, name). Credentials never reach the output:
 * well-known fields are redacted by path, Secret objects logged under the usual keys lose
 * their data, and errors are reduced to fields that describe them (pino's default error
 * serializer would copy every property, such as a failed request's headers).
 */

import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Default: $FLOTILLA_LOG_LEVEL, else 'silent' under `node --test`, else 'info'. */
  level?: string;
  name?: string;
  /** Where lines go. Default: stderr, so that stdout stays for command output. */
  destination?: DestinationStream;
}

const REDACTED = '[Redacted]';

// fast-redact paths: `*` matches one level. Covers log calls such as
// log.info({ token }), log.debug({ req }), log.debug({ config: { password } }), and kubeconfig users.
const REDACT_PATHS = [
  'authorization',
  'token',
  'password',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.bearerToken',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.password',
  '*.clientKey',
  '*.keyData',
  '*["client-key-data"]',
  '*.user.token',
  '*.user.password',
  '*.user["client-key-data"]',
  'secret.data',
  'secret.stringData',
];

/** Keys under which Kubernetes objects are commonly logged; a Secret there loses its values. */
const OBJECT_KEYS = ['obj', 'object', 'old', 'new', 'oldObj', 'newObj', 'manifest', 'template', 'body', 'secret'];

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces the values of a Secret's data/stringData with a marker, keeping the keys. */
function redactSecret(value: unknown): unknown {
  if (!isRecord(value) || value['kind'] !== 'Secret') return value;
  const out: Json = { ...value };
  for (const field of ['data', 'stringData']) {
    const data = value[field];
    if (isRecord(data)) out[field] = Object.fromEntries(Object.keys(data).map((k) => [k, REDACTED]));
  }
  return out;
}

/** Only what identifies an error: its type, message, stack, API reason/code and causes. */
function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const e = value as Error & { code?: unknown; reason?: unknown; statusCode?: unknown };
  const out: Json = { type: e.constructor.name, message: e.message, stack: e.stack };
  for (const key of ['code', 'reason', 'statusCode'] as const) {
    if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
  }
  if (e.cause !== undefined && depth < 3) out['cause'] = serializeError(e.cause, depth + 1);
  return out;
}

const LEVELS = new Set([...Object.keys(pino.levels.values), 'silent']);

function resolveLevel(explicit?: string): string {
  const level = explicit ?? process.env['FLOTILLA_LOG_LEVEL'] ?? (process.env['NODE_TEST_CONTEXT'] ? 'silent' : 'info');
  if (!LEVELS.has(level)) throw new Error(`log level "${level}" is not one of ${[...LEVELS].join(', ')}`);
  return level;
}

/**
 * Creates a root logger: JSON lines with ISO timestamps and level names, redaction of
 * credentials and Secret data (see the module comment). Throws on an unknown level.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const serializers: Record<string, (v: unknown) => unknown> = { err: serializeError, error: serializeError };
  for (const key of OBJECT_KEYS) serializers[key] = redactSecret;
  const config = {
    level: resolveLevel(options.level),
    ...(options.name === undefined ? {} : { name: options.name }),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers,
  };
  return pino(config, options.destination ?? pino.destination({ fd: 2, sync: false }));
}
