import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { defaultFleet, loadFleet, nodeCount, parseFleet } from './fleet.js';
import { buildNodes } from './nodes.js';

describe('fleet file', () => {
  it('fills defaults: member names, distinct regions and zones, capacity, CIDRs', () => {
    const f = defaultFleet(3, 2);
    assert.deepEqual(f.clusters.map((c) => c.name), ['member1', 'member2', 'member3']);
    assert.equal(new Set(f.clusters.map((c) => c.region)).size, 3);
    assert.deepEqual(f.clusters.map((c) => c.zones[0]), ['us-east-1a', 'eu-west-1a', 'ap-south-1a']);
    const c = f.clusters[0]!;
    assert.deepEqual(c.pools, [{ name: 'node', count: 2, instanceType: 'm5.2xlarge', capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' }, labels: {}, taints: [] }]);
    assert.equal(c.podCIDR, '10.244.0.0/16');
    assert.equal(c.serviceCIDR, '10.96.0.0/12');
    assert.equal(c.kubernetesVersion, 'v1.32.0');
    assert.equal(f.timing.timeScale, 1);
    assert.equal(f.timing.defaultTolerationSeconds, 300);
  });

  it('keeps regions distinct for larger fleets by varying the zone', () => {
    const f = defaultFleet(12, 1);
    assert.equal(new Set(f.clusters.map((c) => `${c.region}/${c.zones[0]}`)).size, 12);
  });

  it('reads a full cluster description', () => {
    const f = parseFleet(
      `
timing: { timeScale: 0.1, leaseRenewMs: 2000 }
defaults: { kubernetesVersion: v1.31.4 }
clusters:
  - name: gpu-east
    provider: gcp
    region: us-east4
    zones: [us-east4-a, us-east4-b]
    labels: { env: prod, tier: "1" }
    podCIDR: 10.100.0.0/16
    serviceCIDR: 10.200.0.0/16
    apiLatencyMs: 25
    nodes: 2
    instanceType: a2-highgpu-1g
    capacity: { cpu: 12, memory: 85Gi, nvidia.com/gpu: 1, example.com/fpga: "2" }
    nodeLabels: { accelerator: nvidia-a100 }
    nodeTaints: [{ key: nvidia.com/gpu, value: present, effect: NoSchedule }]
  - name: mixed
    nodePools:
      - { name: small, count: 1, capacity: { cpu: 2, memory: 4Gi } }
      - { name: big, count: 2, labels: { size: big } }
`,
      'fleet.yaml',
    );
    const [gpu, mixed] = f.clusters;
    assert.equal(f.timing.timeScale, 0.1);
    assert.equal(f.timing.leaseRenewMs, 2000);
    assert.equal(gpu!.kubernetesVersion, 'v1.31.4');
    assert.deepEqual(gpu!.labels, { env: 'prod', tier: '1' });
    assert.deepEqual(gpu!.pools[0]!.capacity, { cpu: '12', memory: '85Gi', pods: '110', 'ephemeral-storage': '100Gi', 'nvidia.com/gpu': '1', 'example.com/fpga': '2' });
    assert.equal(gpu!.apiLatencyMs, 25);
    assert.deepEqual(mixed!.pools.map((p) => [p.name, p.count, p.capacity.cpu, p.capacity.pods]), [['small', 1, '2', '110'], ['big', 2, '8', '110']]);
    assert.equal(nodeCount(mixed!), 3);

    const nodes = buildNodes(gpu!);
    assert.deepEqual(nodes.map((n) => n.metadata!.name), ['gpu-east-node-0', 'gpu-east-node-1']);
    const l = nodes[1]!.metadata!.labels!;
    assert.equal(l['topology.kubernetes.io/region'], 'us-east4');
    assert.equal(l['topology.kubernetes.io/zone'], 'us-east4-b');
    assert.equal(l['node.kubernetes.io/instance-type'], 'a2-highgpu-1g');
    assert.equal(l['accelerator'], 'nvidia-a100');
    assert.equal(nodes[1]!.spec!.podCIDR, '10.100.1.0/24');
    assert.deepEqual(nodes[1]!.spec!.taints, [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    assert.equal(nodes[1]!.status!.nodeInfo!.kubeletVersion, 'v1.31.4');
    assert.deepEqual(nodes[1]!.status!.addresses![0], { type: 'InternalIP', address: '10.0.0.11' });
    assert.deepEqual(buildNodes(mixed!).map((n) => n.metadata!.name), ['mixed-small-0', 'mixed-big-0', 'mixed-big-1']);
  });

  it('--nodes overrides the node count of clusters without pools', () => {
    const f = parseFleet('clusters: [{name: a, nodes: 5}]', 'f', { nodes: 1 });
    assert.equal(f.clusters[0]!.pools[0]!.count, 1);
  });

  it('reads the example fleet file; a cluster\'s nodePools replace default nodes', () => {
    const f = loadFleet(fileURLToPath(new URL('../../examples/sim-fleet.yaml', import.meta.url)));
    assert.deepEqual(f.clusters.map((c) => c.pools.map((p) => `${p.name}:${p.count}`)), [['node:3'], ['cpu:2', 'gpu:1']]);
    assert.equal(f.timing.timeScale, 0.2);
  });

  it('resolves a stages path relative to the fleet file', () => {
    assert.equal(parseFleet('stages: my-stages\nclusters: [{name: a}]', '/etc/flotilla/fleet.yaml').stages, '/etc/flotilla/my-stages');
  });

  it('allows overlapping CIDRs across clusters', () => {
    const f = parseFleet('clusters: [{name: a}, {name: b}]', 'f');
    assert.equal(f.clusters[0]!.podCIDR, f.clusters[1]!.podCIDR);
  });

  const bad: [string, string, RegExp][] = [
    ['not a mapping', '- a', /f: \(top level\): must be a mapping/],
    ['no clusters', 'clusters: []', /f: clusters: must be a non-empty list/],
    ['typo', 'clusters: [{name: a, nodez: 3}]', /clusters\[0\]\.nodez: unknown field/],
    ['bad name', 'clusters: [{name: Member_1}]', /clusters\[0\]\.name: "Member_1" must be a DNS label/],
    ['duplicate', 'clusters: [{name: a}, {name: a}]', /clusters\[1\]\.name: duplicate cluster name "a"/],
    ['bad cpu', 'clusters: [{name: a, capacity: {cpu: lots}}]', /clusters\[0\]\.capacity\.cpu: "lots" is not a valid non-negative quantity/],
    ['negative', 'clusters: [{name: a, capacity: {memory: -1Gi}}]', /clusters\[0\]\.capacity\.memory/],
    ['bad nodes', 'clusters: [{name: a, nodes: 2.5}]', /clusters\[0\]\.nodes: must be an integer/],
    ['bad cidr', 'clusters: [{name: a, podCIDR: 10.244.0.1/16}]', /clusters\[0\]\.podCIDR: "10.244.0.1\/16" has host bits set/],
    ['ipv6', 'clusters: [{name: a, serviceCIDR: "fd00::/108"}]', /clusters\[0\]\.serviceCIDR: .*not an IPv4 CIDR/],
    ['small pod cidr', 'clusters: [{name: a, nodes: 100, podCIDR: 10.0.0.0/24}]', /clusters\[0\]\.podCIDR: 10.0.0.0\/24 is too small for 100 nodes/],
    ['version', 'clusters: [{name: a, kubernetesVersion: "1.30"}]', /clusters\[0\]\.kubernetesVersion: "1.30" must look like v1.32.0/],
    ['taint effect', 'clusters: [{name: a, nodeTaints: [{key: x, effect: Never}]}]', /clusters\[0\]\.nodeTaints\[0\]\.effect: must be NoSchedule/],
    ['label', 'clusters: [{name: a, nodeLabels: {"bad key!": x}}]', /clusters\[0\]\.nodeLabels\.bad key!: invalid label key/],
    ['both', 'clusters: [{name: a, nodes: 1, nodePools: [{count: 1}]}]', /clusters\[0\]\.nodes: give either nodes or nodePools/],
    ['pool', 'clusters: [{name: a, nodePools: [{name: x, count: -1}]}]', /clusters\[0\]\.nodePools\[0\]\.count/],
    ['latency', 'clusters: [{name: a, apiLatencyMs: fast}]', /clusters\[0\]\.apiLatencyMs: must be a non-negative number/],
    ['timing', 'timing: {timeScale: -1}\nclusters: [{name: a}]', /timing\.timeScale: must be a non-negative number/],
    ['timing typo', 'timing: {timescale: 1}\nclusters: [{name: a}]', /timing\.timescale: unknown field/],
    ['yaml', 'clusters: [', /f: not valid YAML/],
  ];
  for (const [what, text, re] of bad) it(`rejects ${what}, naming the field`, () => assert.throws(() => parseFleet(text, 'f'), re));

  it('rejects bad CLI counts', () => {
    assert.throws(() => defaultFleet(0), /--clusters must be a positive integer/);
    assert.throws(() => defaultFleet(1, -1), /--nodes must be a non-negative integer/);
  });
});
