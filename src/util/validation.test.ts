import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  regexError,
  validateAnnotations,
  validateLabels,
  TotalAnnotationSizeLimitB,
} from './validation.js';
import { aggregateMessage, fieldError, fieldPath, formatFieldCause, goQuote } from './validation-field.js';

const r = (ch: string, n: number) => ch.repeat(n);

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// Good/bad lists follow apimachinery's validation_test.go.
const badCommon = ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2'];

describe('isDNS1123Label', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)];
  for (const v of good) it(`accepts ${JSON.stringify(v.slice(0, 20))}`, () => assert.deepEqual(isDNS1123Label(v), []));
  const bad = [...badCommon, '.', 'a.', '.a', '1.', '.1', r('a', 64), 'é'];
  for (const v of bad) it(`rejects ${JSON.stringify(v.slice(0, 20))}`, () => assert.notDeepEqual(isDNS1123Label(v), []));
  it('gives the regex message', () => assert.deepEqual(isDNS1123Label('A'), [LABEL_MSG]));
  it('says "must not contain dots" for a valid subdomain', () => {
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('1.2'), ['must not contain dots']);
  });
  it('reports length alone when only too long', () => assert.deepEqual(isDNS1123Label(r('a', 64)), ['must be no more than 63 characters']));
  it('reports both length and format', () => assert.deepEqual(isDNS1123Label(r('A', 64)), ['must be no more than 63 characters', LABEL_MSG]));
});

describe('isDNS1123Subdomain', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', '0.a', '01.a', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', 'example.com', r('a', 253)];
  for (const v of good) it(`accepts ${JSON.stringify(v.slice(0, 20))}`, () => assert.deepEqual(isDNS1123Subdomain(v), []));
  const bad = [...badCommon, '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', '0.A', 'A.B.C.D.E', 'a.B.c.d.e', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a\n', r('a', 254)];
  for (const v of bad) it(`rejects ${JSON.stringify(v.slice(0, 20))}`, () => assert.notDeepEqual(isDNS1123Subdomain(v), []));
  it('gives the exact Kubernetes message', () => assert.deepEqual(isDNS1123Subdomain('Foo'), [SUBDOMAIN_MSG]));
  it('limits to 253 characters', () => assert.deepEqual(isDNS1123Subdomain(r('a', 254)), ['must be no more than 253 characters']));
  it('counts bytes, not UTF-16 units', () => assert.deepEqual(isDNS1123Subdomain(r('é', 127)), ['must be no more than 253 characters', SUBDOMAIN_MSG]));
});

describe('isDNS1035Label', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)];
  for (const v of good) it(`accepts ${JSON.stringify(v.slice(0, 20))}`, () => assert.deepEqual(isDNS1035Label(v), []));
  const bad = ['0', '01', '012', '1a', '1-a', '1--a--b--2', ...badCommon, '.', 'a.', 'a.b', r('a', 64)];
  for (const v of bad) it(`rejects ${JSON.stringify(v.slice(0, 20))}`, () => assert.notDeepEqual(isDNS1035Label(v), []));
  it('gives the exact message', () => assert.deepEqual(isDNS1035Label('1a'), [DNS1035_MSG]));
  it('reports length', () => assert.deepEqual(isDNS1035Label(r('a', 64)), ['must be no more than 63 characters']));
});

describe('isQualifiedName', () => {
  const good = ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', 'app.kubernetes.io/name', r('a', 63), r('a', 253) + '/' + r('b', 63)];
  for (const v of good) it(`accepts ${JSON.stringify(v.slice(0, 30))}`, () => assert.deepEqual(isQualifiedName(v), []));
  const bad = ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', '', r('a', 64), r('a', 254) + '/abc'];
  for (const v of bad) it(`rejects ${JSON.stringify(v.slice(0, 30))}`, () => assert.notDeepEqual(isQualifiedName(v), []));
  it('explains an empty prefix', () => assert.deepEqual(isQualifiedName('/simple'), ['prefix part must be non-empty']));
  it('explains an empty name (twice, as Kubernetes does)', () =>
    assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART_MSG]));
  it('prefixes subdomain errors', () => assert.deepEqual(isQualifiedName('Example.com/abc'), ['prefix part ' + SUBDOMAIN_MSG]));
  it('limits the name part', () => assert.deepEqual(isQualifiedName(r('a', 64)), ['name part must be no more than 63 characters']));
  it('limits the prefix', () => assert.deepEqual(isQualifiedName(r('a', 254) + '/abc'), ['prefix part must be no more than 253 characters']));
  it('rejects two slashes with one message', () =>
    assert.deepEqual(isQualifiedName('a/b/c'), [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]));
  it('gives the name-part message', () => assert.deepEqual(isQualifiedName('a b'), [NAME_PART_MSG]));
});

describe('isValidLabelValue', () => {
  const good = ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), '', 'A', 'AB', 'AbC', 'Ab_C', 'A1', 'a.b', 'my_value', '12345'];
  for (const v of good) it(`accepts ${JSON.stringify(v.slice(0, 20))}`, () => assert.deepEqual(isValidLabelValue(v), []));
  const bad = ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a b', r('a', 64)];
  for (const v of bad) it(`rejects ${JSON.stringify(v.slice(0, 20))}`, () => assert.notDeepEqual(isValidLabelValue(v), []));
  it('gives the exact message', () => assert.deepEqual(isValidLabelValue('-x'), [LABEL_VALUE_MSG]));
  it('reports length', () => assert.deepEqual(isValidLabelValue(r('a', 64)), ['must be no more than 63 characters']));
});

describe('regexError', () => {
  it('without examples', () => assert.equal(regexError('bad', 'x+'), "bad (regex used for validation is 'x+')"));
  it('with examples keeps the double space', () => assert.equal(regexError('bad', 'x+', 'x', 'xx'), "bad (e.g. 'x',  or 'xx', regex used for validation is 'x+')"));
});

describe('validateLabels', () => {
  it('accepts valid labels and nothing', () => {
    assert.deepEqual(validateLabels({ app: 'nginx', 'app.kubernetes.io/name': 'web', empty: '' }, 'metadata.labels'), []);
    assert.deepEqual(validateLabels(undefined, 'metadata.labels'), []);
    assert.deepEqual(validateLabels(null, 'metadata.labels'), []);
  });
  it('reports a bad key at the map path', () => {
    const causes = validateLabels({ 'a b': 'x' }, 'metadata.labels');
    assert.equal(causes.length, 1);
    assert.deepEqual(causes[0], { field: 'metadata.labels', type: 'FieldValueInvalid', message: `Invalid value: "a b": ${NAME_PART_MSG}`, detail: NAME_PART_MSG, badValue: 'a b' });
    assert.equal(formatFieldCause(causes[0]!), `metadata.labels: Invalid value: "a b": ${NAME_PART_MSG}`);
  });
  it('reports a bad value with the value quoted', () => {
    const causes = validateLabels({ app: 'has space' }, 'spec.template.metadata.labels');
    assert.deepEqual(causes.map((c) => [c.field, c.message]), [['spec.template.metadata.labels', `Invalid value: "has space": ${LABEL_VALUE_MSG}`]]);
  });
  it('reports every problem, keys sorted', () => {
    const causes = validateLabels({ zz: r('v', 64), 'A/b': 'ok', ok: 'ok' }, 'metadata.labels');
    assert.deepEqual(causes.map((c) => c.badValue), ['A/b', r('v', 64)]);
  });
});

describe('validateAnnotations', () => {
  it('accepts upper-case keys and any values', () => {
    assert.deepEqual(validateAnnotations({ 'Example.COM/Some-Key': 'any value at all\n{"json": true}' }, 'metadata.annotations'), []);
  });
  it('rejects bad keys with the original key', () => {
    const causes = validateAnnotations({ 'bad key': 'v', 'a/b/c': 'v' }, 'metadata.annotations');
    assert.deepEqual(causes.map((c) => c.badValue), ['a/b/c', 'bad key']);
    assert.ok(causes.every((c) => c.type === 'FieldValueInvalid' && c.field === 'metadata.annotations'));
  });
  it('allows exactly 256 KiB of keys plus values', () => {
    assert.deepEqual(validateAnnotations({ k: r('x', TotalAnnotationSizeLimitB - 1) }, 'metadata.annotations'), []);
  });
  it('rejects one byte more, like kubectl apply on a huge CRD', () => {
    const causes = validateAnnotations({ k: r('x', TotalAnnotationSizeLimitB) }, 'metadata.annotations');
    assert.equal(causes.length, 1);
    assert.equal(causes[0]!.type, 'FieldValueTooLong');
    assert.equal(formatFieldCause(causes[0]!), 'metadata.annotations: Too long: must have at most 262144 bytes');
  });
  it('counts multi-byte characters as bytes', () => {
    assert.equal(validateAnnotations({ k: r('é', TotalAnnotationSizeLimitB / 2) }, 'm').length, 1);
  });
});

describe('field errors', () => {
  it('formats each type like field.Error', () => {
    assert.equal(formatFieldCause(fieldError.required('spec.name')), 'spec.name: Required value');
    assert.equal(formatFieldCause(fieldError.required('spec.name', 'name or generateName is required')), 'spec.name: Required value: name or generateName is required');
    assert.equal(formatFieldCause(fieldError.invalid('spec.replicas', -1, 'must be greater than or equal to 0')), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(formatFieldCause(fieldError.invalid('values', null, 'x')), 'values: Invalid value: null: x');
    assert.equal(formatFieldCause(fieldError.invalid('values', ['a', '<b>'], 'x')), 'values: Invalid value: ["a","\\u003cb\\u003e"]: x');
    assert.equal(formatFieldCause(fieldError.notSupported('spec.type', 'Foo', ['A', 'B'])), 'spec.type: Unsupported value: "Foo": supported values: "A", "B"');
    assert.equal(formatFieldCause(fieldError.notSupported('op', 'Foo', [])), 'op: Unsupported value: "Foo"');
    assert.equal(formatFieldCause(fieldError.forbidden('spec', 'may not change')), 'spec: Forbidden: may not change');
    assert.equal(formatFieldCause(fieldError.duplicate('spec.ports[1]', 'http')), 'spec.ports[1]: Duplicate value: "http"');
  });
  it('quotes like Go %q', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('\n\t\x00\x7f'), '"\\n\\t\\x00\\x7f"');
    assert.equal(goQuote('rā'), '"rā"');
  });
  it('aggregates like utilerrors', () => {
    assert.equal(aggregateMessage([]), '');
    assert.equal(aggregateMessage(['a']), 'a');
    assert.equal(aggregateMessage(['a', 'b', 'a']), '[a, b]');
    assert.equal(aggregateMessage(['a', 'a']), 'a');
  });
  it('builds paths like field.Path', () => {
    assert.equal(fieldPath.child('', 'key'), 'key');
    assert.equal(fieldPath.child('spec', 'selector', 'matchLabels'), 'spec.selector.matchLabels');
    assert.equal(fieldPath.key(fieldPath.index('values', 0), 'app'), 'values[0][app]');
  });
});
