import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESOURCE_TEMPLATE_GENERATION_ANNOTATION } from './constants.js';
import { interpretHealth } from './health.js';
import { aggregateStatus, reflectStatus, statusEqual } from './status.js';
import type { AggregatedStatusItem, JsonObject } from './types.js';

// ---- what kubectl reads on the control plane -------------------------------------------------

type Cond = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastUpdateTime?: string };
const cond = (status: JsonObject | undefined, type: string): Cond | undefined => (status?.['conditions'] as Cond[] | undefined)?.find((c) => c.type === type);
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** kubectl's DeploymentStatusViewer (rollout status), over template + aggregated status. */
function rolloutStatus(template: JsonObject, status: JsonObject | undefined): { done: boolean; msg: string } {
  const gen = n((template['metadata'] as JsonObject)['generation']);
  const want = (template['spec'] as JsonObject)['replicas'] as number | undefined;
  const s = status ?? {};
  if (gen > n(s['observedGeneration'])) return { done: false, msg: 'Waiting for deployment spec update to be observed...' };
  if (cond(s, 'Progressing')?.reason === 'ProgressDeadlineExceeded') throw new Error('deployment exceeded its progress deadline');
  if (want !== undefined && n(s['updatedReplicas']) < want) return { done: false, msg: `${n(s['updatedReplicas'])} out of ${want} new replicas have been updated...` };
  if (n(s['replicas']) > n(s['updatedReplicas'])) return { done: false, msg: `${n(s['replicas']) - n(s['updatedReplicas'])} old replicas are pending termination...` };
  if (n(s['availableReplicas']) < n(s['updatedReplicas'])) return { done: false, msg: `${n(s['availableReplicas'])} of ${n(s['updatedReplicas'])} updated replicas are available...` };
  return { done: true, msg: 'successfully rolled out' };
}

/** kubectl wait --for=condition=Available */
const waitAvailable = (status: JsonObject | undefined): boolean => cond(status, 'Available')?.status === 'True';

// ---- fixtures ---------------------------------------------------------------------------------

const NOW = new Date('2025-01-01T00:00:00Z');
const LATER = new Date('2025-01-01T00:05:00Z');

const template = (generation: number, replicas = 3, status?: JsonObject): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', generation },
  spec: { replicas, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } },
  ...(status ? { status } : {}),
});

interface MemberState {
  /** template generation the member copy was built from (annotation) */
  rtg: number;
  /** the member object's own generation and what its controller observed */
  gen?: number;
  observed?: number;
  replicas?: number;
  updated?: number;
  ready?: number;
  available?: number;
  /** member Progressing reason (NewReplicaSetAvailable = done); null = no Progressing condition */
  progressing?: string | null;
  availableCond?: 'True' | 'False' | null;
  desired?: number;
}

/** A member Deployment as the member's own controller would report it. */
function member(m: MemberState): JsonObject {
  const desired = m.desired ?? 3;
  const replicas = m.replicas ?? desired;
  const updated = m.updated ?? desired;
  const available = m.available ?? updated;
  const conditions: Cond[] = [];
  if (m.progressing !== null) {
    const reason = m.progressing ?? 'NewReplicaSetAvailable';
    conditions.push({ type: 'Progressing', status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True', reason });
  }
  if (m.availableCond !== null) {
    const ok = m.availableCond ?? 'True';
    conditions.push({ type: 'Available', status: ok, reason: ok === 'True' ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: m.gen ?? 1, annotations: { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: String(m.rtg) } },
    spec: { replicas: desired },
    status: {
      observedGeneration: m.observed ?? m.gen ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: m.ready ?? available,
      availableReplicas: available,
      ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
      conditions,
    },
  };
}

const item = (clusterName: string, obj: JsonObject | undefined, applied = true): AggregatedStatusItem => ({
  clusterName,
  applied,
  ...(obj ? { status: reflectStatus(obj)!, health: interpretHealth(obj) } : {}),
});

const agg = (tmpl: JsonObject, items: AggregatedStatusItem[], now = NOW) => aggregateStatus(tmpl, items, { now });

// ---- Deployment --------------------------------------------------------------------------------

describe('reflectStatus: Deployment carries generations and conditions', () => {
  it('adds generation and resourceTemplateGeneration beside the counters', () => {
    const s = reflectStatus(member({ rtg: 4, gen: 7, observed: 7 }))!;
    assert.equal(s['generation'], 7);
    assert.equal(s['resourceTemplateGeneration'], 4);
    assert.equal(s['observedGeneration'], 7);
    assert.equal(s['replicas'], 3);
    assert.ok(Array.isArray(s['conditions']));
  });
  it('a member without status reflects nothing', () => {
    const obj = member({ rtg: 1 });
    delete obj['status'];
    assert.equal(reflectStatus(obj), undefined);
  });
  it('a malformed generation annotation reads as unknown (0)', () => {
    const obj = member({ rtg: 1 });
    (obj['metadata'] as JsonObject)['annotations'] = { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: 'x1' };
    assert.equal(reflectStatus(obj)!['resourceTemplateGeneration'], undefined);
  });
  it('drops per-cluster noise (collisionCount, terminatingReplicas)', () => {
    const obj = member({ rtg: 1 });
    (obj['status'] as JsonObject)['collisionCount'] = 2;
    assert.equal(reflectStatus(obj)!['collisionCount'], undefined);
  });
});

describe('aggregateStatus: Deployment and kubectl rollout status', () => {
  interface Case {
    name: string;
    tmpl: JsonObject;
    items: AggregatedStatusItem[];
    observedGeneration: number | undefined;
    counts?: Partial<Record<'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas' | 'unavailableReplicas', number>>;
    rollout: boolean | 'error';
    available: boolean;
    progressingReason?: string | null;
    messageIncludes?: string;
  }
  const table: Case[] = [
    {
      name: 'all clusters up to date and rolled out',
      tmpl: template(2),
      items: [item('m1', member({ rtg: 2, gen: 2 })), item('m2', member({ rtg: 2, gen: 5 }))],
      observedGeneration: 2,
      counts: { replicas: 6, updatedReplicas: 6, readyReplicas: 6, availableReplicas: 6, unavailableReplicas: 0 },
      rollout: true,
      available: true,
      progressingReason: 'NewReplicaSetAvailable',
    },
    {
      name: 'divided replicas: 3 + 2 of 5',
      tmpl: template(1, 5),
      items: [item('m1', member({ rtg: 1, desired: 3 })), item('m2', member({ rtg: 1, desired: 2 }))],
      observedGeneration: 1,
      counts: { replicas: 5, updatedReplicas: 5, availableReplicas: 5 },
      rollout: true,
      available: true,
      progressingReason: 'NewReplicaSetAvailable',
    },
    {
      name: 'mid-rollout in one cluster: surge pod, 1 of 3 updated',
      tmpl: template(2),
      items: [
        item('m1', member({ rtg: 2, gen: 2 })),
        item('m2', member({ rtg: 2, gen: 2, replicas: 4, updated: 1, available: 3, progressing: 'ReplicaSetUpdated' })),
      ],
      observedGeneration: 2,
      counts: { replicas: 7, updatedReplicas: 4 },
      rollout: false,
      available: true,
      progressingReason: 'ReplicaSetUpdated',
      messageIncludes: 'm2',
    },
    {
      name: 'mid-rollout: all updated but new pods not yet available',
      tmpl: template(2),
      items: [item('m1', member({ rtg: 2, gen: 2, updated: 3, available: 1, availableCond: 'False', progressing: 'ReplicaSetUpdated' }))],
      observedGeneration: 2,
      counts: { updatedReplicas: 3, availableReplicas: 1, unavailableReplicas: 2 },
      rollout: false,
      available: false,
      progressingReason: 'ReplicaSetUpdated',
    },
    {
      name: 'one cluster behind: its Work still carries the previous template',
      tmpl: template(3, 3, { observedGeneration: 2 }),
      items: [item('m1', member({ rtg: 3, gen: 3 })), item('m2', member({ rtg: 2, gen: 2 }))],
      observedGeneration: 2,
      rollout: false,
      available: true,
      progressingReason: 'ReplicaSetUpdated',
      messageIncludes: 'm2',
    },
    {
      name: "one cluster's controller has not observed its new spec yet",
      tmpl: template(3, 3, { observedGeneration: 2 }),
      items: [item('m1', member({ rtg: 3, gen: 3 })), item('m2', member({ rtg: 3, gen: 3, observed: 2 }))],
      observedGeneration: 2,
      rollout: false,
      available: true,
    },
    {
      name: 'last apply failed in one cluster',
      tmpl: template(3, 3, { observedGeneration: 2 }),
      items: [item('m1', member({ rtg: 3, gen: 3 })), item('m2', member({ rtg: 3, gen: 3 }), false)],
      observedGeneration: 2,
      rollout: false,
      available: true,
    },
    {
      name: 'one cluster has not reported any status',
      tmpl: template(1),
      items: [item('m1', member({ rtg: 1 })), item('m2', undefined)],
      observedGeneration: undefined,
      counts: { replicas: 3 },
      rollout: false,
      available: false,
      messageIncludes: 'm2',
    },
    {
      name: 'progress deadline exceeded in one cluster fails the rollout',
      tmpl: template(2),
      items: [item('m1', member({ rtg: 2, gen: 2 })), item('m2', member({ rtg: 2, gen: 2, updated: 1, available: 2, progressing: 'ProgressDeadlineExceeded', availableCond: 'True' }))],
      observedGeneration: 2,
      rollout: 'error',
      available: true,
      progressingReason: 'ProgressDeadlineExceeded',
      messageIncludes: 'm2',
    },
    {
      name: 'not running in any cluster',
      tmpl: template(1),
      items: [],
      observedGeneration: 1,
      counts: { replicas: 0, updatedReplicas: 0 },
      rollout: false,
      available: false,
      progressingReason: null,
    },
    {
      name: 'members without conditions (no progress deadline): counters decide',
      tmpl: template(1),
      items: [item('m1', member({ rtg: 1, progressing: null, availableCond: null }))],
      observedGeneration: 1,
      rollout: true,
      available: true,
      progressingReason: 'NewReplicaSetAvailable',
    },
    {
      name: 'members without conditions, pods still unavailable',
      tmpl: template(1),
      items: [item('m1', member({ rtg: 1, available: 2, progressing: null, availableCond: null }))],
      observedGeneration: 1,
      rollout: false,
      available: false,
      progressingReason: 'ReplicaSetUpdated',
    },
    {
      name: 'a newer member copy (template read was stale) still counts as up to date',
      tmpl: template(2),
      items: [item('m1', member({ rtg: 3, gen: 4 }))],
      observedGeneration: 2,
      rollout: true,
      available: true,
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const s = agg(t.tmpl, t.items)!;
      assert.equal(s['observedGeneration'], t.observedGeneration, 'observedGeneration');
      for (const [k, v] of Object.entries(t.counts ?? {})) assert.equal(s[k], v, k);
      if (t.rollout === 'error') assert.throws(() => rolloutStatus(t.tmpl, s), /progress deadline/);
      else assert.equal(rolloutStatus(t.tmpl, s).done, t.rollout, `rollout status: ${rolloutStatus(t.tmpl, s).msg}`);
      assert.equal(waitAvailable(s), t.available, 'Available');
      if (t.progressingReason !== undefined) assert.equal(cond(s, 'Progressing')?.reason ?? null, t.progressingReason, 'Progressing reason');
      if (t.messageIncludes) {
        const msgs = [cond(s, 'Progressing')?.message, cond(s, 'Available')?.message].join(' ');
        assert.ok(msgs.includes(t.messageIncludes), msgs);
      }
    });
  }

  it('a generation change holds observedGeneration until every cluster catches up', () => {
    // Steady state at generation 1.
    let tmpl = template(1);
    let status = agg(tmpl, [item('m1', member({ rtg: 1 })), item('m2', member({ rtg: 1 }))])!;
    assert.equal(rolloutStatus(tmpl, status).done, true);
    // The user edits the template: generation 2; members have not been touched yet.
    tmpl = template(2, 3, status);
    status = agg(tmpl, [item('m1', member({ rtg: 1 })), item('m2', member({ rtg: 1 }))])!;
    assert.equal(status['observedGeneration'], 1);
    assert.match(rolloutStatus(tmpl, status).msg, /spec update to be observed/);
    // m1 receives the new manifest and starts rolling; m2 still old.
    tmpl = template(2, 3, status);
    status = agg(tmpl, [item('m1', member({ rtg: 2, gen: 2, replicas: 4, updated: 1, progressing: 'ReplicaSetUpdated' })), item('m2', member({ rtg: 1 }))])!;
    assert.equal(status['observedGeneration'], 1);
    assert.equal(rolloutStatus(tmpl, status).done, false);
    // Both have the new manifest; m2 mid-rollout.
    tmpl = template(2, 3, status);
    status = agg(tmpl, [item('m1', member({ rtg: 2, gen: 2 })), item('m2', member({ rtg: 2, gen: 2, replicas: 4, updated: 2, progressing: 'ReplicaSetUpdated' }))])!;
    assert.equal(status['observedGeneration'], 2);
    assert.match(rolloutStatus(tmpl, status).msg, /old replicas are pending termination/);
    // Done everywhere.
    tmpl = template(2, 3, status);
    status = agg(tmpl, [item('m1', member({ rtg: 2, gen: 2 })), item('m2', member({ rtg: 2, gen: 2 }))])!;
    assert.deepEqual(rolloutStatus(tmpl, status), { done: true, msg: 'successfully rolled out' });
    assert.equal(cond(status, 'Progressing')?.reason, 'NewReplicaSetAvailable');
  });

  it('re-aggregating an unchanged fleet changes nothing (stable condition times)', () => {
    const items = [item('m1', member({ rtg: 1 })), item('m2', member({ rtg: 1 }))];
    const first = agg(template(1), items, NOW)!;
    const second = agg(template(1, 3, first), items, LATER)!;
    assert.deepEqual(second, first);
    assert.ok(statusEqual(template(1, 3, first), second));
  });

  it('lastTransitionTime moves only when a condition flips; lastUpdateTime when its reason or message changes', () => {
    const up = agg(template(1), [item('m1', member({ rtg: 1 }))], NOW)!;
    const down = agg(template(1, 3, up), [item('m1', member({ rtg: 1, available: 1, availableCond: 'False', progressing: 'ReplicaSetUpdated' }))], LATER)!;
    assert.equal(cond(down, 'Available')?.lastTransitionTime, '2025-01-01T00:05:00Z');
    // Progressing stayed True but its reason changed.
    assert.equal(cond(down, 'Progressing')?.lastTransitionTime, '2025-01-01T00:00:00Z');
    assert.equal(cond(down, 'Progressing')?.lastUpdateTime, '2025-01-01T00:05:00Z');
  });

  it('keeps fields it does not own and does not mutate the template', () => {
    const tmpl = template(1, 3, { collisionCount: 1, observedGeneration: 1 });
    const before = structuredClone(tmpl);
    const s = agg(tmpl, [item('m1', member({ rtg: 1 }))])!;
    assert.equal(s['collisionCount'], 1);
    assert.deepEqual(tmpl, before);
  });
});

// ---- StatefulSet, DaemonSet, ReplicaSet ---------------------------------------------------------

function sts(rtg: number, s: JsonObject, gen = 1): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: gen, annotations: { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: String(rtg) } },
    spec: { replicas: 2 },
    status: { observedGeneration: gen, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2, ...s },
  };
}

describe('aggregateStatus: StatefulSet', () => {
  const tmpl = (gen: number, status?: JsonObject): JsonObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', generation: gen }, spec: { replicas: 4 }, ...(status ? { status } : {}) });
  it('sums counters and reports one revision when every cluster finished', () => {
    const s = agg(tmpl(2), [
      item('m1', sts(2, { currentRevision: 'db-abc', updateRevision: 'db-abc' })),
      item('m2', sts(2, { currentRevision: 'db-abc', updateRevision: 'db-abc' })),
    ])!;
    assert.equal(s['observedGeneration'], 2);
    assert.equal(s['readyReplicas'], 4);
    assert.equal(s['currentRevision'], 'db-abc');
    assert.equal(s['updateRevision'], 'db-abc');
  });
  it('revisions differ while any cluster is still updating (rollout status keeps waiting)', () => {
    const s = agg(tmpl(2), [
      item('m1', sts(2, { currentRevision: 'db-abc', updateRevision: 'db-def' })),
      item('m2', sts(2, { currentRevision: 'db-def', updateRevision: 'db-def' })),
    ])!;
    assert.notEqual(s['currentRevision'], s['updateRevision']);
    assert.equal(s['updateRevision'], 'db-def');
  });
  it('per-cluster revision names (overrides) still converge', () => {
    const s = agg(tmpl(1), [item('m1', sts(1, { currentRevision: 'db-a', updateRevision: 'db-a' })), item('m2', sts(1, { currentRevision: 'db-b', updateRevision: 'db-b' }))])!;
    assert.equal(s['currentRevision'], s['updateRevision']);
  });
  it('holds observedGeneration for a cluster still on the old template', () => {
    const s = agg(tmpl(3, { observedGeneration: 2 }), [item('m1', sts(3, {})), item('m2', sts(2, {}))])!;
    assert.equal(s['observedGeneration'], 2);
  });
});

describe('aggregateStatus: DaemonSet and ReplicaSet', () => {
  const ds = (rtg: number, desired: number, updated: number, available: number): JsonObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: 1, annotations: { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: String(rtg) } },
    status: { observedGeneration: 1, desiredNumberScheduled: desired, currentNumberScheduled: desired, updatedNumberScheduled: updated, numberAvailable: available, numberReady: available, numberMisscheduled: 0 },
  });
  it('DaemonSet: counters summed, observedGeneration gated', () => {
    const tmpl = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', generation: 2 }, status: { observedGeneration: 1 } };
    const behind = agg(tmpl, [item('m1', ds(2, 3, 3, 3)), item('m2', ds(1, 5, 5, 5))])!;
    assert.equal(behind['observedGeneration'], 1);
    assert.equal(behind['desiredNumberScheduled'], 8);
    const done = agg(tmpl, [item('m1', ds(2, 3, 3, 3)), item('m2', ds(2, 5, 4, 4))])!;
    assert.equal(done['observedGeneration'], 2);
    assert.equal(done['updatedNumberScheduled'], 7);
    assert.equal(done['numberAvailable'], 7);
  });
  it('ReplicaSet: counters summed', () => {
    const rs = (rtg: number, replicas: number): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', generation: 1, annotations: { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: String(rtg) } },
      status: { observedGeneration: 1, replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas },
    });
    const s = agg({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', generation: 1 } }, [item('m1', rs(1, 2)), item('m2', rs(1, 3))])!;
    assert.deepEqual(s, { replicas: 5, fullyLabeledReplicas: 5, readyReplicas: 5, availableReplicas: 5, observedGeneration: 1 });
  });
});

// ---- Job, CronJob ------------------------------------------------------------------------------

describe('aggregateStatus: Job', () => {
  const jobTmpl = (status?: JsonObject): JsonObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', generation: 1 }, ...(status ? { status } : {}) });
  const done = (start: string, end: string, succeeded = 1): JsonObject => ({
    succeeded,
    startTime: start,
    completionTime: end,
    conditions: [{ type: 'Complete', status: 'True' }],
  });
  const running = (start: string, active = 1): JsonObject => ({ active, startTime: start });
  const failed = (start: string): JsonObject => ({ failed: 2, startTime: start, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] });
  const it2 = (clusterName: string, status?: JsonObject): AggregatedStatusItem => ({ clusterName, applied: true, ...(status ? { status } : {}) });

  it('complete everywhere: Complete, earliest start, latest completion', () => {
    const s = agg(jobTmpl(), [it2('m1', done('2025-01-01T00:00:10Z', '2025-01-01T00:01:00Z', 2)), it2('m2', done('2025-01-01T00:00:05Z', '2025-01-01T00:02:00Z', 3))])!;
    assert.equal(s['succeeded'], 5);
    assert.equal(s['active'], 0);
    assert.equal(s['startTime'], '2025-01-01T00:00:05Z');
    assert.equal(s['completionTime'], '2025-01-01T00:02:00Z');
    assert.deepEqual(
      (s['conditions'] as Cond[]).map((c) => [c.type, c.status, c.reason]),
      [['Complete', 'True', 'Completed']],
    );
  });
  it('complete in one cluster, running in another: no Complete, no completionTime', () => {
    const s = agg(jobTmpl(), [it2('m1', done('2025-01-01T00:00:10Z', '2025-01-01T00:01:00Z')), it2('m2', running('2025-01-01T00:00:20Z', 2))])!;
    assert.equal(s['active'], 2);
    assert.equal(s['succeeded'], 1);
    assert.equal(s['completionTime'], undefined);
    assert.equal(s['conditions'], undefined);
  });
  it('failed in one cluster: Failed naming it', () => {
    const s = agg(jobTmpl(), [it2('m1', done('2025-01-01T00:00:10Z', '2025-01-01T00:01:00Z')), it2('m2', failed('2025-01-01T00:00:00Z'))])!;
    const f = cond(s, 'Failed')!;
    assert.equal(f.status, 'True');
    assert.equal(f.reason, 'JobFailed');
    assert.match(f.message!, /m2/);
    assert.equal(cond(s, 'Complete'), undefined);
  });
  it('a cluster yet to report blocks Complete', () => {
    const s = agg(jobTmpl(), [it2('m1', done('2025-01-01T00:00:10Z', '2025-01-01T00:01:00Z')), it2('m2')])!;
    assert.equal(cond(s, 'Complete'), undefined);
    assert.equal(s['completionTime'], undefined);
  });
  it('no clusters yet: not complete', () => {
    assert.equal(cond(agg(jobTmpl(), [])!, 'Complete'), undefined);
  });
  it('a finished template Job is final', () => {
    const final = { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
    assert.deepEqual(agg(jobTmpl(final), [it2('m1', running('2025-01-01T00:00:00Z'))]), final);
  });
  it('reflects only Karmada’s Job fields (+ ready)', () => {
    const obj = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { active: 1, ready: 1, uncountedTerminatedPods: {}, startTime: 't' } };
    assert.deepEqual(reflectStatus(obj), { active: 1, ready: 1, startTime: 't' });
  });
});

describe('aggregateStatus: CronJob', () => {
  it('active concatenated, latest schedule and success times', () => {
    const tmpl = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, status: { lastScheduleTime: '2024-01-01T00:00:00Z' } };
    const s = agg(tmpl, [
      { clusterName: 'm1', applied: true, status: { active: [{ name: 'c-1' }], lastScheduleTime: '2025-01-01T01:00:00Z', lastSuccessfulTime: '2025-01-01T00:00:00Z' } },
      { clusterName: 'm2', applied: true, status: { active: [{ name: 'c-2' }], lastScheduleTime: '2025-01-01T02:00:00Z' } },
    ])!;
    assert.deepEqual(s, { active: [{ name: 'c-1' }, { name: 'c-2' }], lastScheduleTime: '2025-01-01T02:00:00Z', lastSuccessfulTime: '2025-01-01T00:00:00Z' });
  });
  it('CronJob status is reflected whole', () => {
    const obj = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, status: { active: [], lastScheduleTime: 't' } };
    assert.deepEqual(reflectStatus(obj), { active: [], lastScheduleTime: 't' });
  });
});

// ---- Service, Ingress, Pod, PVC, PV, PDB, CRDs --------------------------------------------------

describe('aggregateStatus: Service and Ingress', () => {
  const svc = (type: string, status?: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type }, ...(status ? { status } : {}) });
  it('LoadBalancer: ingress points merged, hostname defaults to the cluster', () => {
    const s = agg(svc('LoadBalancer'), [
      { clusterName: 'm1', applied: true, status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } } },
      { clusterName: 'm2', applied: true, status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '2.2.2.2', hostname: 'x' }] } } },
      { clusterName: 'm3', applied: true },
    ]);
    assert.deepEqual(s, { loadBalancer: { ingress: [{ ip: '1.1.1.1', hostname: 'm1' }, { hostname: 'lb.example.com' }, { ip: '2.2.2.2', hostname: 'x' }] } });
  });
  it('LoadBalancer with no addresses yet', () => {
    assert.deepEqual(agg(svc('LoadBalancer'), [{ clusterName: 'm1', applied: true, status: { loadBalancer: {} } }]), { loadBalancer: {} });
  });
  it('ClusterIP: the template status is left as it is', () => {
    assert.equal(agg(svc('ClusterIP'), [{ clusterName: 'm1', applied: true, status: {} }]), undefined);
    assert.deepEqual(agg(svc('NodePort', { conditions: [] }), []), { conditions: [] });
  });
  it('reflect: only LoadBalancer Services report, and only loadBalancer', () => {
    assert.equal(reflectStatus(svc('ClusterIP', { loadBalancer: {} })), undefined);
    assert.deepEqual(reflectStatus(svc('LoadBalancer', { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] }, conditions: [{ type: 'x' }] })), { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } });
  });
  it('Ingress: merged the same way', () => {
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' } };
    assert.deepEqual(agg(ing, [{ clusterName: 'm1', applied: true, status: { loadBalancer: { ingress: [{ ip: '3.3.3.3' }] } } }]), { loadBalancer: { ingress: [{ ip: '3.3.3.3', hostname: 'm1' }] } });
  });
});

describe('aggregateStatus: Pod, PVC, PV, PDB', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
  const phases = (...ps: (string | undefined)[]): AggregatedStatusItem[] => ps.map((phase, i) => ({ clusterName: `m${i}`, applied: true, ...(phase ? { status: { phase } } : {}) }));
  const podTable: [string[], string][] = [
    [['Running', 'Running'], 'Running'],
    [['Running', 'Succeeded'], 'Running'],
    [['Succeeded', 'Succeeded'], 'Succeeded'],
    [['Running', 'Pending'], 'Pending'],
    [['Pending', 'Failed'], 'Failed'],
  ];
  for (const [ps, want] of podTable) it(`Pod phases ${ps.join('+')} → ${want}`, () => assert.equal(agg(pod, phases(...ps))!['phase'], want));
  it('Pod: an unreported cluster counts as Pending; container statuses keep ready and state', () => {
    const s = agg(pod, [
      { clusterName: 'm1', applied: true, status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, image: 'x', state: { running: {} } }] } },
      { clusterName: 'm2', applied: true },
    ])!;
    assert.deepEqual(s, { phase: 'Pending', containerStatuses: [{ ready: true, state: { running: {} } }] });
  });

  const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' } };
  const pvcTable: [(string | undefined)[], string][] = [
    [['Bound', 'Bound'], 'Bound'],
    [['Bound', 'Pending'], 'Pending'],
    [['Lost', 'Pending'], 'Lost'],
    [['Pending', 'Lost'], 'Lost'],
    [[], 'Pending'],
  ];
  for (const [ps, want] of pvcTable) it(`PVC phases [${ps.join(',')}] → ${want}`, () => assert.deepEqual(agg(pvc, phases(...ps)), { phase: want }));

  it('PV: worst phase, unreported is Pending', () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' } };
    assert.deepEqual(agg(pv, phases('Bound', 'Available')), { phase: 'Available' });
    assert.deepEqual(agg(pv, phases('Bound', undefined)), { phase: 'Pending' });
  });

  it('PDB: counters summed, disrupted pods keyed by cluster', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' } };
    const s = agg(pdb, [
      { clusterName: 'm1', applied: true, status: { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, disruptedPods: { p1: 't1' } } },
      { clusterName: 'm2', applied: true, status: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 } },
    ]);
    assert.deepEqual(s, { currentHealthy: 5, desiredHealthy: 3, expectedPods: 5, disruptionsAllowed: 2, disruptedPods: { 'm1/p1': 't1' } });
  });
});

describe('CRDs without knowledge', () => {
  const cr = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'Ready', nested: { a: 1 } } };
  it('reflects the whole status', () => assert.deepEqual(reflectStatus(cr), { phase: 'Ready', nested: { a: 1 } }));
  it('keeps the template status on aggregation', () => {
    assert.deepEqual(aggregateStatus(cr, [{ clusterName: 'm1', applied: true, status: { phase: 'Broken' } }]), cr.status);
    assert.equal(aggregateStatus({ ...cr, status: undefined }, []), undefined);
  });
  it('an object without status reflects nothing', () => assert.equal(reflectStatus({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), undefined));
});
