/**
 * Member clusters as the CLI reaches them: each Cluster's endpoint with the credentials of its
 * Secret in karmada-cluster (the same Secret shape src/member/clients.ts reads; that class
 * needs running informers, a one-shot command only needs two lists). Queries fan out with a
 * bound on concurrency and a deadline per cluster, so one slow member cannot hold up the rest.
 */
import type { Cluster } from '../api/cluster.js';
import { ApiError, KubeClient, ref } from '../client/client.js';
import { R } from '../client/resources.js';
import { NAMESPACE_KARMADA_CLUSTER } from '../api/names.js';

export const CLUSTERS = ref('cluster.karmada.io/v1alpha1', 'clusters', false);

export interface Member {
  name: string;
  cluster: Cluster;
  /** Undefined when the cluster cannot be reached from here (why: `problem`). */
  client?: KubeClient;
  problem?: string;
}

const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);

/** The clusters to query: all joined ones, or those named (an unknown name is an error). */
export function pickClusters(all: readonly Cluster[], names?: readonly string[]): Cluster[] {
  if (!names?.length) return [...all];
  const byName = new Map(all.map((c) => [c.metadata!.name!, c]));
  return names.map((n) => {
    const c = byName.get(n);
    if (!c) throw new Error(`cluster "${n}" not found (joined: ${[...byName.keys()].join(', ') || 'none'})`);
    return c;
  });
}

/** Clients for the chosen members; close them with closeMembers. */
export async function openMembers(cp: KubeClient, opts: { names?: readonly string[]; timeoutMs: number }): Promise<Member[]> {
  const [clusters, secrets] = await Promise.all([
    cp.list<Cluster>(CLUSTERS),
    // Without read access to the credentials no member can be reached; say so per cluster below.
    cp.list(R.secrets, { namespace: NAMESPACE_KARMADA_CLUSTER }).catch(() => ({ items: [] as any[] })),
  ]);
  const secretOf = (ns?: string, name?: string) => secrets.items.find((s: any) => s.metadata?.namespace === ns && s.metadata?.name === name);
  return pickClusters(clusters.items, opts.names).map((cluster): Member => {
    const name = cluster.metadata!.name!;
    const spec = cluster.spec;
    if (spec.syncMode === 'Pull') return { name, cluster, problem: 'Pull mode: the control plane does not reach its API server' };
    if (!spec.apiEndpoint) return { name, cluster, problem: 'no spec.apiEndpoint' };
    const secret = spec.secretRef ? secretOf(spec.secretRef.namespace, spec.secretRef.name) : undefined;
    if (spec.secretRef && !secret) return { name, cluster, problem: `cannot read its secret ${spec.secretRef.namespace}/${spec.secretRef.name}` };
    const data = secret?.data ?? {};
    const client = new KubeClient({
      server: spec.apiEndpoint,
      token: b64(data.token),
      caPem: b64(data.caBundle) ?? b64(data['ca.crt']),
      clientCertPem: b64(data['tls.crt']),
      clientKeyPem: b64(data['tls.key']),
      insecureSkipTLSVerify: spec.insecureSkipTLSVerification === true,
      userAgent: 'flotilla-cli',
      timeoutMs: opts.timeoutMs,
    });
    return { name, cluster, client };
  });
}

export async function closeMembers(members: readonly Member[]): Promise<void> {
  await Promise.all(members.map((m) => m.client?.close().catch(() => undefined)));
}

export type Outcome<T> = { name: string; ok: true; value: T } | { name: string; ok: false; error: string };

/**
 * fn for every member, at most `limit` at a time, each given `timeoutMs` in all; the results
 * come back in the members' order, failures as messages.
 */
export async function fanOut<T>(
  members: readonly Member[],
  fn: (m: Member & { client: KubeClient }) => Promise<T>,
  opts: { limit: number; timeoutMs: number; onDone?: (done: number) => void },
): Promise<Outcome<T>[]> {
  const results: Outcome<T>[] = new Array(members.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < members.length) {
      const i = next++;
      const m = members[i]!;
      results[i] = await runOne(m, fn, opts.timeoutMs);
      opts.onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.limit, members.length) }, worker));
  return results;
}

async function runOne<T>(m: Member, fn: (m: Member & { client: KubeClient }) => Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  if (!m.client) return { name: m.name, ok: false, error: m.problem ?? 'unreachable' };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    return { name: m.name, ok: true, value: await Promise.race([fn(m as Member & { client: KubeClient }), deadline]) };
  } catch (e) {
    // A transport failure names the endpoint, not the first URL path that happened to fail.
    const error = e instanceof ApiError && e.code === 0 ? `unreachable at ${m.cluster.spec.apiEndpoint}: ${e.message.replace(/^\S+ \S+: /, '')}` : (e as Error).message;
    return { name: m.name, ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}
