/**
 * API server throughput: creates/s and updates/s of ~1 KB ConfigMaps from 64 concurrent HTTPS
 * clients, p50/p99 write latency, watch events/s delivered to 100 watchers, and RSS per 10,000
 * stored objects — beside the raw better-sqlite3 single-row insert rate measured in this run.
 * The server runs as a separate `flotilla apiserver` process, as users run it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Agent, Pool, request } from 'undici';
import { drive, startServerProcess } from './server.js';
import { ApiServer } from '../src/apiserver/server.js';
import { Report, median, round } from './lib.js';

const PAYLOAD = 'x'.repeat(900);

async function seq<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

function rawSqliteInsertsPerSec(n: number, synchronous: 'NORMAL' | 'FULL'): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY, key TEXT UNIQUE, value TEXT)');
  const ins = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ins.run(`/registry/core/configmaps/bench/cm-${i}`, PAYLOAD);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return n / secs;
}

async function startServer(sync: 'NORMAL' | 'FULL') {
  return startServerProcess(['--sqlite-synchronous', sync]);
}

type Server = Awaited<ReturnType<typeof startServer>>;


const cm = (ns: string, name: string, v = 0) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { app: 'bench' } }, data: { v: String(v), payload: PAYLOAD } });

async function writes(s: Server, ns: string, n: number) {
  await s.call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  const rvs: string[] = [];
  const create = await drive(64, n, async (i) => {
    const text = await s.call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, `cm-${i}`));
    rvs[i] = JSON.parse(text).metadata.resourceVersion;
  });
  const update = await drive(64, n, (i) =>
    s.call('PUT', `/api/v1/namespaces/${ns}/configmaps/cm-${i}`, JSON.stringify({ ...JSON.parse(cm(ns, `cm-${i}`, 1)), metadata: { name: `cm-${i}`, namespace: ns, resourceVersion: rvs[i], labels: { app: 'bench' } } })),
  );
  return { create, update };
}

/**
 * Watch fan-out: `events` writes are made first, then `watchers` watches start from the
 * revision before them and replay them from the watch cache while the clock runs, so the
 * figure is the server's delivery rate, not the rate at which the bench can write.
 */
async function watchFanout(s: Server, watchers: number, events: number) {
  const ns = 'watch-bench';
  await s.call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  const list = JSON.parse(await s.call('GET', `/api/v1/namespaces/${ns}/configmaps`));
  const rv = list.metadata.resourceVersion;
  await drive(64, events, (i) => s.call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, `w-${i}`)));
  const agent = new Agent({ connect: { ca: s.ca }, connections: watchers + 8 });
  const counts = new Array(watchers).fill(0);
  const t0 = process.hrtime.bigint();
  const one = async (w: number) => {
    const r = await request(`${s.url}/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`, { dispatcher: agent, headers: s.headers });
    for await (const chunk of r.body) {
      // Count event lines without building strings: one '\n' ends each event.
      for (let i = (chunk as Buffer).indexOf(10); i >= 0; i = (chunk as Buffer).indexOf(10, i + 1)) counts[w]++;
      if (counts[w] >= events) {
        r.body.destroy();
        return;
      }
    }
  };
  await Promise.race([Promise.all(Array.from({ length: watchers }, (_, w) => one(w))), new Promise((r) => setTimeout(r, 60_000))]);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const delivered = counts.reduce((a, b) => a + Math.min(b, events), 0);
  await agent.close().catch(() => undefined);
  return { perSec: delivered / secs, dropped: watchers * events - delivered };
}

/**
 * RSS per 10,000 stored ~1 KB objects, measured in this process after forced GCs: a server
 * (sqlite, its watch cache and indexes) is started, objects are written through the registry,
 * and the growth is scaled to 10,000.
 */
async function rssPer10k(n: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    return process.memoryUsage().rss;
  };
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const server = await new ApiServer({ dataDir: dir, storage: 'sqlite', tls: false, authenticator: null, writeKubeconfig: false }).start();
  const rt = server.resources.lookup('', 'v1', 'configmaps')!;
  const before = await settle();
  for (let i = 0; i < n; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, (_, j) =>
        server.registry.create({ rt, namespace: 'default', name: '', subresource: '' }, JSON.parse(cm('default', `rss-${i + j}`)), {}),
      ),
    );
  }
  const after = await settle();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  return ((after - before) / n) * 10_000;
}

// ---------------------------------------------------------------------------------------------
// Patch throughput on Deployments: merge patch (the baseline), strategic merge patch and
// server-side apply, each changing the container image of one of 256 Deployments per request,
// from 64 concurrent clients against the same server process.

const PATCH_DEPLOYMENTS = 256;

const deploymentBody = (ns: string, name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels: { app: name, tier: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'web',
            image,
            ports: [{ containerPort: 80 }],
            env: [{ name: 'MODE', value: 'prod' }, { name: 'LEVEL', value: 'info' }],
            resources: { requests: { cpu: '100m', memory: '64Mi' } },
          },
          { name: 'sidecar', image: 'busybox:1.36', args: ['sleep', 'infinity'] },
        ],
      },
    },
  },
});

type PatchKind = 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchKind, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The body that sets container "web"'s image to `image` with each patch type. */
function patchBody(kind: PatchKind, ns: string, name: string, image: string): string {
  if (kind === 'apply') return JSON.stringify(deploymentBody(ns, name, image));
  if (kind === 'strategic') return JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
  // A merge patch replaces lists whole: it must carry both containers.
  return JSON.stringify({ spec: { template: { spec: { containers: deploymentBody(ns, name, image).spec.template.spec.containers } } } });
}

async function patchThroughput(s: Server, ns: string, kind: PatchKind, n: number, pool: Pool) {
  const query = kind === 'apply' ? '?fieldManager=bench&force=true' : '?fieldManager=bench';
  const headers = { ...s.headers, 'content-type': PATCH_CONTENT_TYPES[kind] };
  return drive(64, n, async (i) => {
    const name = `d-${i % PATCH_DEPLOYMENTS}`;
    const r = await pool.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/${name}${query}`,
      body: patchBody(kind, ns, name, `nginx:1.${kind}.${i}`),
      headers,
    });
    const text = await r.body.text();
    if (r.statusCode !== 200) throw new Error(`${kind} patch ${name}: ${r.statusCode} ${text.slice(0, 200)}`);
  });
}

async function patches(n: number, rounds: number) {
  const s = await startServer('NORMAL');
  const ns = 'patch-bench';
  await s.call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await drive(64, PATCH_DEPLOYMENTS, (i) => s.call('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, JSON.stringify(deploymentBody(ns, `d-${i}`, 'nginx:1.0'))));
  const pool = new Pool(s.url, { connections: 64, connect: { ca: s.ca } });
  const perSec: Record<PatchKind, number[]> = { merge: [], strategic: [], apply: [] };
  const p99: Record<PatchKind, number[]> = { merge: [], strategic: [], apply: [] };
  // A warm-up pass of each, then rounds with the order rotated so no kind always runs first.
  for (const k of ['merge', 'strategic', 'apply'] as const) await patchThroughput(s, ns, k, Math.min(n, 500), pool);
  const order: PatchKind[] = ['merge', 'strategic', 'apply'];
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < order.length; j++) {
      const k = order[(j + r) % order.length]!;
      const m = await patchThroughput(s, ns, k, n, pool);
      perSec[k].push(m.perSec);
      p99[k].push(m.p99);
    }
  }
  await pool.close();
  await s.stop();
  return { perSec, p99 };
}

function reportPatches(report: Report, p: Awaited<ReturnType<typeof patches>>) {
  const base = { metric: 'merge patches/s (Deployment)', value: median(p.perSec.merge), unit: 'ops/s' };
  report.add({ ...base });
  report.add({ metric: 'strategic merge patches/s (Deployment)', value: median(p.perSec.strategic), unit: 'ops/s', baseline: base, target: '>= 0.5 ratio' });
  report.add({ metric: 'server-side applies/s (Deployment)', value: median(p.perSec.apply), unit: 'ops/s', baseline: base, target: '>= 0.5 ratio' });
  for (const k of ['merge', 'strategic', 'apply'] as const) report.add({ metric: `${k} patch latency p99`, value: round(median(p.p99[k]), 2), unit: 'ms' });
}

// ---------------------------------------------------------------------------------------------

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 2000 : 20000;
  const rounds = quick ? 1 : 3;
  const report = new Report('api', { objects: n, concurrency: 64, watchers: 100, rounds, payloadBytes: 1024 });
  console.log(`api benchmark: ${n} ConfigMaps of ~1 KB, 64 concurrent HTTPS clients, ${rounds} round(s)`);
  if (args.includes('--patches-only')) {
    // Only the patch section (merge vs strategic merge vs server-side apply).
    const only = new Report('api-patches', { deployments: PATCH_DEPLOYMENTS, patches: quick ? 2000 : 10000, concurrency: 64, rounds });
    reportPatches(only, await patches(quick ? 2000 : 10000, rounds));
    console.log(`results: ${only.write()}`);
    return;
  }

  const raw = median(Array.from({ length: rounds }, () => rawSqliteInsertsPerSec(n, 'NORMAL')));
  const rawFull = median(Array.from({ length: rounds }, () => rawSqliteInsertsPerSec(quick ? 500 : 3000, 'FULL')));
  const creates: number[] = [];
  const updates: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const s = await startServer('NORMAL');
    const w = await writes(s, `bench-${r}`, n);
    creates.push(w.create.perSec);
    updates.push(w.update.perSec);
    p50.push(w.create.p50, w.update.p50);
    p99.push(w.create.p99, w.update.p99);
    await s.stop();
  }
  const full = await startServer('FULL');
  const fullWrites = await writes(full, 'bench-full', quick ? 1000 : 5000);
  await full.stop();

  const ws = await startServer('NORMAL');
  const watch = await watchFanout(ws, 100, quick ? 500 : 2000);
  await ws.stop();

  const base = { metric: 'raw sqlite inserts/s (NORMAL)', value: raw, unit: 'ops/s' };
  report.add({ metric: 'API creates/s (sqlite NORMAL)', value: median(creates), unit: 'ops/s', baseline: base, target: '>= 0.25 ratio and >= 5000/s' });
  report.add({ metric: 'API updates/s (sqlite NORMAL)', value: median(updates), unit: 'ops/s', baseline: base, target: '>= 0.25 ratio and >= 5000/s' });
  report.add({ metric: 'write latency p50', value: round(median(p50), 2), unit: 'ms' });
  report.add({ metric: 'write latency p99', value: round(median(p99), 2), unit: 'ms', target: '<= 50 ms' });
  report.add({ metric: 'API creates/s (sqlite FULL)', value: fullWrites.create.perSec, unit: 'ops/s', baseline: { metric: 'raw sqlite inserts/s (FULL)', value: rawFull, unit: 'ops/s' } });
  report.add({ metric: 'watch events/s delivered (100 watchers)', value: watch.perSec, unit: 'events/s', target: '>= 100000/s' });
  report.add({ metric: 'watch events dropped', value: watch.dropped, unit: 'events', target: '0' });
  reportPatches(report, await patches(quick ? 2000 : 10000, rounds));
  const rss = median(await seq(rounds, () => rssPer10k(quick ? 10_000 : 50_000)));
  report.add({ metric: 'RSS growth per 10,000 stored 1 KB objects', value: round(rss / 1024 / 1024, 1), unit: 'MB', target: '<= 30 MB' });
  console.log(`results: ${report.write()}`);
}
