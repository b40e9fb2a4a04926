/**
 * One simulated member cluster: a real Kubernetes API server (memory storage, HTTPS with the
 * fleet's CA, its own admin token) plus simulated nodes, kubelets, scheduler, node lifecycle,
 * service networking and workload controllers, all talking to it only through its API.
 * Faults switch at runtime: down (a dead data centre: API refuses connections, nothing runs;
 * `up` brings it back with its state and restarts the pods), partition (unreachable from
 * outside, running inside), slow, errors, node failures; `heal`/`up` restore health.
 */
import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { ApiServer } from '../apiserver/server.js';
import type { Store } from '../apiserver/storage/store.js';
import { KubeClient } from '../client/client.js';
import { InformerFactory } from '../client/factory.js';
import type { KubeconfigEntry } from '../client/kubeconfig.js';
import { R } from '../client/resources.js';
import type { CertAndKey, CertificateAuthority } from '../pki/certs.js';
import { realClock, type Clock } from '../util/clock.js';
import type { SimContext } from './context.js';
import { startEndpoints } from './endpoints.js';
import { closeListener, describeState, faultHook, healthy, listenInternal, nextState, reopenListener, type FaultRequest, type FaultState } from './faults.js';
import type { ClusterSpec, Timing } from './fleet.js';
import { restartPods, startKubelet, type Kubelet } from './kubelet.js';
import { startServiceAllocation } from './network.js';
import { startNodeLifecycle } from './node-lifecycle.js';
import { NodeAgent } from './nodes.js';
import { PodIndex } from './pod-index.js';
import { Scheduler } from './scheduler.js';
import type { Stage } from './stages.js';
import { startWorkloadControllers } from './workloads/index.js';

export interface SimClusterOptions {
  spec: ClusterSpec;
  timing: Timing;
  stages: readonly Stage[];
  /** The fleet's CA and a serving certificate it issued (for 127.0.0.1/localhost). */
  tls: { ca: CertificateAuthority; cert: CertAndKey };
  adminToken: string;
  logger: Logger;
  clock?: Clock;
  bind?: string;
  /** Public port; 0 (default) picks a free one, kept across down/up. */
  port?: number;
  storage?: 'memory' | Store;
  /** The storage holds the state of an earlier run: start as after `down`/`up` (containers restart). */
  restored?: boolean;
}

/** The running simulated components, torn down on `down`. */
interface Components {
  abort: AbortController;
  factory: InformerFactory;
  nodes: NodeAgent;
  kubelet: Kubelet;
  scheduler: Scheduler;
  pods: PodIndex;
}

export class SimCluster {
  readonly name: string;
  readonly api: ApiServer;
  readonly log: Logger;
  readonly metrics = new Registry();
  #state: FaultState = healthy();
  #client?: KubeClient;
  #internal?: { server: Server; url: string; sockets: Set<Socket> };
  readonly #publicSockets = new Set<Socket>();
  #components?: Components;
  #port = 0;
  #bind: string;
  #transition: Promise<unknown> = Promise.resolve();
  #stopping?: Promise<void>;
  #started = false;

  constructor(readonly opts: SimClusterOptions) {
    this.name = opts.spec.name;
    this.log = opts.logger.child({ cluster: this.name });
    this.#bind = opts.bind ?? '127.0.0.1';
    this.api = new ApiServer({
      name: this.name,
      storage: opts.storage ?? 'memory',
      tls: opts.tls,
      adminToken: opts.adminToken,
      bind: this.#bind,
      port: opts.port ?? 0,
      logger: this.log,
      version: { gitVersion: opts.spec.kubernetesVersion },
      writeKubeconfig: false,
    });
  }

  get url(): string {
    return this.api.url;
  }

  get state(): FaultState {
    return structuredClone(this.#state);
  }

  /** A client on the in-process path (not subject to faults); for tests and the fleet. */
  get client(): KubeClient {
    if (!this.#client) throw new Error(`${this.name} is not started`);
    return this.#client;
  }

  /** The running scheduler and kubelets, for tests and benchmarks (undefined while down). */
  get components(): Readonly<Components> | undefined {
    return this.#components;
  }

  kubeconfigEntry(): KubeconfigEntry {
    return { name: this.name, server: this.url, caPem: this.opts.tls.ca.certPem, token: this.opts.adminToken };
  }

  async start(): Promise<this> {
    this.#started = true;
    await this.api.start();
    this.#port = this.api.port;
    this.api.server.on('connection', (s: Socket) => {
      this.#publicSockets.add(s);
      s.on('close', () => this.#publicSockets.delete(s));
    });
    this.api.handler.beforeRequest = faultHook(() => this.#state, this.opts.spec.apiLatencyMs);
    this.#internal = await listenInternal(this.api.handler);
    this.#client = new KubeClient({ server: this.#internal.url, token: this.opts.adminToken, userAgent: `flotilla-sim/${this.name}`, connections: 64 });
    await this.#startComponents(this.opts.restored === true);
    this.log.info({ url: this.url, nodes: this.#components?.nodes.names.length, restored: this.opts.restored === true }, 'simulated cluster ready');
    return this;
  }

  /** Stops everything; later calls wait for the first. */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#stop());
  }

  async #stop(): Promise<void> {
    await this.#transition.catch(() => undefined);
    this.#stopComponents();
    if (this.#internal) await closeListener(this.#internal.server, this.#internal.sockets);
    if (this.#started && this.api.handler) await this.api.stop();
    else if (typeof this.opts.storage === 'object') await this.opts.storage.close(); // opened for us, never started
    await this.#client?.close();
  }

  /** Applies a fault (serialised with other fault changes); returns the new state. */
  fault(req: FaultRequest): Promise<FaultState & { message: string }> {
    const run = this.#transition.catch(() => undefined).then(() => this.#applyFault(req));
    this.#transition = run;
    return run;
  }

  async #applyFault(req: FaultRequest): Promise<FaultState & { message: string }> {
    const before = this.#state;
    const after = nextState(before, req);
    if (req.mode === 'node-failure') {
      if (!this.#components) throw new Error(`${this.name} is down; bring it up before failing nodes`);
      const n = this.#components.nodes;
      // Without a rate, one node fails.
      const failed = await n.failNodes({ rate: req.rate ?? 1 / Math.max(1, n.names.length) });
      after.failedNodes = [...new Set([...before.failedNodes, ...failed])].sort();
    }
    const wasOpen = !before.down && !before.partitioned;
    const open = !after.down && !after.partitioned;
    if (wasOpen && !open) await closeListener(this.api.server, this.#publicSockets);
    if (before.down && !after.down) {
      await this.#startComponents(true);
    }
    if (!before.down && after.down) this.#stopComponents();
    if ((req.mode === 'heal' || req.mode === 'up') && this.#components) await this.#components.nodes.healNodes();
    if (!wasOpen && open) await reopenListener(this.api.server, this.#port, this.#bind);
    this.#state = after;
    const message = describeState(this.name, after);
    this.log.info({ mode: req.mode, state: after }, 'fault applied');
    return { ...structuredClone(after), message };
  }

  async #startComponents(restart: boolean): Promise<void> {
    const abort = new AbortController();
    // Every informer and controller of the cluster listens. (Not 0: Node 20's getMaxListeners then throws.)
    setMaxListeners(1000, abort.signal);
    const clock = this.opts.clock ?? realClock;
    const client = this.#client!;
    const factory = new InformerFactory(client, { clock, log: this.log });
    const ctx: SimContext = { cluster: this.opts.spec, timing: this.opts.timing, stages: this.opts.stages, client, factory, clock, log: this.log, signal: abort.signal, metrics: this.metrics };
    const pods = new PodIndex(factory.for(R.pods));
    const nodes = new NodeAgent(ctx);
    startNodeLifecycle(ctx, pods);
    const scheduler = new Scheduler(ctx, pods);
    startServiceAllocation(ctx, this.#port);
    startEndpoints(ctx, pods);
    factory.start(abort.signal);
    await nodes.register();
    const kubelet = await startKubelet(ctx, pods);
    if (restart) {
      const n = await restartPods(ctx, pods.informer.list());
      this.log.info({ pods: n }, 'cluster back up: containers restarted');
    }
    scheduler.start();
    const workloads = await startWorkloadControllers({ client, factory, clock, log: this.log, signal: abort.signal, name: this.name, metrics: this.metrics });
    await workloads.ready;
    this.#components = { abort, factory, nodes, kubelet, scheduler, pods };
  }

  #stopComponents(): void {
    const c = this.#components;
    if (!c) return;
    this.#components = undefined;
    c.abort.abort();
    c.factory.stop();
    c.nodes.stop();
  }
}
