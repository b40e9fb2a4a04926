/**
 * Joining a member cluster in push mode, as `karmadactl join` does: a Secret holding the
 * cluster's credentials in the karmada-cluster namespace and a Cluster pointing at it. The
 * member's identity (spec.id) is the uid of its kube-system namespace, so re-joining the same
 * cluster under its name is an update, not a duplicate. Unjoin removes both: the Cluster first
 * (and with it, through the finalizers, everything Flotilla applied there), the Secret last.
 */
import { KubeClient, isNotFound, ref, type ApiError } from '../client/client.js';
import { R } from '../client/resources.js';
import type { ResolvedKubeconfig } from '../client/kubeconfig.js';
import { CLUSTERS } from './clients.js';

export const CLUSTER_SECRET_NAMESPACE = 'karmada-cluster';

export interface JoinOptions {
  name: string;
  member: ResolvedKubeconfig;
  /** Cluster labels, provider/region/zone as known. */
  labels?: Record<string, string>;
  provider?: string;
  region?: string;
  zones?: string[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Create, or update what is there; a concurrent writer's Conflict is retried from a fresh read. */
async function upsert(client: KubeClient, r: typeof CLUSTERS, obj: any): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.create(r, obj);
    } catch (e) {
      if ((e as ApiError).code !== 409) throw e;
    }
    const cur = await client.get(r, obj.metadata.name, obj.metadata.namespace);
    try {
      return await client.update(r, { ...cur, ...obj, metadata: { ...cur.metadata, ...obj.metadata, resourceVersion: cur.metadata.resourceVersion }, status: cur.status });
    } catch (e) {
      if ((e as ApiError).code !== 409 || attempt >= 4) throw e;
    }
  }
}

export async function joinCluster(controlPlane: KubeClient, o: JoinOptions): Promise<any> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.name) || o.name.length > 48)
    throw new Error(`invalid cluster name "${o.name}": use lower-case letters, digits and '-', at most 48 characters`);
  const member = new KubeClient({
    server: o.member.server,
    caPem: o.member.caPem,
    token: o.member.token,
    clientCertPem: o.member.clientCertPem,
    clientKeyPem: o.member.clientKeyPem,
    insecureSkipTLSVerify: o.member.insecureSkipTLSVerify,
    timeoutMs: 10_000,
  });
  let id: string | undefined;
  try {
    id = (await member.get(R.namespaces, 'kube-system')).metadata.uid;
  } catch (e) {
    throw new Error(`cannot reach cluster ${o.name} at ${o.member.server}: ${(e as Error).message}`);
  } finally {
    await member.close();
  }
  // Only needs to exist: clusters joined at the same time all get here.
  await controlPlane.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLUSTER_SECRET_NAMESPACE } }).catch((e) => {
    if ((e as ApiError).code !== 409) throw e;
  });
  const data: Record<string, string> = {};
  if (o.member.token) data.token = b64(o.member.token);
  if (o.member.caPem) data.caBundle = b64(o.member.caPem);
  if (o.member.clientCertPem) data['tls.crt'] = b64(o.member.clientCertPem);
  if (o.member.clientKeyPem) data['tls.key'] = b64(o.member.clientKeyPem);
  await upsert(controlPlane, R.secrets, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: o.name, namespace: CLUSTER_SECRET_NAMESPACE }, data });
  const spec: Record<string, unknown> = {
    id,
    syncMode: 'Push',
    apiEndpoint: o.member.server,
    secretRef: { namespace: CLUSTER_SECRET_NAMESPACE, name: o.name },
  };
  if (o.member.insecureSkipTLSVerify) spec.insecureSkipTLSVerification = true;
  if (o.provider) spec.provider = o.provider;
  if (o.region) spec.region = o.region;
  if (o.zones?.length) spec.zones = o.zones;
  return upsert(controlPlane, CLUSTERS, { apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name: o.name, labels: o.labels ?? {} }, spec });
}

export interface UnjoinOptions {
  /** How long to wait for the cleanup of the cluster's Works before giving up (ms; default 2 min). */
  waitMs?: number;
  /** How often to look (ms; default 250). */
  pollMs?: number;
}

/**
 * Deletes the Cluster, waits until it is gone, and only then deletes its Secret. The Cluster's
 * finalizer holds it while the controllers delete its Works and, through the Works' finalizers,
 * what they applied in the member: that cleanup reaches the member with the credentials in the
 * Secret, so the Secret must outlive it (deleting it first left the member's objects behind).
 * When the cleanup does not finish in time the Secret is kept and the error says so; running
 * unjoin again waits again.
 */
export async function unjoinCluster(controlPlane: KubeClient, name: string, o: UnjoinOptions = {}): Promise<void> {
  const waitMs = o.waitMs ?? 120_000;
  const pollMs = o.pollMs ?? 250;
  const getCluster = () => controlPlane.get(CLUSTERS, name).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
  const cluster = await getCluster();
  if (!cluster) throw new Error(`cluster "${name}" is not joined`);
  const uid = cluster.metadata.uid;
  if (!cluster.metadata.deletionTimestamp) await controlPlane.delete(CLUSTERS, name).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
  const sref = cluster.spec?.secretRef;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const cur = await getCluster();
    if (!cur || cur.metadata.uid !== uid) break;
    if (Date.now() >= deadline) {
      const kept = sref ? `; its credentials (Secret ${sref.namespace}/${sref.name}) are kept until then` : '';
      throw new Error(
        `cluster "${name}" is still being removed after ${Math.round(waitMs / 1000)}s: its Works and what they applied are being cleaned up ` +
          `(finalizers: ${(cur.metadata.finalizers ?? []).join(', ') || 'none'}; are Flotilla's controllers running?)${kept}. Run unjoin again to wait longer.`,
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  if (sref) await controlPlane.delete(R.secrets, sref.name, { namespace: sref.namespace }).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
}

export { ref };
