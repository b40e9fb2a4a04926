import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchema, mergeMessages, type GroupSpec } from './schema.js';
import { GROUPS, schema } from './registry.js';

describe('protobuf schema', () => {
  test('every package builds and every type reference resolves', () => {
    assert.ok(schema().kinds.size >= 18);
  });

  test('no message reuses a field number or declares an unknown flag', () => {
    for (const g of GROUPS) {
      for (const [name, fields] of Object.entries(g.messages)) {
        const ids = Object.values(fields).map(([id]) => id);
        assert.equal(new Set(ids).size, ids.length, `${g.pkg}.${name} reuses a field number`);
        for (const [f, [, , flags = '']] of Object.entries(fields)) assert.match(flags, /^[pri]*$/, `${g.pkg}.${name}.${f}`);
      }
    }
  });

  test('inline fields are messages, and only scalars or references carry p', () => {
    const s = schema();
    for (const g of GROUPS) {
      const ns = s.root.lookup(`k8s.${g.pkg}`);
      assert.ok(ns);
      for (const [name, fields] of Object.entries(g.messages)) {
        const t = s.root.lookupType(`k8s.${g.pkg}.${name}`);
        for (const [fname, [, , flags = '']] of Object.entries(fields)) {
          const f = t.fields[fname]!;
          if (flags.includes('i')) assert.ok(f.resolvedType && !f.repeated && !f.map, `${g.pkg}.${name}.${fname} inline must be a single message`);
        }
      }
    }
  });

  test('the kinds kubectl create sends all have a schema', () => {
    const kinds = schema().kinds;
    for (const k of [
      'v1/Namespace',
      'v1/ConfigMap',
      'v1/Secret',
      'v1/ServiceAccount',
      'v1/Service',
      'v1/ResourceQuota',
      'apps/v1/Deployment',
      'batch/v1/Job',
      'batch/v1/CronJob',
      'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
      'networking.k8s.io/v1/Ingress',
      'policy/v1/PodDisruptionBudget',
      'scheduling.k8s.io/v1/PriorityClass',
    ])
      assert.ok(kinds.has(k), k);
  });

  test('a dangling type reference fails when the schema is built, not per request', () => {
    const bad: GroupSpec = { pkg: 'bad', messages: { A: { b: [1, 'Missing'] } } };
    assert.throws(() => buildSchema([bad]), /Missing/);
  });

  test('mergeMessages refuses a message defined twice', () => {
    assert.throws(() => mergeMessages({ A: {} }, { A: {} }), /A defined twice/);
  });
});
