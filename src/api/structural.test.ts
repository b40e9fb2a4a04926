import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { AnyJSON, EmbeddedResource, Int32, PreserveUnknownObject, QUANTITY_PATTERN, Quantity, StringEnum, StringMap } from './common.js';
import { toStructural } from './structural.js';

const cases: { name: string; schema: Parameters<typeof toStructural>[0]; want: unknown }[] = [
  { name: 'int32 keeps its format', schema: Int32({ minimum: 1 }), want: { type: 'integer', format: 'int32', minimum: 1 } },
  {
    name: 'a literal union becomes an enum, keeping default and description',
    schema: StringEnum(['A', 'B'] as const, { default: 'A', description: 'd' }),
    want: { type: 'string', enum: ['A', 'B'], default: 'A', description: 'd' },
  },
  { name: 'a single literal becomes a one-value enum', schema: Type.Literal('x'), want: { type: 'string', enum: ['x'] } },
  { name: 'a string map becomes additionalProperties', schema: StringMap(), want: { type: 'object', additionalProperties: { type: 'string' } } },
  {
    name: 'a quantity is int-or-string with the pattern',
    schema: Quantity(),
    want: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: QUANTITY_PATTERN },
  },
  { name: 'raw JSON has no type', schema: AnyJSON(), want: { 'x-kubernetes-preserve-unknown-fields': true } },
  {
    name: 'a preserve-unknown object drops its value schema',
    schema: PreserveUnknownObject(),
    want: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
  {
    name: 'an embedded resource is an object kept as sent',
    schema: EmbeddedResource(),
    want: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
  },
  {
    name: 'optional properties are left out of required',
    schema: Type.Object({ a: Type.String(), b: Type.Optional(Type.Boolean()) }, { $id: 'X' }),
    want: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' } }, required: ['a'] },
  },
  {
    name: 'an all-optional object has no required list',
    schema: Type.Object({ a: Type.Optional(Type.String()) }),
    want: { type: 'object', properties: { a: { type: 'string' } } },
  },
  { name: 'arrays convert their items', schema: Type.Array(Type.Integer(), { minItems: 1 }), want: { type: 'array', minItems: 1, items: { type: 'integer' } } },
];

for (const c of cases) {
  test(`toStructural: ${c.name}`, () => assert.deepEqual(toStructural(c.schema), c.want));
}

const rejected: { name: string; schema: Parameters<typeof toStructural>[0]; error: RegExp }[] = [
  { name: 'a union of objects', schema: Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })]), error: /union has no structural form/ },
  { name: 'int|string without the marker', schema: Type.Union([Type.Integer(), Type.String()]), error: /union has no structural form/ },
  { name: 'a map keyed by a pattern', schema: Type.Record(Type.TemplateLiteral('a${string}'), Type.String()), error: /only string-keyed maps/ },
  { name: 'an untyped node', schema: Type.Unknown(), error: /no type/ },
  { name: 'a keyword Kubernetes does not know', schema: Type.String({ examples: ['x'] }), error: /keyword examples/ },
];

for (const c of rejected) {
  test(`toStructural rejects ${c.name}`, () => assert.throws(() => toStructural(c.schema), c.error));
}
