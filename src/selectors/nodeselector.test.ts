import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileNodeSelector,
  matchNodeSelector,
  matchNodeSelectorRequirements,
  matchNodeSelectorTerm,
  nodeFields,
  nodeSelectorRequirementsAsFieldSelector,
  nodeSelectorRequirementsAsSelector,
  type NodeSelector,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
} from './nodeselector.js';
import { SelectorParseError } from './errors.js';

const node1 = { labels: { 'kubernetes.io/hostname': 'host_1', zone: 'us-east-1a', cpus: '8', gpu: '' }, fields: { 'metadata.name': 'host_1' } };

const req = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => (values ? { key, operator, values } : { key, operator });

describe('matchNodeSelectorRequirements (label semantics)', () => {
  const cases: [string, NodeSelectorRequirement[], boolean][] = [
    ['In matches', [req('zone', 'In', ['us-east-1a', 'us-east-1b'])], true],
    ['In misses', [req('zone', 'In', ['eu-west-1a'])], false],
    ['In on a missing key', [req('rack', 'In', ['r1'])], false],
    ['NotIn matches', [req('zone', 'NotIn', ['eu-west-1a'])], true],
    ['NotIn on a missing key matches', [req('rack', 'NotIn', ['r1'])], true],
    ['NotIn misses', [req('zone', 'NotIn', ['us-east-1a'])], false],
    ['Exists with an empty value', [req('gpu', 'Exists')], true],
    ['Exists misses', [req('rack', 'Exists')], false],
    ['DoesNotExist', [req('rack', 'DoesNotExist')], true],
    ['DoesNotExist misses', [req('gpu', 'DoesNotExist')], false],
    ['Gt', [req('cpus', 'Gt', ['4'])], true],
    ['Gt is strict', [req('cpus', 'Gt', ['8'])], false],
    ['Lt', [req('cpus', 'Lt', ['16'])], true],
    ['Lt misses', [req('cpus', 'Lt', ['2'])], false],
    ['Gt on a non-integer label', [req('zone', 'Gt', ['1'])], false],
    ['Gt on a missing label', [req('mem', 'Gt', ['1'])], false],
    ['ANDed: all hold', [req('zone', 'In', ['us-east-1a']), req('cpus', 'Gt', ['2'])], true],
    ['ANDed: one fails', [req('zone', 'In', ['us-east-1a']), req('cpus', 'Gt', ['20'])], false],
    ['empty list matches nothing', [], false],
    ['bad operator matches nothing', [req('zone', 'Equals', ['x'])], false],
    ['Gt with a non-integer value matches nothing', [req('cpus', 'Gt', ['x'])], false],
    ['In without values matches nothing', [req('zone', 'In')], false],
  ];
  for (const [name, reqs, want] of cases) it(name, () => assert.equal(matchNodeSelectorRequirements(reqs, node1.labels), want));
  it('undefined labels', () => {
    assert.equal(matchNodeSelectorRequirements([req('a', 'DoesNotExist')], undefined), true);
    assert.equal(matchNodeSelectorRequirements([req('a', 'Exists')], undefined), false);
  });
});

describe('nodeSelectorRequirementsAsSelector', () => {
  it('builds a sorted label selector', () =>
    assert.equal(nodeSelectorRequirementsAsSelector([req('zone', 'In', ['b', 'a']), req('cpus', 'Lt', ['4']), req('gpu', 'Exists')]).toString(), 'cpus<4,gpu,zone in (a,b)'));
  it('empty selects nothing', () => {
    const s = nodeSelectorRequirementsAsSelector([]);
    assert.equal(s.selectable, false);
    assert.equal(s.matches({}), false);
  });
  it('reports every error with its path', () => {
    assert.throws(
      () => nodeSelectorRequirementsAsSelector([req('a', 'Foo'), req('b', 'Gt', ['x']), req('c', 'In', ['ok'])], 'spec.matchExpressions'),
      (e: unknown) => {
        assert.ok(e instanceof SelectorParseError);
        assert.equal(
          e.message,
          `[spec.matchExpressions[0].operator: Unsupported value: "Foo", spec.matchExpressions[1].values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer]`,
        );
        assert.deepEqual(e.causes.map((c) => c.type), ['FieldValueNotSupported', 'FieldValueInvalid']);
        return true;
      },
    );
  });
  it('distinguishes omitted values (null) from empty values ([])', () => {
    assert.throws(() => nodeSelectorRequirementsAsSelector([req('a', 'In')]), { message: "[0].values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty" });
    assert.throws(() => nodeSelectorRequirementsAsSelector([req('a', 'In', [])]), { message: "[0].values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty" });
  });
  it('validates keys and values', () => {
    assert.throws(() => nodeSelectorRequirementsAsSelector([req('bad key', 'Exists')]), /^SelectorParseError: \[0\]\.key: Invalid value: "bad key": name part must consist/);
    assert.throws(() => nodeSelectorRequirementsAsSelector([req('k', 'In', ['bad value'])]), /\[0\]\.values\[0\]\[k\]: Invalid value: "bad value"/);
  });
});

describe('nodeSelectorRequirementsAsFieldSelector', () => {
  it('In and NotIn with one value', () => {
    const s = nodeSelectorRequirementsAsFieldSelector([req('metadata.name', 'In', ['host_1']), req('metadata.name', 'NotIn', ['host_2'])]);
    assert.equal(s.toString(), 'metadata.name=host_1,metadata.name!=host_2');
    assert.equal(s.matches({ 'metadata.name': 'host_1' }), true);
    assert.equal(s.matches({ 'metadata.name': 'host_2' }), false);
  });
  it('empty selects nothing', () => assert.equal(nodeSelectorRequirementsAsFieldSelector(null).matches({}), false));
  it('rejects several values and other operators', () => {
    assert.throws(
      () => nodeSelectorRequirementsAsFieldSelector([req('metadata.name', 'In', ['host_1', 'host_2']), req('metadata.name', 'Exists')], 'matchFields'),
      {
        message:
          '[matchFields[0].values: Invalid value: ["host_1","host_2"]: must have one element, matchFields[1].operator: Unsupported value: "Exists": supported values: "In", "NotIn"]',
      },
    );
  });
});

describe('matchNodeSelectorTerm', () => {
  const cases: [string, NodeSelectorTerm, boolean][] = [
    ['empty term matches nothing', {}, false],
    ['null lists match nothing', { matchExpressions: null, matchFields: null }, false],
    ['empty lists match nothing', { matchExpressions: [], matchFields: [] }, false],
    ['labels only', { matchExpressions: [req('zone', 'In', ['us-east-1a'])] }, true],
    ['fields only', { matchFields: [req('metadata.name', 'In', ['host_1'])] }, true],
    ['fields only, other node', { matchFields: [req('metadata.name', 'In', ['host_2'])] }, false],
    ['labels and fields both hold', { matchExpressions: [req('gpu', 'Exists')], matchFields: [req('metadata.name', 'NotIn', ['host_2'])] }, true],
    ['labels hold, fields fail', { matchExpressions: [req('gpu', 'Exists')], matchFields: [req('metadata.name', 'In', ['host_2'])] }, false],
    ['fields hold, labels fail', { matchExpressions: [req('gpu', 'DoesNotExist')], matchFields: [req('metadata.name', 'In', ['host_1'])] }, false],
    ['invalid term', { matchExpressions: [req('zone', 'Bogus', ['x'])] }, false],
  ];
  for (const [name, term, want] of cases) it(name, () => assert.equal(matchNodeSelectorTerm(term, node1.labels, node1.fields), want));
  it('ignores matchFields when the node has no fields (as Kubernetes does)', () => {
    const term = { matchFields: [req('metadata.name', 'In', ['host_2'])] };
    assert.equal(matchNodeSelectorTerm(term, node1.labels, {}), true);
    assert.equal(matchNodeSelectorTerm(term, node1.labels), true);
  });
});

describe('matchNodeSelector (terms ORed)', () => {
  const cases: [string, NodeSelector, boolean][] = [
    ['no terms', { nodeSelectorTerms: [] }, false],
    ['null terms', { nodeSelectorTerms: null }, false],
    ['only an empty term', { nodeSelectorTerms: [{}] }, false],
    ['one matching term', { nodeSelectorTerms: [{ matchExpressions: [req('zone', 'In', ['us-east-1a'])] }] }, true],
    [
      'second term matches',
      { nodeSelectorTerms: [{ matchExpressions: [req('zone', 'In', ['eu'])] }, { matchExpressions: [req('cpus', 'Gt', ['4'])] }] },
      true,
    ],
    ['no term matches', { nodeSelectorTerms: [{ matchExpressions: [req('zone', 'In', ['eu'])] }, { matchFields: [req('metadata.name', 'In', ['h2'])] }] }, false],
    ['empty term is skipped, valid one matches', { nodeSelectorTerms: [{}, { matchFields: [req('metadata.name', 'In', ['host_1'])] }] }, true],
    ['invalid term is skipped, valid one matches', { nodeSelectorTerms: [{ matchExpressions: [req('a', 'Nope')] }, { matchExpressions: [req('gpu', 'Exists')] }] }, true],
    ['only an invalid term', { nodeSelectorTerms: [{ matchExpressions: [req('a', 'Nope')] }] }, false],
  ];
  for (const [name, ns, want] of cases) it(name, () => assert.equal(matchNodeSelector(ns, node1.labels, node1.fields), want));
});

describe('compileNodeSelector (strict)', () => {
  it('matches like matchNodeSelector when valid', () => {
    const ns: NodeSelector = { nodeSelectorTerms: [{ matchExpressions: [req('zone', 'NotIn', ['eu'])] }, {}] };
    const c = compileNodeSelector(ns);
    assert.equal(c.matches(node1.labels, node1.fields), true);
    assert.equal(c.matches({ zone: 'eu' }), false);
  });
  it('lists errors from every term with full paths', () => {
    const ns: NodeSelector = {
      nodeSelectorTerms: [
        { matchExpressions: [req('a', 'Nope')] },
        {},
        { matchFields: [req('metadata.name', 'In')] },
      ],
    };
    assert.throws(() => compileNodeSelector(ns, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution'), {
      name: 'SelectorParseError',
      message:
        '[spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Nope", ' +
        'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[2].matchFields[0].values: Invalid value: null: must have one element]',
    });
  });
  it('no terms compiles to match-nothing', () => assert.equal(compileNodeSelector({ nodeSelectorTerms: [] }).matches({}), false));
});

describe('nodeFields', () => {
  it('exposes metadata.name only when set', () => {
    assert.deepEqual(nodeFields({ metadata: { name: 'n1' } }), { 'metadata.name': 'n1' });
    assert.deepEqual(nodeFields({ metadata: {} }), {});
    assert.deepEqual(nodeFields(undefined), {});
  });
});

describe('Karmada cluster fieldSelector (label semantics over cluster fields)', () => {
  const cluster = { provider: 'aws', region: 'us-east-1', zone: 'us-east-1a' };
  it('In/NotIn/Exists over provider and region', () => {
    assert.equal(matchNodeSelectorRequirements([req('provider', 'In', ['aws', 'gcp']), req('region', 'NotIn', ['eu-west-1'])], cluster), true);
    assert.equal(matchNodeSelectorRequirements([req('provider', 'In', ['gcp'])], cluster), false);
    assert.equal(matchNodeSelectorRequirements([req('zone', 'Exists')], { provider: 'aws' }), false);
  });
});
