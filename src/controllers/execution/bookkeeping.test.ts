// Small bookkeeping of the execution controller: conditions, version records, the applied
// index and discovery parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppliedIndex, objectKey } from './applied-index.js';
import { findCondition, setCondition } from './conditions.js';
import { parseResourceList, RestMapper, NotServedError } from './restmapper.js';
import { VersionRecord } from './versions.js';
import { trimForCache } from './member-informers.js';
import type { KubeClient } from '../../client/client.js';

describe('setCondition', () => {
  const T0 = Date.parse('2030-01-01T00:00:00Z');
  const base = setCondition(undefined, { type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok', observedGeneration: 1 }, T0);
  const table: { name: string; want: any; same: boolean; ltt: string }[] = [
    { name: 'identical: the same array (no write)', want: { type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok', observedGeneration: 1 }, same: true, ltt: '2030-01-01T00:00:00Z' },
    { name: 'no observedGeneration asked: still the same', want: { type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok' }, same: true, ltt: '2030-01-01T00:00:00Z' },
    { name: 'new generation, same status: time kept', want: { type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'ok', observedGeneration: 2 }, same: false, ltt: '2030-01-01T00:00:00Z' },
    { name: 'message changes, status does not: time kept', want: { type: 'Applied', status: 'True', reason: 'AppliedSuccessful', message: 'fine', observedGeneration: 1 }, same: false, ltt: '2030-01-01T00:00:00Z' },
    { name: 'status flips: time moves', want: { type: 'Applied', status: 'False', reason: 'AppliedFailed', message: 'no', observedGeneration: 1 }, same: false, ltt: '2030-01-01T00:01:00Z' },
  ];
  for (const c of table)
    it(c.name, () => {
      const out = setCondition(base, c.want, T0 + 60_000);
      assert.equal(out === base, c.same);
      assert.equal(findCondition(out, 'Applied')!.lastTransitionTime, c.ltt);
      assert.equal(out.length, 1);
    });
  it('other conditions stay in place', () => {
    const two = setCondition(base, { type: 'Dispatching', status: 'False', reason: 'SuspendDispatching', message: 's' }, T0);
    assert.deepEqual(two.map((c) => c.type), ['Applied', 'Dispatching']);
    const again = setCondition(two, { type: 'Applied', status: 'False', reason: 'X', message: 'y' }, T0);
    assert.deepEqual(again.map((c) => c.type), ['Applied', 'Dispatching']);
  });
});

describe('VersionRecord', () => {
  const k = VersionRecord.key('m1', 'apps/v1/deployments', 'n', 'd');
  const table: { name: string; recorded?: any; pending?: boolean; event: any; want: boolean }[] = [
    { name: 'nothing recorded (after a restart): not out of band', event: { metadata: { generation: 9, resourceVersion: '9' } }, want: false },
    { name: 'same generation, new resourceVersion (status change): not', recorded: { generation: 2, resourceVersion: '10' }, event: { metadata: { generation: 2, resourceVersion: '11' } }, want: false },
    { name: 'higher generation: someone changed the spec', recorded: { generation: 2, resourceVersion: '10' }, event: { metadata: { generation: 3, resourceVersion: '12' } }, want: true },
    { name: 'no generation (ConfigMap): any new resourceVersion', recorded: { resourceVersion: '10' }, event: { metadata: { resourceVersion: '11' } }, want: true },
    { name: 'no generation, same resourceVersion', recorded: { resourceVersion: '10' }, event: { metadata: { resourceVersion: '10' } }, want: false },
    { name: 'our own apply in flight: not', recorded: { generation: 2 }, pending: true, event: { metadata: { generation: 3 } }, want: false },
  ];
  for (const c of table)
    it(c.name, () => {
      const v = new VersionRecord();
      if (c.recorded) {
        v.begin(k);
        v.record(k, { metadata: c.recorded });
      }
      if (c.pending) v.begin(k);
      assert.equal(v.changedOutOfBand(k, c.event), c.want);
    });
  it('a failed apply settles; forgetCluster drops that cluster only', () => {
    const v = new VersionRecord();
    v.begin(k);
    v.settle(k);
    v.record(k, { metadata: { generation: 1 } });
    v.record(VersionRecord.key('m2', 'r', '', 'x'), { metadata: { generation: 1 } });
    assert.equal(v.changedOutOfBand(k, { metadata: { generation: 2 } }), true);
    v.forgetCluster('m1');
    assert.equal(v.size, 1);
  });
});

describe('AppliedIndex', () => {
  const gvr = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
  const obj = (name: string, work: string, uid = name) => ({
    metadata: { name, namespace: 'n', uid, labels: { 'karmada.io/managed': 'true' }, annotations: { 'work.karmada.io/namespace': 'karmada-es-m1', 'work.karmada.io/name': work } },
  });
  it('follows adds, ownership changes and deletes', () => {
    const ix = new AppliedIndex();
    ix.observe('m1', gvr, 'add', obj('a', 'w1'));
    ix.observe('m1', gvr, 'add', obj('b', 'w1'));
    ix.observe('m1', gvr, 'add', { metadata: { name: 'c', namespace: 'n' } });
    assert.deepEqual([...ix.of('karmada-es-m1/w1').keys()].sort(), [objectKey('apps', 'deployments', 'n', 'a'), objectKey('apps', 'deployments', 'n', 'b')]);
    ix.observe('m1', gvr, 'update', obj('b', 'w2'), obj('b', 'w1'));
    assert.equal(ix.of('karmada-es-m1/w1').size, 1);
    assert.equal(ix.of('karmada-es-m1/w2').size, 1);
    ix.observe('m1', gvr, 'delete', obj('a', 'w1'));
    assert.equal(ix.of('karmada-es-m1/w1').size, 0);
    ix.forgetCluster('m1');
    assert.equal(ix.of('karmada-es-m1/w2').size, 0);
  });
});

describe('RestMapper', () => {
  const list = {
    groupVersion: 'apps/v1',
    resources: [
      { name: 'deployments', kind: 'Deployment', namespaced: true },
      { name: 'deployments/status', kind: 'Deployment', namespaced: true },
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
      { name: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
    ],
  };
  it('parses kinds, scope and the status subresource', () => {
    const m = parseResourceList('apps', 'v1', list);
    assert.deepEqual(m.get('Deployment'), { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, kind: 'Deployment', hasStatus: true });
    assert.equal(m.get('ControllerRevision')!.hasStatus, false);
    assert.equal(m.has('Scale'), false, 'subresources are not kinds');
  });
  it('asks once, caches, and reports kinds the cluster does not serve', async () => {
    let calls = 0;
    const client = { request: async () => (calls++, list) } as unknown as KubeClient;
    let now = 0;
    const mapper = new RestMapper(10_000, () => now);
    assert.equal((await mapper.resolve(client, 'm1', 'apps/v1', 'Deployment')).resource, 'deployments');
    await mapper.resolve(client, 'm1', 'apps/v1', 'ControllerRevision');
    assert.equal(calls, 1);
    await assert.rejects(mapper.resolve(client, 'm1', 'apps/v1', 'Widget'), NotServedError);
    assert.equal(calls, 1, 'a miss within the refresh period is answered from the cache');
    now = 20_000;
    await assert.rejects(mapper.resolve(client, 'm1', 'apps/v1', 'Widget'), NotServedError);
    assert.equal(calls, 2, 'after it, discovery is read again (a CRD may have been installed)');
    assert.equal(mapper.cached('m1', 'apps/v1', 'Deployment')!.kind, 'Deployment');
    mapper.forget('m1');
    assert.equal(mapper.cached('m1', 'apps/v1', 'Deployment'), undefined);
  });
});

describe('trimForCache', () => {
  it('keeps what the controllers read and drops the rest of managedFields and last-applied', () => {
    const scale = { manager: 'hpa', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
    const obj = {
      metadata: {
        name: 'd',
        labels: { a: 'b' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', 'work.karmada.io/name': 'w' },
        managedFields: [{ manager: 'flotilla', operation: 'Apply', fieldsV1: { 'f:spec': {} } }, scale, { ...scale, manager: 'flotilla' }],
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    const out = trimForCache(obj);
    assert.deepEqual(out.metadata.managedFields, [scale]);
    assert.deepEqual(out.metadata.annotations, { 'work.karmada.io/name': 'w' });
    assert.deepEqual(out.spec, obj.spec);
    assert.deepEqual(out.status, obj.status);
    assert.equal(obj.metadata.managedFields.length, 3, 'input untouched');
    assert.equal(trimForCache({ metadata: { name: 'x', managedFields: [{ manager: 'm' }] } }).metadata.managedFields, undefined);
  });
});
