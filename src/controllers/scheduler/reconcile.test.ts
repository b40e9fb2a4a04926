import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileBinding, STALE_CACHE_RETRY_MS, type SchedulerDeps } from './reconcile.js';

test('a binding whose cached copy predates our own write is looked at again, not dropped', async () => {
  const cached = { apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name: 'web', namespace: 'default', resourceVersion: '5' }, spec: {} };
  const d = {
    rbs: { get: (k: string) => (k === 'default/web' ? cached : undefined) },
    crbs: { get: () => undefined },
    written: new Map([['default/web', 9]]),
  } as unknown as SchedulerDeps;
  // The status write (rv 9) does not bump the generation, so no watch event will enqueue the key:
  // a request that arrives meanwhile (a cluster got the binding's API) must come back by itself.
  assert.deepEqual(await reconcileBinding(d, 'default/web'), { requeueAfter: STALE_CACHE_RETRY_MS });
});
