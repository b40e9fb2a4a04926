import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeFieldValue,
  everythingFieldSelector,
  fieldSelectorFromSet,
  nothingFieldSelector,
  parseAndTransformFieldSelector,
  parseFieldSelector,
  SelectorParseError,
  unescapeFieldValue,
} from './fields.js';

const throwsMsg = (fn: () => unknown, msg: string) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SelectorParseError);
    assert.equal(e.message, msg);
    return true;
  });

describe('parseFieldSelector: round trips (fields selector_test.go TestSelectorParse)', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) it(JSON.stringify(s), () => assert.equal(parseFieldSelector(s).toString(), s));
  it('is deterministic', () => assert.equal(parseFieldSelector('x=a,a=x').toString(), parseFieldSelector('a=x,x=a').toString()));
});

describe('parseFieldSelector: requirements and canonical form', () => {
  const cases: [string, { field: string; operator: string; value: string }[], string][] = [
    ['metadata.name=my-service', [{ field: 'metadata.name', operator: '=', value: 'my-service' }], 'metadata.name=my-service'],
    ['metadata.namespace!=default', [{ field: 'metadata.namespace', operator: '!=', value: 'default' }], 'metadata.namespace!=default'],
    ['status.phase==Pending', [{ field: 'status.phase', operator: '=', value: 'Pending' }], 'status.phase=Pending'],
    [
      'status.phase!=Running,spec.restartPolicy=Always',
      [
        { field: 'spec.restartPolicy', operator: '=', value: 'Always' },
        { field: 'status.phase', operator: '!=', value: 'Running' },
      ],
      'spec.restartPolicy=Always,status.phase!=Running',
    ],
    ['spec.nodeName=', [{ field: 'spec.nodeName', operator: '=', value: '' }], 'spec.nodeName='],
    ['a=x,,b=y,', [{ field: 'a', operator: '=', value: 'x' }, { field: 'b', operator: '=', value: 'y' }], 'a=x,b=y'],
    [',', [], ''],
    ['k=\\,,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: ',' }], 'k2=v2,k=\\,'],
    ['k=\\\\,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: '\\' }], 'k2=v2,k=\\\\'],
    ['k=\\\\\\,,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: '\\,' }], 'k2=v2,k=\\\\\\,'],
    ['함=수,목=록', [{ field: '목', operator: '=', value: '록' }, { field: '함', operator: '=', value: '수' }], '목=록,함=수'],
    // whitespace is part of the field and value, as in Kubernetes
    [' a = b', [{ field: ' a ', operator: '=', value: ' b' }], ' a = b'],
    ['notin=in', [{ field: 'notin', operator: '=', value: 'in' }], 'notin=in'],
  ];
  for (const [input, reqs, out] of cases) {
    it(JSON.stringify(input), () => {
      const sel = parseFieldSelector(input);
      assert.deepEqual(sel.requirements.map((r) => ({ ...r })), reqs);
      assert.equal(sel.toString(), out);
    });
  }
});

describe('parseFieldSelector: errors', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"], // terms are sorted before parsing
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x>1', "invalid selector: 'x>1'; can't understand 'x>1'"],
    ['x=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['x=\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
  ];
  for (const [input, msg] of cases) it(JSON.stringify(input), () => throwsMsg(() => parseFieldSelector(input), msg));
});

describe('FieldSelector.matches (TestSelectorMatches)', () => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    // a missing field reads as ""
    ['spec.nodeName=', {}, true],
    ['spec.nodeName=', { 'spec.nodeName': 'n1' }, false],
    ['spec.nodeName!=', { 'spec.nodeName': 'n1' }, true],
    ['spec.nodeName!=n1', {}, true],
    ['status.phase=Running,metadata.namespace!=kube-system', { 'status.phase': 'Running', 'metadata.namespace': 'default' }, true],
    ['toString=', {}, true], // own properties only
  ];
  for (const [sel, fields, want] of cases) it(`${JSON.stringify(sel)} vs ${JSON.stringify(fields)}`, () => assert.equal(parseFieldSelector(sel).matches(fields), want));
  it('undefined fields behave as empty', () => {
    assert.equal(parseFieldSelector('a=').matches(undefined), true);
    assert.equal(parseFieldSelector('a=b').matches(undefined), false);
  });
});

describe('escaping (TestEscapeValue)', () => {
  const pairs: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [raw, escaped] of pairs) {
    it(`${JSON.stringify(raw)} <-> ${JSON.stringify(escaped)}`, () => {
      assert.equal(escapeFieldValue(raw), escaped);
      assert.equal(unescapeFieldValue(escaped), raw);
    });
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => unescapeFieldValue(bad), /invalid escape sequence/));
  it('rejects bare specials', () => {
    throwsMsg(() => unescapeFieldValue('a,b'), 'invalid field selector: unescaped character in value: 44');
    throwsMsg(() => unescapeFieldValue('a=b'), 'invalid field selector: unescaped character in value: 61');
  });
});

describe('selector helpers', () => {
  it('everything', () => {
    const s = everythingFieldSelector();
    assert.equal(s.empty, true);
    assert.equal(s.matches({ x: 'y' }), true);
    assert.equal(parseFieldSelector('').empty, true);
  });
  it('a one-term selector is not empty', () => assert.equal(parseFieldSelector('a=b').empty, false));
  it('nothing', () => {
    const s = nothingFieldSelector();
    assert.equal(s.empty, false);
    assert.equal(s.selectable, false);
    assert.equal(s.matches({}), false);
  });
  it('fromSet', () => {
    assert.equal(fieldSelectorFromSet(null).empty, true);
    const s = fieldSelectorFromSet({ 'metadata.name': 'a,b' });
    assert.equal(s.toString(), 'metadata.name=a\\,b');
    assert.equal(s.matches({ 'metadata.name': 'a,b' }), true);
  });
  it('requiresExactMatch (TestRequiresExactMatch)', () => {
    const s = parseFieldSelector('test=b,other!=c,empty=');
    assert.equal(s.requiresExactMatch('test'), 'b');
    assert.equal(s.requiresExactMatch('other'), undefined);
    assert.equal(s.requiresExactMatch('empty'), '');
    assert.equal(s.requiresExactMatch('missing'), undefined);
    assert.equal(everythingFieldSelector().requiresExactMatch('test'), undefined);
  });
  it('transform rewrites and drops terms', () => {
    const s = parseAndTransformFieldSelector('spec.host=n1,drop=me,status.phase=Running', (f, v) =>
      f === 'spec.host' ? ['spec.nodeName', v] : f === 'drop' ? ['', ''] : [f, v],
    );
    assert.equal(s.toString(), 'spec.nodeName=n1,status.phase=Running');
  });
});
