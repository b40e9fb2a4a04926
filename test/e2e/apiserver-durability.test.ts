/**
 * Acknowledged writes survive kill -9: create through kubectl, kill the server the moment the
 * create is acknowledged, restart on the same data dir, and the object is there.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestServer } from './harness.js';

describe('durability', () => {
  let s: TestServer;
  after(async () => s?.cleanup());

  it('keeps every acknowledged create across kill -9 and restart', async () => {
    s = await startApiServer();
    const cm = (name: string, data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    for (let i = 0; i < 5; i++) await s.k(['create', '-f', '-'], { input: cm(`before-${i}`, { i: String(i) }) });
    const out = await s.k(['create', '-f', '-'], { input: cm('last-ack', { k: 'v' }) });
    assert.match(out, /configmap\/last-ack created/);
    await s.kill9();
    await s.restart();
    assert.equal(await s.k(['get', 'cm', 'last-ack', '-o', 'jsonpath={.data.k}']), 'v');
    const names = await s.k(['get', 'cm', '-o', 'name']);
    for (let i = 0; i < 5; i++) assert.match(names, new RegExp(`configmap/before-${i}`));
    // The revision continues after the restart: new writes get larger resourceVersions.
    const rvBefore = Number(await s.k(['get', 'cm', 'last-ack', '-o', 'jsonpath={.metadata.resourceVersion}']));
    await s.k(['create', '-f', '-'], { input: cm('after-restart', {}) });
    const rvAfter = Number(await s.k(['get', 'cm', 'after-restart', '-o', 'jsonpath={.metadata.resourceVersion}']));
    assert.ok(rvAfter > rvBefore, `${rvAfter} > ${rvBefore}`);
  });
});
