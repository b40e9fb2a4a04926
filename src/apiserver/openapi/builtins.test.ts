import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it, test } from 'node:test';
import { BUILTINS_PATH, renderBuiltinSchemas } from '../../../scripts/gen-openapi.js';
import { createLogger } from '../../util/logger.js';
import { BUILTIN_RESOURCES } from '../resources/builtin.js';
import { ApiServer } from '../server.js';
import { MemoryStore } from '../storage/memory.js';
import { builtinSchemas, type Schema } from './builtins.js';
import { unknownFields } from './strict.js';

test('src/apiserver/openapi/builtins.json is what the generator writes (run: node --import tsx scripts/gen-openapi.ts)', () => {
  assert.equal(readFileSync(BUILTINS_PATH, 'utf8'), renderBuiltinSchemas());
});

describe('generated built-in schemas', () => {
  const { schemas, byGVK } = builtinSchemas();
  const s = (n: string) => schemas.get(n)!;
  const props = (n: string) => s(n).properties as Record<string, Schema>;

  it('has every served built-in kind, with its GVK', () => {
    for (const rt of BUILTIN_RESOURCES) assert.ok(byGVK.get(`${rt.group}/${rt.version}/${rt.kind}`), `${rt.group}/${rt.version}/${rt.kind}`);
    assert.equal(byGVK.get('apps/v1/Deployment'), 'io.k8s.api.apps.v1.Deployment');
    assert.equal(byGVK.get('rbac.authorization.k8s.io/v1/Role'), 'io.k8s.api.rbac.v1.Role');
    assert.equal(byGVK.get('apiextensions.k8s.io/v1/CustomResourceDefinition'), 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
  });

  it('names, types and describes fields as upstream does', () => {
    const tmpl = props('io.k8s.api.apps.v1.DeploymentSpec').template!;
    assert.deepEqual(tmpl.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }]);
    assert.match(String(tmpl.description), /^Template describes the pods that will be created/);
    assert.deepEqual(s('io.k8s.api.apps.v1.DeploymentSpec').required, ['selector', 'template']);
    assert.deepEqual(props('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').labels!.additionalProperties, { type: 'string' });
    assert.equal(props('io.k8s.api.apps.v1.DeploymentSpec').replicas!.type, 'integer');
    assert.equal(s('io.k8s.apimachinery.pkg.apis.meta.v1.Time').format, 'date-time');
    assert.equal(s('io.k8s.apimachinery.pkg.util.intstr.IntOrString')['x-kubernetes-int-or-string'], true);
    assert.deepEqual(s('io.k8s.apimachinery.pkg.api.resource.Quantity').oneOf, [{ type: 'string' }, { type: 'number' }]);
    assert.deepEqual(props('io.k8s.api.core.v1.ResourceRequirements').limits!.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  });

  it('carries the patch and list metadata of the server\'s tables', () => {
    const containers = props('io.k8s.api.core.v1.PodSpec').containers!;
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    const volumes = props('io.k8s.api.core.v1.PodSpec').volumes!;
    assert.equal(volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    const ports = props('io.k8s.api.core.v1.Container').ports!;
    assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.deepEqual(props('io.k8s.api.core.v1.ServiceSpec').ports!['x-kubernetes-list-map-keys'], ['port', 'protocol']);
    assert.equal(props('io.k8s.api.apps.v1.DeploymentSpec').strategy!['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(props('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').finalizers!['x-kubernetes-list-type'], 'set');
    assert.equal(props('io.k8s.api.core.v1.Container').args!['x-kubernetes-list-type'], 'atomic');
    assert.equal(props('io.k8s.api.apps.v1.DeploymentSpec').selector!['x-kubernetes-map-type'], 'atomic');
  });

  it('finds unknown fields with their paths, and none in free-form places', () => {
    const dep = s('io.k8s.api.apps.v1.Deployment');
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a', labels: { x: 'y' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
      spec: {
        replicaz: 1,
        selector: { matchLabels: { a: 'b' } },
        strategy: { rollingUpdate: { maxSurge: '25%' } },
        template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1 } } }, { name: 'd', imagePolicy: 'x' }] } },
      },
    };
    assert.deepEqual(unknownFields(dep, obj), ['spec.replicaz', 'spec.template.spec.containers[1].imagePolicy']);
    const crd = s('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
    const schema = { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { any: 1 } } } };
    assert.deepEqual(unknownFields(crd, { spec: { group: 'g', versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] } }), []);
  });
});

describe('OpenAPI v3 documents with built-in schemas (in-process server)', () => {
  let server: ApiServer;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(server.url + path, { headers });
    return { status: r.status, etag: r.headers.get('etag'), cache: r.headers.get('cache-control'), text: await r.text() };
  };
  before(async () => {
    server = await new ApiServer({ storage: new MemoryStore(), tls: false, authenticator: null, logger: createLogger({ name: 'test', level: 'silent' }) }).start();
  });
  after(async () => {
    await server?.stop();
  });

  it('serves each group-version with its kinds and every schema they reference', async () => {
    const index = JSON.parse((await get('/openapi/v3')).text);
    const url = index.paths['apis/apps/v1'].serverRelativeURL as string;
    const r = await get(url);
    assert.equal(r.status, 200);
    assert.equal(r.etag, `"${new URL(url, 'http://x').searchParams.get('hash')}"`);
    assert.equal(r.cache, 'public, immutable', 'a document asked for by its hash never changes');
    assert.equal((await get(url.split('?')[0]!)).cache, 'no-cache, private');
    const doc = JSON.parse(r.text);
    const schemas = doc.components.schemas as Record<string, Schema>;
    assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    for (const n of ['io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'])
      assert.ok(schemas[n], n);
    // Every $ref resolves inside the document.
    for (const m of r.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(schemas[m[1]!], m[1]);
    assert.equal(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch['x-kubernetes-group-version-kind'].kind, 'Deployment');
    assert.equal((await get(url, { 'if-none-match': r.etag! })).status, 304);
  });

  it('refuses unknown fields of built-in kinds under Strict, warns about them under Warn (the default), says nothing under Ignore', async () => {
    const body = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' }, dataa: { x: 'y' } });
    const post = (name: string, q: string) => fetch(`${server.url}/api/v1/namespaces/default/configmaps${q}`, { method: 'POST', body: body(name), headers: { 'content-type': 'application/json' } });
    const strict = await post('c', '?fieldValidation=Strict');
    assert.equal(strict.status, 400);
    assert.equal(((await strict.json()) as { message: string }).message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"');
    for (const [name, q] of [['c', ''], ['c2', '?fieldValidation=Warn']]) {
      const warned = await post(name!, q!);
      assert.equal(warned.status, 201);
      assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"dataa\\""');
    }
    const ignored = await post('c3', '?fieldValidation=Ignore');
    assert.equal(ignored.status, 201);
    assert.equal(ignored.headers.get('warning'), null);
  });
});
