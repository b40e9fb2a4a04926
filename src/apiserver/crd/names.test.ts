import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptNames, addTaken, emptyTaken, validateNames } from './names.js';
import type { CRDNames } from './types.js';

const widgets: CRDNames = { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'], categories: ['toys'] };
const taken = (...held: [string, CRDNames][]) => {
  const t = emptyTaken();
  for (const [holder, n] of held) addTaken(t, holder, n);
  return t;
};

describe('acceptNames (the naming controller)', () => {
  it('accepts names nobody holds', () => {
    const r = acceptNames(widgets, undefined, taken());
    assert.deepEqual(r.accepted, widgets);
    assert.deepEqual(r.condition, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
    assert.deepEqual(r.conflicts, []);
  });

  const gadgets: CRDNames = { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList', shortNames: ['gd'] };
  const cases: [string, CRDNames, string, string, string[]][] = [
    ['plural held as a singular', { ...widgets, plural: 'gadget' }, 'PluralConflict', '"gadget" is already in use', ['spec.names.plural']],
    ['singular held as a short name', { ...widgets, singular: 'gd' }, 'SingularConflict', '"gd" is already in use', ['spec.names.singular']],
    ['short names', { ...widgets, shortNames: ['gd', 'wd', 'gadgets'] }, 'ShortNamesConflict', '["gd" is already in use, "gadgets" is already in use]', ['spec.names.shortNames[0]', 'spec.names.shortNames[2]']],
    ['kind', { ...widgets, kind: 'Gadget' }, 'KindConflict', '"Gadget" is already in use', ['spec.names.kind']],
    ['list kind', { ...widgets, listKind: 'GadgetList' }, 'ListKindConflict', '"GadgetList" is already in use', ['spec.names.listKind']],
  ];
  for (const [name, requested, reason, message, fields] of cases) {
    it(`reports ${name}`, () => {
      const r = acceptNames(requested, undefined, taken(['customresourcedefinition "gadgets.example.com"', gadgets]));
      assert.equal(r.condition.status, 'False');
      assert.equal(r.condition.reason, reason);
      assert.equal(r.condition.message, message);
      assert.deepEqual(r.conflicts.map((c) => c.field), fields);
      assert.match(r.conflicts[0]!.message, /is already in use by customresourcedefinition "gadgets\.example\.com"/);
    });
  }

  it('keeps names it already accepted, and only accepts the conflicting one later', () => {
    const held = taken(['x', { plural: 'things', shortNames: ['th'] }]);
    const r = acceptNames({ ...widgets, shortNames: ['wd', 'th'] }, widgets, held);
    assert.equal(r.condition.reason, 'ShortNamesConflict');
    assert.deepEqual(r.accepted.shortNames, ['wd'], 'the previously accepted short names stay');
    assert.equal(r.accepted.plural, 'widgets');
    const own = acceptNames(widgets, widgets, taken(['y', { shortNames: ['wd'] }]));
    assert.equal(own.condition.status, 'True', 'a name already ours is never a conflict');
  });

  it('reports the first failing reason, as the condition carries one', () => {
    const r = acceptNames({ ...widgets, plural: 'gadgets', kind: 'Gadget' }, undefined, taken(['g', { plural: 'gadgets', kind: 'Gadget' }]));
    assert.equal(r.condition.reason, 'PluralConflict');
    assert.equal(r.conflicts.length, 2);
  });
});

describe('validateNames', () => {
  it('accepts good names', () => assert.deepEqual(validateNames(widgets, 'spec.names'), []));
  it('checks every name', () => {
    const got = validateNames({ plural: 'Widgets', singular: 'w_idget', kind: 'Wid get', listKind: 'Wid get', shortNames: ['ok', '9x'], categories: ['All'] }, 'spec.names').map((c) => c.field);
    assert.deepEqual(got, ['spec.names.plural', 'spec.names.singular', 'spec.names.kind', 'spec.names.listKind', 'spec.names.shortNames[1]', 'spec.names.listKind', 'spec.names.categories[0]']);
  });
});
