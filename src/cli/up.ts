/** `flotilla up`: the control plane, simulated member clusters and controllers in one process. */
import { Command } from 'commander';
import { isAbsolute, resolve, relative } from 'node:path';
import { createLogger } from '../util/logger.js';
import { parsePort } from './apiserver.js';
import { controllerOptionFlags, controllerOptionsFrom } from './controller-flags.js';
import { storageFlags, openStorage } from './storage-flags.js';

export function upCommand(): Command {
  const cmd = new Command('up')
    .description('Run Flotilla on this machine: the control plane, N simulated member clusters (joined) and all controllers.')
    .option('--data-dir <dir>', 'state of the control plane and the simulated clusters; kept across restarts', '.flotilla')
    .option('--port <port>', 'control plane API port (0 picks a free one)', parsePort, 6443)
    .option('--bind <addr>', 'address to bind', '127.0.0.1')
    .option('--sim <n>', 'how many simulated member clusters to run and join (0 for none; default 3)', (v) => intArg('--sim', v))
    .option('--nodes <m>', 'nodes per simulated cluster', (v) => intArg('--nodes', v), 4)
    .option('--fleet <file>', 'fleet file (YAML) describing the simulated clusters (instead of --sim)')
    .option('--time-scale <x>', 'multiply every simulated delay (e.g. 0.1 for 10x faster)', Number)
    .option('--controllers <list>', 'controllers to run: "*" for all, "-name" to leave one out', (v) => v.split(','), ['*'])
    .addHelpText('after', '\nExample:\n  flotilla up --sim 3\n  export KUBECONFIG=$PWD/.flotilla/kubeconfig\n  kubectl apply -f examples/nginx-propagation.yaml\n');
  controllerOptionFlags(cmd);
  storageFlags(cmd);
  return cmd.action(async (o) => {
    const started = Date.now();
    const log = createLogger({ name: 'flotilla' });
    const [{ startFlotilla }, { defaultFleet, loadFleet }] = await Promise.all([import('../up/flotilla.js'), import('../simulator/fleet.js')]);
    const timing = o.timeScale !== undefined ? { timeScale: o.timeScale } : {};
    if (o.fleet && o.sim !== undefined) throw new Error('give either --sim or --fleet, not both');
    const sim = o.sim ?? 3;
    const fleet = o.fleet ? loadFleet(resolve(o.fleet), { timing }) : sim > 0 ? defaultFleet(sim, o.nodes, timing) : undefined;
    const f = await startFlotilla({
      dataDir: o.dataDir,
      port: o.port,
      bind: o.bind,
      storage: await openStorage(o, log),
      fleet,
      // The members' state lives beside the control plane's: kept unless that is in memory.
      persistSimulation: o.storage !== 'memory',
      controllers: o.controllers,
      controllerOptions: controllerOptionsFrom(o),
      logger: log,
    });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const shortest = (p: string) => {
      const rel = relative(process.cwd(), p);
      return rel && !rel.startsWith('..') ? rel : p;
    };
    const kc = shortest(f.kubeconfigPath);
    // Pasted as printed, a relative path would break after a cd; $PWD makes it absolute.
    const kcExport = isAbsolute(kc) ? kc : `$PWD/${kc}`;
    const names = fleet?.clusters.map((c) => c.name) ?? [];
    process.stdout.write(`flotilla up ready url=${f.server.url} kubeconfig=${f.kubeconfigPath} clusters=${names.join(',')} seconds=${secs}\n`);
    process.stderr.write(
      [
        '',
        `  Flotilla is up (${secs}s): control plane ${f.server.url}, ${names.length} simulated cluster(s)${names.length ? ': ' + names.join(', ') : ''}.`,
        '',
        `  export KUBECONFIG=${kcExport}`,
        '  kubectl get clusters',
        '  kubectl apply -f examples/nginx-propagation.yaml     # a Deployment and a PropagationPolicy',
        '  kubectl get deploy nginx -w                          # status aggregated from the members',
        ...(names[0] ? [`  kubectl --context ${names[0]} get pods              # what landed in ${names[0]}`] : []),
        '',
        `  Ctrl-C stops everything; state stays in ${shortest(resolve(o.dataDir))}.`,
        '',
      ].join('\n') + '\n',
    );
    let stopping = false;
    const stop = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'shutting down');
      await f.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

function intArg(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer (got ${v})`);
  return n;
}
