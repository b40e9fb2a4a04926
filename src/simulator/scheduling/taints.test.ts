import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import {
  conditionTaints,
  countIntolerablePreferNoSchedule,
  effectiveTaints,
  findUntoleratedTaint,
  tolerates,
  toleratesTaint,
  untoleratedTaintReason,
} from './taints.js';

const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const cp: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  const table: [string, Toleration, Taint, boolean][] = [
    ['Equal with same key/value/effect', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, gpu, true],
    ['empty operator means Equal', { key: 'dedicated', value: 'gpu' }, gpu, true],
    ['Equal with other value', { key: 'dedicated', operator: 'Equal', value: 'cpu' }, gpu, false],
    ['Equal without value vs valued taint', { key: 'dedicated', operator: 'Equal' }, gpu, false],
    ['Equal without value vs valueless taint', { key: cp.key, operator: 'Equal' }, cp, true],
    ['Exists ignores the value', { key: 'dedicated', operator: 'Exists' }, gpu, true],
    ['Exists with another key', { key: 'other', operator: 'Exists' }, gpu, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, gpu, true],
    ['empty key with Exists and an effect', { operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['empty key with Equal compares values only', { operator: 'Equal', value: 'gpu' }, gpu, true],
    ['empty effect matches all effects', { key: 'dedicated', operator: 'Exists' }, { ...gpu, effect: 'NoExecute' }, true],
    ['effect must match when set', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['PreferNoSchedule toleration vs PreferNoSchedule taint', { key: 'k', operator: 'Exists', effect: 'PreferNoSchedule' }, { key: 'k', effect: 'PreferNoSchedule' }, true],
    ['unknown operator', { key: 'dedicated', operator: 'Matches', value: 'gpu' }, gpu, false],
    ['Lt disabled by default', { key: 'level', operator: 'Lt', value: '10' }, { key: 'level', value: '5', effect: 'NoSchedule' }, false],
  ];
  for (const [name, tol, taint, want] of table) it(name, () => assert.equal(toleratesTaint(tol, taint), want));

  describe('comparison operators (when enabled)', () => {
    const on = { comparisonOperators: true };
    const taint = (value: string): Taint => ({ key: 'level', value, effect: 'NoSchedule' });
    const table2: [string, Toleration, Taint, boolean][] = [
      ['Lt: taint value below', { key: 'level', operator: 'Lt', value: '10' }, taint('5'), true],
      ['Lt: equal is not below', { key: 'level', operator: 'Lt', value: '10' }, taint('10'), false],
      ['Gt: taint value above', { key: 'level', operator: 'Gt', value: '10' }, taint('11'), true],
      ['Gt: negative numbers', { key: 'level', operator: 'Gt', value: '-3' }, taint('-2'), true],
      ['non-integer taint value', { key: 'level', operator: 'Gt', value: '1' }, taint('abc'), false],
      ['leading zeros are not decimal integers', { key: 'level', operator: 'Lt', value: '010' }, taint('5'), false],
    ];
    for (const [name, tol, t, want] of table2) it(name, () => assert.equal(toleratesTaint(tol, t, on), want));
  });
});

describe('tolerates / findUntoleratedTaint', () => {
  it('any toleration may match', () => {
    assert.equal(tolerates([{ key: 'x', operator: 'Exists' }, { key: 'dedicated', value: 'gpu' }], gpu), true);
    assert.equal(tolerates(undefined, gpu), false);
    assert.equal(tolerates([], gpu), false);
  });

  it('reports the first untolerated NoSchedule/NoExecute taint in node order', () => {
    const taints: Taint[] = [{ key: 'soft', effect: 'PreferNoSchedule' }, gpu, cp, { key: 'evict', effect: 'NoExecute' }];
    assert.equal(findUntoleratedTaint(taints, []), gpu);
    assert.equal(findUntoleratedTaint(taints, [{ key: 'dedicated', operator: 'Exists' }]), cp);
    assert.deepEqual(findUntoleratedTaint(taints, [{ key: 'dedicated', operator: 'Exists' }, { key: cp.key, operator: 'Exists' }]), {
      key: 'evict',
      effect: 'NoExecute',
    });
    assert.equal(findUntoleratedTaint(taints, [{ operator: 'Exists' }]), undefined);
    assert.equal(findUntoleratedTaint([{ key: 'soft', effect: 'PreferNoSchedule' }], []), undefined);
  });

  it('formats the reason like kube-scheduler', () => {
    assert.equal(untoleratedTaintReason(gpu), 'node(s) had untolerated taint {dedicated: gpu}');
    assert.equal(untoleratedTaintReason(cp), 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
  });

  it('counts PreferNoSchedule taints not tolerated by PreferNoSchedule or effect-less tolerations', () => {
    const taints: Taint[] = [
      { key: 'a', effect: 'PreferNoSchedule' },
      { key: 'b', effect: 'PreferNoSchedule' },
      gpu,
    ];
    assert.equal(countIntolerablePreferNoSchedule(taints, []), 2);
    assert.equal(countIntolerablePreferNoSchedule(taints, [{ key: 'a', operator: 'Exists' }]), 1);
    assert.equal(countIntolerablePreferNoSchedule(taints, [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }]), 1);
    assert.equal(countIntolerablePreferNoSchedule(taints, [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }]), 2);
  });
});

describe('condition taints', () => {
  const node = (status?: string, taints: Taint[] = []): Node => ({
    metadata: { name: 'n' },
    spec: { taints },
    status: status ? { conditions: [{ type: 'Ready', status }] } : {},
  });
  it('Ready=True or no condition: none', () => {
    assert.deepEqual(conditionTaints(node('True')), []);
    assert.deepEqual(conditionTaints(node()), []);
  });
  it('Ready=False: not-ready', () => assert.deepEqual(conditionTaints(node('False')), [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]));
  it('Ready=Unknown: unreachable', () =>
    assert.deepEqual(conditionTaints(node('Unknown')), [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]));
  it('not duplicated when the controller already added it', () => {
    const n = node('False', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    assert.deepEqual(effectiveTaints(n), [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
  });
  it('can be switched off', () => assert.deepEqual(effectiveTaints(node('False'), false), []));
});
