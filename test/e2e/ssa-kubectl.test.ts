/**
 * Server-side apply and managedFields as users meet them: the real kubectl (apply
 * --server-side, --field-manager, --force-conflicts, client-side apply, replace,
 * --show-managed-fields) and client-node's PatchStrategy.ServerSideApply.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { startApiServer, writeManifest, type TestServer } from './harness.js';

interface Container {
  name: string;
  image: string;
  env?: Record<string, string>;
}

function deployment(name: string, containers: Container[], replicas = 2): string {
  const cs = containers
    .map((c) => {
      const env = c.env ? `\n        env:\n${Object.entries(c.env).map(([k, v]) => `        - {name: ${k}, value: "${v}"}`).join('\n')}` : '';
      return `      - name: ${c.name}\n        image: ${c.image}${env}`;
    })
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
${cs}
`;
}

const v1 = (name: string) =>
  deployment(name, [
    { name: 'web', image: 'nginx:1.27', env: { MODE: 'a', DEBUG: '1' } },
    { name: 'sidecar', image: 'busybox:1.36' },
  ]);
const v2 = (name: string, replicas = 2) =>
  deployment(
    name,
    [
      { name: 'web', image: 'nginx:1.28', env: { MODE: 'b', LEVEL: 'info' } },
      { name: 'logger', image: 'fluent-bit:3' },
    ],
    replicas,
  );

describe('server-side apply with kubectl', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer();
  });
  after(async () => {
    await s?.cleanup();
  });

  const getJSON = async (args: string[]) => JSON.parse(await s.k([...args, '-o', 'json', '--show-managed-fields']));
  const managers = (obj: any) => (obj.metadata.managedFields ?? []).map((e: any) => `${e.manager}/${e.operation}${e.subresource ? '/' + e.subresource : ''}`);
  const containers = (obj: any) => obj.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}${c.env ? ':' + c.env.map((e: any) => `${e.name}=${e.value}`).join(',') : ''}`);

  it('creates with apply --server-side, updates and removes dropped fields on the next apply', async () => {
    const f1 = writeManifest(s.dir, 'ssa-v1.yaml', v1('ssa'));
    assert.match(await s.k(['apply', '--server-side', '-f', f1]), /deployment\.apps\/ssa serverside-applied/);
    let d = await getJSON(['get', 'deploy', 'ssa']);
    assert.deepEqual(containers(d), ['web=nginx:1.27:MODE=a,DEBUG=1', 'sidecar=busybox:1.36']);
    assert.deepEqual(managers(d), ['kubectl/Apply']);
    const fields = d.metadata.managedFields[0].fieldsV1;
    assert.deepEqual(Object.keys(fields['f:spec']['f:template']['f:spec']['f:containers']).sort(), ['k:{"name":"sidecar"}', 'k:{"name":"web"}']);
    assert.match(d.metadata.managedFields[0].time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const f2 = writeManifest(s.dir, 'ssa-v2.yaml', v2('ssa'));
    assert.match(await s.k(['apply', '--server-side', '-f', f2]), /serverside-applied/);
    d = await getJSON(['get', 'deploy', 'ssa']);
    assert.deepEqual(containers(d), ['web=nginx:1.28:MODE=b,LEVEL=info', 'logger=fluent-bit:3'], 'sidecar and DEBUG removed, logger and LEVEL added');
    assert.equal(d.metadata.generation, 2);
    assert.equal(d.spec.revisionHistoryLimit, 10, 'server defaults nobody applied are kept');

    // Re-applying the same manifest writes nothing.
    const rv = d.metadata.resourceVersion;
    await s.k(['apply', '--server-side', '-f', f2]);
    assert.equal((await getJSON(['get', 'deploy', 'ssa'])).metadata.resourceVersion, rv);
  });

  it('a second field manager changing an owned field gets a Conflict, then takes it with --force-conflicts', async () => {
    const f2 = writeManifest(s.dir, 'ssa-v2.yaml', v2('ssa'));
    const other = writeManifest(s.dir, 'ssa-other.yaml', v2('ssa', 5));
    const r = await s.kubectl(['apply', '--server-side', '--field-manager=other', '-f', other]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    assert.match(r.stderr, /--force-conflicts/);
    assert.equal((await getJSON(['get', 'deploy', 'ssa'])).spec.replicas, 2, 'nothing written');

    assert.match(await s.k(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]), /serverside-applied/);
    const d = await getJSON(['get', 'deploy', 'ssa']);
    assert.equal(d.spec.replicas, 5);
    assert.deepEqual(managers(d), ['kubectl/Apply', 'other/Apply']);
    const byManager = Object.fromEntries(d.metadata.managedFields.map((e: any) => [e.manager, e.fieldsV1]));
    assert.ok(byManager.other['f:spec']['f:replicas']);
    assert.equal(byManager.kubectl['f:spec']['f:replicas'], undefined, 'ownership moved');

    // kubectl now conflicts with "other" in turn.
    const back = await s.kubectl(['apply', '--server-side', '-f', f2]);
    assert.match(back.stderr, /conflict with "other": \.spec\.replicas/);
  });

  it('--show-managed-fields lists every manager; plain -o yaml hides them', async () => {
    await s.k(['label', 'deploy', 'ssa', 'team=blue']);
    await s.k(['scale', 'deploy', 'ssa', '--replicas=3']);
    const y = await s.k(['get', 'deploy', 'ssa', '-o', 'yaml', '--show-managed-fields']);
    const d = parseYaml(y);
    const ms = managers(d);
    assert.ok(ms.includes('kubectl/Apply') && ms.includes('other/Apply'), ms.join(' '));
    assert.ok(ms.includes('kubectl-label/Update'), ms.join(' '));
    assert.ok(ms.some((m: string) => m.endsWith('/Update/scale')), ms.join(' '));
    assert.match(y, /fieldsType: FieldsV1/);
    assert.match(y, /f:team: \{\}/);
    assert.doesNotMatch(await s.k(['get', 'deploy', 'ssa', '-o', 'yaml']), /managedFields/);
  });

  it('server-side dry run changes nothing', async () => {
    const other = writeManifest(s.dir, 'ssa-dry.yaml', v1('ssa'));
    const before = await getJSON(['get', 'deploy', 'ssa']);
    assert.match(await s.k(['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-f', other]), /serverside-applied \(server dry run\)/);
    const after = await getJSON(['get', 'deploy', 'ssa']);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('client-side apply twice with a changed container list and env, then a second manager server-side', async () => {
    const f1 = writeManifest(s.dir, 'csa-v1.yaml', v1('csa'));
    assert.match(await s.k(['apply', '-f', f1]), /deployment\.apps\/csa created/);
    const f2 = writeManifest(s.dir, 'csa-v2.yaml', v2('csa'));
    assert.match(await s.k(['apply', '-f', f2]), /deployment\.apps\/csa configured/);
    let d = await getJSON(['get', 'deploy', 'csa']);
    // Needs the strategic merge patch ($setElementOrder, deletions by merge key).
    assert.deepEqual(containers(d), ['web=nginx:1.28:MODE=b,LEVEL=info', 'logger=fluent-bit:3']);
    assert.deepEqual(managers(d), ['kubectl-client-side-apply/Update']);

    const other = writeManifest(s.dir, 'csa-other.yaml', v2('csa', 4));
    const r = await s.kubectl(['apply', '--server-side', '--field-manager=other', '-f', other]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
    await s.k(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]);
    d = await getJSON(['get', 'deploy', 'csa']);
    assert.equal(d.spec.replicas, 4);
    // kubectl itself then folds the client-side-apply entry into its applier (a JSON patch of
    // metadata.managedFields, which the server accepts as Kubernetes does).
    assert.deepEqual(managers(d), ['other/Apply']);
    assert.deepEqual(containers(d), ['web=nginx:1.28:MODE=b,LEVEL=info', 'logger=fluent-bit:3']);
  });

  it('kubectl apply --server-side takes over from client-side apply without conflicts', async () => {
    const f1 = writeManifest(s.dir, 'mig-v1.yaml', v1('mig'));
    await s.k(['apply', '-f', f1]);
    const f2 = writeManifest(s.dir, 'mig-v2.yaml', v2('mig'));
    assert.match(await s.k(['apply', '--server-side', '-f', f2]), /serverside-applied/);
    const d = await getJSON(['get', 'deploy', 'mig']);
    assert.deepEqual(containers(d), ['web=nginx:1.28:MODE=b,LEVEL=info', 'logger=fluent-bit:3']);
    const last = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal(last.spec.template.spec.containers[0].image, 'nginx:1.28', 'annotation follows the server-side apply');
    assert.ok(managers(d).includes('kubectl/Apply'));
  });

  it('managedFields never get in the way: replace with them, edit them, reset them', async () => {
    // kubectl replace sends back what it got, managedFields included.
    const d = await getJSON(['get', 'deploy', 'ssa']);
    d.spec.template.spec.containers[0].image = 'nginx:1.29';
    assert.match(await s.k(['replace', '-f', '-'], { input: JSON.stringify(d) }), /replaced/);
    let now = await getJSON(['get', 'deploy', 'ssa']);
    assert.ok(managers(now).includes('kubectl-replace/Update'));
    // Garbage managedFields from a client are ignored, not an error.
    now.metadata.managedFields = [{ manager: 'x', operation: 'Nope', fieldsType: 'FieldsV9' }];
    now.metadata.labels.extra = 'yes';
    await s.k(['replace', '-f', '-'], { input: JSON.stringify(now) });
    now = await getJSON(['get', 'deploy', 'ssa']);
    assert.ok(managers(now).includes('kubectl/Apply'));
    // [{}] resets them.
    await s.k(['patch', 'deploy', 'ssa', '--type=merge', '-p', '{"metadata":{"managedFields":[{}]}}']);
    now = await getJSON(['get', 'deploy', 'ssa']);
    assert.equal(now.metadata.managedFields, undefined);
  });
});

describe('server-side apply with client-node', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer();
  });
  after(async () => {
    await s?.cleanup();
  });

  it('creates, updates, conflicts and forces with PatchStrategy.ServerSideApply', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const obj = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data });
    const created: k8s.KubernetesObject = await obj.patch(cm({ a: '1', b: '2' }), undefined, undefined, 'my-controller', undefined, k8s.PatchStrategy.ServerSideApply);
    assert.deepEqual((created as any).data, { a: '1', b: '2' });
    assert.equal(created.metadata?.managedFields?.[0]?.manager, 'my-controller');
    assert.equal(created.metadata?.managedFields?.[0]?.operation, 'Apply');

    const updated = await obj.patch(cm({ a: '1' }), undefined, undefined, 'my-controller', undefined, k8s.PatchStrategy.ServerSideApply);
    assert.deepEqual((updated as any).data, { a: '1' }, 'b no longer applied: removed');

    await assert.rejects(obj.patch(cm({ a: 'x' }), undefined, undefined, 'someone-else', undefined, k8s.PatchStrategy.ServerSideApply), (e: any) => {
      assert.equal(e.code, 409);
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      assert.equal(body.details.causes[0].reason, 'FieldManagerConflict');
      assert.equal(body.details.causes[0].field, '.data.a');
      return true;
    });
    const forced = await obj.patch(cm({ a: 'x' }), undefined, undefined, 'someone-else', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal((forced as any).data.a, 'x');

    // A read-modify-replace round trip carries managedFields (and Date objects) back unharmed.
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const got = await core.readNamespacedConfigMap({ namespace: 'default', name: 'cfg' });
    got.data = { ...got.data, c: '3' };
    const replaced = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cfg', body: got });
    // my-controller lost its only field to the forced apply; the replace is an Update (named
    // from fieldManager, or "unknown": client-node sends none).
    const ms = (replaced.metadata?.managedFields ?? []).map((e) => `${e.manager}/${e.operation}`);
    assert.equal(ms.length, 2, ms.join(' '));
    assert.equal(ms[0], 'someone-else/Apply');
    assert.match(ms[1]!, /\/Update$/);
    assert.equal(replaced.data?.c, '3');
  });
});
