/**
 * Bad input gets a clear Kubernetes Status error, never a crash and never a partial write.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, rawClient, type TestServer } from './harness.js';

describe('bad input', () => {
  let s: TestServer;
  let api: Awaited<ReturnType<typeof rawClient>>;
  const cms = '/api/v1/namespaces/default/configmaps';
  before(async () => {
    s = await startApiServer();
    api = await rawClient(s.dir, s.url);
  });
  after(async () => s?.cleanup());

  const expectStatus = (r: { status: number; json: any; headers: any }, code: number, reason: string) => {
    assert.equal(r.status, code, JSON.stringify(r.json));
    assert.match(String(r.headers['content-type']), /application\/json/);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.status, 'Failure');
    assert.equal(r.json.code, code);
    assert.equal(r.json.reason, reason);
    assert.ok(r.json.message.length > 0);
  };

  it('refuses unauthenticated requests except health and version', async () => {
    const { request, Agent } = await import('undici');
    const { readFileSync } = await import('node:fs');
    const dispatcher = new Agent({ connect: { ca: readFileSync(`${s.dir}/pki/ca.crt`, 'utf8') } });
    const r = await request(`${s.url}/api/v1/namespaces`, { dispatcher });
    assert.equal(r.statusCode, 401);
    assert.equal(((await r.body.json()) as any).reason, 'Unauthorized');
    const bad = await request(`${s.url}/api/v1/namespaces`, { dispatcher, headers: { authorization: 'Bearer wrong' } });
    assert.equal(bad.statusCode, 401);
    await bad.body.dump();
    for (const p of ['/healthz', '/livez', '/readyz', '/version']) {
      const ok = await request(`${s.url}${p}`, { dispatcher });
      assert.equal(ok.statusCode, 200, p);
      await ok.body.dump();
    }
  });

  it('malformed JSON and YAML are 400', async () => {
    expectStatus(await api('POST', cms, '{"apiVersion": "v1", "kind": '), 400, 'BadRequest');
    expectStatus(await api('POST', cms, 'kind: ConfigMap\n  bad: [indent', { 'content-type': 'application/yaml' }), 400, 'BadRequest');
    expectStatus(await api('POST', cms, '[1,2,3]'), 400, 'BadRequest');
    expectStatus(await api('POST', cms, ''), 400, 'BadRequest');
  });

  it('a body whose apiVersion/kind does not match the URL is 400', async () => {
    expectStatus(await api('POST', cms, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } })), 400, 'BadRequest');
    expectStatus(await api('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })), 400, 'BadRequest');
    expectStatus(await api('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } })), 400, 'BadRequest');
  });

  it('names that are not DNS-1123 are 422 with a field cause', async () => {
    for (const name of ['Upper', 'under_score', '-lead', 'a'.repeat(254)]) {
      const r = await api('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }));
      expectStatus(r, 422, 'Invalid');
      assert.equal(r.json.details.causes[0].field, 'metadata.name');
    }
    const ns = await api('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }));
    expectStatus(ns, 422, 'Invalid');
    const labels = await api('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { 'bad key!': 'v' } } }));
    expectStatus(labels, 422, 'Invalid');
    assert.equal(labels.json.details.causes[0].field, 'metadata.labels');
  });

  it('bodies over 3 MiB are 413 and nothing is written', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024 + 10) } });
    expectStatus(await api('POST', cms, big), 413, 'RequestEntityTooLarge');
    expectStatus(await api('GET', `${cms}/big`), 404, 'NotFound');
  });

  it('unknown resources and groups are 404', async () => {
    expectStatus(await api('GET', '/api/v1/flargles'), 404, 'NotFound');
    expectStatus(await api('GET', '/apis/nope.example.com/v1/things'), 404, 'NotFound');
    expectStatus(await api('GET', '/apis/apps/v1/namespaces/default/deployments/x/bogus'), 404, 'NotFound');
    expectStatus(await api('GET', '/api/v1/namespaces/default/nodes'), 404, 'NotFound');
  });

  it('selectors that do not parse are 400', async () => {
    expectStatus(await api('GET', `${cms}?labelSelector=${encodeURIComponent('a in (')}`), 400, 'BadRequest');
    expectStatus(await api('GET', `${cms}?labelSelector=${encodeURIComponent('!!a')}`), 400, 'BadRequest');
    expectStatus(await api('GET', `${cms}?fieldSelector=${encodeURIComponent('status.phase=Running')}`), 400, 'BadRequest');
    const pods = await api('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('status.phase=Running,spec.nodeName=n1')}`);
    assert.equal(pods.status, 200);
  });

  it('a watch from a future resourceVersion is a clear error; an expired one is 410 on the stream', async () => {
    const list = await api('GET', cms);
    const rv = Number(list.json.metadata.resourceVersion);
    const future = await api('GET', `${cms}?watch=true&resourceVersion=${rv + 1000}`);
    expectStatus(future, 504, 'Timeout');
    assert.equal(future.json.details.causes[0].reason, 'ResourceVersionTooLarge');
    expectStatus(await api('GET', `${cms}?watch=true&resourceVersion=abc`), 400, 'BadRequest');
  });

  it('conflicting and invalid writes change nothing', async () => {
    const created = await api('POST', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: '1' } }));
    assert.equal(created.status, 201);
    const stale = { ...created.json, data: { a: '2' }, metadata: { ...created.json.metadata, resourceVersion: '1' } };
    expectStatus(await api('PUT', `${cms}/keep`, JSON.stringify(stale)), 409, 'Conflict');
    expectStatus(await api('PUT', `${cms}/other`, JSON.stringify({ ...created.json, data: { a: '3' } })), 400, 'BadRequest');
    expectStatus(await api('PATCH', `${cms}/keep`, '{"data":', { 'content-type': 'application/merge-patch+json' }), 400, 'BadRequest');
    expectStatus(await api('PATCH', `${cms}/keep`, '{}', { 'content-type': 'text/plain' }), 415, 'UnsupportedMediaType');
    expectStatus(await api('PATCH', `${cms}/keep`, '[{"op":"replace","path":"/nope/x","value":1}]', { 'content-type': 'application/json-patch+json' }), 422, 'Invalid');
    expectStatus(await api('DELETE', `${cms}/keep`, JSON.stringify({ preconditions: { uid: 'not-it' } })), 409, 'Conflict');
    expectStatus(await api('POST', `${cms}?dryRun=Some`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dr' } })), 400, 'BadRequest');
    const now = await api('GET', `${cms}/keep`);
    assert.equal(now.json.data.a, '1');
    assert.equal(now.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
  });

  it('still serves after all of it', async () => {
    const r = await api('GET', '/api/v1/namespaces');
    assert.equal(r.status, 200);
  });
});
