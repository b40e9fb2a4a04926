// kubeconfig files: building, writing, merging and resolving them the way kubectl does.
// Sync on purpose: used at startup and from the CLI, and files are small.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import { ensureDir, readIfExists, writeFileAtomic } from '../pki/fsutil.js';

// The index signatures keep fields we do not model (exec, extensions, proxy-url, ...) intact when
// a file is merged and rewritten.
export interface KubeconfigCluster {
  server: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  [field: string]: unknown;
}
export interface KubeconfigUser {
  token?: string;
  'token-file'?: string;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  [field: string]: unknown;
}
export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
  [field: string]: unknown;
}
export interface NamedCluster {
  name: string;
  cluster: KubeconfigCluster;
}
export interface NamedUser {
  name: string;
  user: KubeconfigUser;
}
export interface NamedContext {
  name: string;
  context: KubeconfigContext;
}
export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One cluster + user + context triple, all named `name`. */
export interface KubeconfigEntry {
  name: string;
  server: string;
  /** Omit to use the system roots (or with insecureSkipTLSVerify). */
  caPem?: string;
  token?: string;
  clientCert?: { certPem: string; keyPem: string };
  insecureSkipTLSVerify?: boolean;
  namespace?: string;
}

/** Everything a client needs to connect, for one context. */
export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  caPem?: string;
  tlsServerName?: string;
  insecureSkipTLSVerify: boolean;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  /** The context's namespace, or 'default'. */
  namespace: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

// ---------------------------------------------------------------------------------------------
// Building and writing

function toNamed(e: KubeconfigEntry): { cluster: NamedCluster; user: NamedUser; context: NamedContext } {
  if (!e.name) throw new Error('kubeconfig entry needs a name');
  const url = new URL(e.server); // throws on a malformed server
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${e.name}: server must be http(s)`);
  // kubectl rejects this combination too ("specifying a root certificates file with the insecure flag").
  if (e.caPem && e.insecureSkipTLSVerify) throw new Error(`${e.name}: caPem and insecureSkipTLSVerify are exclusive`);
  const cluster: KubeconfigCluster = { server: e.server };
  if (e.caPem) cluster['certificate-authority-data'] = b64(e.caPem);
  if (e.insecureSkipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
  const user: KubeconfigUser = {};
  if (e.token) user.token = e.token;
  if (e.clientCert) {
    user['client-certificate-data'] = b64(e.clientCert.certPem);
    user['client-key-data'] = b64(e.clientCert.keyPem);
  }
  const context: KubeconfigContext = { cluster: e.name, user: e.name };
  if (e.namespace) context.namespace = e.namespace;
  return { cluster: { name: e.name, cluster }, user: { name: e.name, user }, context: { name: e.name, context } };
}

function emptyConfig(): Kubeconfig {
  return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [] };
}

/** A standalone kubeconfig; current defaults to the first entry. */
export function buildKubeconfig(entries: readonly KubeconfigEntry[], current?: string): Kubeconfig {
  const names = entries.map((e) => e.name);
  if (new Set(names).size !== names.length) throw new Error('duplicate kubeconfig entry names');
  const config = emptyConfig();
  for (const e of entries) {
    const n = toNamed(e);
    config.clusters.push(n.cluster);
    config.users.push(n.user);
    config.contexts.push(n.context);
  }
  const cur = current ?? names[0];
  if (cur !== undefined) {
    if (!names.includes(cur)) throw new Error(`current context ${JSON.stringify(cur)} is not among the entries`);
    config['current-context'] = cur;
  }
  return config;
}

/**
 * Serialises as YAML 1.1, which is what kubectl's parser (go-yaml) speaks: strings such as "yes",
 * "on" or "0777" get quoted, where a YAML 1.2 writer would leave them bare and kubectl would read
 * them as booleans or octal numbers.
 */
export function stringifyKubeconfig(config: Kubeconfig): string {
  return YAML.stringify(config, { version: '1.1', lineWidth: 0 });
}

/** Writes atomically with mode 0600 (the file holds credentials). */
export function writeKubeconfig(path: string, config: Kubeconfig): void {
  ensureDir(dirname(resolve(path)));
  writeFileAtomic(path, stringifyKubeconfig(config));
}

function upsert<T extends { name: string }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.name === item.name);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

/**
 * Adds entries to the kubeconfig at path (created if missing), replacing clusters/users/contexts
 * with the same names and keeping everything else. current-context is set to opts.current, or
 * to the first entry if the file had none. Returns the written config.
 */
export function mergeKubeconfig(
  path: string,
  entries: readonly KubeconfigEntry[],
  opts: { current?: string } = {},
): Kubeconfig {
  const config = readKubeconfigFile(path, { resolvePaths: false }) ?? emptyConfig();
  for (const e of entries) {
    const n = toNamed(e);
    upsert(config.clusters, n.cluster);
    upsert(config.users, n.user);
    upsert(config.contexts, n.context);
  }
  if (opts.current !== undefined) {
    if (!config.contexts.some((c) => c.name === opts.current))
      throw new Error(`current context ${JSON.stringify(opts.current)} does not exist`);
    config['current-context'] = opts.current;
  } else if (!config['current-context'] && entries[0]) {
    config['current-context'] = entries[0].name;
  }
  writeKubeconfig(path, config);
  return config;
}

// ---------------------------------------------------------------------------------------------
// Reading

// Error messages name the file and field only: a value might be a token, and YAML parser messages
// quote source lines, so they are not passed through.
function fail(path: string, what: string): never {
  throw new Error(`invalid kubeconfig ${path}: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function namedList<K extends string>(
  path: string,
  raw: Record<string, unknown>,
  listKey: string,
  itemKey: K,
): ({ name: string } & Record<K, Record<string, unknown>>)[] {
  const list = raw[listKey] ?? [];
  if (!Array.isArray(list)) fail(path, `${listKey} must be a list`);
  return list.map((item: unknown, i) => {
    if (!isObject(item) || typeof item.name !== 'string') fail(path, `${listKey}[${i}] needs a name`);
    const body = item[itemKey] ?? {};
    if (!isObject(body)) fail(path, `${listKey}[${i}].${itemKey} must be a map`);
    return { ...item, name: item.name, [itemKey]: body } as { name: string } & Record<K, Record<string, unknown>>;
  });
}

const PATH_FIELDS = ['certificate-authority', 'token-file', 'client-certificate', 'client-key'];

/**
 * Parses one kubeconfig file; undefined if it does not exist. With resolvePaths, relative file
 * references are made absolute against the file's directory, as kubectl does, so they stay
 * correct after merging files from different directories.
 */
export function readKubeconfigFile(path: string, opts: { resolvePaths?: boolean } = {}): Kubeconfig | undefined {
  const text = readIfExists(path);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: false });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    fail(path, `not valid YAML${line ? ` (line ${line})` : ''}`);
  }
  if (raw === null || raw === undefined) return emptyConfig(); // empty file, as kubectl allows
  if (!isObject(raw)) fail(path, 'not a map');
  const config = {
    ...raw,
    apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : 'v1',
    kind: typeof raw.kind === 'string' ? raw.kind : 'Config',
    clusters: namedList(path, raw, 'clusters', 'cluster') as unknown as NamedCluster[],
    users: namedList(path, raw, 'users', 'user') as unknown as NamedUser[],
    contexts: namedList(path, raw, 'contexts', 'context') as unknown as NamedContext[],
  } as Kubeconfig;
  const cur = raw['current-context'];
  if (cur !== undefined && cur !== null && typeof cur !== 'string') fail(path, 'current-context must be a string');
  if (opts.resolvePaths) {
    const base = dirname(resolve(path));
    for (const obj of [...config.clusters.map((c) => c.cluster), ...config.users.map((u) => u.user)]) {
      for (const f of PATH_FIELDS) {
        const v = obj[f];
        if (typeof v === 'string' && v !== '' && !isAbsolute(v)) obj[f] = resolve(base, v);
      }
    }
  }
  return config;
}

/**
 * The files kubectl would read: an explicit path alone; else the KUBECONFIG list (missing files
 * skipped, duplicates dropped); else ~/.kube/config.
 */
export function kubeconfigPaths(path?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (path) return [path];
  const list = env.KUBECONFIG?.split(delimiter).filter((p) => p !== '');
  if (list?.length) return [...new Set(list)];
  return [resolve(env.HOME ?? homedir(), '.kube', 'config')];
}

/** Merges files with kubectl's rule: the first file to define a name (or current-context) wins. */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const merged = emptyConfig();
  const addAll = <T extends { name: string }>(into: T[], from: T[]): void => {
    for (const item of from) if (!into.some((x) => x.name === item.name)) into.push(item);
  };
  for (const c of configs) {
    addAll(merged.clusters, c.clusters);
    addAll(merged.users, c.users);
    addAll(merged.contexts, c.contexts);
    if (!merged['current-context'] && c['current-context']) merged['current-context'] = c['current-context'];
  }
  return merged;
}

export interface LoadKubeconfigOptions {
  /** Context to use instead of current-context. */
  context?: string;
  /** Environment for KUBECONFIG/HOME (default process.env); lets tests avoid touching globals. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the kubeconfig(s) and resolves one context into connection settings, reading
 * certificate-authority / client-certificate / client-key / token-file references. An explicit
 * path must exist; files from KUBECONFIG may be missing, as with kubectl.
 */
export function loadKubeconfig(path?: string, opts: LoadKubeconfigOptions = {}): ResolvedKubeconfig {
  const paths = kubeconfigPaths(path, opts.env);
  const configs: Kubeconfig[] = [];
  for (const p of paths) {
    const c = readKubeconfigFile(p, { resolvePaths: true });
    if (c) configs.push(c);
    else if (path) throw new Error(`kubeconfig ${p} does not exist`);
  }
  if (!configs.length) throw new Error(`no kubeconfig found (looked at ${paths.join(', ')})`);
  return resolveContext(mergeKubeconfigs(configs), opts.context);
}

function readRef(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

// Inline -data wins over a file reference, as in client-go.
function dataOrFile(obj: Record<string, unknown>, field: string, what: string): string | undefined {
  const data = obj[`${field}-data`];
  if (typeof data === 'string' && data !== '') return unb64(data);
  const file = obj[field];
  if (typeof file === 'string' && file !== '') return readRef(file, what);
  return undefined;
}

// client-go semantics: a readable token-file wins over token (it is meant to be rotated); token is
// the fallback when the file cannot be read.
function userToken(user: KubeconfigUser, userName: string): string | undefined {
  const inline = typeof user.token === 'string' && user.token ? user.token : undefined;
  const file = user['token-file'];
  if (typeof file === 'string' && file) {
    try {
      return readFileSync(file, 'utf8').trim() || inline;
    } catch (err) {
      if (inline) return inline;
      throw new Error(`user ${userName}: cannot read token file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return inline;
}

/** Resolves a context (default: current-context) of an already merged config. */
export function resolveContext(config: Kubeconfig, contextName?: string): ResolvedKubeconfig {
  const name = contextName || config['current-context'];
  if (!name) throw new Error('no context given and current-context is not set');
  const ctx = config.contexts.find((c) => c.name === name)?.context;
  const available = config.contexts.map((c) => c.name).join(', ') || 'none';
  if (!ctx) throw new Error(`context ${JSON.stringify(name)} not found (available: ${available})`);
  const cluster = config.clusters.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`context ${name}: cluster ${JSON.stringify(ctx.cluster)} not found`);
  if (typeof cluster.server !== 'string' || !cluster.server) throw new Error(`cluster ${ctx.cluster} has no server`);
  // A context may legitimately name no user (anonymous access).
  const user: KubeconfigUser = config.users.find((u) => u.name === ctx.user)?.user ?? {};
  if (ctx.user && !config.users.some((u) => u.name === ctx.user))
    throw new Error(`context ${name}: user ${JSON.stringify(ctx.user)} not found`);

  const resolved: ResolvedKubeconfig = {
    contextName: name,
    clusterName: ctx.cluster,
    userName: ctx.user ?? '',
    server: cluster.server,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    namespace: typeof ctx.namespace === 'string' && ctx.namespace ? ctx.namespace : 'default',
  };
  const caPem = dataOrFile(cluster, 'certificate-authority', 'certificate authority');
  if (caPem) resolved.caPem = caPem;
  if (typeof cluster['tls-server-name'] === 'string' && cluster['tls-server-name'])
    resolved.tlsServerName = cluster['tls-server-name'];
  const token = userToken(user, ctx.user);
  if (token) resolved.token = token;
  const certPem = dataOrFile(user, 'client-certificate', 'client certificate');
  const keyPem = dataOrFile(user, 'client-key', 'client key');
  if (certPem) resolved.clientCertPem = certPem;
  if (keyPem) resolved.clientKeyPem = keyPem;
  if (!certPem !== !keyPem) throw new Error(`user ${ctx.user}: client certificate and key must be given together`);
  return resolved;
}
