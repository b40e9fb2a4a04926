// Node failures end to end inside one cluster, on a FakeClock: a failed node goes Unknown,
// gets the unreachable taints, its pods go NotReady and are evicted when their toleration
// runs out; healed, it comes back and finishes the deletions.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { R } from '../client/resources.js';
import { FakeClock } from '../util/clock.js';
import { startKubelet } from './kubelet.js';
import { evictionDelay, reconcileConditionTaints, startNodeLifecycle, withDefaultTolerations } from './node-lifecycle.js';
import { NodeAgent } from './nodes.js';
import { PodIndex } from './pod-index.js';
import { pod, testCluster, type TestCluster } from './testing/cluster.js';

const unreachable: Taint[] = [
  { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
];
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('node lifecycle: pure parts', () => {
  it('taints by the Ready condition and untaints when Ready again', () => {
    const n = (status?: string, taints?: Taint[]): Node => ({ spec: { taints }, status: status ? { conditions: [{ type: 'Ready', status }] } : {} });
    assert.deepEqual(reconcileConditionTaints(n('Unknown'), 'T'), [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'T' },
    ]);
    assert.deepEqual(reconcileConditionTaints(n('False', [{ key: 'x', effect: 'NoSchedule' }]), 'T')!.map((t) => t.key), ['x', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/not-ready']);
    assert.equal(reconcileConditionTaints(n('Unknown', unreachable), 'T'), undefined);
    assert.deepEqual(reconcileConditionTaints(n('True', [...unreachable, { key: 'x', effect: 'NoSchedule' }]), 'T'), [{ key: 'x', effect: 'NoSchedule' }]);
    assert.equal(reconcileConditionTaints(n('True'), 'T'), undefined);
  });

  it('adds the 300 s default tolerations only where the pod has none for the taint', () => {
    const own = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
    assert.deepEqual(withDefaultTolerations(own, 300), [...own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
    assert.equal(withDefaultTolerations([{ operator: 'Exists' }], 300).length, 1, 'tolerates everything already');
  });

  it('computes when a pod must go', () => {
    const p = (tolerations?: any[]): Pod => ({ spec: { containers: [], tolerations } });
    assert.equal(evictionDelay(p(), unreachable, T0 + 10_000, 300), 290_000);
    assert.equal(evictionDelay(p([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]), unreachable, T0 + 10_000, 300), 0);
    assert.equal(evictionDelay(p([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]), unreachable, T0, 300), undefined, 'tolerates forever');
    assert.equal(evictionDelay(p(), [{ key: 'dedicated', effect: 'NoExecute' }], T0, 300), 0, 'untolerated');
    assert.equal(evictionDelay(p(), [{ key: 'dedicated', effect: 'NoSchedule' }], T0, 300), undefined);
  });
});

describe('node failure and recovery', () => {
  let t: TestCluster;
  let agent: NodeAgent;
  const clock = new FakeClock(Date.now());
  before(async () => {
    t = await testCluster({ clock, nodes: 2, timing: { leaseRenewMs: 10_000 } });
    const pods = new PodIndex(t.ctx.factory.for(R.pods));
    agent = new NodeAgent(t.ctx);
    startNodeLifecycle(t.ctx, pods);
    t.ctx.factory.start(t.ctx.signal);
    await agent.register();
    await startKubelet(t.ctx, pods);
  });
  after(() => t.stop());

  /** Steps the fake clock by ms, then keeps letting async work and zero-delay timers run until cond holds. */
  const until = async <T>(what: string, cond: () => Promise<T | undefined | false>, stepMs = 0): Promise<T> => {
    await clock.stepAsync(stepMs);
    const deadline = Date.now() + 5000;
    for (;;) {
      const v = await cond();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await clock.stepAsync(0);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const node = (n: string): Promise<Node> => t.client.get(R.nodes, n);
  const getPod = (n: string): Promise<Pod | undefined> => t.client.get(R.pods, n, 'default').catch(() => undefined);
  const ready = (o: { status?: { conditions?: { type: string; status: string }[] } } | undefined) => o?.status?.conditions?.find((c) => c.type === 'Ready')?.status;

  it('registers nodes that report Ready, with leases', async () => {
    await until('nodes ready', async () => ready(await node('member1-node-0')) === 'True' && ready(await node('member1-node-1')) === 'True');
    const leases = await t.client.list(R.leases, { namespace: 'kube-node-lease' });
    assert.deepEqual(leases.items.map((l: any) => l.metadata.name).sort(), ['member1-node-0', 'member1-node-1']);
  });

  it('starts pods bound to a node on the clock', async () => {
    const tol = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }];
    await t.client.create(R.pods, pod('quick', undefined, { spec: { nodeName: 'member1-node-0', tolerations: tol } }));
    await t.client.create(R.pods, pod('patient', undefined, { spec: { nodeName: 'member1-node-0' } }));
    await until('informer sees pods', async () => (await getPod('patient'))?.metadata?.uid);
    assert.equal((await getPod('quick'))!.status!.phase, 'Pending', 'nothing before the stage delay');
    const p = await until('running', async () => ready(await getPod('quick')) === 'True' && ready(await getPod('patient')) === 'True' && getPod('quick'), 2000);
    assert.equal(p!.status!.phase, 'Running');
    assert.match(p!.status!.podIP!, /^10\.244\.0\.\d+$/);
    assert.equal(p!.status!.hostIP, '10.0.0.10');
  });

  it('a failed node goes Unknown and tainted, its pods NotReady, then evicted after their tolerations', async () => {
    await agent.failNodes({ names: ['member1-node-0'] });
    const n = await until('tainted', async () => {
      const n = await node('member1-node-0');
      return ready(n) === 'Unknown' && n.spec?.taints?.length === 2 && n;
    });
    assert.deepEqual(n.spec!.taints!.map((x) => `${x.key}:${x.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    await until('pods not ready', async () => ready(await getPod('quick')) === 'False' && ready(await getPod('patient')) === 'False');
    await until('quick evicted', async () => (await getPod('quick'))?.metadata?.deletionTimestamp, 31_000);
    assert.equal((await getPod('patient'))!.metadata!.deletionTimestamp, undefined, 'default toleration is 300 s');
    await until('patient evicted', async () => (await getPod('patient'))?.metadata?.deletionTimestamp, 270_000);
    assert.ok(await getPod('quick'), 'a dead kubelet cannot finish the deletion');
  });

  it('a healed node is Ready again, untainted, and its kubelet finishes the deletions', async () => {
    await agent.healNodes();
    await until('ready', async () => {
      const n = await node('member1-node-0');
      return ready(n) === 'True' && !n.spec?.taints?.length;
    });
    await until('pods gone', async () => !(await getPod('quick')) && !(await getPod('patient')), 2000);
  });
});
