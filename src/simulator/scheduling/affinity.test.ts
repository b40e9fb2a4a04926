import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import {
  isQualifiedName,
  isValidLabelValue,
  matchesNodeSelector,
  matchesNodeSelectorTerms,
  maxPreferredNodeAffinityScore,
  podMatchesNodeSelectorAndAffinity,
  preferredNodeAffinityScore,
  requiredNodeNames,
} from './affinity.js';

const node: Node = {
  metadata: {
    name: 'worker-1',
    labels: { 'topology.kubernetes.io/zone': 'eu-1a', 'node.kubernetes.io/instance-type': 'm5.large', cores: '8', gpu: '', role: 'worker' },
  },
};
const expr = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });
const term = (...matchExpressions: NodeSelectorRequirement[]): NodeSelectorTerm => ({ matchExpressions });

describe('node selector requirements', () => {
  const table: [string, NodeSelectorRequirement, boolean][] = [
    ['In matches', expr('topology.kubernetes.io/zone', 'In', ['eu-1b', 'eu-1a']), true],
    ['In misses', expr('topology.kubernetes.io/zone', 'In', ['eu-1b']), false],
    ['In on a missing label', expr('missing', 'In', ['x']), false],
    ['In on an empty value', expr('gpu', 'In', ['']), true],
    ['NotIn on a missing label matches', expr('missing', 'NotIn', ['x']), true],
    ['NotIn excludes', expr('role', 'NotIn', ['worker']), false],
    ['NotIn allows', expr('role', 'NotIn', ['control-plane']), true],
    ['Exists', expr('gpu', 'Exists'), true],
    ['Exists on a missing label', expr('missing', 'Exists'), false],
    ['DoesNotExist', expr('missing', 'DoesNotExist'), true],
    ['DoesNotExist on a present label', expr('role', 'DoesNotExist'), false],
    ['Gt', expr('cores', 'Gt', ['4']), true],
    ['Gt is strict', expr('cores', 'Gt', ['8']), false],
    ['Lt', expr('cores', 'Lt', ['16']), true],
    ['Gt on a non-integer label', expr('role', 'Gt', ['1']), false],
    ['Gt on a missing label', expr('missing', 'Gt', ['1']), false],
    // parse errors: the term never matches
    ['In without values', expr('role', 'In', []), false],
    ['Exists with values', expr('role', 'Exists', ['worker']), false],
    ['Gt with two values', expr('cores', 'Gt', ['1', '2']), false],
    ['Gt with a non-integer bound', expr('cores', 'Gt', ['four']), false],
    ['unknown operator', expr('role', 'Equals', ['worker']), false],
    ['invalid key', expr('bad key', 'Exists'), false],
    ['invalid value', expr('role', 'NotIn', ['not a label value']), false],
  ];
  for (const [name, req, want] of table) it(name, () => assert.equal(matchesNodeSelectorTerms([term(req)], node), want));
});

describe('node selector terms', () => {
  it('ORs terms and ANDs expressions', () => {
    const zoneA = expr('topology.kubernetes.io/zone', 'In', ['eu-1a']);
    const zoneB = expr('topology.kubernetes.io/zone', 'In', ['eu-1b']);
    const worker = expr('role', 'In', ['worker']);
    assert.equal(matchesNodeSelectorTerms([term(zoneA, worker)], node), true);
    assert.equal(matchesNodeSelectorTerms([term(zoneB, worker)], node), false);
    assert.equal(matchesNodeSelectorTerms([term(zoneB), term(zoneA)], node), true);
    assert.equal(matchesNodeSelectorTerms([term(expr('role', 'Bogus')), term(zoneA)], node), true);
  });

  it('empty terms and empty lists match nothing', () => {
    assert.equal(matchesNodeSelectorTerms([{}], node), false);
    assert.equal(matchesNodeSelectorTerms([{ matchExpressions: [] }], node), false);
    assert.equal(matchesNodeSelectorTerms([], node), false);
  });

  it('matchFields on metadata.name', () => {
    const f = (operator: string, values: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator, values }] });
    assert.equal(matchesNodeSelectorTerms([f('In', ['worker-1'])], node), true);
    assert.equal(matchesNodeSelectorTerms([f('In', ['worker-2'])], node), false);
    assert.equal(matchesNodeSelectorTerms([f('NotIn', ['worker-2'])], node), true);
    assert.equal(matchesNodeSelectorTerms([f('In', ['worker-1', 'worker-2'])], node), false, 'more than one value is a parse error');
    assert.equal(matchesNodeSelectorTerms([f('Exists', [])], node), false);
    assert.equal(
      matchesNodeSelectorTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }], matchExpressions: [expr('role', 'In', ['x'])] }], node),
      false,
    );
  });
});

describe('nodeSelector and required affinity', () => {
  const pod = (spec: Pod['spec']): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });
  it('nodeSelector needs every label with the same value', () => {
    assert.equal(matchesNodeSelector({ role: 'worker', gpu: '' }, node), true);
    assert.equal(matchesNodeSelector({ role: 'worker', missing: '' }, node), false);
    assert.equal(matchesNodeSelector(undefined, node), true);
  });
  it('both must match', () => {
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term(expr('cores', 'Gt', ['4']))] } },
    };
    assert.equal(podMatchesNodeSelectorAndAffinity(pod({ containers: [], nodeSelector: { role: 'worker' }, affinity }), node), true);
    assert.equal(podMatchesNodeSelectorAndAffinity(pod({ containers: [], nodeSelector: { role: 'db' }, affinity }), node), false);
    assert.equal(
      podMatchesNodeSelectorAndAffinity(pod({ containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }), node),
      false,
      'a required selector without terms matches nothing',
    );
    assert.equal(podMatchesNodeSelectorAndAffinity(pod({ containers: [] }), node), true);
  });
});

describe('preferred node affinity', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [],
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 80, preference: term(expr('topology.kubernetes.io/zone', 'In', ['eu-1a'])) },
            { weight: 20, preference: term(expr('role', 'In', ['db'])) },
            { weight: 0, preference: term(expr('role', 'Exists')) },
            { weight: 5, preference: {} },
            { weight: 7, preference: term(expr('role', 'Bogus')) },
          ],
        },
      },
    },
  };
  it('sums the weights of matching terms', () => assert.equal(preferredNodeAffinityScore(pod, node), 80));
  it('knows the maximum', () => assert.equal(maxPreferredNodeAffinityScore(pod), 100));
});

describe('requiredNodeNames (NodeAffinity PreFilter)', () => {
  const pin = (...terms: NodeSelectorTerm[]): Pod => ({
    metadata: { name: 'ds' },
    spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } },
  });
  const name = (...values: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }] });
  it('DaemonSet-style pin', () => assert.deepEqual(requiredNodeNames(pin(name('n1'))), new Set(['n1'])));
  it('union over terms', () => assert.deepEqual(requiredNodeNames(pin(name('n1'), name('n2'))), new Set(['n1', 'n2'])));
  it('intersection within a term', () =>
    assert.deepEqual(requiredNodeNames(pin({ matchFields: [...name('n1', 'n2').matchFields!, ...name('n2', 'n3').matchFields!] })), new Set(['n2'])));
  it('conflict', () => assert.equal(requiredNodeNames(pin({ matchFields: [...name('n1').matchFields!, ...name('n2').matchFields!] })), 'conflict'));
  it('a term without a name pin allows all nodes', () => assert.equal(requiredNodeNames(pin(name('n1'), term(expr('role', 'Exists')))), undefined));
  it('no affinity', () => assert.equal(requiredNodeNames({ metadata: {}, spec: { containers: [] } }), undefined));
});

describe('label syntax', () => {
  it('qualified names', () => {
    for (const ok of ['a', 'role', 'kubernetes.io/hostname', 'example.com/a_b.c-d', 'A1']) assert.ok(isQualifiedName(ok), ok);
    for (const bad of ['', '/a', 'a/', 'a/b/c', '-a', 'a-', 'Example.com/a', 'bad key', 'x'.repeat(64)]) assert.ok(!isQualifiedName(bad), bad);
  });
  it('label values', () => {
    for (const ok of ['', 'a', 'a.b_c-d', '8']) assert.ok(isValidLabelValue(ok), ok);
    for (const bad of ['-a', 'a b', 'x'.repeat(64), '-5']) assert.ok(!isValidLabelValue(bad), bad);
  });
});
