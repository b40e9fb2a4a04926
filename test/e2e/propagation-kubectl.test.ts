// Propagation end to end with the real kubectl against `flotilla up --sim 3`: the Karmada flow
// (template + policy → binding → schedule → Works → member objects → status back on the
// template).
//
// NOTE: this checks what lands in the member clusters, so it depends on the execution, status and
// cluster(-status) controllers (src/controllers/{execution,status,cluster}) as well as the
// detector, scheduler and binding controllers. The control-plane side of the same flow is covered
// without them by src/controllers/{detector,scheduler,binding}/*.integration.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startUp, type Up } from './up-harness.js';

const MEMBERS = ['member1', 'member2', 'member3'];

const deploymentYaml = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        resources: {requests: {cpu: 10m, memory: 16Mi}}
${extra}`;

describe('propagation through kubectl (flotilla up --sim 3)', () => {
  let up: Up;
  before(async () => {
    up = await startUp({ sim: 3 });
  });
  after(() => up?.stop());

  it('a Deployment and a policy naming member1 and member2 run there with the template\'s replicas; rollout status completes', async () => {
    await up.k('flotilla', ['apply', '-f', '-'], deploymentYaml('web', 2));
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  placement: {clusterAffinity: {clusterNames: [member1, member2]}}
`,
    );
    for (const m of ['member1', 'member2']) {
      const d = await eventually(`web in ${m}`, () => up.maybe(m, ['get', 'deployment', 'web']));
      assert.equal(d.spec.replicas, 2);
    }
    assert.equal(await up.maybe('member3', ['get', 'deployment', 'web']), undefined);
    await up.k('flotilla', ['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const t = await up.json('flotilla', ['get', 'deployment', 'web']);
    assert.equal(t.status.readyReplicas, 4);
    const rb = await up.json('flotilla', ['get', 'rb', 'web-deployment']);
    assert.equal(rb.status.conditions.find((c: any) => c.type === 'Scheduled').status, 'True');
  });

  it('image and labels overriders for member1 show up only there', async () => {
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      `apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: web-member1}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]
  overrideRules:
  - targetCluster: {clusterNames: [member1]}
    overriders:
      imageOverrider: [{component: Registry, operator: replace, value: mirror.example.com}]
      labelsOverrider: [{operator: add, value: {site: one}}]
`,
    );
    await eventually('override in member1', async () => {
      const d = await up.maybe('member1', ['get', 'deployment', 'web']);
      return d?.spec.template.spec.containers[0].image === 'mirror.example.com/nginx:1.25' && d.metadata.labels.site === 'one';
    });
    const d2 = await up.json('member2', ['get', 'deployment', 'web']);
    assert.equal(d2.spec.template.spec.containers[0].image, 'nginx:1.25');
    assert.equal(d2.metadata.labels.site, undefined);
  });

  it('moving the policy to member2 and member3 removes it from member1', async () => {
    await up.k('flotilla', ['patch', 'pp', 'web', '--type=merge', '-p', '{"spec":{"placement":{"clusterAffinity":{"clusterNames":["member2","member3"]}}}}']);
    await eventually('web in member3', () => up.maybe('member3', ['get', 'deployment', 'web']));
    await eventually('web gone from member1', async () => (await up.maybe('member1', ['get', 'deployment', 'web'])) === undefined);
  });

  it('a ConfigMap the Deployment uses follows it with propagateDeps', async () => {
    await up.k('flotilla', ['create', 'configmap', 'app-config', '--from-literal=mode=prod']);
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('withcfg', 1, `        envFrom: [{configMapRef: {name: app-config}}]\n`) +
        `---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: withcfg}
spec:
  propagateDeps: true
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: withcfg}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
`,
    );
    const cm = await eventually('configmap in member1', () => up.maybe('member1', ['get', 'configmap', 'app-config']));
    assert.equal(cm.data.mode, 'prod');
    assert.equal(await up.maybe('member2', ['get', 'configmap', 'app-config']), undefined);
  });

  it('12 replicas divided 3:2:1 by static weight run 6/4/2', async () => {
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('weighted', 12) +
        `---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: weighted}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: weighted}]
  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 3}
        - {targetCluster: {clusterNames: [member2]}, weight: 2}
        - {targetCluster: {clusterNames: [member3]}, weight: 1}
`,
    );
    const want: Record<string, number> = { member1: 6, member2: 4, member3: 2 };
    for (const m of MEMBERS) {
      await eventually(`weighted ${want[m]} in ${m}`, async () => (await up.maybe(m, ['get', 'deployment', 'weighted']))?.spec.replicas === want[m]);
    }
  });

  it('a CRD and its custom resource propagate', async () => {
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.io}
spec:
  group: example.io
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: gadget-crd}
spec:
  resourceSelectors: [{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, name: gadgets.example.io}]
  placement: {clusterAffinity: {clusterNames: [member2]}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: gadgets}
spec:
  resourceSelectors: [{apiVersion: example.io/v1, kind: Gadget}]
  placement: {clusterAffinity: {clusterNames: [member2]}}
`,
    );
    await eventually('gadget CRD served', async () => (await up.kubectl('flotilla', ['get', 'gadgets'])).code === 0);
    await up.k('flotilla', ['apply', '-f', '-'], `apiVersion: example.io/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 3}\n`);
    // The member's API enablements must list Gadget before the scheduler places it there; the
    // cluster-status controller re-reads member discovery periodically (60 s today).
    const g = await eventually('gadget in member2', () => up.maybe('member2', ['get', 'gadgets.example.io', 'g1']), 150_000);
    assert.equal(g.spec.size, 3);
  });

  it('deleting the template removes it everywhere', async () => {
    await up.k('flotilla', ['delete', 'deployment', 'weighted']);
    for (const m of MEMBERS) await eventually(`weighted gone from ${m}`, async () => (await up.maybe(m, ['get', 'deployment', 'weighted'])) === undefined);
    assert.equal(await up.maybe('flotilla', ['get', 'rb', 'weighted-deployment']), undefined);
  });
});
