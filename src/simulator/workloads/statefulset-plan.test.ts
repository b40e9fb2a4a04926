import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { planStatefulSet, type StsAction } from './statefulset-plan.js';
import { claimsFor, countPods, newRevision, newStatefulSetPod, ordinalOf, statefulSetStatus, templateOf } from './statefulset-util.js';
import { rfc3339 } from './util.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

function sts(replicas: number, extra: Partial<StatefulSet['spec']> = {}, status: StatefulSet['status'] = { replicas: 0 }): StatefulSet {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 1 },
    spec: {
      replicas,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'db:1' }], volumes: [{ name: 'data', emptyDir: {} }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: { kind: 'disk' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
    status,
  };
}

const cur = newRevision(sts(1), 1, 0);
const upd = newRevision({ ...sts(1), spec: { ...sts(1).spec!, template: { ...sts(1).spec!.template, spec: { containers: [{ name: 'c', image: 'db:2' }] } } } }, 2, 0);
const CUR = cur.metadata!.name!;
const UPD = upd.metadata!.name!;

type State = 'ready' | 'running' | 'pending' | 'failed' | 'terminating' | 'succeeded';
function pod(ordinal: number, state: State, rev: ControllerRevision = cur): Pod {
  const p = newStatefulSetPod(sts(1), templateOf(rev), rev.metadata!.name!, ordinal);
  const phase = { ready: 'Running', running: 'Running', pending: 'Pending', failed: 'Failed', terminating: 'Running', succeeded: 'Succeeded' }[state];
  return {
    ...p,
    metadata: { ...p.metadata, uid: `uid-${ordinal}`, ...(state === 'terminating' ? { deletionTimestamp: rfc3339(NOW) } : {}) },
    status: { phase, conditions: state === 'ready' || state === 'terminating' ? [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(NOW - 60_000) }] : [] },
  };
}

const describeAction = (a: StsAction) => (a.type === 'delete' ? `delete ${a.pod.metadata!.name} (${a.why})` : `${a.type} ${a.type === 'create' ? a.pod.metadata!.name : a.ordinal}`);
const plan = (set: StatefulSet, pods: Pod[], update = cur) => planStatefulSet({ set, pods, currentRevision: cur, updateRevision: update, nowMs: NOW }).actions.map(describeAction);

describe('planStatefulSet (OrderedReady)', () => {
  const cases: Array<[string, StatefulSet, Pod[], string[]]> = [
    ['creates ordinal 0 first', sts(3), [], ['create web-0']],
    ['waits for 0 to be ready', sts(3), [pod(0, 'running')], []],
    ['creates 1 once 0 is ready', sts(3), [pod(0, 'ready')], ['create web-1']],
    ['fills a gap at the lowest ordinal', sts(3), [pod(0, 'ready'), pod(2, 'ready')], ['create web-1']],
    ['creates missing claims for a pending pod', sts(3), [pod(0, 'pending')], ['claims 0']],
    ['replaces a failed pod and stops', sts(3), [pod(0, 'failed'), pod(1, 'ready')], ['delete web-0 (finished)']],
    ['waits for a terminating pod', sts(3), [pod(0, 'ready'), pod(1, 'terminating')], []],
    ['scales down from the highest ordinal', sts(1), [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'ready')], ['delete web-2 (scale-down)']],
    ['waits for the condemned pod to terminate', sts(1), [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'terminating')], []],
    ['deletes an unhealthy condemned pod only if it is the first unhealthy', sts(1), [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'running')], ['delete web-2 (scale-down)']],
    ['deletes a healthy condemned pod whatever is below it', sts(1), [pod(0, 'ready'), pod(1, 'running'), pod(2, 'ready')], ['delete web-2 (scale-down)']],
    ['blocks on an unhealthy condemned pod that is not the first unhealthy', sts(1), [pod(0, 'ready'), pod(1, 'running'), pod(2, 'running')], []],
    ['ignores pods of other sets', sts(1), [pod(0, 'ready'), { ...pod(1, 'ready'), metadata: { ...pod(1, 'ready').metadata, name: 'webby-1' } }], []],
  ];
  for (const [name, set, pods, want] of cases) it(name, () => assert.deepEqual(plan(set, pods), want));
  it('does nothing but count while the set is being deleted', () => {
    const set = sts(3);
    assert.deepEqual(plan({ ...set, metadata: { ...set.metadata, deletionTimestamp: rfc3339(NOW) } }, []), []);
  });
  it('respects ordinals.start', () => {
    assert.deepEqual(plan(sts(2, { ordinals: { start: 5 } }), []), ['create web-5']);
  });
});

describe('planStatefulSet (Parallel)', () => {
  it('creates every missing ordinal and deletes every condemned pod at once', () => {
    assert.deepEqual(plan(sts(3, { podManagementPolicy: 'Parallel' }), [pod(1, 'pending')]), ['create web-0', 'claims 1', 'create web-2']);
    assert.deepEqual(plan(sts(1, { podManagementPolicy: 'Parallel' }), [pod(0, 'running'), pod(1, 'running'), pod(2, 'ready')]), ['delete web-2 (scale-down)', 'delete web-1 (scale-down)']);
  });
});

describe('planStatefulSet (rolling update)', () => {
  const ready3 = [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'ready')];
  it('deletes the highest ordinal not at the update revision', () => {
    assert.deepEqual(plan(sts(3), ready3, upd), ['delete web-2 (update)']);
  });
  it('waits for the updated pod to be healthy before the next', () => {
    assert.deepEqual(plan(sts(3), [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'running', upd)], upd), []);
    assert.deepEqual(plan(sts(3), [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'ready', upd)], upd), ['delete web-1 (update)']);
  });
  it('stops at the partition', () => {
    const set = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    assert.deepEqual(plan(set, [pod(0, 'ready'), pod(1, 'ready'), pod(2, 'ready', upd)], upd), []);
  });
  it('recreates pods below the partition at the current revision', () => {
    const set = sts(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const r = planStatefulSet({ set, pods: [pod(1, 'ready'), pod(2, 'ready', upd)], currentRevision: cur, updateRevision: upd, nowMs: NOW });
    const created = r.actions[0]!;
    assert.equal(created.type, 'create');
    assert.equal(created.type === 'create' && created.pod.metadata!.labels!['controller-revision-hash'], CUR);
    assert.equal(created.type === 'create' && created.pod.spec!.containers[0]!.image, 'db:1');
  });
  it('leaves OnDelete sets alone', () => {
    assert.deepEqual(plan(sts(3, { updateStrategy: { type: 'OnDelete' } }), ready3, upd), []);
  });
});

describe('StatefulSet identity and status', () => {
  it('parses ordinals only for the set’s own pods', () => {
    assert.equal(ordinalOf('web', 'web-12'), 12);
    assert.equal(ordinalOf('web', 'web-x'), -1);
    assert.equal(ordinalOf('web', 'webby-1'), -1);
    assert.equal(ordinalOf('my-db', 'my-db-0'), 0);
  });
  it('builds pods with stable identity and claims', () => {
    const p = newStatefulSetPod(sts(1), templateOf(cur), CUR, 2);
    assert.equal(p.metadata!.name, 'web-2');
    assert.equal(p.spec!.hostname, 'web-2');
    assert.equal(p.spec!.subdomain, 'web');
    assert.deepEqual(p.metadata!.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': CUR });
    assert.deepEqual(p.spec!.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } }]);
    const [claim] = claimsFor(sts(1), 2);
    assert.equal(claim!.metadata!.name, 'data-web-2');
    assert.deepEqual(claim!.metadata!.labels, { kind: 'disk', app: 'web' });
    assert.deepEqual(claim!.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    assert.equal(claim!.metadata!.ownerReferences, undefined);
    const owned = claimsFor(sts(1, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } }), 0)[0]!;
    assert.equal(owned.metadata!.ownerReferences![0]!.controller, false);
  });
  it('counts pods and completes a finished rolling update', () => {
    const pods = [pod(0, 'ready', upd), pod(1, 'ready', upd), pod(2, 'terminating', cur)];
    const counts = countPods(pods, 0, CUR, UPD, NOW);
    assert.deepEqual(counts, { replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 0, updatedReplicas: 2 });
    const done = countPods(pods.slice(0, 2), 0, CUR, UPD, NOW);
    const s = statefulSetStatus(sts(2), done, CUR, UPD, 0);
    assert.equal(s.currentRevision, UPD);
    assert.equal(s.currentReplicas, 2);
    const partial = statefulSetStatus(sts(3), counts, CUR, UPD, 0);
    assert.equal(partial.currentRevision, CUR);
    assert.equal(partial.currentReplicas, undefined, 'zero omitted');
  });
  it('names revisions after the template and keeps them distinct', () => {
    assert.notEqual(CUR, UPD);
    assert.match(CUR, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(newRevision(sts(1), 9, 0).metadata!.name, CUR, 'the revision number does not change the name');
    assert.notEqual(newRevision(sts(1), 1, 1).metadata!.name, CUR, 'the collision count does');
  });
});
