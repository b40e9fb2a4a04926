/** `flotilla controllers`: the controller manager alone, against any API server with Flotilla's CRDs. */
import { Command } from 'commander';
import { createLogger } from '../util/logger.js';
import { controllerOptionFlags, controllerOptionsFrom } from './controller-flags.js';
import { leaderElectionFlags, runLeaderElected } from './leader-flags.js';

export function controllersCommand(): Command {
  const cmd = new Command('controllers')
    .description("Run Flotilla's controllers against a Kubernetes API server that serves Flotilla's CRDs (see `flotilla crds`).")
    .option('--kubeconfig <file>', 'kubeconfig of the control plane (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--controllers <list>', 'controllers to run: "*" for all, "-name" to leave one out', (v) => v.split(','), ['*'])
    .addHelpText('after', '\nExample:\n  flotilla controllers --kubeconfig .flotilla/kubeconfig --context flotilla\n');
  controllerOptionFlags(cmd);
  leaderElectionFlags(cmd);
  return cmd.action(async (o) => {
    const log = createLogger({ name: 'flotilla-controllers' });
    const [{ Registry }, { KubeClient }, { InformerFactory }, { R }, { MemberClients, CLUSTERS }, { startControllers }, { CONTROLLERS }, { realClock }] = await Promise.all([
      import('prom-client'),
      import('../client/client.js'),
      import('../client/factory.js'),
      import('../client/resources.js'),
      import('../member/clients.js'),
      import('../controllers/manager.js'),
      import('../controllers/registry.js'),
      import('../util/clock.js'),
    ]);
    const client = KubeClient.fromKubeconfig(o.kubeconfig, o.context, { userAgent: 'flotilla-controller-manager', connections: 64 });
    await client.request('GET', '/version').catch((e: Error) => {
      throw new Error(`cannot reach the control plane: ${e.message}`);
    });
    // Informers and controllers exist only while this process may act (see --leader-elect).
    const start = async (signal?: AbortSignal) => {
      const factory = new InformerFactory(client, { log });
      const members = new MemberClients(factory.for(CLUSTERS), factory.for(R.secrets, { namespace: 'karmada-cluster' }), log);
      const abort = new AbortController();
      signal?.addEventListener('abort', () => abort.abort(), { once: true });
      const running = await startControllers(
        CONTROLLERS,
        { client, factory, members, clock: realClock, log, metrics: new Registry(), options: controllerOptionsFrom(o), signal: abort.signal },
        o.controllers,
      );
      await factory.synced();
      return {
        async stop() {
          abort.abort();
          await running.stop();
          await members.close();
        },
      };
    };
    const elected = o.leaderElect ? await runLeaderElected(o, client, log, start) : undefined;
    const running = elected ? undefined : await start();
    process.stdout.write(`flotilla controllers ready server=${client.base}\n`);
    const stop = async () => {
      await (elected ? elected.shutdown() : running!.stop());
      await client.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });
}
