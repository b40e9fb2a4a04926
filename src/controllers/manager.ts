/**
 * The controller manager: a registry of controllers by name (Karmada's
 * `controllers["binding"] = startBindingController` pattern) started with shared informers, a
 * client to the control plane and clients to member clusters. `--controllers=*,-foo` picks.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../client/client.js';
import type { InformerFactory } from '../client/factory.js';
import type { MemberClients } from '../member/clients.js';
import type { Clock } from '../util/clock.js';

export interface ControllerOptions {
  /** How often cluster health is probed (ms). */
  clusterMonitorPeriodMs: number;
  /** Time without a successful probe before Ready turns Unknown/False (ms). */
  clusterGracePeriodMs: number;
  clusterStartupGracePeriodMs: number;
  /** NoExecute taints are added this long after a cluster became unhealthy (ms). */
  failoverEvictionTimeoutMs: number;
  /** Evictions per second across the fleet. */
  evictionRate: number;
  /** How long a recovered cluster must stay healthy before it takes new work (ms). */
  clusterStabilizationMs: number;
  /** Default graceful-eviction timeout (ms). */
  gracefulEvictionTimeoutMs: number;
  /** Reconcile workers per controller. */
  workers: number;
}

export const DEFAULT_OPTIONS: ControllerOptions = {
  clusterMonitorPeriodMs: 2_000,
  clusterGracePeriodMs: 20_000,
  clusterStartupGracePeriodMs: 60_000,
  failoverEvictionTimeoutMs: 30_000,
  evictionRate: 10,
  clusterStabilizationMs: 30_000,
  gracefulEvictionTimeoutMs: 600_000,
  workers: 4,
};

export interface ControllerContext {
  client: KubeClient;
  factory: InformerFactory;
  members: MemberClients;
  clock: Clock;
  log: Logger;
  metrics: Registry;
  options: ControllerOptions;
  signal: AbortSignal;
}

export interface Running {
  stop(): Promise<void>;
}

export type StartController = (ctx: ControllerContext) => Running | Promise<Running>;

/** Which of `all` are enabled by a kube-style list: "*", "name", "-name". */
export function enabledControllers(all: string[], spec: string[]): string[] {
  const on = new Set<string>();
  const items = spec.length ? spec : ['*'];
  for (const item of items) {
    if (item === '*') all.forEach((n) => on.add(n));
    else if (item.startsWith('-')) on.delete(item.slice(1));
    else if (all.includes(item)) on.add(item);
    else throw new Error(`unknown controller "${item}" (known: ${all.join(', ')})`);
  }
  return all.filter((n) => on.has(n));
}

export async function startControllers(registry: Record<string, StartController>, ctx: ControllerContext, spec: string[] = ['*']): Promise<Running> {
  const running: { name: string; r: Running }[] = [];
  for (const name of enabledControllers(Object.keys(registry), spec)) {
    running.push({ name, r: await registry[name]!({ ...ctx, log: ctx.log.child({ controller: name }) }) });
  }
  ctx.factory.start(ctx.signal);
  return {
    async stop() {
      ctx.factory.stop();
      await Promise.all(running.map(({ r }) => r.stop()));
    },
  };
}
