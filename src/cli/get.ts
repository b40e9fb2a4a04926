/**
 * `flotilla get KIND [NAME]`: the objects as they exist in the member clusters, aggregated with
 * a CLUSTER column (karmadactl get). KIND is resolved by each member's own discovery (members
 * may serve different CRDs and versions) and rows are the member's own Table output, so every
 * kind prints as kubectl prints it. Members are asked in parallel with a bounded concurrency and
 * a deadline each; an unreachable one is a warning and the others still print.
 */
import { Command, Option } from 'commander';
import { ApiError, type KubeClient } from '../client/client.js';
import { parseDuration } from './controller-flags.js';
import { runClusters } from './clusters.js';
import { resolveOn } from './discovery.js';
import { qualifiedName, splitKindName, type ApiResource } from './kinds.js';
import { kubeOptions, withControlPlane, type KubeFlags } from './kube.js';
import { closeMembers, fanOut, openMembers } from './members.js';
import { asList, examples, formatOf, formatTable, outputOption, Progress, resourceName, serialize, warn, withoutManagedFields } from './output.js';
import { mergeTables, type Table } from './tables.js';

export const CLUSTER_ANNOTATION = 'flotilla.io/cluster';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const CLUSTER_KINDS = new Set(['cluster', 'clusters', 'cluster.cluster.karmada.io', 'clusters.cluster.karmada.io']);

export interface GetFlags extends KubeFlags {
  namespace?: string;
  allNamespaces?: boolean;
  clusters?: string[];
  selector?: string;
  output?: string;
  requestTimeout: number;
  concurrency: number;
}

interface Scope {
  namespace?: string;
  name?: string;
  selector?: string;
}

/** Served: the resource and what the member answered; undefined when it does not serve KIND. */
type MemberAnswer = { resource: ApiResource; table?: Table; items?: any[] } | undefined;

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every page of a Table list (one page for a single object). */
async function fetchTable(client: KubeClient, r: ApiResource, s: Scope): Promise<Table> {
  const path = client.path(r, r.namespaced ? s.namespace : undefined, s.name);
  if (s.name) return client.request<Table>('GET', path, undefined, { accept: TABLE_ACCEPT });
  let table: Table | undefined;
  let cont: string | undefined;
  do {
    const page = await client.request<Table>('GET', path + query({ labelSelector: s.selector, limit: '500', continue: cont }), undefined, { accept: TABLE_ACCEPT });
    if (page.kind !== 'Table') return fallbackTable(page as any);
    if (!table) table = { ...page, rows: [...(page.rows ?? [])] };
    else table.rows!.push(...(page.rows ?? []));
    cont = page.metadata?.continue;
  } while (cont);
  return table!;
}

/** A server without Table support answered a plain list: NAME only, as kubectl's default printer. */
function fallbackTable(list: { items?: any[] }): Table {
  return {
    kind: 'Table',
    columnDefinitions: [{ name: 'Name', type: 'string' }],
    rows: (list.items ?? []).map((o) => ({ cells: [o.metadata?.name], object: { metadata: o.metadata } })),
  };
}

async function fetchObjects(client: KubeClient, r: ApiResource, s: Scope): Promise<any[]> {
  const ns = r.namespaced ? s.namespace : undefined;
  const items = s.name ? [await client.get(r, s.name, ns)] : (await client.listAll(r, { namespace: ns, labelSelector: s.selector })).items;
  // List items come without apiVersion/kind; kubectl fills them in too.
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return items.map((o) => ({ apiVersion, kind: r.kind, ...o }));
}

async function askMember(client: KubeClient, cluster: string, kind: string, s: Scope, tables: boolean): Promise<MemberAnswer> {
  let resource: ApiResource;
  try {
    resource = await resolveOn(client, kind, `cluster ${cluster}`);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return undefined; // not served here: another member may serve it
  }
  try {
    return tables ? { resource, table: await fetchTable(client, resource, s) } : { resource, items: await fetchObjects(client, resource, s) };
  } catch (e) {
    if (s.name && e instanceof ApiError && e.code === 404) return tables ? { resource, table: { kind: 'Table', rows: [] } } : { resource, items: [] };
    throw e;
  }
}

export async function runGet(kindArg: string, nameArg: string | undefined, o: GetFlags): Promise<void> {
  let { kind, name } = splitKindName(kindArg);
  if (name && nameArg) throw new Error('give either KIND NAME or KIND/NAME, not both');
  name ??= nameArg;
  if (CLUSTER_KINDS.has(kind.toLowerCase())) return runClusters(name ? [name] : [], o);
  if (o.allNamespaces && o.namespace) throw new Error('give either -n NAMESPACE or -A, not both');
  if (o.allNamespaces && name) throw new Error('a NAME cannot be retrieved across all namespaces; give -n NAMESPACE');
  const format = formatOf(o);
  const tables = format === 'table' || format === 'wide';

  await withControlPlane(o, async ({ client, config }) => {
    const namespace = o.allNamespaces ? undefined : (o.namespace ?? config.namespace);
    const members = await openMembers(client, { names: o.clusters, timeoutMs: o.requestTimeout });
    if (!members.length) throw new Error('no member clusters are joined (see flotilla join)');
    const progress = new Progress().start(`asking ${members.length} clusters`);
    try {
      const results = await fanOut(members, (m) => askMember(m.client, m.name, kind, { namespace, name, selector: o.selector }, tables), {
        limit: o.concurrency,
        timeoutMs: o.requestTimeout,
        onDone: (n) => progress.update(`asked ${n}/${members.length} clusters`),
      });
      progress.stop();
      for (const r of results) if (!r.ok) warn(`cluster ${r.name}: ${r.error}`);
      const answered = results.filter((r) => r.ok);
      if (!answered.length) throw new Error(`no member cluster answered (${results.length} tried)`);
      const served = answered.flatMap((r) => (r.value ? [{ cluster: r.name, ...r.value }] : []));
      if (!served.length) throw new Error(`no member cluster has a resource type "${kind}"`);
      const resource = served[0]!.resource;
      const count = served.reduce((n, s) => n + (s.table?.rows?.length ?? s.items?.length ?? 0), 0);
      if (count === 0) {
        if (name) throw new Error(`${qualifiedName(resource)} "${name}" not found in ${answered.length === results.length ? 'any' : 'the reachable'} member cluster`);
        process.stderr.write(namespace && resource.namespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
        return;
      }
      process.stdout.write(render(served, format, !!o.allNamespaces && resource.namespaced));
    } finally {
      progress.stop();
      await closeMembers(members);
    }
  });
}

function render(served: { cluster: string; resource: ApiResource; table?: Table; items?: any[] }[], format: string, withNamespace: boolean): string {
  if (format === 'yaml' || format === 'json') {
    const items = served.flatMap((s) =>
      (s.items ?? []).map((obj) => withoutManagedFields({ ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), [CLUSTER_ANNOTATION]: s.cluster } } })),
    );
    return serialize(asList(items), format);
  }
  if (format === 'name') {
    // kubectl's form, one line per member object (the same name may repeat across clusters).
    return served.flatMap((s) => (s.items ?? []).map((obj) => resourceName(s.resource.kind, s.resource.group, obj.metadata?.name) + '\n')).join('');
  }
  const { headers, rows } = mergeTables(
    served.map((s) => ({ cluster: s.cluster, table: s.table! })),
    { wide: format === 'wide', namespace: withNamespace },
  );
  return formatTable(headers, rows);
}

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer (got ${v})`);
  return n;
};

export function getCommand(): Command {
  const cmd = new Command('get')
    .description('Show objects as they exist in the member clusters, with a CLUSTER column (KIND "clusters" lists the clusters themselves).')
    .argument('<kind>', 'resource kind, plural, singular or short name (deploy, pods, deployments.apps), or KIND/NAME')
    .argument('[name]', 'one object by name')
    .option('-n, --namespace <ns>', "namespace (default: the context's namespace)")
    .option('-A, --all-namespaces', 'objects in every namespace')
    .option('--clusters <names>', 'only these member clusters, comma-separated', (v) => v.split(',').filter(Boolean))
    .option('-l, --selector <selector>', 'label selector (e.g. app=nginx)');
  outputOption(cmd);
  cmd
    .addOption(new Option('--request-timeout <duration>', 'how long each member cluster may take').argParser(parseDuration).default(10_000, '10s'))
    .addOption(new Option('--concurrency <n>', 'member clusters asked at the same time').argParser(positiveInt('--concurrency')).default(16));
  kubeOptions(cmd);
  examples(cmd, 'flotilla get deploy -A', 'flotilla get pods -n web --clusters member1,member2 -o wide', 'flotilla get deployment/nginx -o yaml', 'kubectl flotilla get pods -A');
  return cmd.action((kind: string, name: string | undefined, o: GetFlags) => runGet(kind, name, o));
}
