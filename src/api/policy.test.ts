import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaCauses } from './causes.js';
import type { PropagationPolicy } from './policy.js';
import { PropagationPolicySchema } from './policy.js';
import { runSchemaCases } from './testing/schema-cases.js';

runSchemaCases('policy.karmada.io');

test('the static type and the schema agree on a typed object', () => {
  const pp: PropagationPolicy = {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'nginx', namespace: 'default' },
    spec: {
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }],
      placement: {
        clusterAffinity: { clusterNames: ['member1', 'member2'] },
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      },
      conflictResolution: 'Abort',
    },
  };
  assert.deepEqual(schemaCauses(PropagationPolicySchema, pp), []);
});

test('an unsupported enum value is reported as NotSupported with the allowed values', () => {
  const causes = schemaCauses(PropagationPolicySchema, {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: {},
    spec: { resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap' }], preemption: 'Sometimes' },
  });
  assert.deepEqual(causes, [
    { field: 'spec.preemption', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes": supported values: "Always", "Never"' },
  ]);
});
