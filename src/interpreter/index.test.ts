import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeclarativeSource,
  InterpreterRegistry,
  interpreterFor,
  nativeSource,
  RESOURCE_TEMPLATE_GENERATION_ANNOTATION,
  type AggregatedStatusItem,
  type InterpreterOperation,
  type JsonObject,
} from './index.js';

const ALL: InterpreterOperation[] = ['getReplicas', 'reviseReplica', 'reflectStatus', 'aggregateStatus', 'interpretHealth', 'getDependencies', 'retain'];

describe('interpreterFor: built-in kinds', () => {
  const table: [string, string, Partial<Record<InterpreterOperation, string>>][] = [
    ['apps/v1', 'Deployment', { getReplicas: 'native', reviseReplica: 'native', reflectStatus: 'native', aggregateStatus: 'native', interpretHealth: 'native', getDependencies: 'native', retain: 'native' }],
    ['batch/v1', 'Job', { getReplicas: 'native', reviseReplica: 'native', aggregateStatus: 'native', interpretHealth: 'native', retain: 'native' }],
    ['batch/v1', 'CronJob', { getReplicas: 'generic', reviseReplica: 'generic', reflectStatus: 'generic', aggregateStatus: 'native', getDependencies: 'native' }],
    ['apps/v1', 'DaemonSet', { getReplicas: 'generic', aggregateStatus: 'native', interpretHealth: 'native', getDependencies: 'native' }],
    ['v1', 'Service', { getReplicas: 'generic', reflectStatus: 'native', aggregateStatus: 'native', retain: 'native' }],
    ['v1', 'ConfigMap', { getReplicas: 'generic', reflectStatus: 'generic', aggregateStatus: 'generic', interpretHealth: 'generic', retain: 'generic' }],
    ['example.io/v1', 'Widget', Object.fromEntries(ALL.map((op) => [op, 'generic']))],
  ];
  for (const [apiVersion, kind, want] of table) {
    it(`${apiVersion} ${kind}`, () => {
      const i = interpreterFor(apiVersion, kind);
      for (const [op, src] of Object.entries(want)) assert.equal(i.sources[op as InterpreterOperation], src, op);
      for (const op of ALL) assert.equal(typeof i[op], 'function', `${op} always answers`);
    });
  }
  it('native knowledge does not depend on the version', () => {
    assert.equal(interpreterFor('apps/v1beta2', 'Deployment').sources.getReplicas, 'native');
  });
  it('generic answers for unknown kinds', () => {
    const i = interpreterFor('example.io/v1', 'Widget');
    const w = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 3 }, status: { a: 1 } };
    assert.deepEqual(i.getReplicas(w), { replicas: 0 });
    assert.deepEqual(i.reviseReplica(w, 5), w);
    assert.deepEqual(i.reflectStatus(w), { a: 1 });
    assert.deepEqual(i.aggregateStatus(w, [{ clusterName: 'm1', applied: true, status: { a: 2 } }]), { a: 1 });
    assert.equal(i.interpretHealth(w), 'Healthy');
    assert.deepEqual(i.getDependencies(w), []);
    assert.equal(i.knows('getReplicas'), false);
    assert.equal(i.interpretHealth('garbage' as unknown as JsonObject), 'Unknown');
  });
  it('retain merges metadata for every kind, then the kind’s own fields', () => {
    const i = interpreterFor('v1', 'Service');
    const out = i.retain(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { a: '1' } }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { b: '2' }, finalizers: ['f'] }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } },
    );
    assert.deepEqual(out['metadata'], { name: 's', labels: { a: '1', b: '2' }, finalizers: ['f'] });
    assert.equal((out['spec'] as JsonObject)['clusterIP'], '10.0.0.1');
  });
});

describe('InterpreterRegistry with declarative rules', () => {
  const widgetRule = new DeclarativeSource([
    {
      target: { apiVersion: 'example.io/v1', kind: 'Widget' },
      replicas: { path: '.spec.size' },
      health: { conditions: [{ type: 'Ready' }] },
      retention: { paths: ['.spec.endpoint'] },
    },
    // Overrides only Deployment health; everything else stays built-in.
    { target: { apiVersion: 'apps/v1', kind: 'Deployment' }, health: { checks: [{ path: '.status.readyReplicas', op: '>=', value: 1 }] } },
  ]);
  const registry = new InterpreterRegistry();
  registry.addSource(widgetRule);

  it('rules come before built-ins, per operation', () => {
    const d = registry.interpreterFor('apps/v1', 'Deployment');
    assert.equal(d.sources.interpretHealth, 'declarative');
    assert.equal(d.sources.aggregateStatus, 'native');
    assert.equal(d.interpretHealth({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { generation: 9 }, status: { readyReplicas: 1 } }), 'Healthy');
  });
  it('a CRD gets what its rule defines and generic for the rest', () => {
    const w = registry.interpreterFor('example.io/v1', 'Widget');
    assert.equal(w.sources.getReplicas, 'declarative');
    assert.equal(w.sources.reviseReplica, 'declarative');
    assert.equal(w.sources.aggregateStatus, 'generic');
    assert.equal(w.knows('interpretHealth'), true);
    assert.deepEqual(w.getReplicas({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: {}, spec: { size: 4 } }), { replicas: 4 });
    const kept = w.retain(
      { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } },
      { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', annotations: { m: '1' } }, spec: { size: 2, endpoint: 'e' } },
    );
    assert.deepEqual(kept, { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w', annotations: { m: '1' } }, spec: { size: 1, endpoint: 'e' } });
  });
  it('the default registry is unaffected', () => {
    assert.equal(interpreterFor('apps/v1', 'Deployment').sources.interpretHealth, 'native');
  });
  it('sources can be placed last and removed', () => {
    const r = new InterpreterRegistry();
    r.addSource(widgetRule, 'last');
    assert.deepEqual(r.sourceNames(), ['native', 'declarative']);
    assert.equal(r.interpreterFor('apps/v1', 'Deployment').sources.interpretHealth, 'native');
    r.removeSource('declarative');
    assert.deepEqual(r.sourceNames(), ['native']);
    assert.equal(new InterpreterRegistry([]).interpreterFor('apps/v1', 'Deployment').sources.getReplicas, 'generic');
    assert.equal(nativeSource.name, 'native');
  });
});

describe('end to end: template → per-cluster manifests → member status → template status', () => {
  it('a Duplicated Deployment in two clusters rolls out truthfully', () => {
    const template: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', generation: 1 },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
    };
    const i = interpreterFor('apps/v1', 'Deployment');
    const { replicas, requirements } = i.getReplicas(template);
    assert.equal(replicas, 2);
    assert.deepEqual(requirements?.resourceRequest, { cpu: '100m' });

    // The binding controller stamps the template generation; the member controller runs it.
    const memberOf = (cluster: string, ready: number): AggregatedStatusItem => {
      const manifest = i.reviseReplica(template, replicas);
      const meta = manifest['metadata'] as JsonObject;
      meta['annotations'] = { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: '1' };
      meta['generation'] = 1;
      manifest['status'] = {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(ready < 2 ? { unavailableReplicas: 2 - ready } : {}),
        conditions: [
          { type: 'Progressing', status: 'True', reason: ready === 2 ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
          { type: 'Available', status: ready >= 1 ? 'True' : 'False' },
        ],
      };
      return { clusterName: cluster, applied: true, status: i.reflectStatus(manifest)!, health: i.interpretHealth(manifest) };
    };

    const starting = i.aggregateStatus(template, [memberOf('m1', 2), memberOf('m2', 0)])!;
    assert.equal(starting['readyReplicas'], 2);
    assert.equal(starting['availableReplicas'], 2);
    assert.equal(starting['updatedReplicas'], 4);
    const available = (s: JsonObject) => (s['conditions'] as { type: string; status: string }[]).find((c) => c.type === 'Available')?.status;
    assert.equal(available(starting), 'False');

    const done = i.aggregateStatus({ ...template, status: starting }, [memberOf('m1', 2), memberOf('m2', 2)])!;
    assert.equal(done['readyReplicas'], 4);
    assert.equal(done['observedGeneration'], 1);
    assert.equal(available(done), 'True');
  });
});
