import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchema } from './schema.js';
import type { JSONSchemaProps } from './types.js';
import { widgetSchema } from './testutil.js';

const obj = (spec: unknown, extra: object = {}) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec, ...extra });
const rootOf = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });
const messages = (schema: JSONSchemaProps, value: unknown, old?: unknown) =>
  compileSchema(schema, { resourceRoot: true })
    .validate(value, old)
    .map((c) => `${c.field}: ${c.message}`);

describe('schema validation messages', () => {
  const cases: [string, JSONSchemaProps, unknown, string[]][] = [
    ['type integer', { type: 'integer' }, 'three', ['spec: Invalid value: "string": spec in body must be of type integer: "string"']],
    ['type string given number', { type: 'object', properties: { a: { type: 'string' } } }, { a: 3 }, ['spec.a: Invalid value: "integer": spec.a in body must be of type string: "integer"']],
    ['type given float', { type: 'object', properties: { a: { type: 'integer' } } }, { a: 1.5 }, ['spec.a: Invalid value: "number": spec.a in body must be of type integer: "number"']],
    ['type object given array', { type: 'object', properties: { a: { type: 'object' } } }, { a: [] }, ['spec.a: Invalid value: "array": spec.a in body must be of type object: "array"']],
    ['null not allowed', { type: 'object', properties: { a: { type: 'string' } } }, { a: null }, ['spec.a: Invalid value: "null": spec.a in body must be of type string: "null"']],
    ['nullable allows null', { type: 'object', properties: { a: { type: 'string', nullable: true, enum: ['x'] } } }, { a: null }, []],
    ['required', { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'string' } } }, { a: 'x' }, ['spec.b: Required value']],
    ['enum', { type: 'string', enum: ['a', 'b'] }, 'c', ['spec: Unsupported value: "c": supported values: "a", "b"']],
    ['enum of numbers', { type: 'integer', enum: [1, 2] }, 3, ['spec: Unsupported value: 3: supported values: "1", "2"']],
    ['minimum', { type: 'integer', minimum: 1 }, 0, ['spec: Invalid value: 0: spec in body should be greater than or equal to 1']],
    ['exclusive minimum', { type: 'integer', minimum: 1, exclusiveMinimum: true }, 1, ['spec: Invalid value: 1: spec in body should be greater than 1']],
    ['maximum', { type: 'number', maximum: 2.5 }, 3, ['spec: Invalid value: 3: spec in body should be less than or equal to 2.5']],
    ['exclusive maximum', { type: 'number', maximum: 1000000, exclusiveMaximum: true }, 1000000, ['spec: Invalid value: 1000000: spec in body should be less than 1e+06']],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, 7, ['spec: Invalid value: 7: spec in body should be a multiple of 5']],
    ['maxLength', { type: 'string', maxLength: 3 }, 'abcd', ['spec: Too long: may not be more than 3 bytes']],
    ['minLength', { type: 'string', minLength: 2 }, 'a', ['spec: Invalid value: "a": spec in body should be at least 2 chars long']],
    ['pattern', { type: 'string', pattern: '^[a-z]+$' }, 'A1', [`spec: Invalid value: "A1": spec in body should match '^[a-z]+$'`]],
    ['maxItems', { type: 'array', items: { type: 'string' }, maxItems: 1 }, ['a', 'b'], ['spec: Too many: 2: must have at most 1 items']],
    ['minItems', { type: 'array', items: { type: 'string' }, minItems: 2 }, ['a'], ['spec: Invalid value: 1: spec in body should have at least 2 items']],
    ['maxProperties', { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 }, { a: 'x', b: 'y' }, ['spec: Too many: 2: must have at most 1 items']],
    ['minProperties', { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 }, {}, ['spec: Invalid value: 0: spec in body should have at least 1 properties']],
    ['nested array index', { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } } } }, { items: [{ port: 1 }, { port: 'x' }] }, ['spec.items[1].port: Invalid value: "string": spec.items[1].port in body must be of type integer: "string"']],
    ['additionalProperties values', { type: 'object', additionalProperties: { type: 'integer' } }, { a: 1, b: 'x' }, ['spec.b: Invalid value: "string": spec.b in body must be of type integer: "string"']],
    ['int-or-string int', { 'x-kubernetes-int-or-string': true }, 80, []],
    ['int-or-string string', { 'x-kubernetes-int-or-string': true }, '50%', []],
    ['int-or-string bool', { 'x-kubernetes-int-or-string': true }, true, ['spec: Invalid value: "boolean": spec in body must be of type integer,string: "boolean"']],
    ['int-or-string anyOf pattern', { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }, 1.5, ['spec: Invalid value: "number": spec in body must be of type integer,string: "number"']],
    ['anyOf reports once', { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }], properties: { a: { type: 'string' }, b: { type: 'string' } } }, {}, ['spec: Invalid value: {}: spec in body must validate at least one schema (anyOf)']],
    ['oneOf', { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }], properties: { a: { type: 'string' }, b: { type: 'string' } } }, { a: 'x', b: 'y' }, ['spec: Invalid value: {"a":"x","b":"y"}: spec in body must validate one and only one schema (oneOf)']],
    ['not', { type: 'string', not: { enum: ['root'] } }, 'root', ['spec: Invalid value: "root": spec in body must not validate the schema (not)']],
    ['allOf reports its branches', { type: 'integer', allOf: [{ minimum: 1 }, { maximum: 3 }] }, 5, ['spec: Invalid value: 5: spec in body should be less than or equal to 3']],
    ['format email', { type: 'string', format: 'email' }, 'nope', ['spec: Invalid value: "nope": spec in body must be of type email: "nope"']],
    ['format ipv4', { type: 'string', format: 'ipv4' }, '10.0.0.256', ['spec: Invalid value: "10.0.0.256": spec in body must be of type ipv4: "10.0.0.256"']],
    ['format date-time ok', { type: 'string', format: 'date-time' }, '2026-01-02T03:04:05Z', []],
    ['format uuid', { type: 'string', format: 'uuid' }, 'x', ['spec: Invalid value: "x": spec in body must be of type uuid: "x"']],
    ['format unknown is annotation', { type: 'string', format: 'int-or-whatever' }, 'x', []],
    ['format int32 not checked', { type: 'integer', format: 'int32' }, 2 ** 40, []],
    ['type error hides the rest at that path', { type: 'integer', minimum: 3, enum: [4] }, 'x', ['spec: Invalid value: "string": spec in body must be of type integer: "string"']],
    ['set duplicates', { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' }, ['a', 'b', 'a', 'a'], ['spec[2]: Duplicate value: "a"', 'spec[3]: Duplicate value: "a"']],
    ['set of objects compares deeply', { type: 'array', items: { type: 'object', 'x-kubernetes-map-type': 'atomic', 'x-kubernetes-preserve-unknown-fields': true }, 'x-kubernetes-list-type': 'set' }, [{ a: 1, b: 2 }, { b: 2, a: 1 }], ['spec[1]: Duplicate value: {"a":1,"b":2}']],
    ['map keys', { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'proto'], items: { type: 'object', properties: { name: { type: 'string' }, proto: { type: 'string' }, port: { type: 'integer' } } } }, [{ name: 'a', proto: 'TCP', port: 1 }, { name: 'a', proto: 'UDP' }, { name: 'a', proto: 'TCP', port: 2 }], ['spec[2]: Duplicate value: {"name":"a","proto":"TCP"}']],
    ['atomic list allows duplicates', { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' }, ['a', 'a'], []],
    ['embedded resource needs apiVersion and kind', { type: 'object', properties: { tpl: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } }, { tpl: { metadata: {} } }, ['spec.tpl.apiVersion: Required value: must not be empty', 'spec.tpl.kind: Required value: must not be empty']],
    ['embedded resource kind syntax', { type: 'object', properties: { tpl: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } }, { tpl: { apiVersion: 'v1', kind: 'Con fig' } }, ['spec.tpl.kind: Invalid value: "Con fig": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')']],
  ];
  for (const [name, spec, value, want] of cases) {
    it(name, () => assert.deepEqual(messages(rootOf(spec), obj(value)), want));
  }

  it('restricts root metadata to name and generateName only', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } } } };
    assert.deepEqual(messages(s, { metadata: { name: 'toolong', labels: { a: 'b' } } }), ['metadata.name: Too long: may not be more than 5 bytes']);
  });
});

describe('x-kubernetes-validations', () => {
  const ruled = (rules: object[], props: Record<string, JSONSchemaProps> = { a: { type: 'integer' }, b: { type: 'integer' }, name: { type: 'string' } }) =>
    rootOf({ type: 'object', properties: props, 'x-kubernetes-validations': rules as never });
  const cases: [string, object[], unknown, string[], unknown?][] = [
    ['passing rule', [{ rule: 'self.a < self.b' }], { a: 1, b: 2 }, []],
    ['failing rule, default message', [{ rule: 'self.a < self.b' }], { a: 2, b: 1 }, ['spec: Invalid value: "object": failed rule: self.a < self.b']],
    ['failing rule, message', [{ rule: 'self.a < self.b', message: 'a must be below b' }], { a: 2, b: 1 }, ['spec: Invalid value: "object": a must be below b']],
    ['reason and fieldPath', [{ rule: 'self.a < 10', message: 'too big', reason: 'FieldValueForbidden', fieldPath: '.a' }], { a: 20 }, ['spec.a: Forbidden: too big']],
    ['missing key is an evaluation error', [{ rule: 'self.a > 0' }], { b: 1 }, ['spec: Invalid value: "object": no such key: a evaluating rule: self.a > 0']],
    ['has() guards', [{ rule: '!has(self.a) || self.a > 0' }], { b: 1 }, []],
    ['string functions', [{ rule: "self.name.startsWith('web-') && size(self.name) <= 8" }], { name: 'web-frontend' }, ['spec: Invalid value: "object": failed rule: self.name.startsWith(\'web-\') && size(self.name) <= 8']],
    ['transition rule skipped on create', [{ rule: 'self.a == oldSelf.a', message: 'a is immutable' }], { a: 1 }, []],
    ['transition rule on update', [{ rule: 'self.a == oldSelf.a', message: 'a is immutable' }], { a: 2 }, ['spec: Invalid value: "object": a is immutable'], { a: 1 }],
    ['unsupported CEL is skipped', [{ rule: "quantity(self.name).isGreaterThan(quantity('1'))" }], { name: 'x' }, []],
  ];
  for (const [name, rules, value, want, old] of cases) {
    it(name, () => assert.deepEqual(messages(ruled(rules), obj(value), old === undefined ? undefined : obj(old)), want));
  }

  it('reports unevaluated rules when the object already failed the schema', () => {
    const got = messages(ruled([{ rule: 'self.a < self.b' }]), obj({ a: 'x', b: 1 }));
    assert.deepEqual(got, [
      'spec.a: Invalid value: "string": spec.a in body must be of type integer: "string"',
      ': Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('runs rules on list items and correlates map-list items with their old values', () => {
    const s = rootOf({
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'port is immutable' }] } } },
        },
      },
    });
    const old = obj({ ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }] });
    assert.deepEqual(messages(s, obj({ ports: [{ name: 'b', port: 2 }, { name: 'a', port: 9 }, { name: 'c', port: 3 }] }), old), ['spec.ports[1].port: Invalid value: "integer": port is immutable']);
  });

  it('lists the rules it skips', () => {
    const c = compileSchema(ruled([{ rule: 'self.a.matches("^x") || timestamp(self.name) > now' }]), { resourceRoot: true });
    c.validate(obj({ a: 1 }));
    assert.deepEqual([...c.skippedRules], ['self.a.matches("^x") || timestamp(self.name) > now']);
  });
});

describe('pruning', () => {
  const prune = (schema: JSONSchemaProps, value: any) => {
    const paths = compileSchema(schema, { resourceRoot: true }).prune(value);
    return { paths, value };
  };

  it('drops undeclared fields at every level and reports their paths', () => {
    const r = prune(widgetSchema(), obj({ color: 'red', extra: 1, tags: ['a'] }, { status: { phase: 'x', junk: true }, top: 1 }));
    assert.deepEqual(r.paths.sort(), ['spec.extra', 'status.junk', 'top']);
    assert.deepEqual(r.value.spec, { color: 'red', tags: ['a'] });
    assert.equal(r.value.top, undefined);
  });

  it('keeps apiVersion, kind and metadata at the root, metadata cut to ObjectMeta', () => {
    const r = prune({ type: 'object' }, { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', labels: { a: 'b' }, foo: 1, managedFields: [] } });
    assert.deepEqual(r.value, { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', labels: { a: 'b' }, managedFields: [] } });
    assert.deepEqual(r.paths, ['metadata.foo']);
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields but prunes inside declared ones', () => {
    const s = rootOf({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } });
    const r = prune(s, obj({ anything: { deep: 1 }, known: { a: 'x', b: 'y' } }));
    assert.deepEqual(r.value.spec, { anything: { deep: 1 }, known: { a: 'x' } });
    assert.deepEqual(r.paths, ['spec.known.b']);
  });

  it('prunes inside additionalProperties and array items', () => {
    const s = rootOf({
      type: 'object',
      properties: {
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } } },
        list: { type: 'array', items: { type: 'object', properties: { v: { type: 'integer' } } } },
      },
    });
    const r = prune(s, obj({ byName: { a: { v: 1, w: 2 } }, list: [{ v: 1 }, { v: 2, w: 3 }] }));
    assert.deepEqual(r.value.spec, { byName: { a: { v: 1 } }, list: [{ v: 1 }, { v: 2 }] });
    assert.deepEqual(r.paths, ['spec.byName.a.w', 'spec.list[1].w']);
  });

  it('treats an embedded resource like a root: its apiVersion, kind and metadata stay', () => {
    const s = rootOf({ type: 'object', properties: { tpl: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } } } });
    const r = prune(s, obj({ tpl: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bad: 1 }, spec: { a: 'x', b: 'y' }, other: 1 } }));
    assert.deepEqual(r.value.spec.tpl, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x' } });
    assert.deepEqual(r.paths.sort(), ['spec.tpl.metadata.bad', 'spec.tpl.other', 'spec.tpl.spec.b']);
  });
});

describe('defaulting', () => {
  const admit = (spec: JSONSchemaProps, value: unknown) => {
    const o = obj(value);
    compileSchema(rootOf(spec), { resourceRoot: true }).admit(o);
    return o.spec;
  };
  const cases: [string, JSONSchemaProps, unknown, unknown][] = [
    ['fills missing properties', { type: 'object', properties: { a: { type: 'integer', default: 1 }, b: { type: 'string', default: 'x' } } }, { b: 'given' }, { b: 'given', a: 1 }],
    ['nested defaults only when the parent exists', { type: 'object', properties: { sub: { type: 'object', properties: { a: { type: 'integer', default: 1 } } } } }, {}, {}],
    ['nested defaults inside an existing parent', { type: 'object', properties: { sub: { type: 'object', properties: { a: { type: 'integer', default: 1 } } } } }, { sub: {} }, { sub: { a: 1 } }],
    ['a defaulted parent gets its children defaulted', { type: 'object', properties: { sub: { type: 'object', default: {}, properties: { a: { type: 'integer', default: 1 } } } } }, {}, { sub: { a: 1 } }],
    ['null replaced by the default when not nullable', { type: 'object', properties: { a: { type: 'integer', default: 1 } } }, { a: null }, { a: 1 }],
    ['null kept when nullable', { type: 'object', properties: { a: { type: 'integer', default: 1, nullable: true } } }, { a: null }, { a: null }],
    ['null dropped when not nullable and no default', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } } }, { a: null, b: 1 }, { b: 1 }],
    ['array items get defaults', { type: 'array', items: { type: 'object', properties: { p: { type: 'string', default: 'TCP' } } } }, [{}, { p: 'UDP' }], [{ p: 'TCP' }, { p: 'UDP' }]],
    ['additionalProperties values get defaults', { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } }, { x: {} }, { x: { on: true } }],
    ['defaults are copies', { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, default: ['a'] } } }, {}, { l: ['a'] }],
  ];
  for (const [name, spec, value, want] of cases) it(name, () => assert.deepEqual(admit(spec, value), want));

  it('prunes before defaulting and reports what it pruned', () => {
    const o = obj({ color: 'red', bogus: 1 });
    const pruned = compileSchema(widgetSchema(), { resourceRoot: true }).admit(o);
    assert.deepEqual(pruned, ['spec.bogus']);
    assert.deepEqual(o.spec, { color: 'red', replicas: 1, size: 'M' });
  });
});
