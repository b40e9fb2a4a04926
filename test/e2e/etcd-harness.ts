/**
 * Several `flotilla apiserver` processes over one etcd, as an HA control plane runs them: each
 * has its own data dir, but they share the CA and the admin token (copied from the first), so
 * one kubeconfig, CA and token work against any of them.
 */
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { readFileSync } from 'node:fs';
import { startApiServer, type TestServer } from './harness.js';
import type { EtcdServer } from '../../src/apiserver/storage/testing/etcd.js';

export async function startEtcdApiServers(etcd: EtcdServer, n: number, extra: string[] = []): Promise<TestServer[]> {
  const flags = ['--storage', 'etcd', '--etcd-endpoints', etcd.endpoint, ...extra];
  const first = await startApiServer(flags);
  const rest = Array.from({ length: n - 1 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-e2e-'));
    cpSync(join(first.dir, 'pki'), join(dir, 'pki'), { recursive: true });
    copyFileSync(join(first.dir, 'admin.token'), join(dir, 'admin.token'));
    return startApiServer(flags, dir);
  });
  return [first, ...(await Promise.all(rest))];
}

export interface Api {
  url: string;
  call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; json: any; ms: number }>;
  /** A watch streaming into events until close(). */
  watch(path: string): { events: { type: string; name: string; rv: number; object: any }[]; errors: string[]; close(): void };
  close(): Promise<void>;
}

/** A JSON client for one server (its CA and the shared admin token). */
export function api(s: TestServer): Api {
  const ca = readFileSync(join(s.dir, 'pki', 'ca.crt'), 'utf8');
  const token = readFileSync(join(s.dir, 'admin.token'), 'utf8').trim();
  const dispatcher = new Agent({ connect: { ca }, connections: 64 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const controllers = new Set<AbortController>();
  return {
    url: s.url,
    async call(method, path, body, timeoutMs = 30_000) {
      const t0 = Date.now();
      const r = await request(s.url + path, {
        method: method as 'GET',
        body: body === undefined ? undefined : JSON.stringify(body),
        headers,
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await r.body.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: r.statusCode, json, ms: Date.now() - t0 };
    },
    watch(path) {
      const out = { events: [] as { type: string; name: string; rv: number; object: any }[], errors: [] as string[], close: () => ac.abort() };
      const ac = new AbortController();
      controllers.add(ac);
      void (async () => {
        const r = await request(s.url + path, { headers, dispatcher, signal: ac.signal });
        if (r.statusCode !== 200) throw new Error(`watch ${path}: HTTP ${r.statusCode} ${await r.body.text()}`);
        let buf = '';
        for await (const chunk of r.body) {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const ev = JSON.parse(buf.slice(0, i));
            buf = buf.slice(i + 1);
            if (ev.type === 'ERROR') out.errors.push(JSON.stringify(ev.object));
            else if (ev.type !== 'BOOKMARK') out.events.push({ type: ev.type, name: ev.object.metadata.name, rv: Number(ev.object.metadata.resourceVersion), object: ev.object });
          }
        }
        out.errors.push('the watch ended');
      })().catch((e: Error) => {
        if (!ac.signal.aborted) out.errors.push(e.message);
      });
      return out;
    },
    async close() {
      for (const c of controllers) c.abort();
      await dispatcher.close().catch(() => undefined);
    },
  };
}

export const configMap = (ns: string, name: string, data: Record<string, string> = {}, resourceVersion?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, ...(resourceVersion ? { resourceVersion } : {}) },
  data,
});
