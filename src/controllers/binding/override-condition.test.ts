import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextOverrideConditions, OVERRIDES_APPLIED } from './override-condition.js';

const failure = { cluster: 'm3', errors: [{ policyKind: 'OverridePolicy' as const, policy: 'bad', namespace: 'default', rule: 0, overrider: 'plaintext' as const, field: 'spec.overrideRules[0].overriders.plaintext', message: 'path not found' }] };

describe('OverridesApplied condition', () => {
  it('absent while overrides never failed', () => assert.equal(nextOverrideConditions(undefined, [], 1, 'T0'), undefined));
  it('False with the failures, keeping other conditions', () => {
    const c = nextOverrideConditions([{ type: 'Scheduled', status: 'True', reason: 'Success', message: '', lastTransitionTime: 'T' }], [failure], 2, 'T1')!;
    assert.deepEqual(c.map((x) => x.type), ['Scheduled', OVERRIDES_APPLIED]);
    const o = c[1]!;
    assert.equal(o.status, 'False');
    assert.equal(o.reason, 'OverrideFailed');
    assert.match(o.message, /m3: OverridePolicy default\/bad spec\.overrideRules\[0\]\.overriders\.plaintext: path not found/);
    assert.equal(nextOverrideConditions(c, [failure], 2, 'T2'), undefined, 'the same failure is not rewritten');
  });
  it('True again once they apply', () => {
    const failed = nextOverrideConditions(undefined, [failure], 2, 'T1')!;
    const ok = nextOverrideConditions(failed, [], 3, 'T2')!;
    assert.equal(ok[0]!.status, 'True');
    assert.equal(ok[0]!.lastTransitionTime, 'T2');
    assert.equal(nextOverrideConditions(ok, [], 3, 'T3'), undefined);
  });
});
