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
import { Agent, request } from 'undici';
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

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 2000 : 20000;
  const rounds = quick ? 1 : 3;
  const report = new Report('api', { objects: n, concurrency: 64, watchers: 100, rounds, payloadBytes: 1024 });
  console.log(`api benchmark: ${n} ConfigMaps of ~1 KB, 64 concurrent HTTPS clients, ${rounds} round(s)`);

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
  const rss = median(await seq(rounds, () => rssPer10k(quick ? 10_000 : 50_000)));
  report.add({ metric: 'RSS growth per 10,000 stored 1 KB objects', value: round(rss / 1024 / 1024, 1), unit: 'MB', target: '<= 30 MB' });
  console.log(`results: ${report.write()}`);
}
