/**
 * The generated CRDs through the API server's own CRD machinery (src/apiserver/crd), the path a
 * real write takes: each CRD passes apiextensions validation, and each example is admitted (null
 * dropping, pruning, defaulting) and validated against the CRD schema, not the TypeBox one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSchema } from '../apiserver/crd/schema.js';
import { defaultCRD, validateCRD } from '../apiserver/crd/structural.js';
import type { CustomResourceDefinition as ServerCRD, JSONSchemaProps } from '../apiserver/crd/types.js';
import { flotillaCRDs } from './crds.js';
import { BAD, GOOD } from './testing/examples.js';

const crds = flotillaCRDs();
const compiled = new Map(crds.map((c) => [c.spec.names.kind, compileSchema(c.spec.versions[0]!.schema.openAPIV3Schema as JSONSchemaProps, { resourceRoot: true })]));

for (const c of crds) {
  test(`${c.metadata.name} is accepted by the API server's CRD validation`, () => {
    // As the server's CRD admission prepares a create: Kubernetes' defaults and storedVersions.
    const obj = structuredClone(c) as unknown as ServerCRD;
    defaultCRD(obj);
    obj.status = { storedVersions: [c.spec.versions[0]!.name] };
    assert.deepEqual(validateCRD(obj), []);
  });
}

for (const e of GOOD) {
  test(`CRD schema admits, unpruned: ${e.name}`, () => {
    const obj = structuredClone(e.obj);
    const s = compiled.get(obj.kind)!;
    assert.deepEqual(s.admit(obj), [], 'no field of the example is unknown to the CRD');
    assert.deepEqual(s.validate(obj), []);
  });
}

for (const e of BAD) {
  test(`CRD schema rejects: ${e.name}`, () => {
    const obj = structuredClone(e.obj);
    const s = compiled.get(obj.kind)!;
    s.admit(obj);
    const causes = s.validate(obj);
    assert.ok(causes.some((c) => c.field === e.field), `expected a cause at ${e.field}, got ${JSON.stringify(causes)}`);
  });
}

test('CRD defaulting fills what Karmada CRDs default', () => {
  const s = compiled.get('PropagationPolicy')!;
  const obj = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }], placement: { replicaScheduling: {} }, failover: { application: { decisionConditions: {} } } },
  };
  s.admit(obj);
  assert.deepEqual(obj.spec, {
    resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
    placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } },
    failover: { application: { decisionConditions: { tolerationSeconds: 300 }, purgeMode: 'Gracefully' } },
    priority: 0,
    preemption: 'Never',
    schedulerName: 'default-scheduler',
    conflictResolution: 'Abort',
  });
});

test('a Work manifest must be a whole object: apiVersion and kind are required', () => {
  const s = compiled.get('Work')!;
  const obj = { apiVersion: 'work.karmada.io/v1alpha1', kind: 'Work', metadata: { name: 'w', namespace: 'karmada-es-m1' }, spec: { workload: { manifests: [{ metadata: { name: 'x' } }] } } };
  s.admit(obj);
  const fields = s.validate(obj).map((c) => c.field);
  assert.ok(fields.includes('spec.workload.manifests[0].apiVersion') && fields.includes('spec.workload.manifests[0].kind'), JSON.stringify(fields));
});
