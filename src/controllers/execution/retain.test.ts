import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpreterFor } from '../../interpreter/index.js';
import { replicasOwnedByScaler, retainForApply } from './retain.js';

type Json = Record<string, any>;

const deploy = (spec: Json, metadata: Json = {}): Json => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', ...metadata }, spec });
const scaleEntry = (manager: string, subresource = 'scale') => ({ manager, operation: 'Update', apiVersion: 'apps/v1', subresource, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });

describe('replicasOwnedByScaler', () => {
  const table: { name: string; managed: Json[]; want: boolean }[] = [
    { name: 'no managed fields', managed: [], want: false },
    { name: 'an HPA wrote replicas through scale', managed: [scaleEntry('kube-controller-manager')], want: true },
    { name: 'Flotilla itself through scale does not count', managed: [scaleEntry('flotilla')], want: false },
    { name: 'replicas written on the main resource by someone else', managed: [scaleEntry('kubectl-edit', '')], want: false },
    { name: 'scale entry without replicas', managed: [{ manager: 'x', subresource: 'scale', fieldsV1: { 'f:spec': {} } }], want: false },
  ];
  for (const c of table) it(c.name, () => assert.equal(replicasOwnedByScaler({ metadata: { managedFields: c.managed } }), c.want));
});

describe('retainForApply', () => {
  const interp = interpreterFor('apps/v1', 'Deployment');
  const table: { name: string; desired: Json; observed: Json; want: Json }[] = [
    {
      name: 'nothing member-owned: desired as is',
      desired: deploy({ replicas: 2 }, { labels: { app: 'd' } }),
      observed: deploy({ replicas: 2 }, { labels: { app: 'd', injected: 'yes' } }),
      want: deploy({ replicas: 2 }, { labels: { app: 'd' } }),
    },
    {
      name: 'member-added labels, annotations and finalizers are not copied (server-side apply keeps them)',
      desired: deploy({ replicas: 2 }, { labels: { app: 'd' } }),
      observed: deploy({ replicas: 2 }, { labels: { sidecar: 'on' }, annotations: { a: 'b' }, finalizers: ['member/f'] }),
      want: deploy({ replicas: 2 }, { labels: { app: 'd' } }),
    },
    {
      name: 'replicas scaled by a member HPA are dropped from the configuration',
      desired: deploy({ replicas: 2, paused: false }),
      observed: deploy({ replicas: 5 }, { managedFields: [scaleEntry('kube-controller-manager')] }),
      want: deploy({ paused: false }),
    },
    {
      name: 'retain-replicas label keeps the member’s count (interpreter rule)',
      desired: deploy({ replicas: 2 }, { labels: { 'resourcetemplate.karmada.io/retain-replicas': 'true' } }),
      observed: deploy({ replicas: 7 }),
      want: deploy({ replicas: 7 }, { labels: { 'resourcetemplate.karmada.io/retain-replicas': 'true' } }),
    },
  ];
  for (const c of table)
    it(c.name, () => {
      const before = structuredClone(c.desired);
      assert.deepEqual(retainForApply(c.desired, c.observed, interp), c.want);
      assert.deepEqual(c.desired, before, 'desired untouched');
    });

  it('a Service keeps the clusterIP and node ports the member allocated', () => {
    const svc = interpreterFor('v1', 'Service');
    const out = retainForApply(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { x: 'y' } }, spec: { type: 'NodePort', clusterIP: '10.1.2.3', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] } },
      svc,
    );
    assert.equal(out.spec.clusterIP, '10.1.2.3');
    assert.equal(out.spec.ports[0].nodePort, 30080);
    assert.deepEqual(out.metadata, { name: 's' });
  });
});
