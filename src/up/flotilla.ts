/**
 * Everything in one process, as `flotilla up` runs it: the control plane API server (with
 * Flotilla's APIs installed), N simulated member clusters joined in push mode, and the
 * controller manager. Tests use the same function, so what they exercise is what users run.
 *
 * Layout of DIR: state.db, pki/, admin.token (control plane); sim/ (the fleet's CA, tokens
 * and kubeconfig; with persistSimulation, sim/state/ holds each simulated cluster's state and
 * port, so a restart on the same DIR finds the members as they were); sim.json (so `flotilla
 * sim fault --data-dir DIR` reaches the clusters; removed on a clean stop); kubeconfig with context
 * `flotilla` (current) and one context per simulated cluster.
 */
import { join, resolve } from 'node:path';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../apiserver/server.js';
import type { Store } from '../apiserver/storage/store.js';
import { flotillaCRDs } from '../api/crds.js';
import { KubeClient } from '../client/client.js';
import { InformerFactory } from '../client/factory.js';
import { R } from '../client/resources.js';
import { buildKubeconfig, writeKubeconfig, type KubeconfigEntry } from '../client/kubeconfig.js';
import { MemberClients, CLUSTERS } from '../member/clients.js';
import { joinCluster } from '../member/join.js';
import { startControllers, DEFAULT_OPTIONS, type ControllerOptions, type Running } from '../controllers/manager.js';
import { CONTROLLERS } from '../controllers/registry.js';
import { realClock, type Clock } from '../util/clock.js';
import type { Fleet } from '../simulator/fleet.js';

export interface FlotillaOptions {
  dataDir: string;
  port?: number;
  bind?: string;
  storage?: 'sqlite' | 'memory' | Store;
  /** The simulated fleet (none when undefined or empty). */
  fleet?: Fleet;
  /** Keep the simulated clusters' state in DIR/sim/state across restarts (`flotilla up` does unless --storage memory). */
  persistSimulation?: boolean;
  controllers?: string[];
  controllerOptions?: Partial<ControllerOptions>;
  logger: Logger;
  clock?: Clock;
}

export interface Flotilla {
  server: ApiServer;
  fleet?: import('../simulator/sim.js').SimFleet;
  client: KubeClient;
  kubeconfigPath: string;
  members: MemberClients;
  stop(): Promise<void>;
}

export async function startFlotilla(o: FlotillaOptions): Promise<Flotilla> {
  const dataDir = resolve(o.dataDir);
  const log = o.logger;
  const server = await new ApiServer({
    dataDir,
    port: o.port ?? 0,
    bind: o.bind,
    storage: o.storage ?? 'sqlite',
    logger: log,
    defaultMetrics: true,
    crds: flotillaCRDs(),
    writeKubeconfig: false,
  }).start();
  const stops: (() => Promise<void>)[] = [() => server.stop()];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err) => log.warn({ err }, 'stop failed'));
  };
  try {
    const client = new KubeClient({ server: server.url, caPem: server.caPem, token: server.adminToken, userAgent: 'flotilla-up', connections: 64 });
    stops.push(() => client.close());

    let fleet: Flotilla['fleet'];
    const entries: KubeconfigEntry[] = [server.kubeconfigEntry('flotilla')];
    if (o.fleet?.clusters.length) {
      const { SimFleet } = await import('../simulator/sim.js');
      fleet = await new SimFleet({
        fleet: o.fleet,
        dataDir: join(dataDir, 'sim'),
        logger: log.child({ component: 'sim' }),
        clock: o.clock,
        persist: o.persistSimulation === true,
      }).start();
      stops.push(() => fleet!.stop());
      // `flotilla sim fault --data-dir DIR` looks for DIR/sim.json and its admin token.
      copyFileSync(join(dataDir, 'sim', 'sim.json'), join(dataDir, 'sim.json'));
      if (existsSync(join(dataDir, 'sim', 'sim-admin.token'))) copyFileSync(join(dataDir, 'sim', 'sim-admin.token'), join(dataDir, 'sim-admin.token'));
      // Like the fleet's own sim.json, the copy says where a running fleet listens: gone on a clean stop.
      stops.push(async () => rmSync(join(dataDir, 'sim.json'), { force: true }));
      await Promise.all(
        o.fleet.clusters.map(async (spec) => {
          const entry = fleet!.cluster(spec.name).kubeconfigEntry();
          entries.push(entry);
          await joinCluster(client, {
            name: spec.name,
            member: { contextName: spec.name, clusterName: spec.name, userName: spec.name, server: entry.server, caPem: entry.caPem, token: entry.token, insecureSkipTLSVerify: false, namespace: 'default' },
            labels: spec.labels,
            provider: spec.provider,
            region: spec.region,
            zones: spec.zones,
          });
        }),
      );
    }
    const kubeconfigPath = join(dataDir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, buildKubeconfig(entries, 'flotilla'));

    const factory = new InformerFactory(client, { clock: o.clock, log });
    const members = new MemberClients(factory.for(CLUSTERS), factory.for(R.secrets, { namespace: 'karmada-cluster' }), log);
    stops.push(() => members.close());
    const abort = new AbortController();
    // Every informer and controller listens for shutdown on this one signal: many listeners is normal.
    setMaxListeners(0, abort.signal);
    const running: Running = await startControllers(
      CONTROLLERS,
      {
        client,
        factory,
        members,
        clock: o.clock ?? realClock,
        log: log.child({ component: 'controller-manager' }),
        metrics: new Registry(),
        options: { ...DEFAULT_OPTIONS, ...(o.controllerOptions ?? {}) },
        signal: abort.signal,
      },
      o.controllers,
    );
    stops.push(async () => {
      abort.abort();
      await running.stop();
    });
    await factory.synced();
    return { server, fleet, client, kubeconfigPath, members, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
