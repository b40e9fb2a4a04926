import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, evaluate, CELError } from './cel.js';

const run = (rule: string, self: unknown, oldSelf?: unknown) => {
  const c = compileRule(rule);
  assert.ok(c, `${rule} should compile`);
  return evaluate(c, self, oldSelf);
};

describe('CEL subset', () => {
  const self = { a: 1, b: 2.5, name: 'web-1', tags: ['x', 'y'], labels: { app: 'web' }, nested: { on: true }, empty: [] };
  const cases: [string, unknown][] = [
    ['self.a == 1', true],
    ['self.a != 1', false],
    ['self.a < self.b', true],
    ['self.a + 1 == 2 && self.a * 3 == 3', true],
    ['7 / 2 == 3 && 7 % 2 == 1', true],
    ['-self.a == -1', true],
    ['self.name.startsWith("web") && self.name.endsWith("1") && self.name.contains("-")', true],
    ["self.name.matches('^[a-z]+-[0-9]+$')", true],
    ["'WEB'.lowerAscii() == 'web' && self.name.upperAscii() == 'WEB-1'", true],
    ['size(self.name) == 5 && self.tags.size() == 2 && size(self.labels) == 1', true],
    ["'x' in self.tags && !('z' in self.tags) && 'app' in self.labels", true],
    ['has(self.nested.on) && !has(self.nested.off)', true],
    ['self.nested.on ? self.a : 0', 1],
    ['self.tags[1]', 'y'],
    ["self.labels['app']", 'web'],
    ['self.tags.all(t, size(t) == 1)', true],
    ["self.tags.exists(t, t == 'y')", true],
    ['self.empty.all(t, false)', true],
    ['[1, 2] + [3] == [1, 2, 3]', true],
    ["{'a': 1}.a == 1", true],
    ['int("42") == 42 && string(7) == "7" && double(2) == 2.0', true],
    ['self.a == 1 || self.missing == 2', true],
    ['(self.a == 2) && self.missing == 2', false],
    ["'a' < 'b'", true],
    ['null == null', true],
    ['0x10 == 16 && 3u == 3', true],
  ];
  for (const [rule, want] of cases) it(rule, () => assert.deepEqual(run(rule, self), want));

  it('compares with oldSelf', () => {
    assert.equal(run('self == oldSelf', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
    assert.equal(run('self.a >= oldSelf.a', { a: 1 }, { a: 2 }), false);
    assert.equal(compileRule('self == oldSelf')!.usesOldSelf, true);
    assert.equal(compileRule('self.oldSelfish == 1')!.usesOldSelf, false);
  });

  for (const [rule, msg] of [
    ['self.missing == 1', 'no such key: missing'],
    ['self.tags[5] == 1', 'index out of bounds: 5'],
    ['self.a / 0 == 1', 'division by zero'],
    ["self.a + 'x'", 'no such overload'],
    ['self.name.size() > self.tags', 'no such overload'],
  ] as const) {
    it(`errors: ${rule}`, () => assert.throws(() => run(rule, self), (e: unknown) => e instanceof CELError && e.message.startsWith(msg)));
  }

  for (const rule of [
    "quantity(self.x).isLessThan(quantity('1Gi'))",
    'self.?optional.orValue(1) == 1',
    'timestamp(self.t) > timestamp("2020-01-01T00:00:00Z")',
    'self.map(x, x * 2) == [2]',
    'type(self) == int',
    'self.a ==',
    '"unterminated',
    '',
  ]) {
    it(`does not compile (skipped): ${JSON.stringify(rule)}`, () => assert.equal(compileRule(rule), undefined));
  }
});
