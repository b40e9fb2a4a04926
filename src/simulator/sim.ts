/**
 * A fleet of simulated clusters in one process. They share one CA (DATA_DIR/pki) and one
 * serving certificate, each has its own admin token (DATA_DIR/tokens/<name>.token), and the
 * fleet writes DATA_DIR/kubeconfig (one context per cluster, named after it), DATA_DIR/sim.json
 * (where everything listens) and serves the admin endpoint with DATA_DIR/sim-admin.token.
 * With `persist`, each cluster keeps its state in DATA_DIR/state/<name>.db (SQLite) and its port
 * in DATA_DIR/state/ports.json, so a fleet started again on the same DATA_DIR is the same fleet:
 * same objects and uids, same URLs when the ports are still free, its pods' containers restarted.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { buildKubeconfig, writeKubeconfig } from '../client/kubeconfig.js';
import { ensureCA, ensureServingCert } from '../pki/certs.js';
import { SqliteStore } from '../apiserver/storage/sqlite.js';
import { writeFileAtomic } from '../pki/fsutil.js';
import { ensureToken } from '../pki/tokens.js';
import type { Clock } from '../util/clock.js';
import { startAdminServer, type AdminServer } from './admin.js';
import { SimCluster } from './cluster.js';
import { forEachLimit } from './context.js';
import type { FaultRequest, FaultState } from './faults.js';
import type { Fleet } from './fleet.js';
import { defaultStages, loadStages, type Stage } from './stages.js';

export interface SimFleetOptions {
  fleet: Fleet;
  dataDir: string;
  /** Admin endpoint port (0 or unset: a free one). */
  adminPort?: number;
  bind?: string;
  logger: Logger;
  clock?: Clock;
  /** Replaces the built-in (or fleet file's) stages. */
  stages?: readonly Stage[];
  /** Keep the clusters' state (SQLite) and ports in DATA_DIR/state across restarts (default: memory only). */
  persist?: boolean;
}

/** What DATA_DIR/sim.json holds, for `flotilla sim fault` and scripts. */
export interface SimInfo {
  pid: number;
  admin: { url: string; port: number };
  kubeconfig: string;
  clusters: Record<string, { url: string; port: number }>;
}

export const SIM_INFO_FILE = 'sim.json';
export const SIM_ADMIN_TOKEN = 'sim-admin';
export const SIM_STATE_DIR = 'state';
const PORTS_FILE = 'ports.json';

/** Whether nothing listens on bind:port now (a remembered port may have been taken meanwhile). */
function portFree(port: number, bind: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: bind, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export class SimFleet {
  readonly clusters = new Map<string, SimCluster>();
  readonly dataDir: string;
  kubeconfigPath = '';
  #admin?: AdminServer;

  constructor(readonly opts: SimFleetOptions) {
    this.dataDir = resolve(opts.dataDir);
  }

  get adminUrl(): string {
    return this.#admin?.url ?? '';
  }

  async start(): Promise<this> {
    const o = this.opts;
    const pki = join(this.dataDir, 'pki');
    const ca = await ensureCA(pki, { commonName: 'flotilla-sim-ca' });
    const bindHost = o.bind && o.bind !== '0.0.0.0' && o.bind !== '::' ? [o.bind] : [];
    const cert = await ensureServingCert(pki, ca, { hosts: bindHost, name: 'sim-serving' });
    const stages = o.stages ?? (o.fleet.stages ? loadStages(o.fleet.stages) : defaultStages());
    const stateDir = join(this.dataDir, SIM_STATE_DIR);
    let ports: Record<string, number> = {};
    if (o.persist) {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      try {
        ports = JSON.parse(readFileSync(join(stateDir, PORTS_FILE), 'utf8'));
      } catch {
        ports = {};
      }
    }
    try {
      for (const spec of o.fleet.clusters) {
        let persisted: { storage: SqliteStore; restored: boolean; port?: number } | undefined;
        if (o.persist) {
          const file = join(stateDir, `${spec.name}.db`);
          const restored = existsSync(file);
          const port = ports[spec.name];
          const reuse = restored && Number.isInteger(port) && port! > 0 && (await portFree(port!, o.bind ?? '127.0.0.1'));
          persisted = { storage: SqliteStore.open(file, { cacheSizeMiB: 2 }), restored, ...(reuse ? { port } : {}) };
        }
        const cluster = new SimCluster({
          spec,
          timing: o.fleet.timing,
          stages,
          tls: { ca, cert },
          adminToken: ensureToken(join(this.dataDir, 'tokens'), spec.name),
          logger: o.logger,
          ...(o.clock ? { clock: o.clock } : {}),
          ...(o.bind ? { bind: o.bind } : {}),
          ...(persisted ?? {}),
        });
        this.clusters.set(spec.name, cluster);
      }
      // A few at a time: starting is write-heavy (nodes, leases, first node status).
      await forEachLimit([...this.clusters.values()], 4, async (c) => {
        await c.start();
      });
      this.kubeconfigPath = join(this.dataDir, 'kubeconfig');
      const entries = [...this.clusters.values()].map((c) => c.kubeconfigEntry());
      writeKubeconfig(this.kubeconfigPath, buildKubeconfig(entries, entries[0]?.name));
      this.#admin = await startAdminServer({
        clusters: this.clusters,
        token: ensureToken(this.dataDir, SIM_ADMIN_TOKEN),
        cert,
        ...(o.adminPort !== undefined ? { port: o.adminPort } : {}),
        ...(o.bind ? { bind: o.bind } : {}),
        log: o.logger,
      });
      writeFileAtomic(join(this.dataDir, SIM_INFO_FILE), JSON.stringify(this.info(), null, 2) + '\n', 0o644);
      if (o.persist) {
        const now = Object.fromEntries([...this.clusters.values()].map((c) => [c.name, Number(new URL(c.url).port)]));
        writeFileAtomic(join(stateDir, PORTS_FILE), JSON.stringify({ ...ports, ...now }, null, 2) + '\n', 0o600);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    return this;
  }

  info(): SimInfo {
    const clusters: SimInfo['clusters'] = {};
    for (const c of this.clusters.values()) clusters[c.name] = { url: c.url, port: Number(new URL(c.url).port) };
    return { pid: process.pid, admin: { url: this.adminUrl, port: this.#admin?.port ?? 0 }, kubeconfig: this.kubeconfigPath, clusters };
  }

  cluster(name: string): SimCluster {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`no simulated cluster named ${JSON.stringify(name)}`);
    return c;
  }

  fault(name: string, req: FaultRequest): Promise<FaultState & { message: string }> {
    return this.cluster(name).fault(req);
  }

  async stop(): Promise<void> {
    await this.#admin?.close();
    await Promise.all([...this.clusters.values()].map((c) => c.stop().catch((e) => this.opts.logger.warn({ err: e, cluster: c.name }, 'cluster stop failed'))));
    rmSync(join(this.dataDir, SIM_INFO_FILE), { force: true });
  }
}
