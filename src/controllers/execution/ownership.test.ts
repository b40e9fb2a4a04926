import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appliedConfiguration, manifestId, splitApiVersion } from './manifest.js';
import { conflictResolutionOf, ownerOf, sameWork, stampOwnership } from './ownership.js';
import { appliedOutcome } from './outcome.js';

const work = { namespace: 'karmada-es-member1', name: 'web-b7d6' };

describe('stampOwnership', () => {
  const table: { name: string; obj: any; work: any; labels: Record<string, string>; annotations: Record<string, string> }[] = [
    {
      name: 'marks as labels and annotations; keeps the object’s own',
      obj: { metadata: { name: 'x', labels: { app: 'x' }, annotations: { note: 'y' } } },
      work,
      labels: { app: 'x', 'karmada.io/managed': 'true', 'work.karmada.io/namespace': work.namespace, 'work.karmada.io/name': work.name },
      annotations: { note: 'y', 'work.karmada.io/namespace': work.namespace, 'work.karmada.io/name': work.name },
    },
    {
      name: 'a Work name too long for a label value is only an annotation',
      obj: { metadata: { name: 'x' } },
      work: { namespace: 'karmada-es-m', name: 'a'.repeat(70) },
      labels: { 'karmada.io/managed': 'true' },
      annotations: { 'work.karmada.io/namespace': 'karmada-es-m', 'work.karmada.io/name': 'a'.repeat(70) },
    },
    {
      name: 'the permanent id becomes a label; the conflict-resolution instruction is dropped',
      obj: { metadata: { name: 'x', annotations: { 'work.karmada.io/conflict-resolution': 'overwrite' } } },
      work: { ...work, permanentId: '3f1c9d2e-0000-4000-8000-000000000001' },
      labels: {
        'karmada.io/managed': 'true',
        'work.karmada.io/namespace': work.namespace,
        'work.karmada.io/name': work.name,
        'work.karmada.io/permanent-id': '3f1c9d2e-0000-4000-8000-000000000001',
      },
      annotations: { 'work.karmada.io/namespace': work.namespace, 'work.karmada.io/name': work.name },
    },
    {
      name: 'an object without metadata gets it',
      obj: {},
      work,
      labels: { 'karmada.io/managed': 'true', 'work.karmada.io/namespace': work.namespace, 'work.karmada.io/name': work.name },
      annotations: { 'work.karmada.io/namespace': work.namespace, 'work.karmada.io/name': work.name },
    },
  ];
  for (const c of table)
    it(c.name, () => {
      stampOwnership(c.obj, c.work);
      assert.deepEqual(c.obj.metadata.labels, c.labels);
      assert.deepEqual(c.obj.metadata.annotations, c.annotations);
      assert.ok(sameWork(ownerOf(c.obj), c.work), 'reads back as owned by the Work');
    });
});

describe('ownerOf', () => {
  const table: { name: string; obj: any; want: any }[] = [
    { name: 'nothing', obj: undefined, want: undefined },
    { name: 'no managed label', obj: { metadata: { annotations: { 'work.karmada.io/namespace': 'a', 'work.karmada.io/name': 'b' } } }, want: undefined },
    { name: 'managed, from annotations', obj: { metadata: { labels: { 'karmada.io/managed': 'true' }, annotations: { 'work.karmada.io/namespace': 'a', 'work.karmada.io/name': 'b' } } }, want: { namespace: 'a', name: 'b' } },
    { name: 'managed, from labels (older Karmada)', obj: { metadata: { labels: { 'karmada.io/managed': 'true', 'work.karmada.io/namespace': 'a', 'work.karmada.io/name': 'b' } } }, want: { namespace: 'a', name: 'b' } },
    { name: 'managed=false', obj: { metadata: { labels: { 'karmada.io/managed': 'false', 'work.karmada.io/namespace': 'a', 'work.karmada.io/name': 'b' } } }, want: undefined },
    { name: 'managed without a Work', obj: { metadata: { labels: { 'karmada.io/managed': 'true' } } }, want: undefined },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(ownerOf(c.obj), c.want));
});

describe('conflictResolutionOf', () => {
  const m = (v?: string) => ({ metadata: { annotations: v === undefined ? {} : { 'work.karmada.io/conflict-resolution': v } } });
  const table: { name: string; manifest: any; work: any; want: string }[] = [
    { name: 'default Abort', manifest: m(), work: m(), want: 'Abort' },
    { name: 'manifest overwrite (Karmada spelling)', manifest: m('overwrite'), work: m(), want: 'Overwrite' },
    { name: 'manifest Overwrite (policy spelling)', manifest: m('Overwrite'), work: m(), want: 'Overwrite' },
    { name: 'the Work’s annotation when the manifest has none', manifest: m(), work: m('overwrite'), want: 'Overwrite' },
    { name: 'the manifest wins over the Work', manifest: m('abort'), work: m('overwrite'), want: 'Abort' },
    { name: 'anything else is Abort', manifest: m('yes'), work: m(), want: 'Abort' },
  ];
  for (const c of table) it(c.name, () => assert.equal(conflictResolutionOf(c.manifest, c.work), c.want));
});

describe('manifests', () => {
  it('manifestId needs apiVersion, kind and name', () => {
    assert.deepEqual(manifestId({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' } }), { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'n', name: 'x' });
    assert.deepEqual(manifestId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }), { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'x' });
    for (const bad of [undefined, null, 'x', {}, { apiVersion: 'v1', kind: 'Pod' }, { apiVersion: 'v1', metadata: { name: 'x' } }, { kind: 'Pod', metadata: { name: 'x' } }])
      assert.equal(manifestId(bad), undefined, JSON.stringify(bad));
  });

  it('splitApiVersion', () => {
    assert.deepEqual(splitApiVersion('apps/v1'), ['apps', 'v1']);
    assert.deepEqual(splitApiVersion('v1'), ['', 'v1']);
    assert.deepEqual(splitApiVersion('example.com/v1beta1'), ['example.com', 'v1beta1']);
  });

  it('appliedConfiguration drops what the control plane wrote and keeps what the user declared', () => {
    const m = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'x',
        namespace: 'n',
        uid: 'u',
        resourceVersion: '7',
        generation: 3,
        creationTimestamp: '2020-01-01T00:00:00Z',
        managedFields: [{}],
        ownerReferences: [{ uid: 'o' }],
        finalizers: ['cp/finalizer'],
        labels: { a: 'b' },
        annotations: { c: 'd' },
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    const out = appliedConfiguration(m);
    assert.deepEqual(out, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n', labels: { a: 'b' }, annotations: { c: 'd' } }, spec: { replicas: 2 } });
    assert.equal(m.metadata.uid, 'u', 'input untouched');
    assert.deepEqual(appliedConfiguration({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: '' } }).metadata, { name: 'x' });
  });
});

describe('appliedOutcome', () => {
  const w: any = {
    apiVersion: 'work.karmada.io/v1alpha1',
    kind: 'Work',
    metadata: { name: 'web', namespace: 'karmada-es-m1', uid: 'wu', generation: 4 },
    spec: { workload: { manifests: [{ metadata: { annotations: { 'resourcetemplate.karmada.io/uid': 'tu' } } }, {}] } },
  };
  const id = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'n', name: 'web' };
  const ok = (ordinal: number) => ({ ordinal, ok: true as const, key: `k${ordinal}` });
  const bad = (ordinal: number, conflict: boolean) => ({ ordinal, id, ok: false as const, conflict, retry: !conflict, message: `m${ordinal}` });
  const table: { name: string; results: any[]; want: [string, string]; events: number }[] = [
    { name: 'all applied', results: [ok(0), ok(1)], want: ['True', 'AppliedSuccessful'], events: 0 },
    { name: 'only conflicts', results: [bad(0, true), ok(1)], want: ['False', 'WorkloadConflict'], events: 2 },
    { name: 'a failure besides a conflict', results: [bad(0, true), bad(1, false)], want: ['False', 'AppliedFailed'], events: 4 },
  ];
  for (const c of table)
    it(c.name, () => {
      const out = appliedOutcome(w, c.results, 'm1');
      assert.deepEqual([out.condition.status, out.condition.reason], c.want);
      assert.equal(out.condition.observedGeneration, 4);
      assert.equal(out.events.length, c.events);
    });
  it('names the template (with its uid) and the Work in events; counts what applied', () => {
    const out = appliedOutcome(w, [bad(0, true), ok(1)], 'm1');
    assert.deepEqual(out.events[0]!.on, { ...id, uid: 'tu' });
    assert.equal(out.events[1]!.on.kind, 'Work');
    assert.match(out.condition.message, /^Failed to apply all manifests \(1\/2\) to cluster m1: m0$/);
  });
});
