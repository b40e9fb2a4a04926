import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  addMilli,
  milliToUnits,
  podNonZeroRequests,
  podRequests,
  resourceListMilli,
  subtractMilli,
  type ResourceMilli,
} from './requests.js';

type Req = Record<string, string>;
const c = (name: string, requests?: Req, extra: Partial<Container> = {}): Container => ({
  name,
  ...(requests ? { resources: { requests } } : {}),
  ...extra,
});
const sidecar = (name: string, requests?: Req): Container => c(name, requests, { restartPolicy: 'Always' });
const pod = (containers: Container[], initContainers: Container[] = [], spec: Record<string, unknown> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers, initContainers, ...spec },
});

const GI = 1024n * 1024n * 1024n * 1000n; // 1Gi in milli
const G = 1_000_000_000n * 1000n; // 1G in milli

describe('podRequests', () => {
  const table: { name: string; pod: Pod; want: ResourceMilli }[] = [
    { name: 'no requests: only the pod count', pod: pod([c('a')]), want: { pods: 1000n } },
    {
      name: 'single container',
      pod: pod([c('a', { cpu: '250m', memory: '64Mi' })]),
      want: { cpu: 250n, memory: 64n * 1024n * 1024n * 1000n, pods: 1000n },
    },
    {
      name: 'containers are summed',
      pod: pod([c('a', { cpu: '1', memory: '1Gi' }), c('b', { cpu: '500m', memory: '512Mi', 'nvidia.com/gpu': '1' })]),
      want: { cpu: 1500n, memory: GI + GI / 2n, 'nvidia.com/gpu': 1000n, pods: 1000n },
    },
    {
      // the example from kube-scheduler's computePodResourceRequest documentation
      name: 'init containers: max(sum of containers, each init container)',
      pod: pod(
        [c('c1', { cpu: '2', memory: '1G' }), c('c2', { cpu: '1', memory: '1G' })],
        [c('ic1', { cpu: '2', memory: '1G' }), c('ic2', { cpu: '2', memory: '3G' })],
      ),
      want: { cpu: 3000n, memory: 3n * G, pods: 1000n },
    },
    {
      name: 'init container bigger than all containers',
      pod: pod([c('c', { cpu: '100m' })], [c('init', { cpu: '2', 'ephemeral-storage': '1Gi' })]),
      want: { cpu: 2000n, 'ephemeral-storage': GI, pods: 1000n },
    },
    {
      name: 'sidecar adds to the containers',
      pod: pod([c('c', { cpu: '2' })], [sidecar('log', { cpu: '500m', memory: '100Mi' })]),
      want: { cpu: 2500n, memory: 100n * 1024n * 1024n * 1000n, pods: 1000n },
    },
    {
      name: 'init container after a sidecar runs next to it',
      pod: pod([c('c', { cpu: '1' })], [sidecar('s', { cpu: '1' }), c('migrate', { cpu: '3' })]),
      want: { cpu: 4000n, pods: 1000n },
    },
    {
      name: 'init container before a sidecar does not',
      pod: pod([c('c', { cpu: '1' })], [c('migrate', { cpu: '3' }), sidecar('s', { cpu: '1' })]),
      want: { cpu: 3000n, pods: 1000n },
    },
    {
      // init1 5 | sidecar1 1 | init2 3+1 | sidecar2 1+2 → init peak 5; containers 1+1+2 = 4
      name: 'KEP-753 mixed ordering',
      pod: pod([c('c', { cpu: '1' })], [c('i1', { cpu: '5' }), sidecar('s1', { cpu: '1' }), c('i2', { cpu: '3' }), sidecar('s2', { cpu: '2' })]),
      want: { cpu: 5000n, pods: 1000n },
    },
    {
      name: 'sidecars accumulate for later init containers',
      pod: pod([c('c', { cpu: '100m' })], [sidecar('s1', { cpu: '1' }), sidecar('s2', { cpu: '2' }), c('i', { cpu: '1' })]),
      want: { cpu: 4000n, pods: 1000n },
    },
    {
      name: 'overhead is added after the init max',
      pod: pod([c('c', { cpu: '1', memory: '1Gi' })], [c('i', { cpu: '2' })], { overhead: { cpu: '250m', memory: '120Mi' } }),
      want: { cpu: 2250n, memory: GI + 120n * 1024n * 1024n * 1000n, pods: 1000n },
    },
    {
      name: 'pod-level requests override cpu and memory only',
      pod: pod([c('c', { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' })], [], {
        resources: { requests: { cpu: '3', memory: '2Gi', 'ephemeral-storage': '5Gi' } },
      }),
      want: { cpu: 3000n, memory: 2n * GI, 'ephemeral-storage': GI, pods: 1000n },
    },
    {
      name: 'sub-milli amounts are summed exactly before rounding',
      pod: pod([c('a', { cpu: '500u' }), c('b', { cpu: '500u' })]),
      want: { cpu: 1n, pods: 1000n },
    },
    {
      name: 'explicit zero stays zero',
      pod: pod([c('a', { cpu: '0' })]),
      want: { cpu: 0n, pods: 1000n },
    },
    {
      name: 'unparsable values are ignored',
      pod: pod([c('a', { cpu: 'lots', memory: '1Ki' })]),
      want: { memory: 1024000n, pods: 1000n },
    },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(podRequests(t.pod), t.want));

  it('can leave out the pod count and the overhead', () => {
    const p = pod([c('c', { cpu: '1' })], [], { overhead: { cpu: '100m' } });
    assert.deepEqual(podRequests(p, { includePodCount: false }), { cpu: 1100n });
    assert.deepEqual(podRequests(p, { excludeOverhead: true }), { cpu: 1000n, pods: 1000n });
  });

  it('can skip pod-level resources', () => {
    const p = pod([c('c', { cpu: '1' })], [], { resources: { requests: { cpu: '3' } } });
    assert.deepEqual(podRequests(p, { skipPodLevelResources: true }), { cpu: 1000n, pods: 1000n });
  });
});

describe('podNonZeroRequests', () => {
  const MEM = DEFAULT_MEMORY_REQUEST * 1000n;
  const table: { name: string; pod: Pod; want: ResourceMilli }[] = [
    { name: 'defaults for a container without requests', pod: pod([c('a')]), want: { cpu: 100n, memory: MEM, pods: 1000n } },
    { name: 'defaults per container', pod: pod([c('a'), c('b')]), want: { cpu: 200n, memory: 2n * MEM, pods: 1000n } },
    {
      name: 'only the missing resource is defaulted',
      pod: pod([c('a', { cpu: '1' })]),
      want: { cpu: 1000n, memory: MEM, pods: 1000n },
    },
    { name: 'explicit zero is kept', pod: pod([c('a', { cpu: '0', memory: '0' })]), want: { cpu: 0n, memory: 0n, pods: 1000n } },
    {
      name: 'init containers are defaulted too',
      pod: pod([c('a', { cpu: '50m', memory: '10Mi' })], [c('i')]),
      want: { cpu: 100n, memory: MEM, pods: 1000n },
    },
    {
      name: 'pod-level requests suppress the defaults they cover',
      pod: pod([c('a')], [], { resources: { requests: { cpu: '2' } } }),
      want: { cpu: 2000n, memory: MEM, pods: 1000n },
    },
  ];
  for (const t of table) it(t.name, () => assert.deepEqual(podNonZeroRequests(t.pod), t.want));

  it('uses kube-scheduler defaults', () => {
    assert.equal(DEFAULT_MILLI_CPU_REQUEST, 100n);
    assert.equal(DEFAULT_MEMORY_REQUEST, 209715200n);
  });
});

describe('milli helpers', () => {
  it('adds and subtracts maps', () => {
    assert.deepEqual(addMilli({ cpu: 1n }, undefined, { cpu: 2n, memory: 3n }), { cpu: 3n, memory: 3n });
    assert.deepEqual(subtractMilli({ cpu: 5n }, { cpu: 2n, pods: 1000n }), { cpu: 3n, pods: -1000n });
  });
  it('rounds milli to units like Value()', () => {
    assert.equal(milliToUnits(1000n), 1n);
    assert.equal(milliToUnits(1001n), 2n);
    assert.equal(milliToUnits(1n), 1n);
    assert.equal(milliToUnits(-1001n), -2n);
    assert.equal(milliToUnits(0n), 0n);
  });
  it('parses allocatable lists', () => {
    assert.deepEqual(resourceListMilli({ cpu: '4', memory: '8Gi', pods: '110', bad: 'x' }), {
      cpu: 4000n,
      memory: 8n * GI,
      pods: 110000n,
    });
  });
});
