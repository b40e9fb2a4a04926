/**
 * The API server as a user meets it: the real kubectl against `flotilla apiserver`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startApiServer, writeManifest, waitFor, KUBECTL, type TestServer } from './harness.js';

const deployment = (name: string, replicas = 2, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}, tier: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

describe('flotilla apiserver with kubectl', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer();
  });
  after(async () => {
    await s?.cleanup();
  });

  it('serves the default namespaces over HTTPS with token auth', async () => {
    const out = await s.k(['get', 'ns']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s+`, 'm'));
    assert.ok(s.url.startsWith('https://127.0.0.1:'), s.url);
    const res = await fetch(`${s.url.replace('https', 'http')}/version`).catch((e) => e);
    assert.ok(res instanceof Error, 'plain HTTP must not be served');
  });

  it('creates, gets (table, yaml, json, jsonpath) and lists a Deployment', async () => {
    const f = writeManifest(s.dir, 'web.yaml', deployment('web'));
    assert.match(await s.k(['create', '-f', f]), /deployment.apps\/web created/);
    const table = await s.k(['get', 'deploy']);
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s*$/m);
    assert.match(table, /^web\s+0\/2\s+0\s+0\s+\d+s\s*$/m);
    const wide = await s.k(['get', 'deploy', '-o', 'wide']);
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /web\s+nginx:1\.27\s+app=web/);
    const y = await s.k(['get', 'deploy', 'web', '-o', 'yaml']);
    assert.match(y, /uid: [0-9a-f-]{36}/);
    assert.match(y, /generation: 1/);
    const obj = JSON.parse(await s.k(['get', 'deploy', 'web', '-o', 'json']));
    assert.equal(obj.spec.replicas, 2);
    assert.equal(obj.metadata.namespace, 'default');
    assert.match(obj.metadata.resourceVersion, /^\d+$/);
    assert.equal(await s.k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.27');
    const again = await s.kubectl(['create', '-f', f]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Error from server \(AlreadyExists\): .*deployments.apps "web" already exists/);
  });

  it('refuses a replace with a stale resourceVersion (Conflict)', async () => {
    const obj = JSON.parse(await s.k(['get', 'deploy', 'web', '-o', 'json']));
    await s.k(['label', 'deploy', 'web', 'bump=1']);
    obj.spec.replicas = 5;
    const f = writeManifest(s.dir, 'stale.json', JSON.stringify(obj));
    const r = await s.kubectl(['replace', '-f', f]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Conflict.*the object has been modified/);
    delete obj.metadata.resourceVersion;
    writeManifest(s.dir, 'fresh.json', JSON.stringify(obj));
    assert.match(await s.k(['replace', '-f', `${s.dir}/fresh.json`]), /replaced/);
    assert.equal(await s.k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']), '5 2');
  });

  it('patches with merge and json patches, labels, annotates and scales', async () => {
    await s.k(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}']);
    await s.k(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    await s.k(['label', 'deploy', 'web', 'team=blue']);
    await s.k(['annotate', 'deploy', 'web', 'owner=ops@example.com']);
    assert.match(await s.k(['scale', 'deploy', 'web', '--replicas=4']), /scaled/);
    const obj = JSON.parse(await s.k(['get', 'deploy', 'web', '-o', 'json']));
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(obj.spec.replicas, 4);
    assert.equal(obj.metadata.labels.team, 'blue');
    assert.equal(obj.metadata.annotations.owner, 'ops@example.com');
    assert.equal(obj.metadata.generation, 5);
    const bad = await s.kubectl(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Invalid|rejected/);
    assert.equal(await s.k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '4', 'a failed patch writes nothing');
    assert.equal(await s.k(['get', 'deploy', '-l', 'team=blue,tier in (web,api)', '-o', 'name']), 'deployment.apps/web\n');
    assert.equal(await s.k(['get', 'deploy', '-l', 'team!=blue', '-o', 'name']), '');
  });

  it('get -w sees changes as they happen', async () => {
    const child = spawn(KUBECTL, [`--kubeconfig=${s.kubeconfig}`, `--cache-dir=${s.dir}/kcache-w`, 'get', 'deploy', 'web', '-w', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas', '--no-headers']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('initial watch line', () => /web\s+4/.test(out));
      await s.k(['scale', 'deploy', 'web', '--replicas=7']);
      await waitFor('watch update', () => /web\s+7/.test(out), 15_000);
    } finally {
      child.kill();
    }
  });

  it('table watch works for kubectl get -w with default columns', async () => {
    const child = spawn(KUBECTL, [`--kubeconfig=${s.kubeconfig}`, `--cache-dir=${s.dir}/kcache-w2`, 'get', 'deploy', '-w']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('initial table', () => /^web\s+0\/7/m.test(out));
      await s.k(['label', 'deploy', 'web', 'watched=yes']);
      await waitFor('second row', () => (out.match(/^web\s+0\/7/gm) ?? []).length >= 2, 15_000);
    } finally {
      child.kill();
    }
  });

  it('deletes, and wait --for=delete returns once the object is gone', async () => {
    const f = writeManifest(s.dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\ndata: {a: "1"}\n');
    await s.k(['create', '-f', f]);
    const del = await s.kubectl(['delete', 'cm', 'held', '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(await s.k(['get', 'cm', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']), /^\d{4}-/);
    const waiter = s.kubectl(['wait', '--for=delete', 'cm/held', '--timeout=30s']);
    await new Promise((r) => setTimeout(r, 300));
    await s.k(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const w = await waiter;
    assert.equal(w.code, 0, w.stderr);
    const gone = await s.kubectl(['get', 'cm', 'held']);
    assert.match(gone.stderr, /NotFound/);
    assert.match(await s.k(['delete', 'deploy', 'web']), /deleted/);
    assert.match((await s.kubectl(['get', 'deploy', 'web'])).stderr, /Error from server \(NotFound\): deployments.apps "web" not found/);
  });

  it('rejects what Kubernetes rejects, with Status errors', async () => {
    const badName = await s.kubectl(['create', 'configmap', 'Bad_Name']);
    assert.notEqual(badName.code, 0);
    const noNs = await s.kubectl(['-n', 'nope', 'create', '-f', writeManifest(s.dir, 'd2.yaml', deployment('x'))]);
    assert.match(noNs.stderr, /namespaces "nope" not found/);
    const unknown = await s.kubectl(['get', 'flargles']);
    assert.match(unknown.stderr, /the server doesn't have a resource type "flargles"/);
    const sel = await s.kubectl(['get', 'pods', '-l', 'a in (']);
    assert.notEqual(sel.code, 0);
    const fsel = await s.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=1']);
    assert.match(fsel.stderr, /field label not supported: spec.bogus/);
  });
});
