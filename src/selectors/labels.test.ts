import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  everything,
  formatLabelSelector,
  fromLabelSelector,
  labelSelectorToString,
  newRequirement,
  nothing,
  parseLabelSelector,
  Requirement,
  SelectorParseError,
  selectorFromRequirements,
  selectorFromSet,
  type LabelSelectorObject,
} from './labels.js';

const parses = (s: string) => parseLabelSelector(s).toString();
const throwsMsg = (fn: () => unknown, msg: string | RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SelectorParseError, `expected SelectorParseError, got ${String(e)}`);
    if (typeof msg === 'string') assert.equal(e.message, msg);
    else assert.match(e.message, msg);
    return true;
  });

describe('parseLabelSelector: round trips (selector_test.go TestSelectorParse)', () => {
  // Canonical form is the input with spaces removed.
  const good = ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'];
  for (const s of good) it(JSON.stringify(s), () => assert.equal(parses(s), s.replaceAll(' ', '')));
  it('is deterministic whatever the input order', () => assert.equal(parses('x=a,a=x'), parses('a=x,x=a')));
});

describe('parseLabelSelector: canonical forms (TestSetSelectorParser)', () => {
  const cases: [string, string][] = [
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,def)', 'x in (abc,def)'],
    ['x in (def,abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['in in (in)', 'in in (in)'],
    ['notin=in', 'notin=in'],
    ['app.kubernetes.io/name=nginx, tier in (fe, be)', 'app.kubernetes.io/name=nginx,tier in (be,fe)'],
    // Kubernetes documentation (concepts/overview/working-with-objects/labels)
    ['environment = production', 'environment=production'],
    ['tier != frontend', 'tier!=frontend'],
    ['environment=production,tier!=frontend', 'environment=production,tier!=frontend'],
    ['environment in (production, qa)', 'environment in (production,qa)'],
    ['tier notin (frontend, backend)', 'tier notin (backend,frontend)'],
    ['partition', 'partition'],
    ['!partition', '!partition'],
    ['partition,environment notin (qa)', 'environment notin (qa),partition'],
    // Go's lexer treats NUL as the end of input.
    ['x \0 junk', 'x'],
  ];
  for (const [input, out] of cases) it(JSON.stringify(input), () => assert.equal(parses(input), out));
});

describe('parseLabelSelector: requirements', () => {
  it('exposes key, operator and sorted, de-duplicated values', () => {
    const sel = parseLabelSelector('z, x in (b,a,b), !y, w>3, v!=k, u==e');
    assert.deepEqual(
      sel.requirements.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] })),
      [
        { key: 'u', operator: '==', values: ['e'] },
        { key: 'v', operator: '!=', values: ['k'] },
        { key: 'w', operator: 'gt', values: ['3'] },
        { key: 'x', operator: 'in', values: ['a', 'b'] },
        { key: 'y', operator: '!', values: [] },
        { key: 'z', operator: 'exists', values: [] },
      ],
    );
    assert.equal(sel.empty, false);
    assert.equal(sel.selectable, true);
  });
  it('keeps several requirements on one key', () => assert.equal(parses('x!=a,x!=b,x'), 'x!=a,x!=b,x'));
  it('empty string is everything', () => {
    const sel = parseLabelSelector('  ');
    assert.equal(sel.empty, true);
    assert.equal(sel.matches({ a: 'b' }), true);
    assert.equal(sel.matches(undefined), true);
  });
  it('requiresExactMatch like Go', () => {
    const sel = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5,e==6');
    assert.equal(sel.requiresExactMatch('a'), '1');
    assert.equal(sel.requiresExactMatch('b'), '2');
    assert.equal(sel.requiresExactMatch('c'), undefined);
    assert.equal(sel.requiresExactMatch('d'), undefined);
    assert.equal(sel.requiresExactMatch('e'), '6');
    assert.equal(sel.requiresExactMatch('zz'), undefined);
  });
  it('add() re-sorts', () => assert.equal(parseLabelSelector('b=1').add(newRequirement('a', 'exists')).toString(), 'a,b=1'));
});

describe('parseLabelSelector: errors with the Go messages', () => {
  const VALUE_MSG =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const NAME_MSG =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_MSG}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>1.5', `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${VALUE_MSG}`],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['=', "found '=', expected: !, identifier, or 'end of string'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a,', "unable to parse requirement: found '', expected: ',', or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['A_', `unable to parse requirement: <nil>: Invalid value: "A_": ${NAME_MSG}`],
    ['x=' + 'a'.repeat(64), `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  ];
  for (const [input, msg] of cases) it(JSON.stringify(input), () => throwsMsg(() => parseLabelSelector(input), msg));
  it('rejects a key with two slashes', () => throwsMsg(() => parseLabelSelector('a/b/c'), /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name /));
  it('carries field causes', () => {
    try {
      parseLabelSelector('x=a_');
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof SelectorParseError);
      assert.equal(e.causes.length, 1);
      assert.equal(e.causes[0]!.field, 'values[0][x]');
      assert.equal(e.causes[0]!.type, 'FieldValueInvalid');
    }
  });
});

describe('LabelSelector.matches (TestSelectorMatches, TestRequirementSelectorMatching)', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x in ()', { x: '' }, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x!=', {}, true],
    ['z>1', { z: '2' }, true],
    ['z>1', { z: 'v2' }, false],
    ['z>1', {}, false],
    ['z<1', {}, false],
    ['z<10', { z: '-5' }, true],
    ['z>9007199254740992', { z: '9007199254740993' }, true], // exact int64 comparison
    ['z<5', { z: '99999999999999999999' }, false], // out of int64 range never matches
    ['x', undefined, false],
    ['!x', undefined, true],
    ['x notin (a)', undefined, true],
    ['constructor', {}, false], // own properties only
    ['app.kubernetes.io/name in (web, api)', { 'app.kubernetes.io/name': 'api' }, true],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} vs ${JSON.stringify(labels)}`, () => assert.equal(parseLabelSelector(sel).matches(labels), want));
  }
});

describe('Requirement / newRequirement (TestRequirementConstructor, TestToString)', () => {
  const ctor: [string, string, string[], boolean][] = [
    ['x', 'in', [], false],
    ['x', 'notin', [], false],
    ['x', 'in', ['foo'], true],
    ['x', 'notin', ['foo'], true],
    ['x', 'exists', [], true],
    ['x', '!', [], true],
    ['1foo', 'in', ['bar'], true],
    ['1234', 'in', ['bar'], true],
    ['y', 'gt', ['1'], true],
    ['z', 'lt', ['6'], true],
    ['foo', 'gt', ['bar'], false],
    ['barz', 'lt', ['blah'], false],
    ['x', '=', ['a', 'b'], false],
    ['x', 'exists', ['a'], false],
    ['x', 'gt', ['1', '2'], false],
    ['x', 'bogus', ['a'], false],
    ['a'.repeat(254), 'exists', [], false],
  ];
  for (const [k, op, vals, ok] of ctor) {
    it(`${k.slice(0, 10)} ${op} ${JSON.stringify(vals)} -> ${ok ? 'ok' : 'error'}`, () => {
      if (ok) assert.doesNotThrow(() => newRequirement(k, op, vals));
      else assert.throws(() => newRequirement(k, op, vals), SelectorParseError);
    });
  }
  it('reports an unsupported operator with the list', () =>
    throwsMsg(() => newRequirement('x', 'bogus', ['a']), 'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'));
  it('aggregates several errors', () =>
    throwsMsg(() => newRequirement('x', 'gt', ['a', 'b']), `[values: Invalid value: ["a","b"]: for 'Gt', 'Lt' operators, exactly one value is required, values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer, values[1]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer]`));
  const str: [Requirement[], string][] = [
    [[new Requirement('x', 'in', ['abc', 'def']), new Requirement('y', 'notin', ['jkl']), new Requirement('z', 'exists', [])], 'x in (abc,def),y notin (jkl),z'],
    [[new Requirement('x', 'notin', ['abc', 'def']), new Requirement('y', '!=', ['jkl']), new Requirement('z', '!', [])], 'x notin (abc,def),y!=jkl,!z'],
    [[new Requirement('x', 'notin', ['abc']), new Requirement('y', 'in', ['jkl', 'mno']), new Requirement('z', 'notin', [''])], 'x notin (abc),y in (jkl,mno),z notin ()'],
    [[new Requirement('x', '=', ['abc']), new Requirement('y', '==', ['jkl']), new Requirement('z', '!=', ['a']), new Requirement('z', 'exists', [])], 'x=abc,y==jkl,z!=a,z'],
    [[new Requirement('x', 'gt', ['2']), new Requirement('y', 'lt', ['8']), new Requirement('z', 'exists', [])], 'x>2,y<8,z'],
    [[new Requirement('x', 'in', ['b', 'a'])], 'x in (a,b)'],
  ];
  for (const [reqs, want] of str) it(want, () => assert.equal(selectorFromRequirements(reqs).toString(), want));
  it('toString sorts without mutating', () => {
    const r = new Requirement('x', 'in', ['b', 'a']);
    assert.equal(r.toString(), 'x in (a,b)');
    assert.deepEqual([...r.values], ['b', 'a']);
  });
  it('equals', () => assert.ok(new Requirement('x', 'in', ['a']).equals(newRequirement('x', 'in', ['a']))));
});

describe('everything / nothing / selectorFromSet', () => {
  it('everything matches all and is empty', () => {
    assert.equal(everything().matches({ x: 'y' }), true);
    assert.equal(everything().empty, true);
    assert.equal(everything().toString(), '');
  });
  it('nothing matches nothing and is not empty', () => {
    assert.equal(nothing().matches({}), false);
    assert.equal(nothing().empty, false);
    assert.equal(nothing().selectable, false);
    assert.equal(nothing().add(newRequirement('a', 'exists')).matches({ a: '' }), false);
  });
  it('selectorFromSet', () => {
    const labelset = { foo: 'bar', baz: 'blah' };
    assert.equal(selectorFromSet({}).matches(labelset), true);
    assert.equal(selectorFromSet(null).empty, true);
    assert.equal(selectorFromSet({ foo: 'bar' }).matches(labelset), true);
    assert.equal(selectorFromSet({ foo: 'bar', baz: 'blah' }).matches(labelset), true);
    assert.equal(selectorFromSet({ foo: 'bar', baz: 'x' }).matches(labelset), false);
    assert.equal(selectorFromSet({ b: '1', a: '2' }).toString(), 'a=2,b=1');
  });
  it('selectorFromSet validates', () =>
    throwsMsg(() => selectorFromSet({ Key: 'axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui' }), /must be no more than 63 characters$/));
});

describe('fromLabelSelector (metav1.LabelSelectorAsSelector)', () => {
  it('null and undefined select nothing', () => {
    for (const s of [null, undefined]) {
      const sel = fromLabelSelector(s);
      assert.equal(sel.matches({}), false);
      assert.equal(sel.matches({ a: 'b' }), false);
      assert.equal(sel.toString(), '');
    }
  });
  it('{} and empty lists select everything', () => {
    for (const s of [{}, { matchLabels: {}, matchExpressions: [] }, { matchLabels: null, matchExpressions: null }]) {
      const sel = fromLabelSelector(s);
      assert.equal(sel.empty, true);
      assert.equal(sel.matches({ a: 'b' }), true);
      assert.equal(sel.matches(undefined), true);
    }
  });
  const cases: [LabelSelectorObject, string, Record<string, string>, boolean][] = [
    [{ matchLabels: { app: 'nginx' } }, 'app=nginx', { app: 'nginx', x: 'y' }, true],
    [{ matchLabels: { tier: 'fe', app: 'nginx' } }, 'app=nginx,tier=fe', { app: 'nginx' }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['qa', 'prod'] }] }, 'env in (prod,qa)', { env: 'qa' }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa'] }] }, 'env notin (qa)', {}, true],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, 'env', { env: '' }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: [] }] }, '!env', { env: '' }, false],
    [
      { matchLabels: { component: 'redis' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['cache'] }, { key: 'environment', operator: 'NotIn', values: ['dev'] }] },
      'component=redis,environment notin (dev),tier in (cache)',
      { component: 'redis', tier: 'cache', environment: 'prod' },
      true,
    ],
  ];
  for (const [obj, str, labels, want] of cases) {
    it(str, () => {
      const sel = fromLabelSelector(obj);
      assert.equal(sel.toString(), str);
      assert.equal(labelSelectorToString(obj), str);
      assert.equal(sel.matches(labels), want);
    });
  }
  const bad: [LabelSelectorObject, string | RegExp][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid pod selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['1'] }] }, '"in" is not a valid pod selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: ["x"]: values set must be empty for exists and does not exist'],
    [{ matchExpressions: [{ key: 'a b', operator: 'Exists' }] }, /^key: Invalid value: "a b": name part must consist/],
    [{ matchLabels: { app: 'has space' } }, /^values\[0\]\[app\]: Invalid value: "has space": a valid label must be/],
  ];
  for (const [obj, msg] of bad) it(`rejects ${JSON.stringify(obj)}`, () => throwsMsg(() => fromLabelSelector(obj), msg));
});

describe('formatLabelSelector', () => {
  it('"<none>" for empty and null', () => {
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector(null), '<none>');
  });
  it('"<error>" when invalid', () => assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }), '<error>'));
  it('the string otherwise', () => assert.equal(formatLabelSelector({ matchLabels: { app: 'nginx' } }), 'app=nginx'));
});
