// Binding and template status from hand-made bindings and Works, checked with the real kubectl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runKubectl } from '../../../test/e2e/harness.js';
import { R } from '../../client/resources.js';
import { RESOURCE_BINDINGS, WORKS } from '../execution/index.js';
import { condition, deployment, eventually, startTestFlotilla, updateWork, work, type TestFlotilla } from '../execution/testing.js';

describe('binding and template status', () => {
  let t: TestFlotilla;
  let kubectl: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  before(async () => {
    t = await startTestFlotilla();
    kubectl = (args) => runKubectl(t.f.kubeconfigPath, join(t.dir, 'kubectl-cache'), ['--context', 'flotilla', ...args], { timeoutMs: 60_000 });
    await eventually('execution namespaces', async () => (await t.cp.get(R.namespaces, 'karmada-es-member1')) && (await t.cp.get(R.namespaces, 'karmada-es-member2')));
  });
  after(async () => t?.stop());

  /** The member copy of the template: two replicas each, stamped with the template generation. */
  const memberCopy = (generation: number, image: string) => {
    const d = deployment('web', { replicas: 2, image, annotations: { 'resourcetemplate.karmada.io/generation': String(generation) } });
    return d;
  };
  // This binding's Works are found by its permanent id (the binding controller's label); the
  // ConfigMap's below by its name (annotations), so both of Karmada's forms are covered.
  const links = { labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-web-1' } };

  it('aggregates Works into the binding and the template; kubectl rollout status and wait succeed', async () => {
    const tpl = await t.cp.create(R.deployments, deployment('web', { replicas: 4, image: 'nginx:1' }));
    await t.cp.create(RESOURCE_BINDINGS, {
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'web-deployment', namespace: 'default', labels: { 'resourcebinding.karmada.io/permanent-id': 'rb-web-1' } },
      spec: {
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid: tpl.metadata.uid },
        replicas: 4,
        clusters: [
          { name: 'member1', replicas: 2 },
          { name: 'member2', replicas: 2 },
        ],
      },
    });
    for (const c of ['member1', 'member2']) await t.cp.create(WORKS, work(c, 'web-d8f2', [memberCopy(1, 'nginx:1')], links));

    const rb = await eventually('binding aggregated', async () => {
      const rb = await t.cp.get(RESOURCE_BINDINGS, 'web-deployment', 'default');
      const items = rb.status?.aggregatedStatus ?? [];
      return items.length === 2 && items.every((i: any) => i.applied && i.health === 'Healthy') && rb;
    });
    assert.deepEqual(
      rb.status.aggregatedStatus.map((i: any) => i.clusterName),
      ['member1', 'member2'],
    );
    assert.equal(rb.status.aggregatedStatus[0].status.readyReplicas, 2);
    assert.equal(condition(rb, 'FullyApplied').status, 'True');
    assert.equal(condition(rb, 'FullyApplied').reason, 'FullyAppliedSuccess');

    const d = await eventually('template status', async () => {
      const d = await t.cp.get(R.deployments, 'web', 'default');
      return d.status?.readyReplicas === 4 && d;
    });
    assert.equal(d.status.replicas, 4);
    assert.equal(d.status.updatedReplicas, 4);
    assert.equal(d.status.availableReplicas, 4);
    assert.equal(d.status.observedGeneration, d.metadata.generation);
    assert.equal(condition(d, 'Available')?.status, 'True');

    const rollout = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'default', '--timeout=30s']);
    assert.equal(rollout.code, 0, rollout.stderr);
    assert.match(rollout.stdout, /successfully rolled out/);
    const wait = await kubectl(['wait', '--for=condition=Available', 'deployment/web', '-n', 'default', '--timeout=30s']);
    assert.equal(wait.code, 0, wait.stderr);
  });

  it('a template change is reported rolled out only when every cluster runs it', async () => {
    const tpl = await t.cp.get(R.deployments, 'web', 'default');
    tpl.spec.template.spec.containers[0].image = 'nginx:2';
    const updated = await t.cp.update(R.deployments, tpl);
    const gen = updated.metadata.generation;
    assert.ok(gen > 1);
    // Only member1 gets the new template at first: not rolled out yet.
    await updateWork(t.cp, 'member1', 'web-d8f2', (w) => (w.spec.workload.manifests = [memberCopy(gen, 'nginx:2')]));
    await new Promise((r) => setTimeout(r, 1000));
    const mid = await t.cp.get(R.deployments, 'web', 'default');
    assert.ok((mid.status.observedGeneration ?? 0) < gen, 'observedGeneration waits for member2');
    const pending = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'default', '--timeout=1s']);
    assert.notEqual(pending.code, 0, 'rollout status keeps waiting');
    await updateWork(t.cp, 'member2', 'web-d8f2', (w) => (w.spec.workload.manifests = [memberCopy(gen, 'nginx:2')]));
    const rollout = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'default', '--timeout=60s']);
    assert.equal(rollout.code, 0, rollout.stderr + rollout.stdout);
    const d = await t.cp.get(R.deployments, 'web', 'default');
    assert.equal(d.status.observedGeneration, gen);
    assert.equal(d.status.readyReplicas, 4);
  });

  it('a Work that cannot apply makes the binding not FullyApplied, with the reason', async () => {
    await t.member('member2').create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'member' } });
    const cm = await t.cp.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'cp' } });
    await t.cp.create(RESOURCE_BINDINGS, {
      apiVersion: 'work.karmada.io/v1alpha2',
      kind: 'ResourceBinding',
      metadata: { name: 'cfg-configmap', namespace: 'default' },
      spec: { resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'cfg', uid: cm.metadata.uid }, clusters: [{ name: 'member1' }, { name: 'member2' }] },
    });
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: 'cp' } };
    const cfgLinks = { annotations: { 'resourcebinding.karmada.io/namespace': 'default', 'resourcebinding.karmada.io/name': 'cfg-configmap' } };
    for (const c of ['member1', 'member2']) await t.cp.create(WORKS, work(c, 'cfg-x', [manifest], cfgLinks));
    const rb = await eventually('partially applied', async () => {
      const rb = await t.cp.get(RESOURCE_BINDINGS, 'cfg-configmap', 'default');
      const items = rb.status?.aggregatedStatus ?? [];
      // A Work not yet tried also reads applied: false (without a message); wait for the refusal itself.
      return items.length === 2 && items.some((i: any) => i.applied === false && i.appliedMessage) && items.some((i: any) => i.applied === true) && rb;
    });
    const failed = rb.status.aggregatedStatus.find((i: any) => i.clusterName === 'member2');
    assert.equal(failed.applied, false);
    assert.equal(failed.health, 'Unknown');
    assert.match(failed.appliedMessage, /already exists in cluster member2/);
    assert.equal(condition(rb, 'FullyApplied').status, 'False');
  });
});
