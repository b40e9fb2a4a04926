/**
 * The API server on etcd: creates/s and updates/s of ~1 KB ConfigMaps from 64 concurrent HTTPS
 * clients beside raw etcd3-client puts/s at the same concurrency against the same etcd in this
 * run (target: API >= 50% of raw), watch events/s delivered to 100 watchers, and list latency
 * for 10,000 objects (from the watch cache, and paged from etcd at an exact resourceVersion).
 * etcd is a single local member (the test helper's); the server runs as a separate
 * `flotilla apiserver --storage etcd` process, as users run it. Both sides are warmed up first.
 */
import { Etcd3 } from 'etcd3';
import { Agent, request } from 'undici';
import { drive, startServerProcess } from './server.js';
import { startEtcd, type EtcdServer } from '../src/apiserver/storage/testing/etcd.js';
import { EtcdStore } from '../src/apiserver/storage/etcd.js';
import { Report, median, round } from './lib.js';

const PAYLOAD = 'x'.repeat(900);
const CONCURRENCY = 64;


/**
 * Both sides are measured warm: a cold server spends its first thousands of requests on TLS
 * handshakes and the JIT (the first 2,000 creates run at about half the rate of the third).
 */
const WARMUP = 1000;

/** Raw etcd3 puts of the same key and value sizes, the same concurrency, on the same etcd. */
async function rawPuts(etcd: EtcdServer, n: number, round: number) {
  const client = new Etcd3({ hosts: etcd.endpoint });
  try {
    await drive(CONCURRENCY, WARMUP, (i) => client.put(`/warm/${round}/${i}`).value(PAYLOAD).exec());
    return await drive(CONCURRENCY, n, (i) => client.put(`/raw/${round}/registry/core/configmaps/bench/cm-${i}`).value(PAYLOAD).exec());
  } finally {
    client.close();
  }
}

async function startServer(etcd: EtcdServer) {
  return startServerProcess(['--storage', 'etcd', '--etcd-endpoints', etcd.endpoint], CONCURRENCY);
}

type Server = Awaited<ReturnType<typeof startServer>>;

const cm = (ns: string, name: string, v = 0, resourceVersion?: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { app: 'bench' }, ...(resourceVersion ? { resourceVersion } : {}) }, data: { v: String(v), payload: PAYLOAD } });

const namespace = (s: Server, ns: string) => s.call('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));

async function warmUp(s: Server) {
  await namespace(s, 'warm-up');
  await drive(CONCURRENCY, WARMUP, (i) => s.call('POST', '/api/v1/namespaces/warm-up/configmaps', cm('warm-up', `w-${i}`)));
  await drive(CONCURRENCY, WARMUP, (i) => s.call('PUT', '/api/v1/namespaces/warm-up/configmaps/w-' + i, cm('warm-up', `w-${i}`, 1)));
}

async function writes(s: Server, ns: string, n: number) {
  await warmUp(s);
  await namespace(s, ns);
  const rvs: string[] = [];
  const create = await drive(CONCURRENCY, n, async (i) => {
    rvs[i] = JSON.parse(await s.call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, `cm-${i}`))).metadata.resourceVersion;
  });
  const update = await drive(CONCURRENCY, n, (i) => s.call('PUT', `/api/v1/namespaces/${ns}/configmaps/cm-${i}`, cm(ns, `cm-${i}`, 1, rvs[i])));
  return { create, update };
}

async function watchFanout(s: Server, watchers: number, events: number) {
  const ns = 'watch-bench';
  await namespace(s, ns);
  const rv = JSON.parse(await s.call('GET', `/api/v1/namespaces/${ns}/configmaps`)).metadata.resourceVersion;
  const agent = new Agent({ connect: { ca: s.ca }, connections: watchers + 8 });
  const counts = new Array(watchers).fill(0);
  let doneAt = 0n;
  let finished = 0;
  const allDone = new Promise<void>((resolve) => {
    for (let w = 0; w < watchers; w++) {
      void request(`${s.url}/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`, { dispatcher: agent, headers: s.headers }).then(async (r) => {
        let buf = '';
        for await (const chunk of r.body) {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            buf = buf.slice(i + 1);
            if (++counts[w] === events) {
              if (++finished === watchers) {
                doneAt = process.hrtime.bigint();
                resolve();
              }
              r.body.destroy();
              return;
            }
          }
        }
      });
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  const t0 = process.hrtime.bigint();
  await drive(CONCURRENCY, events, (i) => s.call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, `w-${i}`)));
  await Promise.race([allDone, new Promise((r) => setTimeout(r, 60_000))]);
  const secs = Number((doneAt || process.hrtime.bigint()) - t0) / 1e9;
  const delivered = counts.reduce((a, b) => a + b, 0);
  await agent.close().catch(() => undefined);
  return { perSec: delivered / secs, dropped: watchers * events - delivered };
}

/** Median latency of listing n objects: from the watch cache, paged from etcd, and raw from the store. */
async function listLatency(s: Server, etcd: EtcdServer, n: number, samples: number) {
  const ns = 'list-bench';
  await namespace(s, ns);
  await drive(CONCURRENCY, n, (i) => s.call('POST', `/api/v1/namespaces/${ns}/configmaps`, cm(ns, `l-${i}`)));
  const timed = async (fn: () => Promise<number>) => {
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = process.hrtime.bigint();
      const count = await fn();
      if (count !== n) throw new Error(`listed ${count} of ${n}`);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return median(ms);
  };
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const cached = await timed(async () => JSON.parse(await s.call('GET', path)).items.length);
  const rv = JSON.parse(await s.call('GET', `${path}?limit=1`)).metadata.resourceVersion;
  // resourceVersionMatch=Exact is served from etcd: pages of 500, like a client-go pager.
  const paged = await timed(async () => {
    let count = 0;
    let cont = '';
    let q = `?limit=500&resourceVersion=${rv}&resourceVersionMatch=Exact`;
    for (;;) {
      const page = JSON.parse(await s.call('GET', path + q));
      count += page.items.length;
      cont = page.metadata.continue ?? '';
      if (!cont) return count;
      q = `?limit=500&continue=${encodeURIComponent(cont)}`;
    }
  });
  const store = await EtcdStore.open({ endpoints: [etcd.endpoint], prefix: '/flotilla' });
  const raw = await timed(async () => (await store.list(`/registry/core/configmaps/${ns}/`)).items.length);
  await store.close();
  return { cached, paged, raw };
}

export async function run(args: string[]) {
  const quick = args.includes('--quick');
  const n = quick ? 2000 : 20000;
  const rounds = quick ? 1 : 3;
  const listN = 10_000;
  const report = new Report('etcd', { objects: n, concurrency: CONCURRENCY, watchers: 100, rounds, payloadBytes: 1024, listObjects: listN, etcd: 'one local member' });
  console.log(`etcd benchmark: ${n} ConfigMaps of ~1 KB, ${CONCURRENCY} concurrent clients, ${rounds} round(s), one local etcd member`);
  const raw: number[] = [];
  const creates: number[] = [];
  const updates: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // A fresh etcd per round, raw and API on the same one, so neither inherits the other's history.
    const etcd = await startEtcd();
    try {
      raw.push((await rawPuts(etcd, n, r)).perSec);
      const s = await startServer(etcd);
      try {
        const w = await writes(s, `bench-${r}`, n);
        creates.push(w.create.perSec);
        updates.push(w.update.perSec);
        p50.push(w.create.p50, w.update.p50);
        p99.push(w.create.p99, w.update.p99);
      } finally {
        await s.stop();
      }
    } finally {
      await etcd.cleanup();
    }
  }
  const etcd = await startEtcd();
  let watch: Awaited<ReturnType<typeof watchFanout>>;
  let list: Awaited<ReturnType<typeof listLatency>>;
  try {
    const s = await startServer(etcd);
    try {
      watch = await watchFanout(s, 100, quick ? 500 : 2000);
      list = await listLatency(s, etcd, listN, quick ? 5 : 11);
    } finally {
      await s.stop();
    }
  } finally {
    await etcd.cleanup();
  }

  const base = { metric: `raw etcd3 puts/s (${CONCURRENCY} concurrent)`, value: median(raw), unit: 'ops/s' };
  report.add({ metric: 'API creates/s (etcd)', value: median(creates), unit: 'ops/s', baseline: base, target: '>= 0.5 ratio' });
  report.add({ metric: 'API updates/s (etcd)', value: median(updates), unit: 'ops/s', baseline: base, target: '>= 0.5 ratio' });
  report.add({ metric: 'write latency p50', value: round(median(p50), 2), unit: 'ms' });
  report.add({ metric: 'write latency p99', value: round(median(p99), 2), unit: 'ms' });
  report.add({ metric: 'watch events/s delivered (100 watchers)', value: watch.perSec, unit: 'events/s' });
  report.add({ metric: 'watch events dropped', value: watch.dropped, unit: 'events', target: '0' });
  report.add({ metric: `list ${listN.toLocaleString('en-US')} objects (watch cache)`, value: round(list.cached, 1), unit: 'ms' });
  report.add({ metric: `list ${listN.toLocaleString('en-US')} objects (etcd, pages of 500)`, value: round(list.paged, 1), unit: 'ms' });
  report.add({ metric: `list ${listN.toLocaleString('en-US')} objects (EtcdStore.list, no HTTP)`, value: round(list.raw, 1), unit: 'ms' });
  console.log(`results: ${report.write()}`);
}
