/**
 * `kubectl create <generator>` sends its body as application/vnd.kubernetes.protobuf. Each
 * generator runs against `flotilla apiserver`, the object is read back with `kubectl get -o json`,
 * and compared with a twin created from the same command's JSON (`--dry-run=client -o json` then
 * `create -f`): protobuf and JSON must store the same object.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawClient, startApiServer, writeManifest, type TestServer } from './harness.js';
import { encodeObject, envelope } from '../../src/apiserver/protobuf/testutil.js';
import { GENERATORS, generatorArgs, type Generator } from './protobuf-generators.js';

const TWIN_NS = 'json-twin';
const CLUSTER_SCOPED = new Set(['namespace', 'clusterrole', 'clusterrolebinding', 'priorityclass']);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** What a user checks after each create. */
const CHECKS: Record<string, (o: any, s: TestServer) => void> = {
  namespace: (o) => assert.equal(o.status.phase, 'Active'),
  configmap: (o) => assert.deepEqual(o.data, { k: 'v', other: '2' }),
  'secret-generic': (o) => {
    assert.deepEqual(o.data, { a: b64('b'), pw: b64('s3cr3t') });
    assert.equal(o.type, 'Opaque');
  },
  'secret-tls': (o, s) => {
    assert.equal(o.type, 'kubernetes.io/tls');
    assert.equal(unb64(o.data['tls.crt']), readFileSync(join(s.dir, 'pki', 'ca.crt'), 'utf8'));
    assert.match(unb64(o.data['tls.key']), /PRIVATE KEY/);
  },
  'secret-docker-registry': (o) => {
    assert.equal(o.type, 'kubernetes.io/dockerconfigjson');
    const auth = JSON.parse(unb64(o.data['.dockerconfigjson'])).auths['r.example.com'];
    assert.equal(auth.username, 'u');
    assert.equal(auth.password, 'p');
  },
  deployment: (o) => {
    assert.equal(o.spec.replicas, 3);
    assert.deepEqual(o.spec.selector, { matchLabels: { app: 'web' } });
    const c = o.spec.template.spec.containers[0];
    assert.equal(c.image, 'nginx');
    assert.equal(c.ports[0].containerPort, 80);
  },
  'service-clusterip': (o) => {
    assert.equal(o.spec.type, 'ClusterIP');
    assert.deepEqual(o.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
    assert.deepEqual(o.spec.selector, { app: 'cip' });
  },
  'service-nodeport': (o) => {
    assert.equal(o.spec.type, 'NodePort');
    assert.equal(o.spec.ports[0].port, 80);
    assert.equal(o.spec.ports[0].targetPort, 8080);
  },
  'service-loadbalancer': (o) => {
    assert.equal(o.spec.type, 'LoadBalancer');
    assert.equal(o.spec.ports[0].port, 443);
    assert.equal(o.spec.ports[0].targetPort, 8443);
  },
  'service-externalname': (o) => {
    assert.equal(o.spec.type, 'ExternalName');
    assert.equal(o.spec.externalName, 'db.example.com');
  },
  serviceaccount: (o) => assert.equal(o.metadata.name, 'sa'),
  job: (o) => {
    const pod = o.spec.template.spec;
    assert.deepEqual(pod.containers[0].command, ['echo', 'hi']);
    assert.equal(pod.containers[0].image, 'busybox');
    assert.equal(pod.restartPolicy, 'Never');
  },
  cronjob: (o) => {
    assert.equal(o.spec.schedule, '*/5 * * * *');
    assert.deepEqual(o.spec.jobTemplate.spec.template.spec.containers[0].command, ['date']);
  },
  role: (o) =>
    assert.deepEqual(o.rules, [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
    ]),
  rolebinding: (o) => {
    assert.deepEqual(o.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
    assert.deepEqual(o.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
    ]);
  },
  clusterrole: (o) =>
    assert.deepEqual(o.rules, [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    ]),
  'clusterrole-aggregated': (o) =>
    assert.deepEqual(o.aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] }),
  clusterrolebinding: (o) => {
    assert.deepEqual(o.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' });
    assert.deepEqual(
      o.subjects.map((x: any) => `${x.kind}/${x.name}`),
      ['User/u', 'Group/g'],
    );
  },
  quota: (o) => assert.deepEqual(o.spec.hard, { pods: '10', 'requests.cpu': '500m', 'limits.memory': '1Gi' }),
  priorityclass: (o) => {
    assert.equal(o.value, 1000);
    assert.equal(o.description, 'high priority');
  },
  poddisruptionbudget: (o) => {
    assert.equal(o.spec.minAvailable, 1);
    assert.deepEqual(o.spec.selector, { matchLabels: { app: 'x' } });
  },
  ingress: (o) => {
    assert.equal(o.spec.rules[0].host, 'foo.com');
    assert.deepEqual(o.spec.rules[0].http.paths, [
      { path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } },
      { path: '/baz', pathType: 'Prefix', backend: { service: { name: 'other', port: { name: 'http' } } } },
    ]);
  },
};

/**
 * The twin's JSON comes from Go, which writes a zero nested Time as `creationTimestamp: null`
 * (e.g. in pod templates); the protobuf decoder leaves zero Times out, as a hand-written manifest
 * would. Drop those nulls before comparing.
 */
function withoutNullTimestamps(v: any): any {
  if (Array.isArray(v)) return v.map(withoutNullTimestamps);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k, e]) => !(k === 'creationTimestamp' && e === null)).map(([k, e]) => [k, withoutNullTimestamps(e)]));
}

/** Strip what differs between two creates of the same object: identity, timestamps, names. */
function comparable(o: any): any {
  const c = withoutNullTimestamps(o);
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'selfLink']) delete c.metadata[k];
  if (c.metadata.labels) delete c.metadata.labels['kubernetes.io/metadata.name'];
  if (c.metadata.labels && !Object.keys(c.metadata.labels).length) delete c.metadata.labels;
  // A Job's generated selector and pod labels carry its own uid and name.
  if (c.kind === 'Job') {
    delete c.spec.selector;
    for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name']) delete c.spec.template.metadata.labels[k];
  }
  // Services get their cluster IPs and node ports allocated per object.
  if (c.kind === 'Service') {
    delete c.spec.clusterIP;
    delete c.spec.clusterIPs;
    for (const p of c.spec.ports ?? []) delete p.nodePort;
  }
  return c;
}

describe('kubectl create <generator> with protobuf bodies', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer();
    // The twin namespace comes from a JSON manifest, so this setup does not depend on protobuf.
    await s.k(['create', '-f', writeManifest(s.dir, 'twin-ns.json', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: TWIN_NS } }))]);
  });
  after(async () => {
    await s?.cleanup();
  });

  it('kubectl really sends protobuf, and the server answers 201', async () => {
    const r = await s.kubectl(['create', 'configmap', 'wire-check', '--from-literal=a=b', '-v=8']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
    assert.match(r.stderr, /201 Created/);
  });

  for (const g of GENERATORS) {
    it(`create ${g.args.join(' ')}`, async () => {
      const out = await s.k(generatorArgs(g, s.dir));
      assert.match(out, /created/);
      const [resource, name] = g.get;
      const obj = JSON.parse(await s.k(['get', resource, name, '-o', 'json']));
      assert.equal(obj.metadata.name, name);
      assert.ok(obj.metadata.uid, 'stored objects get a uid');
      assert.ok(!('creationTimestamp' in obj.metadata) || typeof obj.metadata.creationTimestamp === 'string');
      CHECKS[g.name]!(obj, s);
      await assertSameAsJsonTwin(s, g, obj);
    });
  }

  it('typed-client bodies: a known kind is created, an unknown kind is a 415 naming it, garbage is a 400', async () => {
    const raw = await rawClient(s.dir, s.url);
    const pb = { 'content-type': 'application/vnd.kubernetes.protobuf' };
    const ok = await raw('POST', '/api/v1/namespaces/default/configmaps', encodeObject('v1', 'ConfigMap', { metadata: { name: 'typed' }, data: { a: 'b' } }), pb);
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.json.data, { a: 'b' });
    // StatefulSet has no generator and no schema here; a typed client would still send it as protobuf.
    const r = await raw('POST', '/apis/apps/v1/namespaces/default/statefulsets', envelope({ typeMeta: { apiVersion: 'apps/v1', kind: 'StatefulSet' }, raw: Buffer.alloc(0) }), pb);
    assert.equal(r.status, 415, r.text);
    assert.equal(r.json.reason, 'UnsupportedMediaType');
    assert.match(r.json.message, /StatefulSet/);
    const bad = await raw('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('k8s\0\x0a\xff\xff', 'latin1'), pb);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.kind, 'Status');
  });
});

/** The same command's JSON (`--dry-run=client -o json`), created with `create -f`, stores the same object. */
async function assertSameAsJsonTwin(s: TestServer, g: Generator, viaProtobuf: any): Promise<void> {
  const clusterScoped = CLUSTER_SCOPED.has(g.name.replace(/-aggregated$/, ''));
  const manifest = JSON.parse(await s.k(generatorArgs(g, s.dir, ['--dry-run=client', '-o', 'json'])));
  if (clusterScoped) manifest.metadata.name = `${manifest.metadata.name}-json`;
  else manifest.metadata.namespace = TWIN_NS;
  await s.k(['create', '-f', writeManifest(s.dir, `${g.name}.json`, JSON.stringify(manifest))]);
  const [resource, name] = g.get;
  const twin = JSON.parse(await s.k(['get', resource, clusterScoped ? `${name}-json` : name, ...(clusterScoped ? [] : ['-n', TWIN_NS]), '-o', 'json']));
  assert.deepEqual(comparable(viaProtobuf), comparable(twin), `${g.name}: the protobuf-created object differs from the JSON-created one`);
}
