// `flotilla sim --clusters 2 --nodes 3` with the real kubectl: nodes, version, scheduling,
// pod lifecycle, Services and EndpointSlices, node failure injection.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, readyOf, startSim, type Sim } from './sim-harness.js';

describe('flotilla sim: a simulated cluster through kubectl', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ clusters: 2, nodes: 3 });
  });
  after(async () => {
    assert.equal(await sim.stop(), 0, 'stops cleanly on SIGTERM');
  });

  it('writes one context per cluster and sim.json', async () => {
    const contexts = (await sim.k('member1', ['config', 'get-contexts', '-o', 'name'])).trim().split('\n').sort();
    assert.deepEqual(contexts, ['member1', 'member2']);
    assert.deepEqual(Object.keys(sim.info.clusters).sort(), ['member1', 'member2']);
    assert.notEqual(sim.info.clusters.member1!.url, sim.info.clusters.member2!.url);
    assert.ok(sim.info.admin.port > 0);
  });

  it('get nodes shows 3 Ready nodes with capacity and topology labels, in distinct regions per cluster', async () => {
    const regions = new Set<string>();
    for (const ctx of ['member1', 'member2']) {
      const nodes = await eventually('nodes Ready', async () => {
        const list = await sim.json(ctx, ['get', 'nodes']);
        return list.items.length === 3 && list.items.every((n: any) => readyOf(n) === 'True') && list.items;
      });
      for (const n of nodes) {
        assert.equal(n.status.capacity.cpu, '8');
        assert.equal(n.status.capacity.memory, '32Gi');
        assert.equal(n.status.capacity.pods, '110');
        assert.equal(n.status.allocatable.cpu, '8');
        assert.equal(n.status.nodeInfo.kubeletVersion, 'v1.32.0');
        assert.ok(n.metadata.labels['topology.kubernetes.io/zone']);
        regions.add(n.metadata.labels['topology.kubernetes.io/region']);
      }
      const table = await sim.k(ctx, ['get', 'nodes']);
      assert.equal(table.match(/ Ready /g)?.length, 3, table);
    }
    assert.equal(regions.size, 2);
    const leases = await sim.json('member1', ['get', 'leases', '-n', 'kube-node-lease']);
    assert.equal(leases.items.length, 3);
  });

  it('reports the cluster version on /version', async () => {
    const v = JSON.parse(await sim.k('member2', ['version', '-o', 'json']));
    assert.equal(v.serverVersion.gitVersion, 'v1.32.0');
  });

  it('schedules a pod, runs it and makes it Ready with an IP from the pod CIDR', async () => {
    await sim.k('member1', ['run', 'web', '--image=nginx:1.27', '--labels=app=web', '--port=80']);
    const pod = await eventually('pod Ready', async () => {
      const p = await sim.json('member1', ['get', 'pod', 'web']);
      return readyOf(p) === 'True' && p;
    });
    assert.equal(pod.status.phase, 'Running');
    assert.match(pod.status.podIP, /^10\.244\.\d+\.\d+$/);
    assert.match(pod.status.hostIP, /^10\.0\.0\.\d+$/);
    assert.equal(pod.status.containerStatuses[0].state.running !== undefined, true);
    assert.match(pod.spec.nodeName, /^member1-node-\d$/);
  });

  it('a pod asking for more than any node has stays Pending with PodScheduled=False/Unschedulable', async () => {
    await sim.k('member1', ['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '64' } } }] } }),
    });
    const cond = await eventually('Unschedulable', async () => {
      const p = await sim.json('member1', ['get', 'pod', 'huge']);
      return p.status.conditions?.find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
    });
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message, /^0\/3 nodes are available: 3 Insufficient cpu\./);
    const p = await sim.json('member1', ['get', 'pod', 'huge']);
    assert.equal(p.status.phase, 'Pending');
    assert.equal(p.spec.nodeName, undefined);
  });

  it('a Service gets a ClusterIP from the service CIDR and an EndpointSlice with the ready pods\' IPs', async () => {
    await sim.k('member1', ['run', 'web2', '--image=nginx:1.27', '--labels=app=web', '--port=80']);
    await sim.k('member1', ['expose', 'pod', 'web', '--name=web', '--port=80', '--selector=app=web']);
    const svc = await eventually('ClusterIP', async () => {
      const s = await sim.json('member1', ['get', 'svc', 'web']);
      return s.spec.clusterIP && s;
    });
    assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const ips = await eventually('both pods in the slice', async () => {
      const pods = await sim.json('member1', ['get', 'pods', '-l', 'app=web']);
      if (pods.items.length !== 2 || !pods.items.every((p: any) => readyOf(p) === 'True')) return undefined;
      const slices = await sim.json('member1', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
      const eps = slices.items.flatMap((s: any) => s.endpoints ?? []);
      const want = pods.items.map((p: any) => p.status.podIP).sort();
      const got = eps.filter((e: any) => e.conditions.ready).flatMap((e: any) => e.addresses).sort();
      return JSON.stringify(got) === JSON.stringify(want) && { got, slices };
    });
    const slice = ips.slices.items[0];
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    assert.ok(slice.endpoints.every((e: any) => e.targetRef.kind === 'Pod' && e.nodeName));
    const ep = await sim.json('member1', ['get', 'endpoints', 'web']);
    assert.deepEqual(ep.subsets[0].addresses.map((a: any) => a.ip).sort(), ips.got);
    const headless = await sim.k('member1', ['create', 'service', 'clusterip', 'hl', '--clusterip=None', '--tcp=80:80']);
    assert.match(headless, /created/);
    assert.equal((await sim.json('member1', ['get', 'svc', 'hl'])).spec.clusterIP, 'None');
    await sim.k('member1', ['create', 'service', 'nodeport', 'np', '--tcp=80:80']);
    const np = await eventually('nodePort', async () => (await sim.json('member1', ['get', 'svc', 'np'])).spec.ports[0].nodePort);
    assert.ok(np >= 30000 && np <= 32767);
  });

  it('deleting a pod removes it shortly and its endpoint goes', async () => {
    await sim.k('member1', ['delete', 'pod', 'web2', '--wait=true', '--timeout=20s']);
    await eventually('endpoint gone', async () => {
      const slices = await sim.json('member1', ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
      return slices.items.flatMap((s: any) => s.endpoints ?? []).length === 1;
    });
  });

  it('node-failure makes a fraction of nodes NotReady and tainted; heal brings them back', async () => {
    const r = await sim.fault('member2', 'node-failure', ['--rate', '0.34']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^member2: failed nodes: member2-node-\d\n$/);
    const failed = /failed nodes: (\S+)/.exec(r.stdout)![1]!;
    const node = await eventually('NotReady', async () => {
      const n = await sim.json('member2', ['get', 'node', failed]);
      return readyOf(n) === 'Unknown' && n.spec.taints?.some((t: any) => t.effect === 'NoExecute') && n;
    });
    assert.deepEqual(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.match(await sim.k('member2', ['get', 'nodes']), new RegExp(`${failed}\\s+NotReady`));
    assert.equal((await sim.fault('member2', 'heal')).stdout, 'member2: healthy\n');
    await eventually('Ready again', async () => {
      const n = await sim.json('member2', ['get', 'node', failed]);
      return readyOf(n) === 'True' && !n.spec.taints?.length;
    });
  });
});
