// Address allocation: CIDR maths, pod IPs per node, ClusterIPs and NodePorts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { IpAllocator, nodePodPrefix, parseCidr, PodIpam, PortAllocator, subnet } from './ipam.js';
import { ServiceAllocator } from './network.js';

const svc = (name: string, spec: Service['spec'] = {}): Service => ({ metadata: { name, namespace: 'default' }, spec });

describe('CIDRs', () => {
  it('parses IPv4 CIDRs and rejects the rest with a reason', () => {
    assert.deepEqual(parseCidr('10.96.0.0/12'), { base: 0x0a600000, prefix: 12, size: 2 ** 20, text: '10.96.0.0/12' });
    assert.throws(() => parseCidr('10.96.0.0'), /not an IPv4 CIDR/);
    assert.throws(() => parseCidr('10.96.0.300/24'), /not an IPv4 CIDR/);
    assert.throws(() => parseCidr('10.96.0.1/24'), /host bits set \(did you mean 10.96.0.0\/24\?\)/);
  });

  it('splits a pod range into per-node ranges', () => {
    const c = parseCidr('10.244.0.0/16');
    assert.equal(nodePodPrefix(c, 3), 24);
    assert.equal(nodePodPrefix(parseCidr('10.0.0.0/20'), 100), 27);
    assert.equal(subnet(c, 24, 5).text, '10.244.5.0/24');
    assert.throws(() => nodePodPrefix(parseCidr('10.0.0.0/28'), 8), /too small for 8 nodes/);
  });
});

describe('IpAllocator / PortAllocator', () => {
  it('hands out usable addresses next-fit, reserves and releases', () => {
    const a = IpAllocator.forCidr(parseCidr('10.0.0.0/29'), 1); // .2 - .6
    assert.equal(a.capacity, 5);
    assert.ok(a.reserve('10.0.0.3'));
    assert.ok(!a.reserve('10.0.0.3'), 'taken');
    assert.ok(!a.reserve('10.0.0.7'), 'broadcast');
    assert.deepEqual([a.allocate(), a.allocate(), a.allocate(), a.allocate(), a.allocate()], ['10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.6', undefined]);
    a.release('10.0.0.4');
    assert.equal(a.allocate(), '10.0.0.4');
  });

  it('allocates NodePorts in 30000-32767', () => {
    const p = new PortAllocator();
    assert.ok(p.reserve(30000));
    assert.equal(p.allocate(), 30001);
    assert.ok(!p.reserve(80));
    const small = new PortAllocator(1, 2);
    assert.deepEqual([small.allocate(), small.allocate(), small.allocate()], [1, 2, undefined]);
  });
});

describe('PodIpam', () => {
  it('gives each pod an IP from its node range, stable per pod, reusing a pod\'s existing IP', () => {
    const ipam = new PodIpam();
    ipam.setNodeRange('n0', '10.244.0.0/24');
    ipam.setNodeRange('n1', '10.244.1.0/24');
    assert.equal(ipam.assign('ns/a', 'n0'), '10.244.0.2');
    assert.equal(ipam.assign('ns/a', 'n0'), '10.244.0.2');
    assert.equal(ipam.assign('ns/b', 'n1', '10.244.1.77'), '10.244.1.77');
    assert.equal(ipam.assign('ns/c', 'n0', '10.244.0.2'), '10.244.0.3', 'an address held by another pod is not shared');
    assert.equal(ipam.assign('ns/d', 'unknown'), undefined);
    ipam.release('ns/a');
    assert.equal(ipam.assign('ns/e', 'n0'), '10.244.0.4');
  });
});

describe('ServiceAllocator', () => {
  it('gives ClusterIP Services an address, defaults families and policies; the first address is the API\'s', () => {
    const a = new ServiceAllocator('10.96.0.0/12');
    assert.equal(a.apiServiceIP, '10.96.0.1');
    assert.deepEqual(a.plan(svc('web', { ports: [{ port: 80 }] })), {
      clusterIP: '10.96.0.2',
      clusterIPs: ['10.96.0.2'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    assert.equal(a.plan(svc('web2'))!.clusterIP, '10.96.0.3');
  });

  it('rebuilds from existing Services before allocating', () => {
    const a = new ServiceAllocator('10.96.0.0/29');
    a.observe(svc('old', { clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'], ports: [{ port: 80, nodePort: 30000 }] }));
    const plan = a.plan(svc('new', { type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 31000 }] }))!;
    assert.equal(plan.clusterIP, '10.96.0.3');
    assert.deepEqual(plan.ports, [{ port: 80, nodePort: 30001 }, { port: 81, nodePort: 31000 }]);
    assert.equal(plan.externalTrafficPolicy, 'Cluster');
  });

  it('respects headless and ExternalName Services, and complete ones', () => {
    const a = new ServiceAllocator('10.96.0.0/16');
    assert.deepEqual(a.plan(svc('h', { clusterIP: 'None' }))?.clusterIPs, ['None']);
    assert.equal(a.plan(svc('x', { type: 'ExternalName', externalName: 'example.com' })), undefined);
    assert.equal(
      a.plan(svc('done', { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' })),
      undefined,
    );
    assert.notEqual(a.plan(svc('next'))!.clusterIP, '10.96.0.9', 'a user-chosen address is reserved');
  });

  it('gives addresses back on release and after a failed write (undo)', () => {
    const a = new ServiceAllocator('10.96.0.0/30'); // one usable address after the API's
    const p = a.plan(svc('a'))!;
    assert.equal(p.clusterIP, '10.96.0.2');
    assert.throws(() => a.plan(svc('b')), /service CIDR exhausted/);
    a.undo('default/a', p);
    assert.equal(a.plan(svc('b'))!.clusterIP, '10.96.0.2');
    a.release('default/b');
    assert.equal(a.plan(svc('c'))!.clusterIP, '10.96.0.2');
  });
});
