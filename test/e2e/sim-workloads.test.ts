// Workloads on a simulated cluster through kubectl: a Deployment's pods Running and Ready,
// spread over nodes, `rollout status`; a rolling update kept within maxSurge/maxUnavailable
// (checked on every watch event); a Job completing; pods evicted from a failed node and
// replaced on healthy ones.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../src/client/client.js';
import { Informer } from '../../src/client/informer.js';
import { R } from '../../src/client/resources.js';
import { eventually, readyOf, startSim, type Sim } from './sim-harness.js';

const deployment = (image: string, annotations: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' }, annotations },
        spec: {
          containers: [{ name: 'web', image, ports: [{ containerPort: 80 }], resources: { requests: { cpu: '500m', memory: '256Mi' } } }],
          // Leave a failed node after 1 s instead of the default 300 s.
          tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }],
        },
      },
    },
  });

describe('flotilla sim: workloads', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ clusters: 2, nodes: 3 });
  });
  after(async () => {
    assert.equal(await sim.stop(), 0);
  });

  const livePods = async (ctx = 'member1') => (await sim.json(ctx, ['get', 'pods', '-l', 'app=web'])).items.filter((p: any) => !p.metadata.deletionTimestamp);

  it('a Deployment of 4 replicas gets 4 Running Ready pods spread over the nodes; rollout status succeeds', async () => {
    await sim.k('member1', ['apply', '-f', '-'], { input: deployment('nginx:1.26') });
    const out = await sim.k('member1', ['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 70_000 });
    assert.match(out, /successfully rolled out/);
    const pods = await livePods();
    assert.equal(pods.length, 4);
    assert.ok(pods.every((p: any) => p.status.phase === 'Running' && readyOf(p) === 'True'));
    assert.equal(new Set(pods.map((p: any) => p.spec.nodeName)).size, 3, 'least-allocated scoring spreads the pods');
    const d = await sim.json('member1', ['get', 'deployment', 'web']);
    assert.deepEqual([d.status.replicas, d.status.readyReplicas, d.status.availableReplicas, d.status.updatedReplicas], [4, 4, 4, 4]);
    await sim.k('member1', ['wait', '--for=condition=Available', 'deployment/web', '--timeout=30s']);
  });

  it('a rolling update replaces every pod within maxSurge and maxUnavailable', async () => {
    const kc = KubeClient.fromKubeconfig(sim.kubeconfig, 'member1');
    const inf = new Informer(kc, R.pods, { namespace: 'default', labelSelector: 'app=web' });
    let maxTotal = 0;
    let minAvailable = Infinity;
    let synced = false;
    const check = () => {
      if (!synced) return; // the initial list arrives as one add per pod
      const live = inf.list().filter((p: any) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase));
      maxTotal = Math.max(maxTotal, live.length);
      minAvailable = Math.min(minAvailable, live.filter((p: any) => readyOf(p) === 'True').length);
    };
    inf.on({ add: check, update: check, delete: check });
    inf.start();
    await inf.synced();
    synced = true;
    check();
    const oldUids = new Set((await livePods()).map((p: any) => p.metadata.uid));
    // Ready a little after running (4 s x 0.05), so the rollout goes in distinct steps.
    await sim.k('member1', ['apply', '-f', '-'], { input: deployment('nginx:1.27', { 'sim.flotilla.io/ready-delay': '4s' }) });
    await sim.k('member1', ['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 70_000 });
    await eventually('old pods gone', async () => (await sim.json('member1', ['get', 'pods', '-l', 'app=web'])).items.length === 4);
    inf.stop();
    await kc.close();
    const pods = await livePods();
    assert.equal(pods.length, 4);
    assert.ok(pods.every((p: any) => p.spec.containers[0].image === 'nginx:1.27' && !oldUids.has(p.metadata.uid)));
    assert.ok(maxTotal <= 4 + 1, `at most replicas + maxSurge pods at once (saw ${maxTotal})`);
    assert.ok(minAvailable >= 4 - 1, `at least replicas - maxUnavailable ready at once (saw ${minAvailable})`);
    assert.ok(maxTotal === 5 || minAvailable === 3, 'the update actually used its surge or unavailability budget');
  });

  it('a Job completes (kubectl wait --for=condition=complete)', async () => {
    await sim.k('member1', ['create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-e', 'print 3.14']);
    await sim.k('member1', ['wait', '--for=condition=complete', 'job/pi', '--timeout=30s'], { timeoutMs: 40_000 });
    const pods = await sim.json('member1', ['get', 'pods', '-l', 'job-name=pi']);
    assert.ok(pods.items.some((p: any) => p.status.phase === 'Succeeded'));
    const job = await sim.json('member1', ['get', 'job', 'pi']);
    assert.equal(job.status.succeeded, 1);
  });

  it('a Job told to fail fails', async () => {
    await sim.k('member1', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'doomed' },
        spec: { backoffLimit: 0, template: { metadata: { annotations: { 'sim.flotilla.io/fail': 'true' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      }),
    });
    await sim.k('member1', ['wait', '--for=condition=failed', 'job/doomed', '--timeout=30s'], { timeoutMs: 40_000 });
  });

  it('pods on a failed node are evicted after their toleration and replaced on healthy nodes', async () => {
    const before = await livePods();
    // Fail the node running the most of them (a random failure may pick a node running none):
    // the annotation is how the simulator marks a failed node, as `sim fault node-failure` does.
    const perNode = new Map<string, number>();
    for (const p of before) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const failed = [...perNode.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    await sim.k('member1', ['annotate', 'node', failed, 'sim.flotilla.io/node-failed=true']);
    const victims = before.filter((p: any) => p.spec.nodeName === failed).map((p: any) => p.metadata.name);
    assert.ok(victims.length > 0, 'the failed node ran some of the pods');
    const pods = await eventually('replaced on healthy nodes', async () => {
      const ps = await livePods();
      return ps.length === 4 && ps.every((p: any) => p.spec.nodeName && p.spec.nodeName !== failed && readyOf(p) === 'True') && ps;
    });
    assert.ok(pods.every((p: any) => !victims.includes(p.metadata.name)));
    await sim.k('member1', ['rollout', 'status', 'deployment/web', '--timeout=30s'], { timeoutMs: 40_000 });
    // The evicted pods stay Terminating while their kubelet is dead, and go once it is back.
    const terminating = (await sim.json('member1', ['get', 'pods', '-l', 'app=web'])).items.filter((p: any) => p.metadata.deletionTimestamp);
    assert.deepEqual(terminating.map((p: any) => p.metadata.name).sort(), [...victims].sort());
    await sim.admin('member1', { mode: 'heal' });
    await eventually('terminating pods gone', async () => (await sim.json('member1', ['get', 'pods', '-l', 'app=web'])).items.length === 4);
  });
});
