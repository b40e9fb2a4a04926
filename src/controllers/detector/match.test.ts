import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLAIM_ANNOTATIONS, PERMANENT_ID_LABELS } from './keys.js';
import { bestPolicy, claimOf, selectPolicy, type PolicyLike, type TemplateLike } from './match.js';

const pol = (name: string, selectors: PolicyLike['spec']['resourceSelectors'], o: { ns?: string; priority?: number; preemption?: string; deleting?: boolean } = {}): PolicyLike => ({
  metadata: { name, namespace: o.ns, uid: `uid-${name}`, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { resourceSelectors: selectors, priority: o.priority, preemption: o.preemption },
});
const pp = (name: string, sel: PolicyLike['spec']['resourceSelectors'], o: Parameters<typeof pol>[2] = {}) => pol(name, sel, { ns: 'default', ...o });

const byName = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const byLabel = { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'web' } } };
const all = { apiVersion: 'apps/v1', kind: 'Deployment' };

const tpl = (claim?: { pp?: string; cpp?: string }, ns = 'default'): TemplateLike => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: ns,
    labels: { app: 'web', ...(claim?.pp ? { [PERMANENT_ID_LABELS.PropagationPolicy]: 'x' } : {}), ...(claim?.cpp ? { [PERMANENT_ID_LABELS.ClusterPropagationPolicy]: 'y' } : {}) },
    annotations: {
      ...(claim?.pp ? { [CLAIM_ANNOTATIONS.ppName]: claim.pp, [CLAIM_ANNOTATIONS.ppNamespace]: ns } : {}),
      ...(claim?.cpp ? { [CLAIM_ANNOTATIONS.cppName]: claim.cpp } : {}),
    },
  },
});

describe('bestPolicy: Karmada precedence', () => {
  const cases: [string, PolicyLike[], string | undefined][] = [
    ['none match', [pp('a', [{ apiVersion: 'v1', kind: 'ConfigMap' }])], undefined],
    ['name beats labelSelector beats all', [pp('a', [all]), pp('b', [byLabel]), pp('c', [byName])], 'c'],
    ['labelSelector beats all', [pp('a', [all]), pp('b', [byLabel])], 'b'],
    ['explicit priority beats specificity', [pp('a', [byName]), pp('b', [all], { priority: 1 })], 'b'],
    ['same priority and level: smaller name', [pp('zeta', [byName]), pp('alpha', [byName])], 'alpha'],
    ['negative priority loses to default 0', [pp('a', [byName], { priority: -1 }), pp('b', [all])], 'b'],
    ['best selector of a policy counts', [pp('a', [{ apiVersion: 'v1', kind: 'ConfigMap' }, byName]), pp('b', [byLabel])], 'a'],
    ['a deleting policy matches nothing', [pp('a', [byName], { deleting: true }), pp('b', [all])], 'b'],
    ['a PP of another namespace never matches', [pp('a', [byName], { ns: 'other' })], undefined],
    ['selector namespace defaults to the PP namespace', [pp('a', [{ ...byName, namespace: 'other' }]), pp('b', [byName])], 'b'],
    ['label selector that does not match', [pp('a', [{ apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'db' } } }])], undefined],
  ];
  for (const [name, policies, want] of cases) {
    it(name, () => assert.equal(bestPolicy('PropagationPolicy', policies, tpl())?.metadata.name, want));
  }
});

describe('selectPolicy: PP before CPP, claims, preemption', () => {
  const cases: [string, TemplateLike, PolicyLike[], PolicyLike[], [string, string, string] | undefined][] = [
    ['unclaimed: a PP wins over any CPP', tpl(), [pp('p', [all])], [pol('c', [byName], { priority: 100 })], ['PropagationPolicy', 'p', 'matched']],
    ['unclaimed: a CPP when no PP matches', tpl(), [], [pol('c', [all])], ['ClusterPropagationPolicy', 'c', 'matched']],
    ['nothing matches', tpl(), [], [], undefined],
    ['claimed PP stays against a better PP without preemption', tpl({ pp: 'p' }), [pp('p', [all]), pp('q', [byName], { priority: 9 })], [], ['PropagationPolicy', 'p', 'claimed']],
    [
      'claimed PP is preempted by a higher-priority PP with Always',
      tpl({ pp: 'p' }),
      [pp('p', [all], { priority: 1 }), pp('q', [all], { priority: 2, preemption: 'Always' })],
      [],
      ['PropagationPolicy', 'q', 'preempted'],
    ],
    ['equal priority does not preempt', tpl({ pp: 'p' }), [pp('p', [all], { priority: 2 }), pp('q', [byName], { priority: 2, preemption: 'Always' })], [], ['PropagationPolicy', 'p', 'claimed']],
    ['a PP with Always takes a CPP-claimed template whatever the priorities', tpl({ cpp: 'c' }), [pp('q', [all], { priority: -5, preemption: 'Always' })], [pol('c', [byName], { priority: 50 })], ['PropagationPolicy', 'q', 'preempted']],
    ['a PP without preemption leaves a CPP claim alone', tpl({ cpp: 'c' }), [pp('q', [byName])], [pol('c', [all])], ['ClusterPropagationPolicy', 'c', 'claimed']],
    ['a CPP preempts a lower CPP', tpl({ cpp: 'c' }), [], [pol('c', [all], { priority: 1 }), pol('d', [all], { priority: 3, preemption: 'Always' })], ['ClusterPropagationPolicy', 'd', 'preempted']],
    ['a CPP never preempts a PP', tpl({ pp: 'p' }), [pp('p', [all])], [pol('d', [byName], { priority: 99, preemption: 'Always' })], ['PropagationPolicy', 'p', 'claimed']],
    ['claimed policy gone: the best remaining one', tpl({ pp: 'gone' }), [pp('q', [all])], [pol('c', [all])], ['PropagationPolicy', 'q', 'matched']],
    ['claimed policy no longer selects it: released to a CPP', tpl({ pp: 'p' }), [pp('p', [{ ...byName, name: 'other' }])], [pol('c', [all])], ['ClusterPropagationPolicy', 'c', 'matched']],
    ['claimed policy being deleted: released', tpl({ pp: 'p' }), [pp('p', [all], { deleting: true })], [], undefined],
  ];
  for (const [name, t, pps, cpps, want] of cases) {
    it(name, () => {
      const s = selectPolicy(t, pps, cpps);
      assert.deepEqual(s ? [s.kind, s.policy.metadata.name, s.how] : undefined, want);
    });
  }
  it('cluster-scoped templates only get CPPs', () => {
    const t: TemplateLike = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } };
    const s = selectPolicy(t, [pp('p', [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }])], [pol('c', [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }])]);
    assert.equal(s?.kind, 'ClusterPropagationPolicy');
  });
});

describe('claimOf', () => {
  it('reads PP and CPP claims; PP first', () => {
    assert.deepEqual(claimOf(tpl({ pp: 'p' })), { kind: 'PropagationPolicy', namespace: 'default', name: 'p' });
    assert.deepEqual(claimOf(tpl({ cpp: 'c' })), { kind: 'ClusterPropagationPolicy', name: 'c' });
    assert.equal(claimOf(tpl({ pp: 'p', cpp: 'c' }))?.kind, 'PropagationPolicy');
    assert.equal(claimOf(tpl()), undefined);
  });
});
