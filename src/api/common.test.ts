import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { ConditionSchema, EmbeddedResource, IntOrString, ObjectMetaSchema, Quantity, ResourceListSchema, TaintSchema, Time } from './common.js';

const cases: [string, Parameters<typeof Value.Check>[0], unknown, boolean][] = [
  ['RFC 3339 time', Time(), '2025-01-02T03:04:05Z', true],
  ['time with fraction and offset', Time(), '2025-01-02T03:04:05.123+02:00', true],
  ['a date is not a time', Time(), '2025-01-02', false],
  ['quantity as string', Quantity(), '500m', true],
  ['quantity as integer', Quantity(), 4, true],
  ['quantity as float', Quantity(), 0.5, false],
  ['int-or-string rejects booleans', IntOrString(), true, false],
  ['resource list', ResourceListSchema, { cpu: '2', memory: '4Gi', pods: 110 }, true],
  ['resource list values are quantities', ResourceListSchema, { cpu: { v: 1 } }, false],
  ['metadata keeps unknown fields', ObjectMetaSchema, { name: 'a', creationTimestamp: null, managedFields: [] }, true],
  ['metadata labels are strings', ObjectMetaSchema, { labels: { a: 1 } }, false],
  ['embedded resource is any object', EmbeddedResource(), { apiVersion: 'v1', kind: 'Pod', spec: {} }, true],
  ['embedded resource is an object', EmbeddedResource(), 'kind: Pod', false],
  ['taint needs key and effect', TaintSchema, { key: 'a' }, false],
  ['condition reason is CamelCase', ConditionSchema, { type: 'Ready', status: 'True', reason: 'not ok', message: '', lastTransitionTime: '2025-01-01T00:00:00Z' }, false],
];

for (const [name, schema, value, ok] of cases) test(`common: ${name}`, () => assert.equal(Value.Check(schema, value), ok));
