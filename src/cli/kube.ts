/**
 * The control-plane connection of the read and promote commands. --kubeconfig and --context are
 * per-command options, like the ones `join`, `unjoin` and `controllers` always had: a program-
 * level option of the same name would swallow theirs (commander reads program options anywhere
 * on the line), and kubectl plugins get their flags after the plugin name anyway.
 */
import type { Command } from 'commander';
import { ApiError, KubeClient } from '../client/client.js';
import { loadKubeconfig, type ResolvedKubeconfig } from '../client/kubeconfig.js';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
}

export function kubeOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig of the Flotilla control plane (default $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context of the control plane (default: its current context)');
}

/** A client whose connection failures name the control plane and context, not a URL path. */
class ControlPlaneClient extends KubeClient {
  constructor(readonly kubeconfig: ResolvedKubeconfig) {
    super({
      server: kubeconfig.server,
      caPem: kubeconfig.caPem,
      token: kubeconfig.token,
      clientCertPem: kubeconfig.clientCertPem,
      clientKeyPem: kubeconfig.clientKeyPem,
      insecureSkipTLSVerify: kubeconfig.insecureSkipTLSVerify,
      userAgent: 'flotilla-cli',
    });
  }

  override async request<T = any>(...args: Parameters<KubeClient['request']>): Promise<T> {
    try {
      return await super.request<T>(...args);
    } catch (e) {
      if (e instanceof ApiError && e.code === 0) {
        const cause = e.message.replace(/^\S+ \S+: /, '');
        throw new ApiError(0, e.reason, `cannot reach the control plane at ${this.base} (context ${this.kubeconfig.contextName}): ${cause}`);
      }
      throw e;
    }
  }
}

export interface ControlPlane {
  client: KubeClient;
  /** The resolved context: its namespace is the default for -n. */
  config: ResolvedKubeconfig;
}

/** Opens the control plane, runs fn and closes the client whatever happens. */
export async function withControlPlane<T>(o: KubeFlags, fn: (cp: ControlPlane) => Promise<T>): Promise<T> {
  const config = loadKubeconfig(o.kubeconfig, { context: o.context });
  const client = new ControlPlaneClient(config);
  try {
    return await fn({ client, config });
  } finally {
    await client.close().catch(() => undefined);
  }
}
