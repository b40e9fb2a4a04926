import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Explanation } from '../scheduler/explain.js';
import { describeOverriders, describePlacement, readiness, renderExplain, type ExplainData } from './explain-render.js';

const now = new Date('2026-01-01T12:00:00Z');

const explanation: Explanation = {
  summary: 'Scheduled 3 replicas to 2/3 clusters by static weights: member1=2, member2=1; filtered: member3 (TaintToleration)',
  strategy: 'StaticWeight',
  replicas: 3,
  clusters: [
    { name: 'member1', outcome: 'selected', scores: { ClusterLocality: 0 }, score: 0, availableReplicas: 40, replicas: 2 },
    { name: 'member2', outcome: 'selected', scores: { ClusterLocality: 0 }, score: 0, availableReplicas: 12, replicas: 1, reservedReplicas: 3 },
    { name: 'member3', outcome: 'filtered', filter: { plugin: 'TaintToleration', reason: 'cluster(s) had untolerated taint {cluster.karmada.io/not-ready: }' } },
  ],
  division: { strategy: 'StaticWeight', divided: 3, weights: [{ name: 'member1', weight: 2 }, { name: 'member2', weight: 1 }], kept: [], seats: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 1 }], tieBreak: 'smaller-first' } as any,
};

const data: ExplainData = {
  template: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'nginx' },
  policy: { kind: 'PropagationPolicy', namespace: 'default', name: 'nginx-propagation' },
  policyObject: { spec: { placement: { clusterAffinity: { clusterNames: ['member1', 'member2', 'member3'] }, replicaScheduling: { replicaSchedulingType: 'Divided', weightPreference: { staticWeightList: [{}] } } } } },
  binding: {
    kind: 'ResourceBinding',
    namespace: 'default',
    name: 'nginx-deployment',
    object: {
      spec: { clusters: [{ name: 'member1', replicas: 2 }, { name: 'member2', replicas: 1 }] },
      status: {
        conditions: [{ type: 'Scheduled', status: 'True', reason: 'Success', message: explanation.summary, lastTransitionTime: '2026-01-01T11:58:00Z' }],
        aggregatedStatus: [
          { clusterName: 'member1', applied: true, health: 'Healthy', status: { replicas: 2, readyReplicas: 2 } },
          { clusterName: 'member2', applied: false, appliedMessage: 'quota exceeded', health: 'Unknown' },
        ],
      },
    },
  },
  explanation,
  overrides: {
    member1: { namespaced: [{ policyName: 'eu-registry', overriders: { imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'eu.example.io' }] } }], cluster: [] },
    member2: undefined,
  },
};

test('explain names the policy, the clusters with replicas, the reasons, the status and the overrides', () => {
  const text = renderExplain(data, now);
  assert.match(text, /^Deployment default\/nginx \(apps\/v1\)$/m);
  assert.match(text, /PropagationPolicy default\/nginx-propagation/);
  assert.match(text, /placement: clusters member1, member2, member3; replicas divided by static weights/);
  assert.match(text, /Scheduled=True \(Success, 2m ago\)$/m, 'the message equal to the summary is not repeated');
  assert.match(text, /member1 +2\n/);
  assert.match(text, /member3 +filtered +- +- +- +TaintToleration: cluster\(s\) had untolerated taint/);
  assert.match(text, /member2 +selected +1 +0 +12 +3 reserved by in-flight decisions/);
  assert.match(text, /Division: StaticWeight, 3 replicas divided; weights member1=2 member2=1/);
  assert.match(text, /member1 +True +Healthy +2\/2/);
  assert.match(text, /member2 +False +Unknown +- +quota exceeded/);
  assert.match(text, /OverridePolicy eu-registry\n +image registry replace "eu.example.io"/);
  assert.match(text, /member2: no Work yet/);
});

test('without a policy, explain says the object is not propagated and stops', () => {
  const text = renderExplain({ template: data.template, overrides: {} }, now);
  assert.match(text, /none: no PropagationPolicy or ClusterPropagationPolicy claims it/);
  assert.doesNotMatch(text, /Placement/);
});

test('a claimed object without a binding yet', () => {
  const text = renderExplain({ ...data, binding: { kind: 'ResourceBinding', namespace: 'default', name: 'nginx-deployment' }, explanation: undefined }, now);
  assert.match(text, /no ResourceBinding default\/nginx-deployment yet/);
});

test('overriders read as one line per rule', () => {
  assert.deepEqual(
    describeOverriders({
      plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 5 }, { path: '/metadata/annotations/x', operator: 'remove' }],
      labelsOverrider: [{ operator: 'add', value: { env: 'prod' } }],
      argsOverrider: [{ containerName: 'app', operator: 'add', value: ['--v=2'] }],
      fieldOverrider: [{ fieldPath: '/data/config', yaml: [{ subPath: '/db/host', operator: 'replace', value: 'db.eu' }] }],
    }),
    ['replace /spec/replicas = 5', 'remove /metadata/annotations/x', 'args of app add ["--v=2"]', 'labels add {"env":"prod"}', 'field /data/config replace /db/host = "db.eu"'],
  );
});

test('placement and readiness summaries', () => {
  assert.equal(describePlacement(undefined), 'no placement (every cluster)');
  assert.equal(describePlacement({ clusterAffinity: { labelSelector: {} }, replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' } }), 'clusters by selector; replicas divided, aggregated');
  assert.equal(readiness({ replicas: 3, readyReplicas: 1 }), '1/3');
  assert.equal(readiness({ conditions: [{ type: 'Ready', status: 'False' }] }), 'Ready=False');
  assert.equal(readiness(undefined), '-');
});
