/**
 * One Kubernetes-compatible API server: storage, watch cache, registry and HTTPS endpoint,
 * with the housekeeping a standalone server needs (default namespaces, namespace
 * lifecycle, compaction). The control plane and every simulated member cluster run this.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Store } from './storage/store.js';
import { MemoryStore } from './storage/memory.js';
import { SqliteStore } from './storage/sqlite.js';
import { CacheManager } from './watchcache/cache.js';
import { ResourceRegistry } from './resources/registry.js';
import { BUILTIN_RESOURCES } from './resources/builtin.js';
import { RestRegistry } from './registry/rest.js';
import { managedFieldsAdmission } from './patch/ssa/admission.js';
import { strictFieldsAdmission } from './openapi/strict.js';
import { ApiHandler, type VersionInfo, type Authenticator } from './handler.js';
import { ApiMetrics } from './metrics.js';
import { NamespaceLifecycle } from './lifecycle/namespaces.js';
import { Compactor } from './lifecycle/compactor.js';
import { GarbageCollector } from './lifecycle/gc.js';
import { EventReaper } from './lifecycle/events.js';
import { installCRDSupport } from './crd/controller.js';
import { createLogger } from '../util/logger.js';
import { ensureCA, ensureServingCert, type CertificateAuthority } from '../pki/certs.js';
import { ensureToken, TokenAuthenticator } from '../pki/tokens.js';
import { buildKubeconfig, writeKubeconfig } from '../client/kubeconfig.js';

export interface ApiServerOptions {
  /** Where state, certificates, tokens and the kubeconfig live. Required for sqlite and TLS. */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  bind?: string;
  storage?: 'sqlite' | 'memory' | Store;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /** Serve HTTPS with a CA and serving certificate generated into dataDir (default true). */
  tls?: boolean | { ca: CertificateAuthority; cert: { certPem: string; keyPem: string } };
  /** Require a bearer token (default: the admin token generated into dataDir). null disables auth. */
  authenticator?: Authenticator | null;
  adminToken?: string;
  /** Extra names and addresses for the serving certificate. */
  hosts?: string[];
  logger?: Logger;
  name?: string;
  version?: Partial<VersionInfo>;
  watchCacheSize?: number;
  bookmarkIntervalMs?: number;
  minRequestTimeoutMs?: number;
  compactionIntervalMs?: number;
  /** Write DIR/kubeconfig with context `contextName` (default true when dataDir is set). */
  writeKubeconfig?: boolean;
  contextName?: string;
  defaultMetrics?: boolean;
  /** The clock for timestamps (simulated clusters pass their injectable clock). */
  now?: () => number;
  /** CRDs installed (created or updated) at every start: Flotilla's own APIs on the control plane. */
  crds?: any[];
  /** How long events are kept (default 1 h, like kube-apiserver's --event-ttl). */
  eventTTLMs?: number;
  /** Run the ownerReferences garbage collector in this server (default true). */
  garbageCollector?: boolean;
}

export const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function defaultVersion(v: Partial<VersionInfo> = {}): VersionInfo {
  const gitVersion = v.gitVersion ?? 'v1.32.0-flotilla';
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '32',
    gitVersion,
    gitCommit: 'flotilla',
    gitTreeState: 'clean',
    buildDate: '2026-11-22T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch}`,
    ...v,
  };
}

export class ApiServer {
  readonly resources = new ResourceRegistry(BUILTIN_RESOURCES);
  readonly metrics: ApiMetrics;
  readonly log: Logger;
  store!: Store;
  caches!: CacheManager;
  registry!: RestRegistry;
  handler!: ApiHandler;
  server!: HttpsServer | HttpServer;
  url = '';
  caPem?: string;
  adminToken?: string;
  kubeconfigPath?: string;
  #lifecycle?: NamespaceLifecycle;
  #compactor?: Compactor;
  #gc?: GarbageCollector;
  events?: EventReaper;
  #sockets = new Set<import('node:net').Socket>();

  constructor(readonly opts: ApiServerOptions = {}) {
    this.metrics = new ApiMetrics(opts.defaultMetrics ?? false);
    this.log = (opts.logger ?? createLogger({ name: 'apiserver' })).child({ server: opts.name ?? 'flotilla' });
  }

  async start(): Promise<this> {
    const o = this.opts;
    if (o.dataDir) mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    this.store = this.metrics.instrument(await this.#openStore());
    this.caches = new CacheManager(this.store, o.watchCacheSize ?? 10_000);
    await this.caches.start(this.resources.all().map((rt) => ResourceRegistry.storagePrefix(rt)));
    this.registry = new RestRegistry(this.store, this.caches, this.resources, o.now ?? Date.now);
    this.registry.admission.push(strictFieldsAdmission(), managedFieldsAdmission(undefined, { now: this.registry.now }));
    this.resources.onChange((change, rt) => {
      const prefix = ResourceRegistry.storagePrefix(rt);
      if (change === 'add') void this.caches.add(prefix);
    });

    let auth: Authenticator | null = null;
    if (o.authenticator !== undefined) auth = o.authenticator;
    else if (o.adminToken || o.dataDir) {
      this.adminToken = o.adminToken ?? ensureToken(o.dataDir!, 'admin');
      const ta = TokenAuthenticator.forAdmin(this.adminToken);
      auth = (h) => ta.authenticate(h);
    }
    this.handler = new ApiHandler(
      this.registry,
      this.resources,
      this.metrics,
      this.log,
      defaultVersion(o.version),
      { bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000, minRequestTimeoutMs: o.minRequestTimeoutMs ?? 1_800_000, maxBufferedBytes: 64 * 1024 * 1024 },
      auth,
    );
    await installCRDSupport(this);

    await this.#bootstrap();
    this.#lifecycle = new NamespaceLifecycle(this.registry, this.resources, this.log);
    this.registry.onNamespaceTerminating = (ns) => this.#lifecycle!.enqueue(ns);
    this.#lifecycle.resume();
    if (o.garbageCollector !== false) {
      this.#gc = new GarbageCollector(this.registry, this.resources, this.log);
      this.registry.gcEnabled = true;
      this.#gc.start();
    }
    this.events = new EventReaper(this.registry, this.resources, o.eventTTLMs ?? 3_600_000, this.log);
    this.#compactor = new Compactor(this.store, o.compactionIntervalMs ?? 5 * 60_000, this.log);

    this.server = await this.#listen();
    this.handler.ready = true;
    if (o.dataDir && o.writeKubeconfig !== false) {
      this.kubeconfigPath = join(o.dataDir, 'kubeconfig');
      writeKubeconfig(this.kubeconfigPath, buildKubeconfig([this.kubeconfigEntry(o.contextName ?? 'flotilla')], o.contextName ?? 'flotilla'));
    }
    this.log.info({ url: this.url, storage: typeof o.storage === 'object' ? 'custom' : (o.storage ?? 'sqlite') }, 'API server listening');
    return this;
  }

  kubeconfigEntry(name: string) {
    return { name, server: this.url, caPem: this.caPem, token: this.adminToken, insecureSkipTLSVerify: this.caPem ? undefined : this.url.startsWith('https:') ? true : undefined };
  }

  async #openStore(): Promise<Store> {
    const s = this.opts.storage ?? 'sqlite';
    if (typeof s === 'object') return s;
    if (s === 'memory') return new MemoryStore();
    if (!this.opts.dataDir) throw new Error('sqlite storage needs a data dir');
    return SqliteStore.open(join(this.opts.dataDir, 'state.db'), { synchronous: this.opts.sqliteSynchronous ?? 'NORMAL' });
  }

  async #bootstrap(): Promise<void> {
    const nsType = this.resources.lookup('', 'v1', 'namespaces')!;
    for (const name of DEFAULT_NAMESPACES) {
      try {
        await this.registry.create({ rt: nsType, namespace: '', name, subresource: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
      } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
      }
    }
    await this.#installCRDs(this.opts.crds ?? []);
  }

  /** Create or update the CRDs this server must always serve (Flotilla's own APIs). */
  async #installCRDs(crds: any[]): Promise<void> {
    const rt = this.resources.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    for (const crd of crds) {
      const scope = { rt, namespace: '', name: crd.metadata.name, subresource: '' as const };
      const install = () =>
        this.registry.update(
          scope,
          (cur) => ({ ...cur, spec: structuredClone(crd.spec), metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...crd.metadata.labels } } }),
          { fieldManager: 'flotilla', createIfMissing: () => structuredClone(crd) },
        );
      // API servers sharing one etcd start together: another may create it first (409), then update.
      await install().catch((e) => ((e as { code?: number }).code === 409 ? install() : Promise.reject(e)));
    }
    // Served once established: wait until every one shows up in the registry.
    const deadline = Date.now() + 10_000;
    for (const crd of crds) {
      const { group, versions, names } = crd.spec;
      while (!versions.every((v: any) => !v.served || this.resources.lookup(group, v.name, names.plural))) {
        if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} was not served in time`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  async #listen(): Promise<HttpsServer | HttpServer> {
    const o = this.opts;
    let server: HttpsServer | HttpServer;
    const useTls = o.tls !== false;
    if (useTls) {
      let ca: CertificateAuthority;
      let cert: { certPem: string; keyPem: string };
      if (typeof o.tls === 'object') ({ ca, cert } = o.tls);
      else {
        if (!o.dataDir) throw new Error('TLS needs a data dir for its certificates (or pass tls)');
        const pki = join(o.dataDir, 'pki');
        ca = await ensureCA(pki, { commonName: 'flotilla-ca' });
        cert = await ensureServingCert(pki, ca, { hosts: [...(o.hosts ?? []), ...(o.bind && o.bind !== '0.0.0.0' && o.bind !== '::' ? [o.bind] : [])], name: 'apiserver' });
      }
      this.caPem = ca.certPem;
      server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem, keepAliveTimeout: 65_000 }, this.handler.handle);
    } else {
      server = createHttpServer({ keepAliveTimeout: 65_000 }, this.handler.handle);
    }
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    server.on('clientError', (_e, socket) => socket.destroy());
    const bind = o.bind ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, bind, () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address === '::' ? '::1' : addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
    this.url = `${useTls ? 'https' : 'http'}://${host}:${addr.port}`;
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.handler.ready = false;
    this.#compactor?.stop();
    this.events?.stop();
    this.#lifecycle?.stop();
    await this.#gc?.stop();
    this.caches?.stop();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      for (const s of this.#sockets) s.destroy();
      if (!this.server) resolve();
    });
    await this.store?.close();
  }
}
