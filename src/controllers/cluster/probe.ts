/**
 * Health probes of a member's API server (Karmada's getClusterHealthStatus): /readyz, or
 * /healthz where /readyz is not served. An answer other than 200 means reachable but not
 * healthy; no answer at all (refused, reset, timed out) means unreachable.
 */
import { ApiError, type KubeClient } from '../../client/client.js';

export type Reachability = 'healthy' | 'unhealthy' | 'unreachable';

export interface ProbeResult {
  reachability: Reachability;
  /** What went wrong, for logs (never put into conditions: it would change every probe). */
  detail?: string;
}

async function get(client: KubeClient, path: string, timeoutMs: number): Promise<unknown> {
  return client.request('GET', path, undefined, { accept: 'application/json, */*' }, AbortSignal.timeout(timeoutMs));
}

export async function probeHealth(client: KubeClient, timeoutMs: number): Promise<ProbeResult> {
  for (const path of ['/readyz', '/healthz']) {
    try {
      await get(client, path, timeoutMs);
      return { reachability: 'healthy' };
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 0) return { reachability: 'unreachable', detail: (e as Error).message };
      if (e.code === 404 && path === '/readyz') continue;
      return { reachability: 'unhealthy', detail: `${path}: HTTP ${e.code} ${e.message}` };
    }
  }
  return { reachability: 'unhealthy', detail: 'no health endpoint' };
}

/** The member's version (gitVersion of /version). */
export async function fetchVersion(client: KubeClient, timeoutMs: number): Promise<string> {
  const v = (await get(client, '/version', timeoutMs)) as { gitVersion?: string } | undefined;
  return typeof v?.gitVersion === 'string' ? v.gitVersion : '';
}
