/**
 * CRD support in a real ApiServer (memory storage, plain HTTP): serving at once, conditions,
 * multi-version reads, admission (defaults, pruning, validation, strict), subresources, Table
 * output, OpenAPI, deletion with its objects, restart, and bad CRDs refused with nothing written.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from '../server.js';
import { MemoryStore } from '../storage/memory.js';
import type { Store } from '../storage/store.js';
import { createLogger } from '../../util/logger.js';
import { widgetCRD } from './testutil.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const W1 = '/apis/example.com/v1/namespaces/default/widgets';
const WB = '/apis/example.com/v1beta1/namespaces/default/widgets';
const MERGE = 'application/merge-patch+json';

async function start(store: Store) {
  const server = await new ApiServer({ storage: store, tls: false, authenticator: null, logger: createLogger({ name: 'test', level: 'silent' }) }).start();
  const req = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(server.url + path, {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
    const text = await r.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, json, text };
  };
  return { server, req };
}

/** A store that survives its server's stop(), so a second server can "restart" on it. */
function keepOpen(store: Store): Store {
  return new Proxy(store, {
    get: (t, p) => (p === 'close' ? async () => {} : typeof (t as any)[p] === 'function' ? (t as any)[p].bind(t) : (t as any)[p]),
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const widget = (name: string, spec: object, apiVersion = 'example.com/v1') => ({ apiVersion, kind: 'Widget', metadata: { name }, spec });

describe('CRD support (in-process server)', () => {
  const store = new MemoryStore();
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    s = await start(keepOpen(store));
  });
  after(async () => {
    await s.server.stop();
  });

  it('creates a CRD with the cleanup finalizer and Established conditions, and serves it at once', async () => {
    const r = await s.req('POST', CRDS, widgetCRD());
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.deepEqual(r.json.status.storedVersions, ['v1']);
    const crd = await until('Established', async () => {
      const g = await s.req('GET', `${CRDS}/widgets.example.com`);
      return g.json.status?.conditions?.find((c: any) => c.type === 'Established' && c.status === 'True') ? g.json : undefined;
    });
    const byType = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c]));
    assert.equal(byType.NamesAccepted.reason, 'NoConflicts');
    assert.equal(byType.Established.reason, 'InitialNamesAccepted');
    assert.equal(crd.status.acceptedNames.plural, 'widgets');
    assert.deepEqual(crd.status.acceptedNames.shortNames, ['wd']);
    const rl = (await s.req('GET', '/apis/example.com/v1')).json;
    const entry = rl.resources.find((x: any) => x.name === 'widgets');
    assert.deepEqual([entry.kind, entry.singularName, entry.namespaced, entry.shortNames, entry.categories], ['Widget', 'widget', true, ['wd'], ['all', 'toys']]);
    assert.ok(rl.resources.some((x: any) => x.name === 'widgets/scale' && x.kind === 'Scale'));
    assert.ok(rl.resources.some((x: any) => x.name === 'widgets/status'));
    assert.equal((await s.req('GET', '/apis/example.com/v1beta1')).status, 200);
    const agg = (await s.req('GET', '/apis', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })).json;
    const g = agg.items.find((i: any) => i.metadata.name === 'example.com');
    assert.deepEqual(g.versions.map((v: any) => v.version), ['v1', 'v1beta1']);
  });

  it('applies defaults, prunes unknown fields and stores in the storage version', async () => {
    const r = await s.req('POST', WB, { ...widget('a', { color: 'red', bogus: 1 }, 'example.com/v1beta1'), metadata: { name: 'a', junk: 'x' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.apiVersion, 'example.com/v1beta1');
    assert.deepEqual(r.json.spec, { color: 'red', replicas: 1, size: 'M' });
    assert.equal(r.json.metadata.junk, undefined);
    assert.equal(r.json.metadata.generation, 1);
    const v1 = (await s.req('GET', `${W1}/a`)).json;
    assert.equal(v1.apiVersion, 'example.com/v1');
    const raw = await store.get('/registry/example.com/widgets/default/a');
    assert.equal(JSON.parse(raw!.value).apiVersion, 'example.com/v1', 'stored in the storage version');
    const list = (await s.req('GET', WB)).json;
    assert.equal(list.apiVersion, 'example.com/v1beta1');
    assert.deepEqual(list.items.map((i: any) => i.apiVersion), ['example.com/v1beta1']);
  });

  it('refuses invalid objects with 422 and Kubernetes field paths', async () => {
    const r = await s.req('POST', W1, widget('bad', { color: 'purple', replicas: 'three', size: 'XXL', tags: ['a', 'a'] }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.reason, 'Invalid');
    const causes = Object.fromEntries(r.json.details.causes.map((c: any) => [c.field, c.message]));
    assert.equal(causes['spec.replicas'], 'Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    assert.equal(causes['spec.color'], 'Unsupported value: "purple": supported values: "red", "green", "blue"');
    assert.equal(causes['spec.size'], `Invalid value: "XXL": spec.size in body should match '^(S|M|L|XL)$'`);
    assert.equal(causes['spec.tags[1]'], 'Duplicate value: "a"');
    assert.match(r.json.message, /^Widget\.example\.com "bad" is invalid: /);
    const missing = await s.req('POST', W1, widget('bad2', {}));
    assert.equal(missing.json.details.causes[0].field, 'spec.color');
    assert.equal(missing.json.details.causes[0].message, 'Required value');
    const cel = await s.req('POST', W1, widget('bad3', { color: 'red', min: 5, max: 1 }));
    assert.equal(cel.status, 422);
    assert.deepEqual(cel.json.details.causes, [{ reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: "object": min must not exceed max' }]);
    assert.equal((await s.req('GET', `${W1}/bad`)).status, 404);
  });

  it('refuses unknown fields under fieldValidation=Strict and unknown apiVersions', async () => {
    const r = await s.req('POST', `${W1}?fieldValidation=Strict`, widget('strict', { color: 'red', bogus: 1 }));
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"');
    const v = await s.req('POST', W1, widget('v9', { color: 'red' }, 'example.com/v9'));
    assert.equal(v.status, 400);
    assert.match(v.json.message, /example\.com\/v9/);
  });

  it('patches with merge patch, refuses strategic merge patch with 415, scales and updates status', async () => {
    const p = await s.req('PATCH', `${WB}/a`, { spec: { color: 'blue' } }, { 'content-type': MERGE });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.spec.color, 'blue');
    assert.equal(p.json.apiVersion, 'example.com/v1beta1');
    assert.equal(p.json.metadata.generation, 2);
    const smp = await s.req('PATCH', `${W1}/a`, { spec: { color: 'red' } }, { 'content-type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 415);
    const bad = await s.req('PATCH', `${W1}/a`, { spec: { replicas: -1 } }, { 'content-type': MERGE });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.details.causes[0].message, 'Invalid value: -1: spec.replicas in body should be greater than or equal to 0');
    const sc = await s.req('PATCH', `${W1}/a/scale`, { spec: { replicas: 3 } }, { 'content-type': MERGE });
    assert.equal(sc.status, 200, sc.text);
    assert.equal(sc.json.kind, 'Scale');
    assert.equal(sc.json.spec.replicas, 3);
    const st = await s.req('PATCH', `${W1}/a/status`, { status: { replicas: 3, selector: 'app=a', phase: 'Ready', junk: 1 } }, { 'content-type': MERGE });
    assert.equal(st.status, 200, st.text);
    assert.deepEqual(st.json.status, { replicas: 3, selector: 'app=a', phase: 'Ready' });
    const scale = (await s.req('GET', `${W1}/a/scale`)).json;
    assert.deepEqual([scale.spec.replicas, scale.status.replicas, scale.status.selector], [3, 3, 'app=a']);
    // The main resource ignores status; the status subresource ignores spec.
    const put = await s.req('PUT', `${W1}/a`, { ...(await s.req('GET', `${W1}/a`)).json, status: { phase: 'Hacked' } });
    assert.equal(put.json.status.phase, 'Ready');
  });

  it('serves Table output from additionalPrinterColumns', async () => {
    const t = (await s.req('GET', W1, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).json;
    assert.equal(t.kind, 'Table');
    assert.deepEqual(t.columnDefinitions.map((c: any) => [c.name, c.priority]), [['Name', 0], ['Color', 0], ['Replicas', 0], ['Size', 1], ['Age', 0]]);
    assert.deepEqual(t.rows[0].cells.slice(0, 4), ['a', 'blue', 3, 'M']);
  });

  it('publishes the schema in OpenAPI v3 with the GVK', async () => {
    const index = JSON.parse((await s.req('GET', '/openapi/v3')).text);
    assert.ok(index.paths['apis/example.com/v1']);
    const doc = (await s.req('GET', '/openapi/v3/apis/example.com/v1')).json;
    const schema = doc.components.schemas['com.example.v1.Widget'];
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
    assert.equal(schema.properties.spec.properties.color.type, 'string');
  });

  it('refuses bad CRDs with clear causes and writes nothing', async () => {
    const cases: [string, (c: any) => void, RegExp][] = [
      ['non-structural', (c) => delete c.spec.versions[0].schema.openAPIV3Schema.properties.spec.type, /properties\[spec\]\.type: Required value: must not be empty for specified object fields/],
      ['webhook conversion', (c) => (c.spec.conversion = { strategy: 'Webhook' }), /spec\.conversion\.strategy: .*conversion webhooks are not supported/],
      ['two storage versions', (c) => (c.spec.versions[1].storage = true), /must have exactly one version marked as storage version/],
      ['nothing served', (c) => c.spec.versions.forEach((v: any) => (v.served = false)), /must have at least one version marked as served/],
      ['wrong name', (c) => (c.metadata.name = 'gizmos.example.com'), /metadata\.name: Invalid value: "gizmos\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/],
      ['additionalProperties with properties', (c) => (c.spec.versions[0].schema.openAPIV3Schema.properties.spec.additionalProperties = false), /additionalProperties and properties are mutual exclusive/],
    ];
    for (const [what, mutate, re] of cases) {
      const crd: any = widgetCRD({ plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'] });
      mutate(crd);
      const r = await s.req('POST', CRDS, crd);
      assert.equal(r.status, 422, `${what}: ${r.text}`);
      assert.match(r.json.message, re, what);
      assert.ok(r.json.details.causes.length > 0, what);
    }
    assert.equal((await s.req('GET', `${CRDS}/gadgets.example.com`)).status, 404);
    // Names another CRD of the group (or a built-in) holds.
    const taken = await s.req('POST', CRDS, widgetCRD({ plural: 'gizmos', kind: 'Gizmo', shortNames: ['wd'] }));
    assert.equal(taken.status, 422, taken.text);
    assert.deepEqual(taken.json.details.causes.map((c: any) => c.field), ['spec.names.shortNames[0]']);
    assert.match(taken.json.message, /"wd" is already in use by customresourcedefinition "widgets\.example\.com" \(ShortNamesConflict\)/);
    const builtin = await s.req('POST', CRDS, { ...widgetCRD({ group: 'apps.k8s.io', plural: 'things', kind: 'Thing' }), metadata: { name: 'things.apps.k8s.io', annotations: { 'api-approved.kubernetes.io': 'unapproved, testing' } } });
    assert.equal(builtin.status, 201, builtin.text);
    const clash = await s.req('POST', CRDS, { ...widgetCRD({ group: 'networking.k8s.io', plural: 'ingresses', kind: 'Ingress' }), metadata: { name: 'ingresses.networking.k8s.io', annotations: { 'api-approved.kubernetes.io': 'unapproved' } } });
    assert.equal(clash.status, 422, clash.text);
    assert.match(clash.json.message, /already in use by the built-in resource ingresses\.networking\.k8s\.io/);
    assert.equal((await s.req('DELETE', `${CRDS}/things.apps.k8s.io`)).status, 200);
  });

  it('keeps a stored version in spec.versions until it leaves status.storedVersions', async () => {
    const cur = (await s.req('GET', `${CRDS}/widgets.example.com`)).json;
    cur.spec.versions[0].storage = false;
    cur.spec.versions[1].storage = true;
    const moved = await s.req('PUT', `${CRDS}/widgets.example.com`, cur);
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual(moved.json.status.storedVersions, ['v1', 'v1beta1']);
    moved.json.spec.versions.splice(0, 1);
    const removed = await s.req('PUT', `${CRDS}/widgets.example.com`, moved.json);
    assert.equal(removed.status, 422, removed.text);
    assert.equal(removed.json.details.causes[0].field, 'status.storedVersions[0]');
    assert.match(removed.json.details.causes[0].message, /^Invalid value: "v1": must appear in spec\.versions/);
    const after = (await s.req('GET', `${CRDS}/widgets.example.com`)).json;
    assert.equal(after.spec.versions.length, 2, 'nothing written');
    // New objects are stored as v1beta1 now; old ones keep reading in every version.
    await until('v1beta1 storage', async () => {
      await s.req('DELETE', `${W1}/b`);
      await s.req('POST', W1, widget('b', { color: 'green' }));
      const raw = await store.get('/registry/example.com/widgets/default/b');
      return raw && JSON.parse(raw.value).apiVersion === 'example.com/v1beta1';
    });
    assert.equal((await s.req('GET', `${W1}/b`)).json.apiVersion, 'example.com/v1');
  });

  it('stops serving an unserved version', async () => {
    const cur = (await s.req('GET', `${CRDS}/widgets.example.com`)).json;
    cur.spec.versions[0].served = false;
    assert.equal((await s.req('PUT', `${CRDS}/widgets.example.com`, cur)).status, 200);
    await until('v1 gone', async () => (await s.req('GET', `${W1}/a`)).status === 404);
    assert.equal((await s.req('GET', `${WB}/a`)).json.apiVersion, 'example.com/v1beta1');
    cur.spec.versions[0].served = true;
    delete cur.metadata.resourceVersion;
    assert.equal((await s.req('PUT', `${CRDS}/widgets.example.com`, cur)).status, 200);
    await until('v1 back', async () => (await s.req('GET', `${W1}/a`)).status === 200);
  });

  it('serves stored CRDs and their objects after a restart', async () => {
    await s.server.stop();
    s = await start(keepOpen(store));
    const r = await s.req('GET', `${W1}/a`);
    assert.equal(r.status, 200, 'served before the server reports ready');
    assert.equal(r.json.spec.color, 'blue');
  });

  it('deletes the objects with the CRD, then stops serving it', async () => {
    const del = await s.req('DELETE', `${CRDS}/widgets.example.com`);
    assert.equal(del.status, 200);
    await until('CRD gone', async () => (await s.req('GET', `${CRDS}/widgets.example.com`)).status === 404);
    assert.equal((await s.req('GET', W1)).status, 404);
    assert.equal((await s.req('GET', '/apis/example.com/v1')).status, 404);
    assert.deepEqual((await store.list('/registry/example.com/widgets/')).items, []);
    const index = JSON.parse((await s.req('GET', '/openapi/v3')).text);
    assert.equal(index.paths['apis/example.com/v1'], undefined);
  });
});

describe('CRD lifecycle corners (in-process server)', () => {
  const store = new MemoryStore();
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    s = await start(store);
    assert.equal((await s.req('POST', CRDS, widgetCRD())).status, 201);
    await until('served', async () => (await s.req('GET', W1)).status === 200);
  });
  after(async () => {
    await s.server.stop();
  });

  it('watches in the requested version', async () => {
    const ac = new AbortController();
    const res = await fetch(`${s.server.url}${WB}?watch=true`, { signal: ac.signal });
    const reader = res.body!.getReader();
    assert.equal((await s.req('POST', W1, widget('watched', { color: 'red' }))).status, 201);
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const ev = JSON.parse(text.split('\n')[0]!);
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.apiVersion, 'example.com/v1beta1');
    assert.equal(ev.object.metadata.name, 'watched');
  });

  it('serves cluster-scoped CRDs', async () => {
    assert.equal((await s.req('POST', CRDS, widgetCRD({ plural: 'regions', kind: 'Region', shortNames: ['rg'], scope: 'Cluster' }))).status, 201);
    await until('regions served', async () => (await s.req('GET', '/apis/example.com/v1/regions')).status === 200);
    const r = await s.req('POST', '/apis/example.com/v1/regions', { apiVersion: 'example.com/v1', kind: 'Region', metadata: { name: 'eu' }, spec: { color: 'blue' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.namespace, undefined);
    assert.equal((await s.req('GET', '/apis/example.com/v1/namespaces/default/regions')).status, 404);
  });

  it('marks names that conflict outside admission NamesAccepted=False and does not serve them', async () => {
    // Written behind admission's back, as two concurrent creates could: the naming controller still catches it.
    const sneaky: any = widgetCRD({ plural: 'sprockets', kind: 'Sprocket', shortNames: ['wd'] });
    sneaky.metadata = { ...sneaky.metadata, uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1, finalizers: ['customresourcecleanup.apiextensions.k8s.io'] };
    await store.create('/registry/apiextensions.k8s.io/customresourcedefinitions/sprockets.example.com', JSON.stringify(sneaky));
    const crd = await until('NamesAccepted=False', async () => {
      const g = (await s.req('GET', `${CRDS}/sprockets.example.com`)).json;
      return g?.status?.conditions?.some((c: any) => c.type === 'NamesAccepted') ? g : undefined;
    });
    const byType = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c]));
    assert.deepEqual([byType.NamesAccepted.status, byType.NamesAccepted.reason, byType.NamesAccepted.message], ['False', 'ShortNamesConflict', '"wd" is already in use']);
    assert.deepEqual([byType.Established.status, byType.Established.reason], ['False', 'NotAccepted']);
    assert.equal((await s.req('GET', '/apis/example.com/v1/namespaces/default/sprockets')).status, 404);
    // Once the holder goes, the names are free and the CRD is established.
    assert.equal((await s.req('DELETE', `${CRDS}/widgets.example.com`)).status, 200);
    await until('sprockets established', async () => (await s.req('GET', '/apis/example.com/v1/namespaces/default/sprockets')).status === 200);
    const after = (await s.req('GET', `${CRDS}/sprockets.example.com`)).json;
    assert.deepEqual(after.status.acceptedNames.shortNames, ['wd']);
  });

  it('waits for custom resources with finalizers, refusing creates meanwhile', async () => {
    const SP = '/apis/example.com/v1/namespaces/default/sprockets';
    const held = await s.req('POST', SP, { apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { color: 'red' } });
    assert.equal(held.status, 201, held.text);
    assert.equal((await s.req('POST', SP, { apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: 'free' }, spec: { color: 'red' } })).status, 201);
    assert.equal((await s.req('DELETE', `${CRDS}/sprockets.example.com`)).status, 200);
    const crd = await until('Terminating', async () => {
      const g = (await s.req('GET', `${CRDS}/sprockets.example.com`)).json;
      return g.status.conditions.some((c: any) => c.type === 'Terminating' && c.status === 'True') ? g : undefined;
    });
    assert.equal(crd.status.conditions.find((c: any) => c.type === 'Terminating').reason, 'InstanceDeletionInProgress');
    await until('free deleted', async () => (await s.req('GET', `${SP}/free`)).status === 404);
    assert.ok((await s.req('GET', `${SP}/held`)).json.metadata.deletionTimestamp);
    const late = await s.req('POST', SP, { apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name: 'late' }, spec: { color: 'red' } });
    assert.equal(late.status, 405);
    assert.equal(late.json.message, 'create not allowed while custom resource definition is terminating');
    assert.equal((await s.req('GET', `${CRDS}/sprockets.example.com`)).status, 200, 'still there while held exists');
    assert.equal((await s.req('PATCH', `${SP}/held`, { metadata: { finalizers: null } }, { 'content-type': MERGE })).status, 200);
    await until('CRD gone', async () => (await s.req('GET', `${CRDS}/sprockets.example.com`)).status === 404);
    assert.equal((await s.req('GET', SP)).status, 404);
  });
});
