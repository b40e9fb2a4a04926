/**
 * `flotilla sim`: a fleet of simulated member clusters, and `flotilla sim fault` to break and
 * mend them at runtime through the running simulator's admin endpoint.
 */
import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../util/logger.js';
import type { Timing } from '../simulator/fleet.js';
import { FAULT_MODES, validateFault } from '../simulator/faults.js';
import type { SimInfo } from '../simulator/sim.js';
import { parsePort } from './apiserver.js';

const DEFAULT_DIR = '.flotilla-sim';
// Kept here (not imported from sim.ts) so `sim fault` does not load the simulator itself.
const SIM_INFO_FILE = 'sim.json';
const SIM_ADMIN_TOKEN = 'sim-admin';

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer (got ${v})`);
  return n;
};
const number = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number (got ${v})`);
  return n;
};

export function simCommand(): Command {
  const sim = new Command('sim')
    .description('Run simulated member clusters: real Kubernetes API endpoints with simulated nodes and workloads.')
    .option('--clusters <n>', 'how many clusters (member1..memberN); default 2 without --fleet', positiveInt('--clusters'))
    .option('--nodes <m>', 'nodes per cluster (default 4, or as the fleet file says)', positiveInt('--nodes'))
    .option('--fleet <file>', 'fleet file (YAML) describing the clusters')
    .option('--data-dir <dir>', 'where the CA, tokens, kubeconfig and sim.json go', DEFAULT_DIR)
    .option('--port <port>', 'port of the admin endpoint (0 picks a free one)', parsePort, 0)
    .option('--bind <addr>', 'address to listen on', '127.0.0.1')
    .option('--time-scale <x>', 'multiply every simulated delay (e.g. 0.1 for 10x faster); also $FLOTILLA_SIM_TIME_SCALE', number('--time-scale'))
    .addHelpText(
      'after',
      '\nExamples:\n  flotilla sim --clusters 3 --nodes 5 --data-dir /tmp/sim\n  kubectl --kubeconfig /tmp/sim/kubeconfig --context member1 get nodes\n  flotilla sim fault member2 down --data-dir /tmp/sim\n',
    )
    .action(async (o) => {
      const [{ defaultFleet, loadFleet }, { SimFleet }] = await Promise.all([import('../simulator/fleet.js'), import('../simulator/sim.js')]);
      const log = createLogger({ name: 'flotilla-sim' });
      const envScale = process.env.FLOTILLA_SIM_TIME_SCALE;
      const timeScale = o.timeScale ?? (envScale !== undefined ? number('FLOTILLA_SIM_TIME_SCALE')(envScale) : undefined);
      const timing: Partial<Timing> = timeScale !== undefined ? { timeScale } : {};
      if (o.fleet && o.clusters !== undefined) throw new Error('give either --clusters or --fleet, not both');
      const fleet = o.fleet ? loadFleet(resolve(o.fleet), { nodes: o.nodes, timing }) : defaultFleet(o.clusters ?? 2, o.nodes ?? 4, timing);
      const sims = await new SimFleet({ fleet, dataDir: o.dataDir, adminPort: o.port, bind: o.bind, logger: log }).start();
      const names = [...sims.clusters.keys()];
      process.stdout.write(`flotilla sim ready kubeconfig=${sims.kubeconfigPath} admin=${sims.adminUrl} clusters=${names.join(',')}\n`);
      process.stderr.write(`\n  export KUBECONFIG=${sims.kubeconfigPath}\n  kubectl --context ${names[0]} get nodes\n\n`);
      let stopping = false;
      const stop = async (sig: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal: sig }, 'shutting down');
        await sims.stop();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
  sim.addCommand(faultCommand());
  return sim;
}

function faultCommand(): Command {
  return new Command('fault')
    .description('Change a simulated cluster\'s faults at runtime.')
    .argument('<cluster>', 'cluster name, e.g. member1')
    .argument('<mode>', `one of ${FAULT_MODES.join('|')}`)
    .option('--latency <ms>', 'slow: milliseconds added to every API call', number('--latency'))
    .option('--rate <r>', 'errors: fraction of API calls failing; node-failure: fraction of nodes', number('--rate'))
    .option('--data-dir <dir>', `the running simulator's data dir (default: ${DEFAULT_DIR})`)
    .addHelpText('after', '\nExamples:\n  flotilla sim fault member2 down --data-dir /tmp/sim\n  flotilla sim fault member1 slow --latency 500 --data-dir .flotilla\n')
    .action(async (cluster: string, mode: string, o, cmd: Command) => {
      // `sim` has a --data-dir too and may have taken the flag; either place counts.
      const dataDir: string = o.dataDir ?? cmd.parent?.opts().dataDir ?? DEFAULT_DIR;
      const request = validateFault({ mode, ...(o.latency !== undefined ? { latencyMs: o.latency } : {}), ...(o.rate !== undefined ? { rate: o.rate } : {}) });
      const dir = resolve(dataDir);
      let info: SimInfo;
      try {
        info = JSON.parse(readFileSync(join(dir, SIM_INFO_FILE), 'utf8')) as SimInfo;
      } catch {
        throw new Error(`no running simulator in ${dir} (${SIM_INFO_FILE} missing); start one with: flotilla sim --data-dir ${dataDir}`);
      }
      const token = readFileSync(join(dir, `${SIM_ADMIN_TOKEN}.token`), 'utf8').trim();
      // Inside `flotilla up --data-dir DIR` the fleet's CA is DIR/sim/pki (DIR/pki is the control plane's).
      const ca = readFileSync(existsSync(join(dir, 'sim', 'pki', 'ca.crt')) ? join(dir, 'sim', 'pki', 'ca.crt') : join(dir, 'pki', 'ca.crt'), 'utf8');
      const { Agent, request: send } = await import('undici');
      const dispatcher = new Agent({ connect: { ca } });
      let res;
      try {
        res = await send(`${info.admin.url}/clusters/${encodeURIComponent(cluster)}/fault`, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (e) {
        throw new Error(`simulator admin endpoint ${info.admin.url} is not reachable (${(e as Error).message}); is flotilla sim still running?`);
      } finally {
        void dispatcher.close();
      }
      const body = (await res.body.json().catch(() => ({}))) as { message?: string };
      if (res.statusCode !== 200) throw new Error(body.message ?? `admin endpoint answered HTTP ${res.statusCode}`);
      process.stdout.write(`${body.message}\n`);
    });
}
