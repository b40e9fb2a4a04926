// Propagation meets what is already in, or missing from, a member (issue #5), with the real
// kubectl and `flotilla sim fault` against `flotilla up --sim 2`:
//  - an object that already exists in a member, not created by Flotilla, is left alone under the
//    policy's conflictResolution Abort (the default) and the conflict is reported; switching the
//    policy to Overwrite takes the same object over (same uid);
//  - a member that is down while the template changes receives the change when it is back.
// The same behaviour without kubectl and policies (Works made by hand) is covered by
// src/controllers/execution/execution.int.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startUp, type Up } from './up-harness.js';

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: ${image}
        resources: {requests: {cpu: 10m, memory: 16Mi}}
`;
const policy = (name: string, clusters: string[], conflictResolution?: 'Abort' | 'Overwrite') => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}}
spec:
${conflictResolution ? `  conflictResolution: ${conflictResolution}\n` : ''}  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: ${name}}]
  placement: {clusterAffinity: {clusterNames: [${clusters.join(', ')}]}}
`;

describe('propagation: conflicts with member objects, and members that were down', () => {
  let up: Up;
  const k = (ctx: string, args: string[], input?: string) => up.k(ctx, args, input);
  const json = (ctx: string, args: string[]) => up.json(ctx, args);
  const maybe = (ctx: string, args: string[]) => up.maybe(ctx, args);
  /** The Work in karmada-es-<cluster> that carries Deployment `name`. */
  async function workFor(cluster: string, name: string): Promise<any> {
    const l = await json('flotilla', ['get', 'works', '-n', `karmada-es-${cluster}`]);
    return l.items.find((w: any) => w.spec.workload?.manifests?.some((m: any) => m.kind === 'Deployment' && m.metadata.name === name));
  }
  const applied = (w: any) => w?.status?.conditions?.find((c: any) => c.type === 'Applied');
  const fault = (cluster: string, mode: 'down' | 'up') => up.fault(cluster, mode);

  // Failover would move the workload off a member that stays down; here it must wait for it.
  before(async () => {
    up = await startUp({ sim: 2, extra: ['--failover-eviction-timeout', '10m'] });
  });
  after(() => up?.stop());

  it('Abort (the default) leaves a pre-existing member object alone and reports it; Overwrite then takes the same object over', async () => {
    // Made in the member by someone else, in the template's shape (same container name).
    await k('member1', ['create', '-f', '-'], deployment('legacy', 'legacy:1'));
    const original = await json('member1', ['get', 'deployment', 'legacy']);
    await k('flotilla', ['apply', '-f', '-'], deployment('legacy', 'new:2') + '---\n' + policy('legacy', ['member1']));

    const w = await eventually('the conflict reported on the Work', async () => {
      const w = await workFor('member1', 'legacy');
      return applied(w)?.status === 'False' && applied(w).reason === 'WorkloadConflict' && w;
    });
    assert.match(applied(w).message, /already exists in cluster member1 and is not managed by Flotilla/);
    const ev = await eventually('a Warning event on the template', async () => {
      const l = await json('flotilla', ['get', 'events']);
      return l.items.find((e: any) => e.involvedObject.kind === 'Deployment' && e.involvedObject.name === 'legacy' && e.reason === 'WorkloadConflict') ?? false;
    });
    assert.equal(ev.type, 'Warning');
    // Give the execution controller time to (wrongly) write, then look: untouched.
    await new Promise((r) => setTimeout(r, 2_000));
    const kept = await json('member1', ['get', 'deployment', 'legacy']);
    assert.equal(kept.metadata.uid, original.metadata.uid);
    assert.equal(kept.metadata.generation, original.metadata.generation, 'the spec was not written');
    assert.equal(kept.spec.template.spec.containers[0].image, 'legacy:1');
    assert.equal(kept.metadata.labels?.['karmada.io/managed'], undefined);

    await k('flotilla', ['apply', '-f', '-'], policy('legacy', ['member1'], 'Overwrite'));
    const taken = await eventually('taken over under Overwrite', async () => {
      const d = await maybe('member1', ['get', 'deployment', 'legacy']);
      return d?.spec.template.spec.containers[0].image === 'new:2' && d;
    });
    assert.equal(taken.metadata.uid, original.metadata.uid, 'the same object, updated in place');
    assert.equal(taken.metadata.labels['karmada.io/managed'], 'true');
    await eventually('Applied', async () => applied(await workFor('member1', 'legacy'))?.status === 'True');
    await k('flotilla', ['rollout', 'status', 'deployment/legacy', '--timeout=60s']);
  });

  it('Overwrite from the start takes a pre-existing member object over', async () => {
    await k('member2', ['create', '-f', '-'], deployment('adopted', 'legacy:1'));
    const original = await json('member2', ['get', 'deployment', 'adopted']);
    await k('flotilla', ['apply', '-f', '-'], deployment('adopted', 'new:2') + '---\n' + policy('adopted', ['member2'], 'Overwrite'));
    const d = await eventually('taken over', async () => {
      const d = await maybe('member2', ['get', 'deployment', 'adopted']);
      return d?.spec.template.spec.containers[0].image === 'new:2' && d;
    });
    assert.equal(d.metadata.uid, original.metadata.uid);
    assert.equal(d.metadata.labels['karmada.io/managed'], 'true');
  });

  it('a member that is down while the template changes receives the change when it is back', async () => {
    await k('flotilla', ['apply', '-f', '-'], deployment('resilient', 'app:1') + '---\n' + policy('resilient', ['member1', 'member2']));
    for (const m of ['member1', 'member2']) await eventually(`app:1 in ${m}`, async () => (await maybe(m, ['get', 'deployment', 'resilient']))?.spec.template.spec.containers[0].image === 'app:1');
    const uid2 = (await json('member2', ['get', 'deployment', 'resilient'])).metadata.uid;

    await fault('member2', 'down');
    try {
      const down = await up.kubectl('member2', ['get', 'deployment', 'resilient', '--request-timeout=5s']);
      assert.notEqual(down.code, 0, 'member2 refuses connections while down');
      await k('flotilla', ['set', 'image', 'deployment/resilient', 'main=app:2']);
      await eventually('app:2 in member1', async () => (await maybe('member1', ['get', 'deployment', 'resilient']))?.spec.template.spec.containers[0].image === 'app:2');
      const w = await eventually("member2's Work carries app:2", async () => {
        const w = await workFor('member2', 'resilient');
        return w?.spec.workload.manifests[0].spec.template.spec.containers[0].image === 'app:2' && w;
      });
      // While member2 is down the new generation is never reported applied there.
      await new Promise((r) => setTimeout(r, 3_000));
      const now = await workFor('member2', 'resilient');
      assert.equal(now.metadata.generation, w.metadata.generation);
      const a = applied(now);
      assert.ok(!(a?.status === 'True' && a.observedGeneration === now.metadata.generation), `not applied while down: ${JSON.stringify(a)}`);
    } finally {
      await fault('member2', 'up');
    }
    const d = await eventually('app:2 reaches member2 once it is back', async () => {
      const d = await maybe('member2', ['get', 'deployment', 'resilient']).catch(() => undefined);
      return d?.spec.template.spec.containers[0].image === 'app:2' && d;
    }, 90_000);
    assert.equal(d.metadata.uid, uid2, 'updated in place, not recreated');
    await eventually('Applied in member2', async () => {
      const w = await workFor('member2', 'resilient');
      return applied(w)?.status === 'True' && applied(w).observedGeneration === w.metadata.generation;
    });
    await k('flotilla', ['rollout', 'status', 'deployment/resilient', '--timeout=90s']);
  });
});
