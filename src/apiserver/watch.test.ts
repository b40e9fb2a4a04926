/**
 * Watch and list semantics against an in-process server: resourceVersion "", "0" and exact,
 * bookmarks, sendInitialEvents, selector transitions, 410 on an expired window, paging with
 * continue tokens, and metrics.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from './server.js';
import { KubeClient, type WatchEvent } from '../client/client.js';
import { R } from '../client/resources.js';

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

/** Collect watch events until `until` is satisfied (then the watch is aborted). */
async function collect(c: KubeClient, opts: Parameters<KubeClient['watch']>[1], until: (evs: WatchEvent[]) => boolean, trigger?: () => Promise<unknown>, timeoutMs = 5000): Promise<WatchEvent[]> {
  const evs: WatchEvent[] = [];
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const done = c.watch(R.configmaps, { namespace: 'default', ...opts }, (e) => {
    evs.push(e);
    if (until(evs)) ac.abort();
  }, ac.signal);
  if (trigger) await trigger();
  await done;
  clearTimeout(timer);
  return evs;
}

describe('watch and list semantics', () => {
  let server: ApiServer;
  let c: KubeClient;
  before(async () => {
    server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, watchCacheSize: 20, bookmarkIntervalMs: 100 }).start();
    c = new KubeClient({ server: server.url });
  });
  after(async () => {
    await c.close();
    await server.stop();
  });

  it('resourceVersion "0" and "" start with synthetic ADDED events; an exact one replays what followed', async () => {
    await c.create(R.configmaps, cm('a', { app: 'x' }));
    const b = await c.create(R.configmaps, cm('b', { app: 'y' }));
    const initial = await collect(c, { resourceVersion: '0' }, (e) => e.length >= 2);
    assert.deepEqual(initial.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'a'], ['ADDED', 'b']]);
    const fromB = await collect(c, { resourceVersion: b.metadata.resourceVersion }, (e) => e.length >= 2, async () => {
      await c.patch(R.configmaps, 'a', { data: { k: '1' } }, 'merge', { namespace: 'default' });
      await c.delete(R.configmaps, 'b', { namespace: 'default' });
    });
    assert.deepEqual(fromB.map((e) => [e.type, e.object.metadata.name]), [['MODIFIED', 'a'], ['DELETED', 'b']]);
    assert.ok(Number(fromB[1]!.object.metadata.resourceVersion) > Number(fromB[0]!.object.metadata.resourceVersion), 'DELETED carries the deletion revision');
  });

  it('selector transitions become ADDED and DELETED for that watcher', async () => {
    const list = await c.list(R.configmaps, { namespace: 'default' });
    const evs = await collect(c, { resourceVersion: list.metadata.resourceVersion, labelSelector: 'app=x' }, (e) => e.length >= 2, async () => {
      await c.patch(R.configmaps, 'a', { metadata: { labels: { app: 'z' } } }, 'merge', { namespace: 'default' });
      await c.patch(R.configmaps, 'a', { metadata: { labels: { app: 'x' } } }, 'merge', { namespace: 'default' });
    });
    assert.deepEqual(evs.map((e) => e.type), ['DELETED', 'ADDED']);
  });

  it('sends bookmarks when asked, and sendInitialEvents ends with the initial-events-end bookmark', async () => {
    const list = await c.list(R.configmaps, { namespace: 'default' });
    const bm = await collect(c, { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true }, (e) => e.some((x) => x.type === 'BOOKMARK'));
    const mark = bm.find((e) => e.type === 'BOOKMARK')!;
    assert.equal(mark.object.kind, 'ConfigMap');
    assert.ok(Number(mark.object.metadata.resourceVersion) >= Number(list.metadata.resourceVersion));
    const init = await collect(c, { sendInitialEvents: true, allowWatchBookmarks: true }, (e) => e.some((x) => x.object?.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'));
    assert.deepEqual(init.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name), ['a']);
    assert.equal(init[init.length - 1]!.type, 'BOOKMARK');
    await assert.rejects(
      c.request('GET', '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true'),
      (e: any) => e.code === 422,
    );
  });

  it('answers 410 Expired on the stream for a resourceVersion older than the window, then closes', async () => {
    const start = await c.list(R.configmaps, { namespace: 'default' });
    for (let i = 0; i < 30; i++) await c.create(R.configmaps, cm(`fill-${i}`));
    const evs = await collect(c, { resourceVersion: start.metadata.resourceVersion }, () => false, undefined, 3000);
    assert.equal(evs.length, 1);
    assert.equal(evs[0]!.type, 'ERROR');
    assert.equal(evs[0]!.object.code, 410);
    assert.equal(evs[0]!.object.reason, 'Expired');
  });

  it('pages with limit and continue at one snapshot', async () => {
    const first = await c.list(R.configmaps, { namespace: 'default', limit: 10 });
    assert.equal(first.items.length, 10);
    assert.ok(first.metadata.continue);
    await c.create(R.configmaps, cm('zzz-created-between-pages'));
    const names = first.items.map((i: any) => i.metadata.name);
    let cont: string | undefined = first.metadata.continue;
    while (cont) {
      const page: any = await c.list(R.configmaps, { namespace: "default", limit: 10, continue: cont });
      names.push(...page.items.map((i: any) => i.metadata.name));
      assert.equal(page.metadata.resourceVersion, first.metadata.resourceVersion, 'later pages are served at the first page\'s revision');
      cont = page.metadata.continue;
    }
    assert.equal(names.length, 31);
    assert.ok(!names.includes('zzz-created-between-pages'));
    assert.deepEqual(names, [...names].sort());
    await assert.rejects(c.list(R.configmaps, { namespace: 'default', continue: 'garbage' }), (e: any) => e.code === 400);
  });

  it('deletecollection deletes what the selectors match, and only that', async () => {
    for (const n of ['dc-1', 'dc-2']) await c.create(R.configmaps, cm(n, { batch: 'dc' }));
    await c.create(R.configmaps, cm('dc-keep', { batch: 'other' }));
    const r = await c.request('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=batch%3Ddc');
    assert.equal(r.status, 'Success');
    const left = await c.list(R.configmaps, { namespace: 'default', labelSelector: 'batch' });
    assert.deepEqual(left.items.map((i: any) => i.metadata.name), ['dc-keep']);
  });

  it('serves Prometheus metrics', async () => {
    const text = await c.request('GET', '/metrics');
    assert.match(text, /apiserver_request_total\{verb="LIST",group="",resource="configmaps",subresource="",code="200"\} \d+/);
    assert.match(text, /apiserver_request_duration_seconds_bucket/);
    assert.match(text, /flotilla_storage_operation_duration_seconds_bucket\{le="[^"]+",operation="create"\}/);
    assert.match(text, /apiserver_registered_watchers/);
  });
});
