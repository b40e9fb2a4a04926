import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import {
  byCreationAndPhase,
  daemonPodTolerations,
  daemonSetStatus,
  maxUnavailableFor,
  nodeActions,
  nodeShouldRun,
  pinToNode,
  podsByNode,
  rollingUpdateVictims,
  targetNodeName,
  templateHash,
} from './daemonset-util.js';
import { rfc3339 } from './util.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return { metadata: { name, labels }, spec: { taints } };
}

function ds(spec: Partial<PodSpec> = {}, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    metadata: { name: 'agent', uid: 'ds', generation: 3 },
    spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } }, ...extra },
  };
}

let seq = 0;
function pod(nodeName: string, opts: { hash?: string; ready?: boolean; phase?: string; deleting?: boolean; created?: number; bound?: boolean } = {}): Pod {
  return {
    metadata: {
      name: `p${++seq}`,
      creationTimestamp: rfc3339(NOW - 100_000 + (opts.created ?? seq) * 1000),
      labels: { app: 'a', 'controller-revision-hash': opts.hash ?? 'h1' },
      ...(opts.deleting ? { deletionTimestamp: rfc3339(NOW) } : {}),
    },
    spec: { containers: [], affinity: pinToNode(undefined, nodeName), ...(opts.bound ? { nodeName } : {}) },
    status: { phase: opts.phase ?? 'Running', conditions: opts.ready === false ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(NOW - 60_000) }] },
  };
}

describe('nodeShouldRun', () => {
  const noSchedule = (key: string, value = ''): Taint => ({ key, value, effect: 'NoSchedule' });
  const noExecute = (key: string): Taint => ({ key, effect: 'NoExecute' });
  const cases: Array<[string, Node, DaemonSet, boolean, boolean]> = [
    ['any node without constraints', node('n'), ds(), true, true],
    ['node selector matches', node('n', { role: 'w' }), ds({ nodeSelector: { role: 'w' } }), true, true],
    ['node selector does not match', node('n', { role: 'x' }), ds({ nodeSelector: { role: 'w' } }), false, false],
    [
      'required node affinity',
      node('n', { zone: 'b' }),
      ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }),
      false,
      false,
    ],
    ['template pinned to another node', node('n'), ds({ nodeName: 'other' }), false, false],
    ['untolerated NoSchedule taint keeps running pods', node('n', {}, [noSchedule('dedicated', 'db')]), ds(), false, true],
    ['tolerated NoSchedule taint', node('n', {}, [noSchedule('dedicated', 'db')]), ds({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }), true, true],
    ['untolerated NoExecute taint evicts', node('n', {}, [noExecute('gpu')]), ds(), false, false],
    ['not-ready NoExecute is tolerated by every daemon pod', node('n', {}, [noExecute('node.kubernetes.io/not-ready')]), ds(), true, true],
    ['unschedulable taint is tolerated', node('n', {}, [noSchedule('node.kubernetes.io/unschedulable')]), ds(), true, true],
    ['network-unavailable only for host-network pods', node('n', {}, [noSchedule('node.kubernetes.io/network-unavailable')]), ds({ hostNetwork: true }), true, true],
    ['network-unavailable otherwise not', node('n', {}, [noSchedule('node.kubernetes.io/network-unavailable')]), ds(), false, true],
    ['PreferNoSchedule never blocks', node('n', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), ds(), true, true],
  ];
  for (const [name, n, d, run, cont] of cases) it(name, () => assert.deepEqual(nodeShouldRun(n, d), { shouldRun: run, shouldContinueRunning: cont }));
});

describe('daemon pod placement', () => {
  it('adds the standard tolerations, replacing same key and effect', () => {
    const t = daemonPodTolerations({ containers: [], tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Equal', value: 'x', effect: 'NoSchedule' }, { key: 'mine', operator: 'Exists' }] });
    assert.equal(t.length, 7);
    assert.deepEqual(t[0], { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    assert.ok(t.some((x) => x.key === 'mine'));
  });
  it('pins pods to a node and reads the target back', () => {
    const a = pinToNode({ podAntiAffinity: {} }, 'n1');
    assert.deepEqual(a.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] });
    assert.ok(a.podAntiAffinity);
    assert.equal(targetNodeName({ spec: { containers: [], affinity: a } }), 'n1');
    assert.equal(targetNodeName({ spec: { containers: [], nodeName: 'n2', affinity: a } }), 'n2');
    assert.equal(targetNodeName({ spec: { containers: [] } }), undefined);
  });
  it('hashes the template', () => {
    assert.equal(templateHash(ds()), templateHash(ds()));
    assert.notEqual(templateHash(ds()), templateHash(ds({ hostNetwork: true })));
  });
  it('groups pods by node, dropping finished pods being deleted', () => {
    const m = podsByNode([pod('n1'), pod('n1'), pod('n2', { phase: 'Failed', deleting: true })]);
    assert.deepEqual([...m.keys()], ['n1']);
    assert.equal(m.get('n1')!.length, 2);
  });
  it('orders scheduled before unscheduled, then oldest', () => {
    const a = pod('n', { created: 5 });
    const b = pod('n', { created: 1 });
    const c = pod('n', { created: 9, bound: true });
    assert.deepEqual([a, b, c].sort(byCreationAndPhase), [c, b, a]);
  });
});

describe('nodeActions', () => {
  const n = node('n');
  it('creates on an eligible node without a pod', () => assert.deepEqual(nodeActions(n, [], ds()), { create: true, remove: [], failed: false }));
  it('keeps the oldest of several running pods', () => {
    const old = pod('n', { created: 1 });
    const dup = pod('n', { created: 2 });
    assert.deepEqual(nodeActions(n, [dup, old], ds()).remove, [dup]);
  });
  it('replaces finished pods, failed ones unless backing off', () => {
    const failed = pod('n', { phase: 'Failed' });
    const done = pod('n', { phase: 'Succeeded' });
    assert.deepEqual(nodeActions(n, [failed, done], ds()), { create: false, remove: [failed, done], failed: true });
    assert.deepEqual(nodeActions(n, [failed], ds(), true), { create: false, remove: [], failed: true });
  });
  it('removes pods from nodes that should not run them', () => {
    const p = pod('n');
    assert.deepEqual(nodeActions(node('n', {}, [{ key: 'x', effect: 'NoExecute' }]), [p, pod('n', { deleting: true })], ds()).remove, [p]);
  });
});

describe('rollingUpdateVictims', () => {
  const nodes = [node('a'), node('b'), node('c')];
  const names = (ps: Pod[]) => ps.map((p) => targetNodeName(p)).sort();
  it('replaces up to maxUnavailable available old pods', () => {
    const byNode = podsByNode([pod('a', { hash: 'old' }), pod('b', { hash: 'old' }), pod('c', { hash: 'old' })]);
    assert.deepEqual(names(rollingUpdateVictims(ds({}, { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }), nodes, byNode, 'new', NOW)), ['a', 'b']);
  });
  it('counts unavailable new pods and missing pods against the budget', () => {
    const byNode = podsByNode([pod('a', { hash: 'new', ready: false }), pod('b', { hash: 'old' }), pod('c', { hash: 'old' })]);
    assert.deepEqual(rollingUpdateVictims(ds(), nodes, byNode, 'new', NOW), []);
    const missing = podsByNode([pod('b', { hash: 'old' }), pod('c', { hash: 'old' })]);
    assert.deepEqual(rollingUpdateVictims(ds(), nodes, missing, 'new', NOW), []);
  });
  it('always replaces unavailable old pods', () => {
    const byNode = podsByNode([pod('a', { hash: 'new', ready: false }), pod('b', { hash: 'old', ready: false }), pod('c', { hash: 'old' })]);
    assert.deepEqual(names(rollingUpdateVictims(ds(), nodes, byNode, 'new', NOW)), ['b']);
  });
  it('rounds percentages up and never allows zero', () => {
    assert.equal(maxUnavailableFor(ds({}, { updateStrategy: { rollingUpdate: { maxUnavailable: '10%' } } }), 15), 2);
    assert.equal(maxUnavailableFor(ds({}, { updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } }), 3), 1);
    assert.equal(maxUnavailableFor(ds(), 3), 1);
  });
});

describe('daemonSetStatus', () => {
  it('counts desired, scheduled, ready, available, updated and misscheduled nodes', () => {
    const nodes = [node('a', { role: 'w' }), node('b', { role: 'w' }), node('c', { role: 'w' }), node('x', { role: 'infra' })];
    const d = ds({ nodeSelector: { role: 'w' } }, { minReadySeconds: 120 });
    const byNode = podsByNode([pod('a', { hash: 'h1' }), pod('b', { hash: 'h0', ready: false }), pod('x')]);
    const s = daemonSetStatus(d, nodes, byNode, 'h1', true, NOW);
    assert.deepEqual(s, { currentNumberScheduled: 2, numberMisscheduled: 1, desiredNumberScheduled: 3, numberReady: 1, observedGeneration: 3, updatedNumberScheduled: 1, numberUnavailable: 3 });
    assert.equal(daemonSetStatus(d, nodes, byNode, 'h1', false, NOW).observedGeneration, undefined, 'not acted on: generation not observed');
  });
});
