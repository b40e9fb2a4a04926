import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { desiredEndpoints } from './endpoints.js';
import { describeState, healthy, nextState, validateFault } from './faults.js';

const svc: Service = {
  metadata: { name: 'web', namespace: 'shop', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9090 }] },
};
const mk = (name: string, o: { ip?: string; ready?: boolean; port?: number; labels?: Record<string, string>; deleting?: boolean; phase?: string; ns?: string } = {}): Pod => ({
  metadata: { name, namespace: o.ns ?? 'shop', uid: `${name}-uid`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }] },
  status: { phase: o.phase ?? 'Running', ...(o.ip ? { podIP: o.ip } : {}), conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

describe('EndpointSlices and Endpoints for a Service', () => {
  const zone = () => 'zone-a';

  it('lists selected pods with IPs, their readiness, node, zone and target', () => {
    const pods = [mk('b', { ip: '10.244.0.3', ready: false }), mk('a', { ip: '10.244.0.2' }), mk('nolabel', { ip: '10.244.0.9', labels: {} }), mk('noip'), mk('done', { ip: '10.244.0.7', phase: 'Succeeded' })];
    const { slices, endpoints } = desiredEndpoints(svc, pods, zone);
    assert.equal(slices.length, 1);
    const s = slices[0]!;
    assert.match(s.metadata!.name!, /^web-[0-9a-f]{5}$/);
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.metadata!.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(s.metadata!.ownerReferences![0]!.uid, 'svc-uid');
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }]);
    assert.deepEqual(s.endpoints, [
      { addresses: ['10.244.0.2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'n1', zone: 'zone-a', targetRef: { kind: 'Pod', namespace: 'shop', name: 'a', uid: 'a-uid' } },
      { addresses: ['10.244.0.3'], conditions: { ready: false, serving: false, terminating: false }, nodeName: 'n1', zone: 'zone-a', targetRef: { kind: 'Pod', namespace: 'shop', name: 'b', uid: 'b-uid' } },
    ]);
    assert.deepEqual(endpoints.subsets, [
      {
        addresses: [{ ip: '10.244.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'shop', name: 'a', uid: 'a-uid' } }],
        notReadyAddresses: [{ ip: '10.244.0.3', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'shop', name: 'b', uid: 'b-uid' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('marks terminating pods and leaves them out of legacy Endpoints', () => {
    const { slices, endpoints } = desiredEndpoints(svc, [mk('a', { ip: '10.244.0.2', deleting: true })], zone);
    assert.deepEqual(slices[0]!.endpoints![0]!.conditions, { ready: false, serving: true, terminating: true });
    assert.equal(endpoints.subsets, undefined);
  });

  it('splits pods whose named ports resolve differently into separate slices', () => {
    const { slices } = desiredEndpoints(svc, [mk('a', { ip: '10.244.0.2', port: 8080 }), mk('b', { ip: '10.244.0.3', port: 8081 })], zone);
    assert.equal(slices.length, 2);
    assert.notEqual(slices[0]!.metadata!.name, slices[1]!.metadata!.name);
  });

  it('keeps an empty slice with the service ports when nothing is selected', () => {
    const { slices, endpoints } = desiredEndpoints(svc, [], zone);
    assert.equal(slices.length, 1);
    assert.deepEqual(slices[0]!.endpoints, []);
    assert.equal(endpoints.subsets, undefined);
  });

  it('caps slices at 100 endpoints', () => {
    const pods = Array.from({ length: 250 }, (_, i) => mk(`p${String(i).padStart(3, '0')}`, { ip: `10.244.${i >> 8}.${i & 255}` }));
    assert.deepEqual(desiredEndpoints(svc, pods, zone).slices.map((s) => s.endpoints!.length), [100, 100, 50]);
  });
});

describe('fault requests', () => {
  it('validates, naming the bad field', () => {
    assert.deepEqual(validateFault({ mode: 'slow', latencyMs: 200 }), { mode: 'slow', latencyMs: 200 });
    assert.throws(() => validateFault({ mode: 'sideways' }), /mode must be one of down, up, partition, heal, slow, errors, node-failure/);
    assert.throws(() => validateFault({ mode: 'errors', rate: 2 }), /rate must be a number from 0 to 1/);
    assert.throws(() => validateFault({ mode: 'slow', latencyMs: -1 }), /latencyMs must be/);
    assert.throws(() => validateFault(null), /body must be a JSON object/);
  });

  it('moves between states; up and heal restore everything', () => {
    let s = nextState(healthy(), { mode: 'slow', latencyMs: 300 });
    s = nextState(s, { mode: 'errors', rate: 0.25 });
    s = nextState(s, { mode: 'partition' });
    assert.deepEqual(s, { down: false, partitioned: true, latencyMs: 300, errorRate: 0.25, failedNodes: [] });
    assert.equal(describeState('m1', s), 'm1: partitioned (API unreachable from outside, workloads running); slow (+300ms per API call); errors (25% of API calls fail with 500/429)');
    assert.deepEqual(nextState(s, { mode: 'heal' }), healthy());
    assert.deepEqual(nextState(nextState(s, { mode: 'down' }), { mode: 'up' }), healthy());
    assert.equal(describeState('m1', healthy()), 'm1: healthy');
  });
});
