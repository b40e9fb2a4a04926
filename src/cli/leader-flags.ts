/**
 * `flotilla controllers --leader-elect`: kube-controller-manager's leader election flags and
 * behaviour. Controllers start only while this process holds the Lease; when leadership is lost
 * the process exits (a fresh process rejoins with clean state), and on SIGTERM it releases the
 * Lease so a standby takes over at once. Transitions are printed with timestamps, one line each:
 *
 *   flotilla controllers leading identity=host_uuid at=2026-11-22T03:00:00.000Z
 *   flotilla controllers stopped leading identity=host_uuid at=... reason=...
 */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.js';
import { ApiError } from '../client/client.js';
import { LeaderElector } from '../controller/leaderelection.js';
import { parseDuration } from './controller-flags.js';

export function leaderElectionFlags(cmd: Command): Command {
  return cmd
    .option('--leader-elect [bool]', 'run controllers only while holding the leader Lease, so several processes can stand by (--leader-elect=false to disable)', (v: string) => v !== 'false', true)
    .option('--leader-elect-lease-duration <duration>', 'how long standbys wait before taking over a Lease that is no longer renewed', parseDuration, 15_000)
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader retries renewing before it stops leading (< lease duration)', parseDuration, 10_000)
    .option('--leader-elect-retry-period <duration>', 'pause between attempts to acquire or renew the Lease', parseDuration, 2_000)
    .option('--leader-elect-namespace <namespace>', 'namespace of the Lease', 'karmada-system')
    .option('--leader-elect-resource-name <name>', 'name of the Lease', 'flotilla-controller-manager');
}

export interface LeaderFlagValues {
  leaderElect: boolean;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  leaderElectNamespace: string;
  leaderElectResourceName: string;
}

export interface Started {
  stop(): Promise<void>;
}

/**
 * Runs start() once this process leads; start() must stop acting when its signal aborts (the
 * Lease is lost). Returns shutdown(), which stops the controllers, then releases the Lease;
 * losing leadership otherwise ends the process with exit code 1.
 */
export async function runLeaderElected(o: LeaderFlagValues, client: KubeClient, log: Logger, start: (signal: AbortSignal) => Promise<Started>): Promise<{ shutdown(): Promise<void> }> {
  const print = (line: string) => process.stdout.write(`flotilla controllers ${line}\n`);
  await ensureNamespace(client, o.leaderElectNamespace);
  const campaign = new AbortController();
  let shuttingDown = false;
  let started: Promise<Started | undefined> = Promise.resolve(undefined);
  const elector = new LeaderElector({
    client,
    namespace: o.leaderElectNamespace,
    name: o.leaderElectResourceName,
    leaseDurationMs: o.leaderElectLeaseDuration,
    renewDeadlineMs: o.leaderElectRenewDeadline,
    retryPeriodMs: o.leaderElectRetryPeriod,
    releaseOnCancel: true,
    log,
    onStartedLeading: (signal) => {
      print(`leading identity=${elector.identity} at=${new Date().toISOString()}`);
      started = start(signal).catch((err) => {
        log.error({ err }, 'controllers failed to start');
        process.exit(1);
      });
    },
    onStoppedLeading: () => {
      print(`stopped leading identity=${elector.identity} at=${new Date().toISOString()} reason=${shuttingDown ? 'shutdown' : 'lost'}`);
      // The controllers saw their signal abort already; a process that lost the Lease must not
      // linger with half-stopped state, so it exits (kube-controller-manager does the same).
      if (!shuttingDown) process.exit(1);
    },
    onNewLeader: (id) => {
      if (id && id !== elector.identity) print(`leader identity=${id}`);
    },
  });
  print(`waiting for leadership identity=${elector.identity} lease=${o.leaderElectNamespace}/${o.leaderElectResourceName}`);
  const running = elector.run(campaign.signal);
  return {
    async shutdown() {
      shuttingDown = true;
      // Controllers stop while the Lease is still ours; only then is it released to a standby.
      await (await started)?.stop();
      campaign.abort();
      await running;
    },
  };
}

/** The Lease's namespace may not exist yet on a fresh control plane. */
async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create({ group: '', version: 'v1', resource: 'namespaces', namespaced: false }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (e) {
    // Exists already, or we may not create namespaces: the Lease writes will tell.
    if (!(e instanceof ApiError && (e.code === 409 || e.code === 403))) throw e;
  }
}
