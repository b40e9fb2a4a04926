import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer } from '../server.js';
import type { Scope } from './rest.js';

describe('writes that change nothing', () => {
  let server: ApiServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rest-noop-'));
    server = await new ApiServer({ dataDir: dir, storage: 'memory', tls: false, authenticator: null, writeKubeconfig: false }).start();
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keep the resourceVersion and emit no event; a real change bumps it and emits one', async () => {
    const rt = server.resources.lookup('', 'v1', 'configmaps')!;
    const scope: Scope = { rt, namespace: 'default', name: 'cm', subresource: '' };
    const created = JSON.parse((await server.registry.create(scope, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } }, { fieldManager: 'test' })).json);
    const rv = created.metadata.resourceVersion;
    const events: string[] = [];
    const cache = server.registry.cacheOf(rt);
    const watcher = { onEvent: (ev: { type: string; rev: number }) => events.push(`${ev.type}@${ev.rev}`), onClose() {} };
    cache.watchers.add(watcher as never);
    try {
      // Sent back as read (with its resourceVersion), and with a mutation that changes nothing.
      const same = await server.registry.update(scope, () => created, { fieldManager: 'test' });
      assert.equal(same.changed, false);
      assert.equal(JSON.parse(same.json).metadata.resourceVersion, rv);
      const untouched = await server.registry.update(scope, (cur) => cur, { fieldManager: 'test' });
      assert.equal(JSON.parse(untouched.json).metadata.resourceVersion, rv);
      assert.equal((await server.registry.get(scope)).rev, Number(rv));

      const changed = await server.registry.update(scope, (cur) => ({ ...cur, data: { a: '2' } }), { fieldManager: 'test' });
      assert.equal(changed.changed, true);
      const newRV = JSON.parse(changed.json).metadata.resourceVersion;
      assert.ok(Number(newRV) > Number(rv));
      await server.registry.caches.waitFor(Number(newRV));
      assert.deepEqual(events, [`MODIFIED@${newRV}`]);
    } finally {
      cache.watchers.delete(watcher as never);
    }
  });
});
