import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.js';
import { targetNodeName } from './daemonset-util.js';
import { startEnv, type TestEnv } from './test-env.js';
import { isPodReady } from './util.js';

function node(name: string, labels: Record<string, string>, taints: Taint[] = []): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

const ds: DaemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'agent:1' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
  },
};

const live = async (env: TestEnv) => (await env.pods('default', 'app=agent')).filter((p) => !p.metadata?.deletionTimestamp);
const byNode = (pods: Pod[]) => pods.map((p) => targetNodeName(p)).sort();
const getDs = (env: TestEnv) => env.client.get<DaemonSet>(R.daemonsets, 'agent', 'default');

describe('DaemonSet controller (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv('daemonset');
    await env.client.create(R.nodes, node('n1', { role: 'worker' }));
    await env.client.create(R.nodes, node('n2', { role: 'worker' }, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]));
    await env.client.create(R.nodes, node('n3', { role: 'infra' }));
    await env.client.create(R.nodes, node('n4', { role: 'worker' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]));
  });
  after(async () => {
    await env.stop();
  });

  it('runs one pod per eligible node, pinned by node affinity, with the daemon tolerations', async () => {
    await env.client.create(R.daemonsets, ds);
    await env.settle();
    const pods = await live(env);
    // n2's taint is not tolerated, n3 does not match the selector; n4's unschedulable taint is tolerated.
    assert.deepEqual(byNode(pods), ['n1', 'n4']);
    const p = pods[0]!;
    assert.equal(p.spec!.nodeName, undefined, 'the scheduler binds daemon pods');
    assert.equal(p.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchFields![0]!.key, 'metadata.name');
    const keys = p.spec!.tolerations!.map((t) => `${t.key}:${t.effect}`);
    assert.ok(keys.includes('node.kubernetes.io/not-ready:NoExecute'));
    assert.ok(keys.includes('node.kubernetes.io/unschedulable:NoSchedule'));
    assert.ok(p.metadata!.labels!['controller-revision-hash']);

    await env.readyPods();
    await env.settle();
    const d = await getDs(env);
    assert.deepEqual(
      [d.status!.desiredNumberScheduled, d.status!.currentNumberScheduled, d.status!.numberReady, d.status!.numberAvailable, d.status!.updatedNumberScheduled, d.status!.numberMisscheduled, d.status!.observedGeneration],
      [2, 2, 2, 2, 2, 0, 1],
    );
    assert.equal(d.status!.numberUnavailable, undefined);
  });

  it('follows node changes: tolerated taints add nodes, lost labels remove pods', async () => {
    const d = await getDs(env);
    d.spec!.template!.spec!.tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }];
    await env.client.update(R.daemonsets, d);
    await env.settle();
    // The template changed: the rollout replaces n1 and n4 one at a time, and n2 gets a pod.
    for (let i = 0; i < 10; i++) {
      await env.readyPods();
      await env.settle();
      const cur = await getDs(env);
      if (cur.status!.updatedNumberScheduled === 3 && cur.status!.numberAvailable === 3) break;
    }
    assert.deepEqual(byNode(await live(env)), ['n1', 'n2', 'n4']);

    const n1 = await env.client.get<Node>(R.nodes, 'n1');
    n1.metadata!.labels!.role = 'infra';
    await env.client.update(R.nodes, n1);
    await env.settle();
    assert.deepEqual(byNode(await live(env)), ['n2', 'n4']);
    assert.equal((await getDs(env)).status!.desiredNumberScheduled, 2);
  });

  it('replaces pods one node at a time within maxUnavailable', async () => {
    const d = await getDs(env);
    d.spec!.template!.spec!.containers[0]!.image = 'agent:2';
    await env.client.update(R.daemonsets, d);
    for (let i = 0; i < 10; i++) {
      await env.settle();
      const pods = await live(env);
      const notReady = pods.filter((p) => !isPodReady(p)).length;
      const missing = 2 - pods.length;
      assert.ok(notReady + missing <= 1, `step ${i}: ${notReady} not ready, ${missing} missing`);
      const cur = await getDs(env);
      if (cur.status!.updatedNumberScheduled === 2 && cur.status!.numberAvailable === 2) break;
      await env.readyPods();
    }
    const pods = await live(env);
    assert.ok(pods.every((p) => p.spec!.containers[0]!.image === 'agent:2'));
  });
});
