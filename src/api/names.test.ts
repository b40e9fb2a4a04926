import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindingName, bindingReferenceKey, clusterNameOf, executionSpaceName, fnv32a, isReservedNamespace, safeEncodeString, workName } from './names.js';

test('execution space is karmada-es-<cluster>, and back', () => {
  assert.equal(executionSpaceName('member-cluster-normal'), 'karmada-es-member-cluster-normal');
  assert.throws(() => executionSpaceName(''), /empty/);
  assert.equal(clusterNameOf('karmada-es-member1'), 'member1');
  assert.equal(clusterNameOf('default'), undefined);
});

// Karmada's TestGenerateBindingName table.
const bindings: [kind: string, name: string, want: string][] = [
  ['Pods', 'pod', 'pod-pods'],
  ['pods', 'Pod', 'pod-pods'],
  ['Role', 'system:controller:tom', 'system.controller.tom-role'],
  ['ClusterRole', 'system::tom', 'system..tom-clusterrole'],
  ['RoleBinding', 'system::tt:tom', 'system..tt.tom-rolebinding'],
  ['ClusterRoleBinding', 'system:tt:tom', 'system.tt.tom-clusterrolebinding'],
  ['Deployment', 'nginx', 'nginx-deployment'],
];
for (const [kind, name, want] of bindings) test(`bindingName(${kind}, ${name}) = ${want}`, () => assert.equal(bindingName(kind, name), want));

test('FNV-1a 32 matches the reference vectors', () => {
  assert.equal(fnv32a(''), 0x811c9dc5);
  assert.equal(fnv32a('a'), 0xe40c292c);
  assert.equal(fnv32a('foobar'), 0xbf9cf968);
});

test('SafeEncodeString maps bytes onto consonants and digits', () => {
  // Digits map to 4-9, b, c, d, f: '0' is byte 48, 48 % 27 = 21 -> '4'.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('workName reproduces the name Karmada gives the nginx Deployment in default (from its docs)', () => {
  // `kubectl get work -A` in Karmada's quick start shows karmada-es-member1/nginx-687f7fb96f.
  assert.equal(workName('Deployment', 'nginx', 'default'), 'nginx-687f7fb96f');
});

test('workName hashes lower(namespace-name-kind), or lower(name-kind) without a namespace', () => {
  const hash = (s: string) => safeEncodeString(String(fnv32a(s)));
  // Karmada's TestGenerateWorkName table: the hash input is the lower-cased joined string.
  assert.equal(workName('Pod', 'pod', ''), `pod-${hash('pod-pod')}`);
  assert.equal(workName('pods', 'Pod', 'default'), `pod-${hash('default-pod-pods')}`);
  assert.equal(workName('ClusterRole', 'system:controller:Tom'), `system.controller.tom-${hash('system.controller.tom-clusterrole')}`);
  assert.match(workName('ConfigMap', 'cfg', 'NS'), /^cfg-[4-9bcdf]+$/);
  assert.equal(workName('ConfigMap', 'cfg', 'NS'), workName('configmap', 'CFG', 'ns'));
});

test('bindingReferenceKey differs by namespace', () => {
  const keys = new Set([bindingReferenceKey('prod-xxx', 'mytest-deployment'), bindingReferenceKey('qa-xxx', 'mytest-deployment'), bindingReferenceKey('', 'mytest-deployment')]);
  assert.equal(keys.size, 3);
});

test('reserved namespaces', () => {
  for (const ns of ['karmada-system', 'karmada-cluster', 'karmada-es-m1', 'kube-system', 'kube-']) assert.ok(isReservedNamespace(ns), ns);
  for (const ns of ['default', 'karmada-apps', 'test-A']) assert.ok(!isReservedNamespace(ns), ns);
});
