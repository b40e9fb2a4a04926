/** `flotilla apiserver`: the Kubernetes-compatible API server alone. */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { createLogger } from '../util/logger.js';
import { storageFlags, openStorage } from './storage-flags.js';

export function apiserverCommand(): Command {
  const cmd = new Command('apiserver')
    .description('Serve the Kubernetes API (HTTPS, token auth) with state in --data-dir.')
    .option('--data-dir <dir>', 'where state, certificates, tokens and the kubeconfig live', '.flotilla')
    .option('--port <port>', 'port to listen on (0 picks a free one)', (v) => parsePort(v), 6443)
    .option('--bind <addr>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--sqlite-synchronous <mode>', 'SQLite synchronous setting').choices(['NORMAL', 'FULL']).default('NORMAL'))
    .option('--watch-cache-size <n>', 'events kept per resource for watch resumption', (v) => Number(v), 10000)
    .option('--min-request-timeout <seconds>', 'how long a watch without timeoutSeconds stays open (randomised up to 2x)', (v) => Number(v), 1800)
    .option('--compaction-interval <seconds>', 'storage compaction interval; history older than one interval is dropped', (v) => Number(v), 300)
    .option('--host <name...>', 'extra names/addresses for the serving certificate')
    .option('--no-flotilla-apis', "do not install Flotilla's (Karmada-compatible) APIs as CRDs at start")
    .addHelpText('after', '\nExample:\n  flotilla apiserver --data-dir /tmp/fl --port 0\n  KUBECONFIG=/tmp/fl/kubeconfig kubectl get ns\n');
  return storageFlags(cmd).action(async (o) => {
    const log = createLogger({ name: 'flotilla' });
    // Loaded here, not at the top: every other command stays quick to start.
    const [{ ApiServer }, { flotillaCRDs }] = await Promise.all([import('../apiserver/server.js'), import('../api/crds.js')]);
    const server = await new ApiServer({
      dataDir: resolve(o.dataDir),
      port: o.port,
      bind: o.bind,
      storage: await openStorage(o, log),
      sqliteSynchronous: o.sqliteSynchronous,
      watchCacheSize: o.watchCacheSize,
      minRequestTimeoutMs: o.minRequestTimeout * 1000,
      compactionIntervalMs: o.compactionInterval * 1000,
      hosts: o.host,
      logger: log,
      defaultMetrics: true,
      crds: o.flotillaApis ? flotillaCRDs() : [],
    }).start();
    // One machine-readable line for scripts and tests, then the human hint.
    process.stdout.write(`flotilla apiserver ready url=${server.url} kubeconfig=${server.kubeconfigPath}\n`);
    process.stderr.write(`\n  export KUBECONFIG=${server.kubeconfigPath}\n  kubectl get namespaces\n\n`);
    const stop = async (sig: string) => {
      log.info({ signal: sig }, 'shutting down');
      await server.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

export function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port: ${v}`);
  return n;
}
