import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimMetadata, claimPatch, hasClaim, policyID, withClaim } from './claim.js';

const pp = { metadata: { name: 'web', namespace: 'prod', uid: 'u1', labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp' } }, spec: { resourceSelectors: [] } };
const cpp = { metadata: { name: 'all', uid: 'u2' }, spec: { resourceSelectors: [] } };

describe('claim metadata', () => {
  it('uses Karmada keys; the permanent id falls back to the uid', () => {
    assert.deepEqual(claimMetadata('PropagationPolicy', pp), {
      labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp' },
      annotations: { 'propagationpolicy.karmada.io/namespace': 'prod', 'propagationpolicy.karmada.io/name': 'web' },
    });
    assert.deepEqual(claimMetadata('ClusterPropagationPolicy', cpp), {
      labels: { 'clusterpropagationpolicy.karmada.io/permanent-id': 'u2' },
      annotations: { 'clusterpropagationpolicy.karmada.io/name': 'all' },
    });
    assert.equal(policyID('ClusterPropagationPolicy', cpp), 'u2');
  });

  const cases: [string, { labels?: Record<string, string>; annotations?: Record<string, string> }, 'pp' | 'cpp' | 'none', unknown][] = [
    ['claiming a fresh template', { labels: { app: 'x' } }, 'pp', { metadata: { labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp' }, annotations: { 'propagationpolicy.karmada.io/namespace': 'prod', 'propagationpolicy.karmada.io/name': 'web' } } }],
    ['already claimed: no patch', { labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp' }, annotations: { 'propagationpolicy.karmada.io/namespace': 'prod', 'propagationpolicy.karmada.io/name': 'web' } }, 'pp', undefined],
    [
      'a PP claim clears a CPP claim',
      { labels: { 'clusterpropagationpolicy.karmada.io/permanent-id': 'u2' }, annotations: { 'clusterpropagationpolicy.karmada.io/name': 'all' } },
      'pp',
      {
        metadata: {
          labels: { 'propagationpolicy.karmada.io/permanent-id': 'id-pp', 'clusterpropagationpolicy.karmada.io/permanent-id': null },
          annotations: { 'propagationpolicy.karmada.io/namespace': 'prod', 'propagationpolicy.karmada.io/name': 'web', 'clusterpropagationpolicy.karmada.io/name': null },
        },
      },
    ],
    ['unclaiming removes only claim keys', { labels: { app: 'x', 'clusterpropagationpolicy.karmada.io/permanent-id': 'u2' }, annotations: { note: 'keep' } }, 'none', { metadata: { labels: { 'clusterpropagationpolicy.karmada.io/permanent-id': null } } }],
    ['unclaiming an unclaimed template: no patch', { labels: { app: 'x' } }, 'none', undefined],
  ];
  for (const [name, meta, to, want] of cases) {
    it(name, () => {
      const claim = to === 'pp' ? claimMetadata('PropagationPolicy', pp) : to === 'cpp' ? claimMetadata('ClusterPropagationPolicy', cpp) : undefined;
      assert.deepEqual(claimPatch(meta, claim), want);
    });
  }

  it('withClaim replaces claim keys and keeps the rest', () => {
    const out = withClaim({ labels: { app: 'x', 'propagationpolicy.karmada.io/permanent-id': 'old' }, annotations: { note: 'n' } }, claimMetadata('ClusterPropagationPolicy', cpp));
    assert.deepEqual(out.labels, { app: 'x', 'clusterpropagationpolicy.karmada.io/permanent-id': 'u2' });
    assert.deepEqual(out.annotations, { note: 'n', 'clusterpropagationpolicy.karmada.io/name': 'all' });
    assert.equal(hasClaim(out), true);
    assert.equal(hasClaim({ labels: { app: 'x' } }), false);
  });
});
