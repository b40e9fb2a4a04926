import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyAnnotationsOverrider,
  applyArgsOverrider,
  applyCommandOverrider,
  applyImageOverrider,
  applyLabelsOverrider,
  applyPlaintextOverriders,
} from './overriders.js';
import { OverriderError } from './errors.js';
import type { CommandArgsOverrider, ImageOverrider, LabelAnnotationOverrider, Manifest, PlaintextOverrider } from './types.js';

/** Freezes deeply so that any mutation of an input throws (ESM is strict mode). */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const DIGEST = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';

const podTemplate = (containers: unknown[]) => ({ template: { metadata: { labels: { app: 'nginx' } }, spec: { containers } } });
const workload = (kind: string, containers: unknown[], apiVersion = 'apps/v1'): Manifest => ({
  apiVersion,
  kind,
  metadata: { name: 'nginx', labels: { app: 'nginx' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'nginx' } }, ...podTemplate(containers) },
});
const deployment = (image = 'fictional.registry.example/imagename:v1.0.0') => workload('Deployment', [{ name: 'nginx', image }]);
const pod = (image = 'fictional.registry.example/imagename:v1.0.0'): Manifest => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx' }, spec: { containers: [{ name: 'nginx', image }] } });
const podImage = (m: Manifest, i = 0) => ((m['spec'] as any).containers[i].image as string);
const tplImage = (m: Manifest, i = 0) => ((m['spec'] as any).template.spec.containers[i].image as string);

const fails = (fn: () => unknown, message: string | RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof OverriderError && (typeof message === 'string' ? e.message === message : message.test(e.message)));

describe('imageOverrider', () => {
  // Karmada's imageoverride_test.go cases, on a Deployment with fictional.registry.example/imagename:v1.0.0.
  const cases: [string, ImageOverrider, string][] = [
    ['Registry add', { component: 'Registry', operator: 'add', value: '.test' }, 'fictional.registry.example.test/imagename:v1.0.0'],
    ['Registry replace', { component: 'Registry', operator: 'replace', value: 'fictional.registry.us' }, 'fictional.registry.us/imagename:v1.0.0'],
    ['Registry remove', { component: 'Registry', operator: 'remove', value: 'fictional.registry.us' }, 'imagename:v1.0.0'],
    ['Repository add', { component: 'Repository', operator: 'add', value: '/nginx' }, 'fictional.registry.example/imagename/nginx:v1.0.0'],
    ['Repository replace', { component: 'Repository', operator: 'replace', value: 'nginx' }, 'fictional.registry.example/nginx:v1.0.0'],
    ['Repository remove leaves "host/:tag", as Karmada', { component: 'Repository', operator: 'remove' }, 'fictional.registry.example/:v1.0.0'],
    ['Tag add that forms neither a tag nor a digest changes nothing', { component: 'Tag', operator: 'add', value: DIGEST }, 'fictional.registry.example/imagename:v1.0.0'],
    ['Tag add (suffix)', { component: 'Tag', operator: 'add', value: '-debug' }, 'fictional.registry.example/imagename:v1.0.0-debug'],
    ['Tag replace with a digest', { component: 'Tag', operator: 'replace', value: DIGEST }, `fictional.registry.example/imagename@${DIGEST}`],
    ['Tag replace', { component: 'Tag', operator: 'replace', value: 'v2' }, 'fictional.registry.example/imagename:v2'],
    ['Tag remove', { component: 'Tag', operator: 'remove', value: DIGEST }, 'fictional.registry.example/imagename'],
    ['an unknown operator rewrites the image unchanged', { component: 'Tag', operator: 'upsert', value: 'x' }, 'fictional.registry.example/imagename:v1.0.0'],
  ];
  for (const [name, o, want] of cases) {
    it(name, () => {
      const input = deepFreeze(deployment());
      assert.equal(tplImage(applyImageOverrider(input, o)), want);
    });
  }

  // Documented examples (website docs, userguide/scheduling/override-policy.md) on image myapp:1.0.0.
  const docs: [string, ImageOverrider, string][] = [
    ['docs example 1: add registry test-repo', { component: 'Registry', operator: 'add', value: 'test-repo' }, 'test-repo/myapp:1.0.0'],
    ['docs example 2: replace repository', { component: 'Repository', operator: 'replace', value: 'myapp2' }, 'myapp2:1.0.0'],
    ['docs example 3: remove tag', { component: 'Tag', operator: 'remove' }, 'myapp'],
    ['replace the registry for one cluster', { component: 'Registry', operator: 'replace', value: 'registry.cn-hangzhou.example.com' }, 'registry.cn-hangzhou.example.com/myapp:1.0.0'],
    ['add a tag to an untagged image', { component: 'Tag', operator: 'add', value: 'v2' }, 'myapp:1.0.0v2'],
  ];
  for (const [name, o, want] of docs) it(name, () => assert.equal(tplImage(applyImageOverrider(deployment('myapp:1.0.0'), o)), want));

  it('Registry add on a job image without registry (Karmada Job case)', () => {
    const job = workload('Job', [{ name: 'perl', image: 'perl:5.34.0' }], 'batch/v1');
    assert.equal(tplImage(applyImageOverrider(job, { component: 'Registry', operator: 'add', value: 'registry.k8s.io' })), 'registry.k8s.io/perl:5.34.0');
  });

  for (const kind of ['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']) {
    it(`default path for ${kind}`, () => {
      const m = workload(kind, [{ name: 'nginx', image: 'fictional.registry.example/imagename:v1.0.0' }]);
      assert.equal(tplImage(applyImageOverrider(m, { component: 'Repository', operator: 'replace', value: 'nginx' })), 'fictional.registry.example/nginx:v1.0.0');
    });
  }
  it('default path for Pod', () => {
    assert.equal(podImage(applyImageOverrider(pod(), { component: 'Repository', operator: 'replace', value: 'nginx' })), 'fictional.registry.example/nginx:v1.0.0');
  });
  it('every container, not initContainers', () => {
    const m = workload('Deployment', [
      { name: 'a', image: 'fictional.registry.example/imagename:v1.0.0' },
      { name: 'b', image: 'registry.k8s.io/nginx-slim:0.8' },
    ]);
    (m['spec'] as any).template.spec.initContainers = [{ name: 'init', image: 'busybox' }];
    const out = applyImageOverrider(m, { component: 'Repository', operator: 'replace', value: 'nginx' });
    assert.equal(tplImage(out, 0), 'fictional.registry.example/nginx:v1.0.0');
    assert.equal(tplImage(out, 1), 'registry.k8s.io/nginx:0.8');
    assert.equal((out['spec'] as any).template.spec.initContainers[0].image, 'busybox');
  });
  it('CronJob is not a default kind: untouched without a predicate', () => {
    const cj: Manifest = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: podTemplate([{ name: 'c', image: 'busybox:1' }]) } } };
    const out = applyImageOverrider(cj, { component: 'Registry', operator: 'replace', value: 'mirror.io' });
    assert.deepEqual(out, cj);
    assert.notEqual(out, cj);
  });
  it('CronJob with a predicate path', () => {
    const cj: Manifest = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: podTemplate([{ name: 'c', image: 'busybox:1' }]) } } };
    const out = applyImageOverrider(cj, { predicate: { path: '/spec/jobTemplate/spec/template/spec/containers/0/image' }, component: 'Registry', operator: 'replace', value: 'mirror.io' });
    assert.equal((out['spec'] as any).jobTemplate.spec.template.spec.containers[0].image, 'mirror.io/busybox:1');
  });
  it('predicate on a CRD field', () => {
    const cr: Manifest = { apiVersion: 'x.io/v1', kind: 'App', metadata: { name: 'a' }, spec: { image: 'quay.io/app:1' } };
    assert.deepEqual(applyImageOverrider(cr, { predicate: { path: '/spec/image' }, component: 'Tag', operator: 'replace', value: '2' })['spec'], { image: 'quay.io/app:2' });
  });
  it('predicate selects one container only', () => {
    const m = workload('Deployment', [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:1' },
    ]);
    const out = applyImageOverrider(m, { predicate: { path: '/spec/template/spec/containers/1/image' }, component: 'Registry', operator: 'add', value: 'registry.k8s.io' });
    assert.equal(tplImage(out, 0), 'a:1');
    assert.equal(tplImage(out, 1), 'registry.k8s.io/b:1');
  });
  it('a digest next to a tag is dropped by any overrider (canonical rewrite)', () => {
    const out = applyImageOverrider(deployment(`nginx:1.25@sha256:${'a'.repeat(64)}`), { component: 'Registry', operator: 'replace', value: 'mirror.io' });
    assert.equal(tplImage(out), 'mirror.io/nginx:1.25');
  });
  it('a registry with a port', () => {
    const out = applyImageOverrider(deployment('fictional.registry.example:10443/karmada/ctl:v1'), { component: 'Registry', operator: 'replace', value: 'localhost:5000' });
    assert.equal(tplImage(out), 'localhost:5000/karmada/ctl:v1');
  });
  it('no containers: nothing to do', () => {
    const m: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1 } };
    assert.deepEqual(applyImageOverrider(m, { component: 'Tag', operator: 'replace', value: 'v2' }), m);
  });

  const bad: [string, Manifest, ImageOverrider, string | RegExp][] = [
    ['an unparsable image', deployment('Not/Valid'), { component: 'Tag', operator: 'replace', value: 'x' }, 'failed to parse image value(Not/Valid), error: repository name must be lowercase'],
    ['a container without image', workload('Deployment', [{ name: 'x' }]), { component: 'Tag', operator: 'replace', value: 'x' }, 'failed to parse image value(), error: repository name must have at least one component'],
    ['an unknown component', deployment(), { component: 'Digest', operator: 'replace', value: 'x' }, 'unsupported image component(Digest)'],
    ['containers is not a list', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { containers: 'x' } } } }, { component: 'Tag', operator: 'remove' }, /^failed to convert Deployment from unstructured object/],
    [
      'predicate path to a missing field',
      deployment(),
      { predicate: { path: '/spec/template/spec/containers/0/img' }, component: 'Tag', operator: 'remove' },
      'failed to obtain imageValue with predicate path(/spec/template/spec/containers/0/img), error: failed to convert path(img) to string',
    ],
    [
      'predicate through a missing map',
      deployment(),
      { predicate: { path: '/spec/nope/image' }, component: 'Tag', operator: 'remove' },
      "failed to obtain imageValue with predicate path(/spec/nope/image), error: path(nope) of rawObj's type is not map[string]interface{} and []interface{}",
    ],
    [
      'predicate with a non-numeric index',
      deployment(),
      { predicate: { path: '/spec/template/spec/containers/first/image' }, component: 'Tag', operator: 'remove' },
      "failed to obtain imageValue with predicate path(/spec/template/spec/containers/first/image), error: path(first) of rawObj's is not number",
    ],
    [
      'predicate index out of range',
      deployment(),
      { predicate: { path: '/spec/template/spec/containers/3/image' }, component: 'Tag', operator: 'remove' },
      /^failed to obtain imageValue with predicate path.*out of range$/,
    ],
    ['predicate path without a leading slash', deployment(), { predicate: { path: 'spec/template/spec/containers/0/image' }, component: 'Tag', operator: 'remove' }, 'imagePath should be start with / character'],
  ];
  for (const [name, m, o, message] of bad) {
    it(`fails: ${name}`, () => fails(() => applyImageOverrider(deepFreeze(m), o), message));
  }
  it('one bad container fails the whole overrider (atomic)', () => {
    const m = deepFreeze(workload('Deployment', [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'B:1' }]));
    fails(() => applyImageOverrider(m, { component: 'Tag', operator: 'replace', value: '2' }), /B:1/);
    assert.equal(tplImage(m), 'a:1');
  });
});

describe('commandOverrider / argsOverrider', () => {
  // The documented example: ./myapp --parameter1=foo --parameter2=bar
  const myapp = (extra: Record<string, unknown> = {}) =>
    workload('Deployment', [{ name: 'myapp', image: 'myapp', command: ['./myapp', '--parameter1=foo', '--parameter2=bar'], ...extra }]);
  const command = (m: Manifest, i = 0) => (m['spec'] as any).template.spec.containers[i].command;
  const args = (m: Manifest, i = 0) => (m['spec'] as any).template.spec.containers[i].args;

  const cases: [string, CommandArgsOverrider, unknown][] = [
    ['docs example 1: add a flag', { containerName: 'myapp', operator: 'add', value: ['--cluster=member1'] }, ['./myapp', '--parameter1=foo', '--parameter2=bar', '--cluster=member1']],
    ['docs example 2: remove a flag', { containerName: 'myapp', operator: 'remove', value: ['--parameter1=foo'] }, ['./myapp', '--parameter2=bar']],
    ['remove several, including absent ones', { containerName: 'myapp', operator: 'remove', value: ['./myapp', '--parameter2=bar', '--nope'] }, ['--parameter1=foo']],
    ['add nothing', { containerName: 'myapp', operator: 'add' }, ['./myapp', '--parameter1=foo', '--parameter2=bar']],
    ['another container name: untouched', { containerName: 'sidecar', operator: 'add', value: ['x'] }, ['./myapp', '--parameter1=foo', '--parameter2=bar']],
    ['an unsupported operator keeps the list', { containerName: 'myapp', operator: 'replace', value: ['x'] }, ['./myapp', '--parameter1=foo', '--parameter2=bar']],
  ];
  for (const [name, o, want] of cases) it(name, () => assert.deepEqual(command(applyCommandOverrider(deepFreeze(myapp()), o)), want));

  it('remove drops every occurrence', () => {
    const m = workload('Deployment', [{ name: 'c', image: 'x', args: ['-v', '-q', '-v'] }]);
    assert.deepEqual(args(applyArgsOverrider(m, { containerName: 'c', operator: 'remove', value: ['-v'] })), ['-q']);
  });
  it('add creates a missing list', () => {
    assert.deepEqual(args(applyArgsOverrider(myapp(), { containerName: 'myapp', operator: 'add', value: ['--v=4'] })), ['--v=4']);
  });
  it('remove on a missing list creates an empty one, as Karmada', () => {
    assert.deepEqual(args(applyArgsOverrider(myapp(), { containerName: 'myapp', operator: 'remove', value: ['x'] })), []);
  });
  it('args and command are independent', () => {
    const out = applyArgsOverrider(myapp({ args: ['a'] }), { containerName: 'myapp', operator: 'add', value: ['b'] });
    assert.deepEqual(args(out), ['a', 'b']);
    assert.deepEqual(command(out), ['./myapp', '--parameter1=foo', '--parameter2=bar']);
  });
  it('every container with that name', () => {
    const m = workload('Deployment', [{ name: 'x', image: 'a', command: ['a'] }, { name: 'y', image: 'b' }, { name: 'x', image: 'c', command: ['c'] }]);
    const out = applyCommandOverrider(m, { containerName: 'x', operator: 'add', value: ['--z'] });
    assert.deepEqual([command(out, 0), command(out, 1), command(out, 2)], [['a', '--z'], undefined, ['c', '--z']]);
  });
  it('a Pod', () => {
    const p: Manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'p', image: 'x', command: ['run'] }] } };
    assert.deepEqual((applyCommandOverrider(p, { containerName: 'p', operator: 'add', value: ['--fast'] })['spec'] as any).containers[0].command, ['run', '--fast']);
  });
  it('other kinds are left alone', () => {
    const cm: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { containers: [{ name: 'c', command: ['a'] }] } };
    assert.deepEqual(applyCommandOverrider(cm, { containerName: 'c', operator: 'add', value: ['b'] }), cm);
  });
  it('a workload without containers is left alone', () => {
    const m: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: null } } };
    assert.deepEqual(applyCommandOverrider(m, { containerName: 'c', operator: 'add', value: ['b'] }), m);
  });
  it('fails when containers is not a list', () => {
    const m: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { containers: { name: 'c' } } } } };
    fails(
      () => applyCommandOverrider(m, { containerName: 'c', operator: 'add', value: ['b'] }),
      'failed to retrieves path(spec/template/spec/containers) from rawObj, error: .spec.template.spec.containers accessor error: map[name:c] is of the type map[string]interface {}, expected []interface{}',
    );
  });
  it('fails when a parent is not a map', () => {
    const m: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: 'x' } };
    fails(() => applyArgsOverrider(m, { containerName: 'c', operator: 'add' }), /\.spec\.template\.spec accessor error: x is of the type string, expected map/);
  });
  it('fails when command is not a list', () => {
    fails(() => applyCommandOverrider(myapp({ command: 'run' }), { containerName: 'myapp', operator: 'add', value: ['b'] }), /command is not \[\]interface\{\}/);
  });
});

describe('labelsOverrider / annotationsOverrider', () => {
  // The documented example: labels foo: foo, baz: baz.
  const docsApp = () => workload('Deployment', [{ name: 'myapp', image: 'myapp:1.0.0' }]);
  const withLabels = (labels: unknown, annotations?: unknown): Manifest => ({
    ...docsApp(),
    metadata: { name: 'myapp', ...(labels === undefined ? {} : { labels }), ...(annotations === undefined ? {} : { annotations }) },
  });
  const labels = (m: Manifest) => (m['metadata'] as any).labels;
  const annotations = (m: Manifest) => (m['metadata'] as any).annotations;

  it('docs example: add bar, replace foo, remove baz', () => {
    let m: Manifest = deepFreeze(withLabels({ foo: 'foo', baz: 'baz' }));
    m = applyLabelsOverrider(m, { operator: 'add', value: { bar: 'bar' } });
    m = applyLabelsOverrider(m, { operator: 'replace', value: { foo: 'exist' } });
    m = applyLabelsOverrider(m, { operator: 'remove', value: { baz: 'baz' } });
    assert.deepEqual(labels(m), { foo: 'exist', bar: 'bar' });
  });

  const cases: [string, unknown, LabelAnnotationOverrider, unknown][] = [
    ['add overwrites an existing key', { a: '1' }, { operator: 'add', value: { a: '2', b: '3' } }, { a: '2', b: '3' }],
    ['add creates metadata.labels', undefined, { operator: 'add', value: { a: '1' } }, { a: '1' }],
    ['add onto null labels', null, { operator: 'add', value: { a: '1' } }, { a: '1' }],
    ['add resets a map holding a non-string value, as Karmada', { a: 1, keep: 'x' }, { operator: 'add', value: { b: '2' } }, { b: '2' }],
    ['replace only existing keys', { a: '1' }, { operator: 'replace', value: { a: 'x', b: 'y' } }, { a: 'x' }],
    ['replace without labels is a no-op', undefined, { operator: 'replace', value: { a: 'x' } }, undefined],
    ['remove ignores the value and absent keys', { a: '1', b: '2' }, { operator: 'remove', value: { a: 'whatever', c: '' } }, { b: '2' }],
    ['remove everything leaves an empty map', { a: '1' }, { operator: 'remove', value: { a: '' } }, {}],
    ['keys with "/" (escaped to ~1)', { 'app.kubernetes.io/name': 'x' }, { operator: 'replace', value: { 'app.kubernetes.io/name': 'y' } }, { 'app.kubernetes.io/name': 'y' }],
    ['add a key with "/"', {}, { operator: 'add', value: { 'karmada.io/cluster': 'member1' } }, { 'karmada.io/cluster': 'member1' }],
    ['an empty value map does nothing', { a: '1' }, { operator: 'add' }, { a: '1' }],
  ];
  for (const [name, before, o, after] of cases) {
    it(`labels: ${name}`, () => assert.deepEqual(labels(applyLabelsOverrider(deepFreeze(withLabels(before)), o)), after));
    it(`annotations: ${name}`, () => assert.deepEqual(annotations(applyAnnotationsOverrider(deepFreeze(withLabels(undefined, before)), o)), after));
  }
  it('labels and annotations do not touch each other', () => {
    const m = withLabels({ a: '1' }, { a: '1' });
    const out = applyAnnotationsOverrider(m, { operator: 'remove', value: { a: '' } });
    assert.deepEqual([labels(out), annotations(out)], [{ a: '1' }, {}]);
  });
  it('add where metadata is not an object skips the keys', () => {
    const m: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: null };
    assert.deepEqual(applyLabelsOverrider(m, { operator: 'add', value: { a: '1' } }), m);
  });
  it('an unsupported operator fails like the JSON patch it becomes', () => {
    fails(() => applyLabelsOverrider(withLabels({ a: '1' }), { operator: 'upsert', value: { a: '2' } }), 'Unexpected kind: upsert');
  });
});

describe('plaintext', () => {
  const cm = (): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'myconfigmap' }, data: { example: 1 } });
  const cases: [string, PlaintextOverrider[], Manifest][] = [
    ['docs example: replace /data/example', [{ path: '/data/example', operator: 'replace', value: 2 }], { ...cm(), data: { example: 2 } }],
    ['add a field', [{ path: '/data/other', operator: 'add', value: 'x' }], { ...cm(), data: { example: 1, other: 'x' } }],
    ['remove a field', [{ path: '/data/example', operator: 'remove' }], { ...cm(), data: {} }],
    ['add an object value', [{ path: '/metadata/labels', operator: 'add', value: { a: 'b' } }], { ...cm(), metadata: { name: 'myconfigmap', labels: { a: 'b' } } }],
    ['several ops in order', [{ path: '/spec', operator: 'add', value: {} }, { path: '/spec/replicas', operator: 'add', value: 3 }], { ...cm(), spec: { replicas: 3 } }],
    ['nothing', [], cm()],
  ];
  for (const [name, list, want] of cases) it(name, () => assert.deepEqual(applyPlaintextOverriders(deepFreeze(cm()), list), want));

  it('replicas on a Deployment', () => {
    const out = applyPlaintextOverriders(deployment(), [{ path: '/spec/replicas', operator: 'replace', value: 5 }]);
    assert.equal((out['spec'] as any).replicas, 5);
  });
  it('a missing parent fails: no EnsurePathExistsOnAdd', () => {
    fails(() => applyPlaintextOverriders(cm(), [{ path: '/spec/template/x', operator: 'add', value: 1 }]), 'add operation does not apply: doc is missing path: "/spec/template/x": missing value');
  });
  it('replace of a missing field fails', () => {
    fails(() => applyPlaintextOverriders(cm(), [{ path: '/data/nope', operator: 'replace', value: 1 }]), 'replace operation does not apply: doc is missing key: /data/nope: missing value');
  });
  it('the list is one patch: a later failure undoes earlier ops', () => {
    const input = deepFreeze(cm());
    fails(
      () =>
        applyPlaintextOverriders(input, [
          { path: '/data/example', operator: 'replace', value: 2 },
          { path: '/data/nope', operator: 'remove' },
        ]),
      /unable to remove nonexistent key: nope/,
    );
    assert.deepEqual(input, cm());
  });
  it('replacing the whole document with a non-object fails', () => {
    fails(() => applyPlaintextOverriders(cm(), [{ path: '', operator: 'replace', value: [1] }]), 'patched document is not a JSON object');
  });
});
