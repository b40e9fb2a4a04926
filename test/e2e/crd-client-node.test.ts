/**
 * @kubernetes/client-node against CRDs on `flotilla apiserver`: the typed apiextensions client
 * creates a CRD, and the generic KubernetesObjectApi (which discovers kinds through per-version
 * APIResourceLists only) creates, reads, merge-patches and deletes a custom resource.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startApiServer, waitFor, type TestServer } from './harness.js';

const crd: k8s.V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'pipelines.ci.example.org' },
  spec: {
    group: 'ci.example.org',
    scope: 'Namespaced',
    names: { plural: 'pipelines', singular: 'pipeline', kind: 'Pipeline', shortNames: ['pl'] },
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  // client-node's names for `x-kubernetes-list-type` and `default`.
                  stages: { type: 'array', items: { type: 'string' }, x_kubernetes_list_type: 'set' },
                  parallelism: { type: 'integer', minimum: 1, _default: 1 },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('client-node with CRDs', () => {
  let s: TestServer | undefined;
  after(async () => {
    await s?.cleanup();
  });

  it('creates, patches (merge patch) and deletes a custom resource through KubernetesObjectApi', async () => {
    s = await startApiServer();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const obj = k8s.KubernetesObjectApi.makeApiClient(kc);

    await ext.createCustomResourceDefinition({ body: crd });
    await waitFor('Established', async () => {
      const c = await ext.readCustomResourceDefinition({ name: 'pipelines.ci.example.org' });
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') || undefined;
    });

    const spec = { apiVersion: 'ci.example.org/v1alpha1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' }, spec: { stages: ['lint', 'test'] } };
    const created: any = await obj.create(spec);
    assert.equal(created.kind, 'Pipeline');
    assert.equal(created.spec.parallelism, 1, 'defaulted');
    assert.ok(created.metadata.uid);

    const patched: any = await obj.patch(
      { ...spec, spec: { stages: ['lint', 'test', 'deploy'], parallelism: 2 } },
      undefined,
      undefined,
      'e2e',
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
    assert.deepEqual(patched.spec, { stages: ['lint', 'test', 'deploy'], parallelism: 2 });
    assert.equal(patched.metadata.generation, 2);

    // client-node's default patch type is strategic merge patch, which custom resources refuse.
    await assert.rejects(obj.patch({ ...spec, spec: { parallelism: 3 } }), (e: any) => e.code === 415);
    // Validation failures come back as 422 with the field path.
    await assert.rejects(obj.patch({ ...spec, spec: { stages: ['a', 'a'] } }, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch), (e: any) => {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      return e.code === 422 && body.details.causes[0].field === 'spec.stages[1]';
    });

    const read: any = await obj.read({ apiVersion: 'ci.example.org/v1alpha1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' } });
    assert.equal(read.spec.parallelism, 2);
    await obj.delete({ apiVersion: 'ci.example.org/v1alpha1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' } });
    await assert.rejects(obj.read({ apiVersion: 'ci.example.org/v1alpha1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' } }), (e: any) => e.code === 404);
  });
});
