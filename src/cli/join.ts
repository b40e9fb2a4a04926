/** `flotilla join` / `flotilla unjoin`: member clusters in push mode. */
import { Command } from 'commander';
import { parseDuration } from './controller-flags.js';

export function joinCommand(): Command {
  return new Command('join')
    .description('Join a member cluster (push mode): Flotilla reaches it with the credentials of its kubeconfig.')
    .argument('<name>', 'the name the cluster gets in Flotilla')
    .requiredOption('--cluster-kubeconfig <file>', "the member cluster's kubeconfig")
    .option('--cluster-context <name>', 'context in the member kubeconfig')
    .option('--kubeconfig <file>', 'kubeconfig of the Flotilla control plane (default $KUBECONFIG)')
    .option('--context <name>', 'context of the control plane')
    .option('--label <k=v...>', 'labels for the Cluster object')
    .option('--provider <name>')
    .option('--region <name>')
    .option('--zone <name...>')
    .addHelpText('after', '\nExample:\n  flotilla join edge1 --cluster-kubeconfig ~/edge1.kubeconfig --region eu-west-1\n')
    .action(async (name: string, o) => {
      const [{ KubeClient }, { loadKubeconfig }, { joinCluster }] = await Promise.all([import('../client/client.js'), import('../client/kubeconfig.js'), import('../member/join.js')]);
      const member = loadKubeconfig(o.clusterKubeconfig, { context: o.clusterContext });
      const cp = KubeClient.fromKubeconfig(o.kubeconfig, o.context);
      try {
        const labels = Object.fromEntries((o.label ?? []).map((kv: string) => kv.split('=', 2)));
        await joinCluster(cp, { name, member, labels, provider: o.provider, region: o.region, zones: o.zone });
        process.stdout.write(`cluster "${name}" joined (${member.server})\n`);
      } finally {
        await cp.close();
      }
    });
}

export function unjoinCommand(): Command {
  return new Command('unjoin')
    .description('Remove a member cluster from Flotilla, and what Flotilla applied to it.')
    .argument('<name>')
    .option('--kubeconfig <file>', 'kubeconfig of the Flotilla control plane (default $KUBECONFIG)')
    .option('--context <name>', 'context of the control plane')
    .option('--wait <duration>', "how long to wait for the cleanup of the cluster's Works before giving up (its credentials are deleted only after it)", parseDuration, 120_000)
    .addHelpText('after', '\nExample:\n  flotilla unjoin edge1\n')
    .action(async (name: string, o) => {
      const [{ KubeClient }, { unjoinCluster }] = await Promise.all([import('../client/client.js'), import('../member/join.js')]);
      const cp = KubeClient.fromKubeconfig(o.kubeconfig, o.context);
      try {
        await unjoinCluster(cp, name, { waitMs: o.wait });
        process.stdout.write(`cluster "${name}" unjoined\n`);
      } finally {
        await cp.close();
      }
    });
}

export function crdsCommand(): Command {
  return new Command('crds')
    .description("Print Flotilla's CRDs (Karmada-compatible APIs) as YAML, to install on a host cluster.")
    .addHelpText('after', '\nExample:\n  flotilla crds | kubectl --context host apply --server-side -f -\n')
    .action(async () => {
      const [{ flotillaCRDs }, { stringify }] = await Promise.all([import('../api/crds.js'), import('yaml')]);
      process.stdout.write(flotillaCRDs().map((c) => stringify(c)).join('---\n'));
    });
}
