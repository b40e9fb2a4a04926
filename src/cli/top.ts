/**
 * `flotilla top clusters`: requested vs allocatable CPU and memory per member, and pods, from
 * Cluster.status.resourceSummary (what the scheduler's estimates start from). Requests, not
 * live usage: that is what decides whether replicas still fit.
 */
import { Command, Option } from 'commander';
import type { Cluster } from '../api/cluster.js';
import { kubeOptions, withControlPlane, type KubeFlags } from './kube.js';
import { CLUSTERS } from './members.js';
import { examples, formatTable, out, type Colors } from './output.js';
import { formatCores, formatGi, milliOf, percent, valueOf } from './units.js';

export const TOP_COLUMNS = ['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(Gi)', 'MEMORY%', 'PODS', 'PODS%'];

interface Usage {
  used?: bigint;
  total?: bigint;
}

export interface ClusterUsage {
  name: string;
  cpu: Usage; // milli-cores
  memory: Usage; // bytes
  pods: Usage;
}

export function usageOf(c: Cluster): ClusterUsage {
  const rs = c.status?.resourceSummary;
  const pair = (read: typeof milliOf, name: string): Usage => {
    const total = read(rs?.allocatable, name);
    return total === undefined ? {} : { used: read(rs?.allocated, name) ?? 0n, total };
  };
  return { name: c.metadata?.name ?? '', cpu: pair(milliOf, 'cpu'), memory: pair(valueOf, 'memory'), pods: pair(valueOf, 'pods') };
}

function pct(u: Usage, colors?: Colors): string {
  const p = u.total === undefined ? undefined : percent(u.used ?? 0n, u.total);
  if (p === undefined) return '<unknown>';
  const text = `${p}%`;
  if (!colors) return text;
  return p >= 90 ? colors.red(text) : p >= 75 ? colors.yellow(text) : text;
}

const amount = (u: Usage, fmt: (v: bigint) => string) => (u.total === undefined ? '<unknown>' : `${fmt(u.used ?? 0n)}/${fmt(u.total)}`);

export function topRow(u: ClusterUsage, colors?: Colors): string[] {
  return [u.name, amount(u.cpu, formatCores), pct(u.cpu, colors), amount(u.memory, formatGi), pct(u.memory, colors), amount(u.pods, String), pct(u.pods, colors)];
}

const ratio = (u: Usage) => (u.total ? Number(u.used ?? 0n) / Number(u.total) : -1);

export function sortUsage(rows: ClusterUsage[], by?: 'cpu' | 'memory' | 'pods'): ClusterUsage[] {
  return by ? [...rows].sort((a, b) => ratio(b[by]) - ratio(a[by])) : rows;
}

export function topCommand(): Command {
  const top = new Command('top').description('Resource use of the fleet.');
  examples(top, 'flotilla top clusters');
  const clusters = new Command('clusters')
    .description('CPU, memory and pods requested vs allocatable per member cluster (from Cluster.status.resourceSummary).')
    .argument('[names...]', 'only these clusters')
    .addOption(new Option('--sort-by <resource>', 'busiest first by this resource').choices(['cpu', 'memory', 'pods']));
  kubeOptions(clusters);
  examples(clusters, 'flotilla top clusters', 'flotilla top clusters --sort-by memory');
  clusters.action(async (names: string[], o: KubeFlags & { sortBy?: 'cpu' | 'memory' | 'pods' }) => {
    await withControlPlane(o, async ({ client }) => {
      let items = (await client.list<Cluster>(CLUSTERS)).items;
      if (names.length) {
        const missing = names.filter((n) => !items.some((c) => c.metadata?.name === n));
        if (missing.length) throw new Error(`cluster "${missing[0]}" not found`);
        items = items.filter((c) => names.includes(c.metadata?.name ?? ''));
      }
      if (!items.length) {
        process.stderr.write('No clusters found.\n');
        return;
      }
      const colors = out();
      process.stdout.write(formatTable(TOP_COLUMNS, sortUsage(items.map(usageOf), o.sortBy).map((u) => topRow(u, colors))));
    });
  });
  return top.addCommand(clusters);
}
