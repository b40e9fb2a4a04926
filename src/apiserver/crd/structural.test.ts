import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCRD, validateCRD, validateStoredVersions } from './structural.js';
import { stripUnknownSchemaKeywords, unknownSchemaKeywords, validateVersionSchema } from './schema-rules.js';
import type { CustomResourceDefinition, JSONSchemaProps } from './types.js';
import { widgetCRD } from './testutil.js';

const SP = 'spec.versions[0].schema.openAPIV3Schema';
const render = (cs: { field: string; message: string }[]) => cs.map((c) => `${c.field}: ${c.message}`);
const crdWith = (mutate: (c: any) => void): CustomResourceDefinition => {
  const c: any = widgetCRD();
  c.status = { storedVersions: ['v1'] };
  mutate(c);
  return c;
};
/** Schema errors for version 0, with or without the status subresource. */
const schemaErrors = (schema: JSONSchemaProps, status = false) => render(validateVersionSchema({ openAPIV3Schema: schema }, 'spec.versions[0].schema', status));

describe('validateCRD', () => {
  it('accepts the fixture', () => assert.deepEqual(render(validateCRD(crdWith(() => {}))), []));

  const cases: [string, (c: any) => void, string[]][] = [
    ['name must be plural.group', (c) => (c.metadata.name = 'widget.example.com'), ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']],
    ['group required', (c) => delete c.spec.group, ['metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group', 'spec.group: Required value']],
    ['group needs a dot', (c) => ((c.spec.group = 'example'), (c.metadata.name = 'widgets.example')), ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ['scope', (c) => (c.spec.scope = 'Global'), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ['kind required', (c) => delete c.spec.names.kind, ['spec.names.kind: Required value']],
    ['plural syntax', (c) => ((c.spec.names.plural = 'Widgets'), (c.metadata.name = 'Widgets.example.com')), [
      "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]],
    ['kind may have mixed case only', (c) => (c.spec.names.kind = 'My_Widget'), [
      "spec.names.kind: Invalid value: \"My_Widget\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]],
    ['kind and listKind differ', (c) => (c.spec.names.listKind = 'Widget'), ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same']],
    ['no storage version', (c) => (c.spec.versions[0].storage = false), ['spec.versions: Invalid value: ["v1","v1beta1"]: must have exactly one version marked as storage version']],
    ['two storage versions', (c) => (c.spec.versions[1].storage = true), ['spec.versions: Invalid value: ["v1","v1beta1"]: must have exactly one version marked as storage version']],
    ['none served', (c) => c.spec.versions.forEach((v: any) => (v.served = false)), ['spec.versions: Invalid value: ["v1","v1beta1"]: must have at least one version marked as served']],
    ['duplicate version names', (c) => (c.spec.versions[1].name = 'v1'), ['spec.versions: Invalid value: ["v1","v1"]: must contain unique version names']],
    ['version name syntax', (c) => (c.spec.versions[1].name = 'V2'), [
      "spec.versions[1].name: Invalid value: \"V2\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]],
    ['schema required', (c) => delete c.spec.versions[1].schema, ['spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required']],
    ['webhook conversion', (c) => (c.spec.conversion = { strategy: 'Webhook', webhook: {} }), [
      'spec.conversion.strategy: Invalid value: "Webhook": conversion webhooks are not supported by Flotilla: use strategy None (every served version is returned from the same stored object, with its apiVersion rewritten)',
    ]],
    ['unknown conversion', (c) => (c.spec.conversion = { strategy: 'Magic' }), ['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"']],
    ['preserveUnknownFields', (c) => (c.spec.preserveUnknownFields = true), ['spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-preserve-unknown-fields to true in spec.versions[*].schema instead']],
    ['scale paths', (c) => (c.spec.versions[0].subresources.scale = { specReplicasPath: 'spec.replicas', statusReplicasPath: '.spec.replicas' }), [
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: ".spec.replicas": should be a json path under .status',
    ]],
    ['printer column', (c) => (c.spec.versions[0].additionalPrinterColumns = [{ name: 'X', type: 'text', jsonPath: '.spec.x', format: 'weird' }, { name: 'Y', type: 'string' }]), [
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[0].format: Invalid value: "weird": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Required value',
    ]],
    ['status subresource restricts the root', (c) => (c.spec.versions[0].schema.openAPIV3Schema.default = {}), [
      `${SP}: Invalid value: "default": only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`,
    ]],
    ['protected group needs approval', (c) => ((c.spec.group = 'things.k8s.io'), (c.metadata.name = 'widgets.things.k8s.io')), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]],
    ['stored version removed', (c) => (c.status.storedVersions = ['v1', 'v0']), [
      'status.storedVersions[1]: Invalid value: "v0": must appear in spec.versions (objects may still be stored as v0: keep it in spec.versions, with served: false if it should no longer be served, until they are rewritten and v0 is removed from status.storedVersions)',
    ]],
  ];
  for (const [name, mutate, want] of cases) {
    it(name, () => {
      const got = render(validateCRD(crdWith(mutate)));
      for (const w of want) assert.ok(got.includes(w), `missing:\n  ${w}\ngot:\n  ${got.join('\n  ')}`);
      assert.ok(got.length >= want.length);
    });
  }

  it('keeps group, plural and (once established) scope and kind immutable', () => {
    const old = crdWith((c) => (c.status.conditions = [{ type: 'Established', status: 'True' }]));
    const next = crdWith((c) => {
      c.spec.group = 'other.com';
      c.spec.scope = 'Cluster';
      c.spec.names.kind = 'Gadget';
      c.spec.names.listKind = 'GadgetList';
    });
    assert.deepEqual(render(validateCRD(next, old)), [
      'spec.group: Invalid value: "other.com": field is immutable',
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Gadget": field is immutable',
    ]);
  });

  it('defaults singular, listKind and conversion like Kubernetes', () => {
    const c: any = { metadata: {}, spec: { names: { plural: 'foos', kind: 'Foo' } } };
    defaultCRD(c);
    assert.deepEqual(c.spec, { names: { plural: 'foos', kind: 'Foo', singular: 'foo', listKind: 'FooList' }, conversion: { strategy: 'None' } });
  });

  it('checks storedVersions against spec.versions', () => {
    const versions = [{ name: 'v1', storage: true }, { name: 'v2', storage: false }];
    assert.deepEqual(render(validateStoredVersions([], versions)), ['status.storedVersions: Invalid value: []: must have at least one stored version']);
    assert.deepEqual(render(validateStoredVersions(['v2'], versions)), ['status.storedVersions: Invalid value: "v1": must have the storage version v1']);
    assert.deepEqual(render(validateStoredVersions(['v1', 'v2'], versions)), []);
  });
});

describe('schema keyword and structural rules', () => {
  const obj = (properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'object', properties, ...extra });
  const cases: [string, JSONSchemaProps, string[], boolean?][] = [
    ['a structural schema', obj({ spec: obj({ a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } } }) }), []],
    ['missing type on a field', obj({ spec: { properties: { a: { type: 'string' } } } }), [`${SP}.properties[spec].type: Required value: must not be empty for specified object fields`]],
    ['missing type on items', obj({ l: { type: 'array', items: {} } }), [`${SP}.properties[l].items.type: Required value: must not be empty for specified array items`]],
    ['missing type at the root', { properties: { a: { type: 'string' } } }, [`${SP}.type: Required value: must not be empty at the root`]],
    ['array without items', obj({ l: { type: 'array' } }), [`${SP}.properties[l].items: Required value: must be specified`]],
    ['root must be an object', { type: 'string' }, [`${SP}.type: Invalid value: "string": must be object at the root`]],
    ['preserve-unknown-fields may omit type', obj({ any: { 'x-kubernetes-preserve-unknown-fields': true } }), []],
    ['int-or-string may omit type', obj({ port: { 'x-kubernetes-int-or-string': true } }), []],
    ['int-or-string anyOf pattern', obj({ port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }), []],
    ['int-or-string with preserve', obj({ port: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true } }), [`${SP}.properties[port].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`]],
    ['types inside anyOf', obj({ a: { type: 'string', anyOf: [{ type: 'string', maxLength: 3 }] } }), [`${SP}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`]],
    ['description and default inside oneOf', obj({ a: { type: 'string', oneOf: [{ description: 'x', default: 'y' }] } }), [`${SP}.properties[a].oneOf[0].default: Forbidden: must be undefined to be structural`, `${SP}.properties[a].oneOf[0].description: Forbidden: must be empty to be structural`]],
    ['junctor names an undeclared field', obj({ a: { type: 'object', anyOf: [{ required: ['x'] }, { properties: { y: { minLength: 1 } } }] } }), [`${SP}.properties[a].properties[y]: Required value: because it is defined in ${SP}.properties[a].anyOf[1].properties[y]`]],
    ['additionalProperties with properties', obj({ a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: { type: 'string' } } }), [`${SP}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`]],
    ['additionalProperties: false with properties', obj({ a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false } }), [`${SP}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`]],
    ['additionalProperties at the root', { type: 'object', additionalProperties: { type: 'string' } }, [`${SP}.additionalProperties: Forbidden: must not be used at the root`]],
    ['$ref', obj({ a: { $ref: '#/definitions/x' } as JSONSchemaProps }), [`${SP}.properties[a].$ref: Forbidden: $ref is not supported`, `${SP}.properties[a].type: Required value: must not be empty for specified object fields`]],
    ['patternProperties, definitions, dependencies, additionalItems, id', obj({ a: { type: 'object', patternProperties: {}, definitions: {}, dependencies: {}, additionalItems: false, id: 'x' } as JSONSchemaProps }), [
      `${SP}.properties[a].id: Forbidden: id is not supported`,
      `${SP}.properties[a].additionalItems: Forbidden: additionalItems is not supported`,
      `${SP}.properties[a].patternProperties: Forbidden: patternProperties is not supported`,
      `${SP}.properties[a].definitions: Forbidden: definitions is not supported`,
      `${SP}.properties[a].dependencies: Forbidden: dependencies is not supported`,
    ]],
    ['uniqueItems', obj({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } }), [`${SP}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`]],
    ['type null', obj({ a: { type: 'null' } }), [`${SP}.properties[a].type: Unsupported value: "null": supported values: "array", "boolean", "integer", "number", "object", "string"`, `${SP}.properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative`]],
    ['items as an array', obj({ l: { type: 'array', items: [{ type: 'string' }] } }), [`${SP}.properties[l].items: Forbidden: items must be a schema object and not an array`]],
    ['preserve-unknown-fields false', obj({ a: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } }), [`${SP}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`]],
    ['root metadata restricted', obj({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } }), [`${SP}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`]],
    ['root metadata name only is fine', obj({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } }), []],
    ['metadata default forbidden', obj({ metadata: { type: 'object', default: {} } }), [`${SP}.properties[metadata].default: Forbidden: must not be set in top-level metadata`]],
    ['kind must be a string at the root', obj({ kind: { type: 'integer' } }), [`${SP}.properties[kind].type: Invalid value: "integer": must be string`]],
    ['embedded resource must be an object', obj({ e: { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } }), [`${SP}.properties[e].type: Required value: must be object if x-kubernetes-embedded-resource is true`]],
    ['embedded resource needs properties or preserve', obj({ e: { type: 'object', 'x-kubernetes-embedded-resource': true } }), [`${SP}.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`]],
    ['list-type on a non-array', obj({ a: { type: 'object', 'x-kubernetes-list-type': 'set' } }), [`${SP}.properties[a].type: Invalid value: "object": must be array if x-kubernetes-list-type is specified`]],
    ['list-type value', obj({ l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' } }), [`${SP}.properties[l].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`]],
    ['map list without keys', obj({ l: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } }, 'x-kubernetes-list-type': 'map' } }), [`${SP}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`]],
    ['map list key not a property', obj({ l: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'] } }), [`${SP}.properties[l].x-kubernetes-list-map-keys: Invalid value: ["id"]: entries must all be names of item properties`]],
    ['map list key optional without default', obj({ l: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['n'] } }), [`${SP}.properties[l].items.properties[n].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`]],
    ['map-keys without map list-type', obj({ l: { type: 'array', items: { type: 'object', required: ['n'], properties: { n: { type: 'string' } } }, 'x-kubernetes-list-map-keys': ['n'] } }), [`${SP}.properties[l].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty`]],
    ['set of non-atomic objects', obj({ l: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } }, 'x-kubernetes-list-type': 'set' } }), [`${SP}.properties[l].items.x-kubernetes-map-type: Invalid value: "set": must be atomic as item of a list with x-kubernetes-list-type=set`]],
    ['map-type', obj({ m: { type: 'object', 'x-kubernetes-map-type': 'loose' } }), [`${SP}.properties[m].x-kubernetes-map-type: Unsupported value: "loose": supported values: "atomic", "granular"`]],
    ['validation rule without rule', obj({ a: { type: 'string', 'x-kubernetes-validations': [{ message: 'x' }] } }), [`${SP}.properties[a].x-kubernetes-validations[0].rule: Required value: rule is not specified`]],
    ['multi-line rule needs a message', obj({ a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self != "a" &&\n self != "b"' }] } }), [`${SP}.properties[a].x-kubernetes-validations[0].message: Required value: message must be specified if rule contains line breaks`]],
    ['default of the wrong type', obj({ a: { type: 'integer', default: 'three' } }), [`${SP}.properties[a].default: Invalid value: "string": in body must be of type integer: "string"`]],
    ['default outside its enum', obj({ a: { type: 'string', enum: ['x'], default: 'y' } }), [`${SP}.properties[a].default: Unsupported value: "y": supported values: "x"`]],
    ['default with unknown fields', obj({ a: { type: 'object', properties: { b: { type: 'string' } }, default: { b: 'x', c: 'y' } } }), [`${SP}.properties[a].default: Invalid value: {"b":"x","c":"y"}: must not have unknown fields`]],
    ['nested default violating a nested rule', obj({ a: { type: 'object', properties: { b: { type: 'integer', minimum: 5 } }, default: { b: 1 } } }), [`${SP}.properties[a].default.b: Invalid value: 1: b in body should be greater than or equal to 5`]],
    ['wrongly-typed keywords', obj({ a: { type: 'string', required: 'b' as never } }), [`${SP}.properties[a].required: Invalid value: "b": must be a list of strings`]],
    ['root nullable', { type: 'object', nullable: true }, [`${SP}.nullable: Forbidden: nullable cannot be true at the root`]],
    ['status subresource root type', { type: 'object', additionalProperties: true } as JSONSchemaProps, [`${SP}: Invalid value: "additionalProperties": only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`], true],
  ];
  for (const [name, schema, want, status] of cases) {
    it(name, () => {
      const got = schemaErrors(schema, status ?? false);
      if (want.length === 0) return assert.deepEqual(got, []);
      for (const w of want) assert.ok(got.includes(w), `missing:\n  ${w}\ngot:\n  ${got.join('\n  ')}`);
    });
  }

  it('finds and strips keywords apiextensions does not know', () => {
    const s: any = obj({ spec: obj({ a: { type: 'string', 'x-kubernetes-patch-merge-key': 'x', bogus: 1 } as JSONSchemaProps }) });
    assert.deepEqual(unknownSchemaKeywords(s, SP), [`${SP}.properties[spec].properties[a].x-kubernetes-patch-merge-key`, `${SP}.properties[spec].properties[a].bogus`]);
    stripUnknownSchemaKeywords(s);
    assert.deepEqual(s.properties.spec.properties.a, { type: 'string' });
  });
});
