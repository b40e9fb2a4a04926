/**
 * Connections to member clusters (push mode). A Cluster names its API endpoint and a Secret
 * (Karmada's shape: data.token, data.caBundle; Flotilla also reads client certificates from
 * tls.crt/tls.key); clients are built on demand and rebuilt when either object changes.
 */
import type { Logger } from 'pino';
import { KubeClient, ref } from '../client/client.js';
import type { Informer } from '../client/informer.js';

export const CLUSTERS = ref('cluster.karmada.io/v1alpha1', 'clusters', false);

const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);

export class MemberClients {
  readonly #clients = new Map<string, { version: string; client: KubeClient }>();

  constructor(
    readonly clusters: Informer,
    readonly secrets: Informer,
    readonly log?: Logger,
    readonly timeoutMs = 15_000,
  ) {}

  /** The client for a joined cluster, or undefined when the cluster or its secret is missing. */
  get(name: string): KubeClient | undefined {
    const cluster = this.clusters.getByName(undefined, name);
    if (!cluster?.spec?.apiEndpoint) return undefined;
    const sref = cluster.spec.secretRef;
    const secret = sref ? this.secrets.getByName(sref.namespace, sref.name) : undefined;
    // Only what the connection is made of: status writes (every probe period) must not rebuild
    // the client, which would close the watches running on the old one.
    const s = cluster.spec;
    const version = JSON.stringify([s.apiEndpoint, s.secretRef, s.insecureSkipTLSVerification, s.proxyURL, s.proxyHeader, secret?.metadata?.resourceVersion ?? '']);
    const cached = this.#clients.get(name);
    if (cached?.version === version) return cached.client;
    void cached?.client.close().catch(() => undefined);
    const data = secret?.data ?? {};
    const client = new KubeClient({
      server: cluster.spec.apiEndpoint,
      token: b64(data.token),
      caPem: b64(data.caBundle) ?? b64(data['ca.crt']),
      clientCertPem: b64(data['tls.crt']),
      clientKeyPem: b64(data['tls.key']),
      insecureSkipTLSVerify: cluster.spec.insecureSkipTLSVerification === true,
      userAgent: 'flotilla-controller-manager',
      timeoutMs: this.timeoutMs,
    });
    this.#clients.set(name, { version, client });
    return client;
  }

  forget(name: string): void {
    void this.#clients.get(name)?.client.close().catch(() => undefined);
    this.#clients.delete(name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.client.close().catch(() => undefined)));
    this.#clients.clear();
  }
}
