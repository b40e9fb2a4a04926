/**
 * `flotilla clusters` (also `flotilla get clusters`): the fleet at a glance, from the Cluster
 * objects the cluster-status controller keeps up to date. Nothing here talks to the members.
 */
import { Command } from 'commander';
import type { Cluster } from '../api/cluster.js';
import { CLUSTER_CONDITIONS } from '../api/wellknown.js';
import { age } from '../apiserver/printers/age.js';
import { kubeOptions, withControlPlane, type KubeFlags } from './kube.js';
import { CLUSTERS } from './members.js';
import { asList, examples, formatOf, formatTable, out, outputOption, resourceName, serialize, type Colors, type OutputFormat } from './output.js';
import { formatCores, formatGi, milliOf, valueOf } from './units.js';

export const CLUSTER_COLUMNS = ['NAME', 'READY', 'VERSION', 'MODE', 'NODES', 'CPU', 'MEMORY', 'REGION', 'ZONE', 'AGE'];
export const CLUSTER_WIDE_COLUMNS = [...CLUSTER_COLUMNS, 'API-ENDPOINT', 'TAINTS'];

/** The Ready condition's status; Unknown until the cluster-status controller has probed it. */
export function readyOf(c: Cluster): 'True' | 'False' | 'Unknown' {
  const cond = c.status?.conditions?.find((x) => x.type === CLUSTER_CONDITIONS.Ready);
  return (cond?.status as 'True' | 'False' | undefined) ?? 'Unknown';
}

/** "allocated/allocatable" of one resource, or <unknown> before the first status. */
function usage(c: Cluster, resource: 'cpu' | 'memory'): string {
  const rs = c.status?.resourceSummary;
  if (resource === 'cpu') {
    const total = milliOf(rs?.allocatable, 'cpu');
    if (total === undefined) return '<unknown>';
    return `${formatCores(milliOf(rs?.allocated, 'cpu') ?? 0n)}/${formatCores(total)}`;
  }
  const total = valueOf(rs?.allocatable, 'memory');
  if (total === undefined) return '<unknown>';
  return `${formatGi(valueOf(rs?.allocated, 'memory') ?? 0n)}/${formatGi(total)}Gi`;
}

export function zonesOf(c: Cluster): string {
  const zones = c.spec.zones?.length ? c.spec.zones : c.spec.zone ? [c.spec.zone] : [];
  return zones.length ? zones.join(',') : '<none>';
}

export function clusterRow(c: Cluster, now: Date, wide: boolean, colors?: Colors): string[] {
  const ready = readyOf(c);
  const paint = colors ? { True: colors.green, False: colors.red, Unknown: colors.yellow }[ready] : (s: string) => s;
  const nodes = c.status?.nodeSummary;
  const row = [
    c.metadata?.name ?? '',
    paint(ready),
    c.status?.kubernetesVersion || '<unknown>',
    c.spec.syncMode ?? 'Push',
    nodes?.totalNum !== undefined ? `${nodes.readyNum ?? 0}/${nodes.totalNum}` : '<unknown>',
    usage(c, 'cpu'),
    usage(c, 'memory'),
    c.spec.region || '<none>',
    zonesOf(c),
    age(c.metadata?.creationTimestamp, now),
  ];
  if (wide) {
    const taints = (c.spec.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
    row.push(c.spec.apiEndpoint || '<none>', taints.length ? taints.join(',') : '<none>');
  }
  return row;
}

/** Renders clusters in any output format (shared with `get clusters`). */
export function renderClusters(items: readonly Cluster[], format: OutputFormat, now = new Date(), colors?: Colors): string {
  switch (format) {
    case 'yaml':
    case 'json':
      return serialize(items.length === 1 ? items[0] : asList(items), format);
    case 'name':
      return items.map((c) => resourceName('cluster', 'cluster.karmada.io', c.metadata?.name ?? '') + '\n').join('');
    default: {
      const wide = format === 'wide';
      return formatTable(wide ? CLUSTER_WIDE_COLUMNS : CLUSTER_COLUMNS, items.map((c) => clusterRow(c, now, wide, colors)));
    }
  }
}

export interface ClustersFlags extends KubeFlags {
  selector?: string;
  output?: string;
}

export async function runClusters(names: string[], o: ClustersFlags): Promise<void> {
  await withControlPlane(o, async ({ client }) => {
    let items: Cluster[];
    if (names.length) {
      items = await Promise.all(
        names.map((n) =>
          client.get<Cluster>(CLUSTERS, n).catch((e) => {
            throw (e as { code?: number }).code === 404 ? new Error(`cluster "${n}" not found`) : e;
          }),
        ),
      );
    } else {
      items = (await client.list<Cluster>(CLUSTERS, { labelSelector: o.selector })).items;
    }
    if (!items.length) {
      process.stderr.write('No clusters found.\n');
      return;
    }
    process.stdout.write(renderClusters(items, formatOf(o), new Date(), out()));
  });
}

export function clustersCommand(): Command {
  const cmd = new Command('clusters')
    .description('List the member clusters: readiness, version, nodes, CPU and memory allocated/allocatable, region and zone.')
    .argument('[names...]', 'only these clusters')
    .option('-l, --selector <selector>', 'label selector on the Cluster objects (e.g. env=prod)');
  outputOption(cmd);
  kubeOptions(cmd);
  examples(cmd, 'flotilla clusters', 'flotilla clusters -o wide', 'flotilla clusters member1 -o yaml', 'flotilla get clusters -l region=eu-west-1');
  return cmd.action((names: string[], o: ClustersFlags) => runClusters(names, o));
}
