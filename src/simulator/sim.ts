/**
 * A fleet of simulated clusters in one process. They share one CA (DATA_DIR/pki) and one
 * serving certificate, each has its own admin token (DATA_DIR/tokens/<name>.token), and the
 * fleet writes DATA_DIR/kubeconfig (one context per cluster, named after it), DATA_DIR/sim.json
 * (where everything listens) and serves the admin endpoint with DATA_DIR/sim-admin.token.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { buildKubeconfig, writeKubeconfig } from '../client/kubeconfig.js';
import { ensureCA, ensureServingCert } from '../pki/certs.js';
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
    for (const spec of o.fleet.clusters) {
      const cluster = new SimCluster({
        spec,
        timing: o.fleet.timing,
        stages,
        tls: { ca, cert },
        adminToken: ensureToken(join(this.dataDir, 'tokens'), spec.name),
        logger: o.logger,
        ...(o.clock ? { clock: o.clock } : {}),
        ...(o.bind ? { bind: o.bind } : {}),
      });
      this.clusters.set(spec.name, cluster);
    }
    try {
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
