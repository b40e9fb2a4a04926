import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverriders, applyOverrides, sortPoliciesForResource, type ApplyOverridesInput } from './apply.js';
import { APPLIED_CLUSTER_OVERRIDES_ANNOTATION, APPLIED_OVERRIDES_ANNOTATION } from './applied.js';
import type { Cluster, Manifest, OverridePolicyLike, Overriders, ResourceSelector } from './types.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const nginx = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } },
  spec: { replicas: 2, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
});
const member1: Cluster = { metadata: { name: 'member1', labels: { env: 'prod' } }, spec: { provider: 'aws', region: 'us-east-1', zones: ['us-east-1a'] } };
const member2: Cluster = { metadata: { name: 'member2', labels: { env: 'dev' } }, spec: { provider: 'gcp', region: 'europe-west1' } };

const deploySel = (extra: Partial<ResourceSelector> = {}): ResourceSelector => ({ apiVersion: 'apps/v1', kind: 'Deployment', ...extra });
const op = (name: string, spec: OverridePolicyLike['spec'], namespace = 'default'): OverridePolicyLike => ({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'OverridePolicy', metadata: { name, namespace }, spec });
const cop = (name: string, spec: OverridePolicyLike['spec']): OverridePolicyLike => ({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'ClusterOverridePolicy', metadata: { name }, spec });
const setLabel = (key: string, value: string): Overriders => ({ labelsOverrider: [{ operator: 'add', value: { [key]: value } }] });

const image = (m: Manifest) => (m['spec'] as any).template.spec.containers[0].image as string;
const labels = (m: Manifest) => (m['metadata'] as any).labels as Record<string, string>;
const run = (input: Partial<ApplyOverridesInput>) => applyOverrides({ manifest: nginx(), cluster: member1, ...input });

describe('applyOverrides: cluster targeting', () => {
  // One policy, two rules: registry only for member1, a label everywhere.
  const policy = op('nginx', {
    resourceSelectors: [deploySel({ name: 'nginx' })],
    overrideRules: [
      { targetCluster: { clusterNames: ['member1'] }, overriders: { imageOverrider: [{ component: 'Registry', operator: 'replace', value: 'registry.member1.io' }] } },
      { overriders: setLabel('overridden', 'true') },
    ],
  });
  it('member1 gets both rules', () => {
    const r = run({ overridePolicies: [policy] });
    assert.equal(r.ok, true);
    assert.equal(image(r.manifest), 'registry.member1.io/nginx:1.25');
    assert.equal(labels(r.manifest)['overridden'], 'true');
    assert.deepEqual(r.applied, [{ policyKind: 'OverridePolicy', policy: 'nginx', namespace: 'default', rules: [0, 1] }]);
  });
  it('member2 only the untargeted rule', () => {
    const r = run({ cluster: member2, overridePolicies: [policy] });
    assert.equal(image(r.manifest), 'nginx:1.25');
    assert.equal(labels(r.manifest)['overridden'], 'true');
    assert.deepEqual(r.applied[0]!.rules, [1]);
  });
  const byTarget: [string, Cluster, boolean][] = [
    ['labelSelector env=prod on member1', member1, true],
    ['labelSelector env=prod on member2', member2, false],
  ];
  for (const [name, cluster, hit] of byTarget) {
    it(name, () => {
      const p = op('p', { overrideRules: [{ targetCluster: { labelSelector: { matchLabels: { env: 'prod' } } }, overriders: setLabel('prod', 'yes') }] });
      const r = run({ cluster, overridePolicies: [p] });
      assert.equal(labels(r.manifest)['prod'], hit ? 'yes' : undefined);
      assert.equal(r.applied.length, hit ? 1 : 0);
      assert.deepEqual(r.annotations, hit ? { [APPLIED_OVERRIDES_ANNOTATION]: '[{"policyName":"p","overriders":{"labelsOverrider":[{"operator":"add","value":{"prod":"yes"}}]}}]' } : {});
    });
  }
  it('fieldSelector and exclude', () => {
    const p = op('p', {
      overrideRules: [
        { targetCluster: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'In', values: ['aws'] }] } }, overriders: setLabel('aws', 'yes') },
        { targetCluster: { exclude: ['member1'] }, overriders: setLabel('notMember1', 'yes') },
      ],
    });
    assert.deepEqual([labels(run({ overridePolicies: [p] }).manifest)['aws'], labels(run({ overridePolicies: [p] }).manifest)['notMember1']], ['yes', undefined]);
    const r2 = run({ cluster: member2, overridePolicies: [p] });
    assert.deepEqual([labels(r2.manifest)['aws'], labels(r2.manifest)['notMember1']], [undefined, 'yes']);
  });
  it('the deprecated targetCluster/overriders pair', () => {
    const p = op('old', { targetCluster: { clusterNames: ['member1'] }, overriders: setLabel('old', 'yes') });
    assert.equal(labels(run({ overridePolicies: [p] }).manifest)['old'], 'yes');
    assert.equal(labels(run({ cluster: member2, overridePolicies: [p] }).manifest)['old'], undefined);
    assert.deepEqual(run({ overridePolicies: [p] }).applied, [{ policyKind: 'OverridePolicy', policy: 'old', namespace: 'default', rules: [0] }]);
  });
  it('overrideRules win over the deprecated pair', () => {
    const p = op('both', { overrideRules: [{ overriders: setLabel('rules', 'yes') }], overriders: setLabel('old', 'yes') });
    const l = labels(run({ overridePolicies: [p] }).manifest);
    assert.deepEqual([l['rules'], l['old']], ['yes', undefined]);
  });
});

describe('applyOverrides: which policies and in what order', () => {
  // Every policy writes the same label; the last one to run wins.
  const policies = [
    op('c-name', { resourceSelectors: [deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('winner', 'c-name') }] }),
    op('a-label', { resourceSelectors: [deploySel({ labelSelector: { matchLabels: { app: 'nginx' } } })], overrideRules: [{ overriders: setLabel('winner', 'a-label') }] }),
    op('z-all', { resourceSelectors: [deploySel()], overrideRules: [{ overriders: setLabel('winner', 'z-all') }] }),
    op('b-noselectors', { overrideRules: [{ overriders: setLabel('winner', 'b-noselectors') }] }),
    op('a-name', { resourceSelectors: [deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('winner', 'a-name') }] }),
    op('other-name', { resourceSelectors: [deploySel({ name: 'web' })], overrideRules: [{ overriders: setLabel('winner', 'other-name') }] }),
    op('other-kind', { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'StatefulSet' }], overrideRules: [{ overriders: setLabel('winner', 'other-kind') }] }),
    op('other-ns', { overrideRules: [{ overriders: setLabel('winner', 'other-ns') }] }, 'kube-system'),
  ];
  it('match-all < labelSelector < name, ties by name; non-matching policies skipped', () => {
    const r = run({ overridePolicies: policies });
    assert.deepEqual(
      r.applied.map((a) => a.policy),
      ['b-noselectors', 'z-all', 'a-label', 'a-name', 'c-name'],
    );
    assert.equal(labels(r.manifest)['winner'], 'c-name');
  });
  it('the order does not depend on the input order', () => {
    const r = run({ overridePolicies: [...policies].reverse() });
    assert.deepEqual(
      r.applied.map((a) => a.policy),
      ['b-noselectors', 'z-all', 'a-label', 'a-name', 'c-name'],
    );
  });
  it('a policy counts its best-matching selector', () => {
    const p = op('0-multi', { resourceSelectors: [deploySel(), deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('winner', '0-multi') }] });
    const q = op('1-label', { resourceSelectors: [deploySel({ labelSelector: {} })], overrideRules: [{ overriders: setLabel('winner', '1-label') }] });
    assert.deepEqual(sortPoliciesForResource(nginx(), [p, q]).map((x) => x.metadata!.name), ['1-label', '0-multi']);
  });
  it('ClusterOverridePolicies run before OverridePolicies, whatever their specificity', () => {
    const r = run({
      clusterOverridePolicies: [cop('cop-name', { resourceSelectors: [deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('winner', 'cop') }] })],
      overridePolicies: [op('op-all', { overrideRules: [{ overriders: setLabel('winner', 'op') }] })],
    });
    assert.equal(labels(r.manifest)['winner'], 'op');
    assert.deepEqual(
      r.applied.map((a) => [a.policyKind, a.policy]),
      [
        ['ClusterOverridePolicy', 'cop-name'],
        ['OverridePolicy', 'op-all'],
      ],
    );
  });
  it('ClusterOverridePolicies are ordered the same way', () => {
    const r = run({
      clusterOverridePolicies: [
        cop('b', { resourceSelectors: [deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('w', 'b') }] }),
        cop('a', { overrideRules: [{ overriders: setLabel('w', 'a') }] }),
      ],
    });
    assert.equal(labels(r.manifest)['w'], 'b');
  });
  it('OverridePolicies see what ClusterOverridePolicies changed', () => {
    const r = run({
      clusterOverridePolicies: [cop('tier', { overrideRules: [{ overriders: setLabel('tier', 'gold') }] })],
      overridePolicies: [op('gold-only', { resourceSelectors: [deploySel({ labelSelector: { matchLabels: { tier: 'gold' } } })], overrideRules: [{ overriders: setLabel('gold', 'yes') }] })],
    });
    assert.equal(labels(r.manifest)['gold'], 'yes');
  });
  it('a cluster-scoped resource gets ClusterOverridePolicies only', () => {
    const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    const r = applyOverrides({
      manifest: ns,
      cluster: member1,
      clusterOverridePolicies: [cop('ns', { resourceSelectors: [{ apiVersion: 'v1', kind: 'Namespace' }], overrideRules: [{ overriders: setLabel('c', 'yes') }] })],
      overridePolicies: [op('all', { overrideRules: [{ overriders: setLabel('o', 'yes') }] }, '')],
    });
    assert.deepEqual(labels(r.manifest), { c: 'yes' });
  });
  it('within a rule: image, command, args, labels, annotations, field, plaintext', () => {
    const cm = op('order', {
      overrideRules: [
        {
          overriders: {
            // Listed in reverse on purpose: the order of fields in the policy does not matter.
            plaintext: [
              { path: '/spec/template/spec/containers/0/image', operator: 'replace', value: 'plain:1' },
              { path: '/metadata/labels/late', operator: 'add', value: 'plaintext' },
              { path: '/metadata/annotations/a', operator: 'replace', value: 'plaintext' },
            ],
            annotationsOverrider: [{ operator: 'add', value: { a: 'annotations' } }],
            labelsOverrider: [{ operator: 'replace', value: { late: 'labels' } }],
            argsOverrider: [{ containerName: 'nginx', operator: 'add', value: ['--args'] }],
            commandOverrider: [{ containerName: 'nginx', operator: 'add', value: ['nginx'] }],
            imageOverrider: [{ component: 'Tag', operator: 'replace', value: 'image' }],
          },
        },
      ],
    });
    const r = run({ overridePolicies: [cm] });
    assert.equal(r.ok, true);
    const c = (r.manifest['spec'] as any).template.spec.containers[0];
    assert.deepEqual(c, { name: 'nginx', image: 'plain:1', command: ['nginx'], args: ['--args'] });
    // labels ran before plaintext added "late", so the replace found nothing to replace.
    assert.equal(labels(r.manifest)['late'], 'plaintext');
    assert.equal((r.manifest['metadata'] as any).annotations.a, 'plaintext');
  });
  it('fieldOverrider runs before plaintext', () => {
    const cm: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { 'app.json': '{"a":1}' } };
    const p = op('f', {
      overrideRules: [{ overriders: { plaintext: [{ path: '/data/copy', operator: 'add', value: 'x' }], fieldOverrider: [{ fieldPath: '/data/app.json', json: [{ subPath: '/a', operator: 'replace', value: 2 }] }] } }],
    });
    assert.deepEqual(applyOverrides({ manifest: cm, cluster: member1, overridePolicies: [p] }).manifest['data'], { 'app.json': '{"a":2}', copy: 'x' });
  });
});

describe('applyOverrides: failures', () => {
  const good = (name: string) => op(name, { overrideRules: [{ overriders: setLabel(name, 'yes') }] });
  const broken = op('b-broken', {
    resourceSelectors: [deploySel({ labelSelector: { matchLabels: { app: 'nginx' } } })],
    overrideRules: [
      { overriders: setLabel('b-rule0', 'yes') },
      {
        overriders: {
          imageOverrider: [
            { component: 'Tag', operator: 'replace', value: 'v2' },
            { predicate: { path: '/spec/template/spec/containers/5/image' }, component: 'Tag', operator: 'replace', value: 'v3' },
          ],
          plaintext: [{ path: '/spec/missing/x', operator: 'add', value: 1 }],
          labelsOverrider: [{ operator: 'add', value: { 'b-rule1': 'yes' } }],
        },
      },
    ],
  });
  // a-first (match-all) runs before b-broken (labelSelector), c-name (name) after it.
  const policies = [good('a-first'), broken, op('c-name', { resourceSelectors: [deploySel({ name: 'nginx' })], overrideRules: [{ overriders: setLabel('c-name', 'yes') }] })];

  it('the first failure stops everything, as Karmada; reported, not thrown', () => {
    const r = run({ overridePolicies: policies });
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors, [
      {
        policyKind: 'OverridePolicy',
        policy: 'b-broken',
        namespace: 'default',
        rule: 1,
        overrider: 'imageOverrider',
        index: 1,
        field: 'spec.overrideRules[1].overriders.imageOverrider[1]',
        message: "failed to obtain imageValue with predicate path(/spec/template/spec/containers/5/image), error: path(5) of rawObj's is out of range",
      },
    ]);
    // What ran before the failure is visible, for diagnosis; nothing after it ran.
    assert.deepEqual(r.applied.map((a) => [a.policy, a.rules]), [
      ['a-first', [0]],
      ['b-broken', [0]],
    ]);
    assert.equal(image(r.manifest), 'nginx:v2');
    assert.deepEqual(Object.keys(labels(r.manifest)).sort(), ['a-first', 'app', 'b-rule0']);
  });
  it('continueOnError skips failing overriders and reports all of them', () => {
    const r = run({ overridePolicies: policies, continueOnError: true });
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['spec.overrideRules[1].overriders.imageOverrider[1]', 'spec.overrideRules[1].overriders.plaintext'],
    );
    assert.equal(r.errors[1]!.message, 'add operation does not apply: doc is missing path: "/spec/missing/x": missing value');
    assert.equal(r.errors[1]!.index, undefined);
    assert.deepEqual(Object.keys(labels(r.manifest)).sort(), ['a-first', 'app', 'b-rule0', 'b-rule1', 'c-name']);
    assert.equal(image(r.manifest), 'nginx:v2');
  });
  it('a failing ClusterOverridePolicy stops the OverridePolicies too', () => {
    const r = run({
      clusterOverridePolicies: [cop('bad', { overriders: { plaintext: [{ path: '/nope/x', operator: 'remove' }] } })],
      overridePolicies: [good('a-first')],
    });
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => [e.policyKind, e.policy, e.rule, e.field, 'namespace' in e]), [['ClusterOverridePolicy', 'bad', 0, 'spec.overriders.plaintext', false]]);
    assert.deepEqual(r.applied, []);
    assert.equal(labels(r.manifest)['a-first'], undefined);
  });
  it('a failure in a rule for another cluster does not matter', () => {
    const p = op('p', { overrideRules: [{ targetCluster: { clusterNames: ['member2'] }, overriders: { plaintext: [{ path: '/nope/x', operator: 'remove' }] } }] });
    assert.equal(run({ overridePolicies: [p] }).ok, true);
    assert.equal(run({ cluster: member2, overridePolicies: [p] }).ok, false);
  });
  it('applyOverriders on one rule', () => {
    const r = applyOverriders(nginx(), { imageOverrider: [{ component: 'Nope', operator: 'add' }], labelsOverrider: [{ operator: 'add', value: { x: 'y' } }] });
    assert.deepEqual(r.failures, [{ overrider: 'imageOverrider', index: 0, message: 'unsupported image component(Nope)' }]);
    assert.equal(labels(r.manifest)['x'], undefined);
  });
});

describe('applyOverrides: purity', () => {
  it('never mutates the manifest, the cluster or the policies', () => {
    const input = deepFreeze({
      manifest: nginx(),
      cluster: member1,
      clusterOverridePolicies: [cop('c', { overrideRules: [{ overriders: { plaintext: [{ path: '/spec/template/spec/nodeSelector', operator: 'add', value: { zone: 'a' } }] } }] })],
      overridePolicies: [
        op('o', {
          overrideRules: [
            {
              overriders: {
                imageOverrider: [{ component: 'Registry', operator: 'add', value: 'mirror.io' }],
                commandOverrider: [{ containerName: 'nginx', operator: 'add', value: ['nginx', '-g'] }],
                labelsOverrider: [{ operator: 'add', value: { a: 'b' } }],
                annotationsOverrider: [{ operator: 'add', value: { c: 'd' } }],
                plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 5 }],
              },
            },
          ],
        }),
      ],
    });
    const before = JSON.stringify(input);
    const r = applyOverrides(input);
    assert.equal(r.ok, true);
    assert.equal(JSON.stringify(input), before);
    // The output does not alias the policies: changing it leaves them alone.
    (r.manifest['spec'] as any).template.spec.nodeSelector.zone = 'changed';
    (r.manifest['spec'] as any).template.spec.containers[0].command.push('x');
    assert.equal(JSON.stringify(input), before);
    assert.equal(image(r.manifest), 'mirror.io/nginx:1.25');
  });
  it('returns a copy even when nothing applies', () => {
    const m = nginx();
    const r = applyOverrides({ manifest: m, cluster: member1 });
    assert.deepEqual(r.manifest, m);
    assert.notEqual(r.manifest, m);
    assert.deepEqual([r.ok, r.applied, r.errors, r.annotations], [true, [], [], {}]);
  });
});

describe('applied-overrides annotations (the Work record)', () => {
  it('Karmada JSON shape: one item per rule, sorted by policy name, Go field order and omitempty', () => {
    const r = run({
      clusterOverridePolicies: [cop('cop-1', { overrideRules: [{ overriders: { plaintext: [{ path: '/metadata/annotations', operator: 'remove' }] } }] })].map((p) => ({
        ...p,
        spec: { overrideRules: [{ overriders: { plaintext: [{ path: '/spec/replicas', operator: 'replace', value: { z: 1, a: [true, '<x>'] } }] } }] },
      })),
      overridePolicies: [
        op('op-b', {
          overrideRules: [
            {
              overriders: {
                imageOverrider: [{ predicate: { path: '/spec/template/spec/containers/0/image' }, component: 'Registry', operator: 'replace', value: 'mirror.io' }],
                plaintext: [{ path: '/metadata/labels/app', operator: 'remove' }],
                commandOverrider: [{ containerName: 'nginx', operator: 'add', value: [] }],
              },
            },
            { overriders: {} },
          ],
        }),
        op('op-a', {
          overrideRules: [
            {
              overriders: {
                labelsOverrider: [{ operator: 'add', value: { b: '2', a: '1' } }],
                annotationsOverrider: [{ operator: 'remove' }],
                fieldOverrider: [],
                argsOverrider: [{ containerName: 'nginx', operator: 'remove', value: ['-v'] }],
              },
            },
          ],
        }),
      ],
    });
    assert.equal(r.ok, true);
    assert.equal(
      r.annotations[APPLIED_CLUSTER_OVERRIDES_ANNOTATION],
      '[{"policyName":"cop-1","overriders":{"plaintext":[{"path":"/spec/replicas","operator":"replace","value":{"a":[true,"\\u003cx\\u003e"],"z":1}}]}}]',
    );
    assert.equal(
      r.annotations[APPLIED_OVERRIDES_ANNOTATION],
      '[{"policyName":"op-a","overriders":{"argsOverrider":[{"containerName":"nginx","operator":"remove","value":["-v"]}],"labelsOverrider":[{"operator":"add","value":{"a":"1","b":"2"}}],"annotationsOverrider":[{"operator":"remove"}]}},' +
        '{"policyName":"op-b","overriders":{"plaintext":[{"path":"/metadata/labels/app","operator":"remove","value":null}],"imageOverrider":[{"predicate":{"path":"/spec/template/spec/containers/0/image"},"component":"Registry","operator":"replace","value":"mirror.io"}],"commandOverrider":[{"containerName":"nginx","operator":"add"}]}},' +
        '{"policyName":"op-b","overriders":{}}]',
    );
    assert.deepEqual(
      r.appliedOverrides.map((s) => s.policyName),
      ['op-a', 'op-b', 'op-b'],
    );
    assert.deepEqual(r.appliedClusterOverrides.map((s) => s.policyName), ['cop-1']);
  });
  it('fieldOverrider items', () => {
    const cm: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { f: 'a: 1\n' } };
    const p = op('f', { overrideRules: [{ overriders: { fieldOverrider: [{ fieldPath: '/data/f', yaml: [{ subPath: '/a', operator: 'replace', value: 2 }, { subPath: '/b', operator: 'add' }] }] } }] });
    const r = applyOverrides({ manifest: cm, cluster: member1, overridePolicies: [p] });
    assert.equal(
      r.annotations[APPLIED_OVERRIDES_ANNOTATION],
      '[{"policyName":"f","overriders":{"fieldOverrider":[{"fieldPath":"/data/f","yaml":[{"subPath":"/a","operator":"replace","value":2},{"subPath":"/b","operator":"add","value":null}]}]}}]',
    );
    assert.equal((r.manifest['data'] as Record<string, string>)['f'], 'a: 2\nb: null\n');
  });
  it('nothing is recorded for a rule that failed', () => {
    const p = op('bad', { overrideRules: [{ overriders: { plaintext: [{ path: '/nope/x', operator: 'remove' }] } }] });
    const r = run({ overridePolicies: [p] });
    assert.deepEqual([r.ok, r.annotations, r.appliedOverrides], [false, {}, []]);
  });
});
