/**
 * CustomResourceDefinitions with the real kubectl against `flotilla apiserver`: a two-version
 * CRD is served at once, its custom resources are defaulted, pruned, validated, printed with
 * its columns, patched, scaled and explained; bad CRDs are refused with nothing written; the
 * CRD survives a restart; deleting it deletes its objects (waiting for their finalizers).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, writeManifest, waitFor, type TestServer } from './harness.js';

const schema = `
        type: object
        properties:
          spec:
            type: object
            required: [color]
            properties:
              color: {type: string, enum: [red, green, blue]}
              replicas: {type: integer, minimum: 0, default: 1}
              size: {type: string, default: M}
              selector: {type: string}
          status:
            type: object
            properties:
              replicas: {type: integer}
              selector: {type: string}`;

const version = (name: string, storage: boolean) => `
  - name: ${name}
    served: true
    storage: ${storage}
    schema:
      openAPIV3Schema:${schema}
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Size, type: string, jsonPath: .spec.size, priority: 1}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}`;

const crd = (plural = 'widgets', kind = 'Widget', shortNames = '[wd]', extra = '') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind}, listKind: ${kind}List, shortNames: ${shortNames}, categories: [toys]}
  versions:${version('v1', true)}${version('v1beta1', false)}
${extra}`;

const widget = (name: string, spec: string, apiVersion = 'example.com/v1') => `apiVersion: ${apiVersion}
kind: Widget
metadata:
  name: ${name}
spec: ${spec}
`;

describe('CRDs with kubectl', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer();
  });
  after(async () => {
    await s?.cleanup();
  });

  it('serves a new CRD at once, with its conditions Established', async () => {
    assert.match(await s.k(['create', '-f', writeManifest(s.dir, 'crd.yaml', crd())]), /customresourcedefinition.apiextensions.k8s.io\/widgets.example.com created/);
    await s.k(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    const conds = JSON.parse(await s.k(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.conditions}']));
    const byType = Object.fromEntries(conds.map((c: any) => [c.type, c]));
    assert.equal(byType.NamesAccepted.status, 'True');
    assert.equal(byType.NamesAccepted.reason, 'NoConflicts');
    assert.equal(byType.Established.reason, 'InitialNamesAccepted');
    const res = await s.k(['api-resources', '--api-group=example.com']);
    assert.match(res, /^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget\s*$/m);
    const none = await s.kubectl(['get', 'wd']);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stderr, /No resources found in default namespace/);
  });

  it('creates custom resources with defaults and prints the CRD columns', async () => {
    const f = writeManifest(s.dir, 'widgets.yaml', `${widget('alpha', '{color: red, replicas: 2}')}---\n${widget('beta', '{color: green}', 'example.com/v1beta1')}`);
    const out = await s.k(['create', '-f', f]);
    assert.match(out, /widget.example.com\/alpha created/);
    assert.match(out, /widget.example.com\/beta created/);
    const table = await s.k(['get', 'widgets']);
    assert.match(table, /^NAME\s+COLOR\s+REPLICAS\s+AGE\s*$/m);
    assert.match(table, /^alpha\s+red\s+2\s+\d+s\s*$/m);
    assert.match(table, /^beta\s+green\s+1\s+\d+s\s*$/m);
    assert.match(await s.k(['get', 'wd', '-o', 'wide']), /^NAME\s+COLOR\s+REPLICAS\s+SIZE\s+AGE\s*$/m);
    assert.match(await s.k(['get', 'toys']), /^alpha\s+red\s+2\s+/m);
    const beta = JSON.parse(await s.k(['get', 'widget.v1beta1.example.com', 'beta', '-o', 'json']));
    assert.equal(beta.apiVersion, 'example.com/v1beta1');
    assert.deepEqual(beta.spec, { color: 'green', replicas: 1, size: 'M' });
    assert.equal(JSON.parse(await s.k(['get', 'widget.v1.example.com', 'beta', '-o', 'json'])).apiVersion, 'example.com/v1');
  });

  it('prunes fields the schema does not declare, and refuses them under strict validation', async () => {
    const f = writeManifest(s.dir, 'extra.yaml', widget('gamma', '{color: blue, bogus: 1}'));
    const strict = await s.kubectl(['create', '-f', f]);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /strict decoding error: unknown field "spec.bogus"/);
    await s.k(['create', '--validate=false', '-f', f]);
    const gamma = JSON.parse(await s.k(['get', 'wd', 'gamma', '-o', 'json']));
    assert.deepEqual(gamma.spec, { color: 'blue', replicas: 1, size: 'M' });
  });

  it('refuses an invalid object with its field path', async () => {
    const r = await s.kubectl(['create', '-f', writeManifest(s.dir, 'bad.yaml', widget('bad', '{color: red, replicas: three}'))]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Widget "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"/);
    assert.match((await s.kubectl(['get', 'wd', 'bad'])).stderr, /NotFound/);
  });

  it('patches with --type=merge, refuses a strategic merge patch, and scales', async () => {
    assert.match(await s.k(['patch', 'wd', 'alpha', '--type=merge', '-p', '{"spec":{"color":"blue"}}']), /widget.example.com\/alpha patched/);
    assert.equal(await s.k(['get', 'wd', 'alpha', '-o', 'jsonpath={.spec.color}']), 'blue');
    const smp = await s.kubectl(['patch', 'wd', 'alpha', '-p', '{"spec":{"color":"red"}}']);
    assert.notEqual(smp.code, 0);
    assert.match(smp.stderr, /strategic-merge-patch\+json.*not supported|UnsupportedMediaType|unknown format/);
    assert.match(await s.k(['scale', 'wd', 'alpha', '--replicas=5']), /widget.example.com\/alpha scaled/);
    assert.equal(await s.k(['get', 'wd', 'alpha', '-o', 'jsonpath={.spec.replicas}']), '5');
  });

  it('explains the CRD schema', async () => {
    const out = await s.k(['explain', 'widgets.spec']);
    assert.match(out, /GROUP:\s+example.com/);
    assert.match(out, /KIND:\s+Widget/);
    assert.match(out, /VERSION:\s+v1/);
    assert.match(out, /color\s+<string> -required-\s+enum: red, green, blue/);
    assert.match(out, /color\s+<string>/);
    assert.match(out, /replicas\s+<integer>/);
  });

  it('re-applies a changed CRD and serves the change at once', async () => {
    const changed = crd().replace(/(    - \{name: Age, type: date, jsonPath: .metadata.creationTimestamp\})/g, '$1\n    - {name: Selector, type: string, jsonPath: .status.selector, priority: 1}');
    assert.match(await s.k(['apply', '-f', writeManifest(s.dir, 'crd.yaml', changed)]), /widgets.example.com configured/);
    await waitFor('new column', async () => /SELECTOR/.test(await s.k(['get', 'wd', '-o', 'wide'])) || undefined, 10_000);
    assert.equal(await s.k(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.metadata.generation}']), '2');
  });

  it('refuses bad CRDs with clear errors and writes nothing', async () => {
    const nonStructural = crd('gadgets', 'Gadget', '[gd]').replace('          spec:\n            type: object\n', '          spec:\n');
    const r1 = await s.kubectl(['create', '-f', writeManifest(s.dir, 'gadgets.yaml', nonStructural)]);
    assert.notEqual(r1.code, 0);
    assert.match(r1.stderr, /The CustomResourceDefinition "gadgets.example.com" is invalid: .*spec.versions\[0\].schema.openAPIV3Schema.properties\[spec\].type: Required value: must not be empty for specified object fields/);
    assert.match((await s.kubectl(['get', 'crd', 'gadgets.example.com'])).stderr, /NotFound/);

    const r2 = await s.kubectl(['create', '-f', writeManifest(s.dir, 'gizmos.yaml', crd('gizmos', 'Gizmo', '[wd]'))]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /spec.names.shortNames\[0\]: Invalid value: "wd": "wd" is already in use by customresourcedefinition "widgets.example.com"/);
    assert.match((await s.kubectl(['get', 'crd', 'gizmos.example.com'])).stderr, /NotFound/);

    const r3 = await s.kubectl(['create', '-f', writeManifest(s.dir, 'hooks.yaml', crd('hooks', 'Hook', '[hk]', '  conversion:\n    strategy: Webhook\n'))]);
    assert.notEqual(r3.code, 0);
    assert.match(r3.stderr, /spec.conversion.strategy: Invalid value: "Webhook": conversion webhooks are not supported by Flotilla/);

    // Move storage to v1beta1: v1 stays in status.storedVersions, so it may not leave spec.versions.
    await s.k(['patch', 'crd', 'widgets.example.com', '--type=json', '-p', '[{"op":"replace","path":"/spec/versions/0/storage","value":false},{"op":"replace","path":"/spec/versions/1/storage","value":true}]']);
    assert.equal(await s.k(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.storedVersions}']), '["v1","v1beta1"]');
    const r4 = await s.kubectl(['patch', 'crd', 'widgets.example.com', '--type=json', '-p', '[{"op":"remove","path":"/spec/versions/0"}]']);
    assert.notEqual(r4.code, 0);
    assert.match(r4.stderr, /status.storedVersions\[0\]: Invalid value: "v1": must appear in spec.versions/);
    assert.equal(await s.k(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.spec.versions[*].name}']), 'v1 v1beta1');
  });

  it('serves CRDs and their objects after a restart', async () => {
    await s.stop();
    await s.restart();
    const table = await s.k(['get', 'wd']);
    assert.match(table, /^alpha\s+blue\s+5\s+/m);
    assert.match(table, /^gamma\s+blue\s+1\s+/m);
  });

  it('deletes the objects with the CRD, waiting for their finalizers, then stops serving it', async () => {
    await s.k(['create', '-f', writeManifest(s.dir, 'held.yaml', widget('held', '{color: red}').replace('  name: held\n', '  name: held\n  finalizers: [example.com/hold]\n'))]);
    await s.k(['delete', 'crd', 'widgets.example.com', '--wait=false']);
    await waitFor('Terminating condition', async () =>
      (await s.k(['get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Terminating")].status}'])) === 'True' || undefined,
    );
    const names = await s.k(['get', 'wd', '-o', 'name']);
    assert.equal(names.trim(), 'widget.example.com/held', 'the others are gone; held waits for its finalizer');
    const create = await s.kubectl(['create', '-f', writeManifest(s.dir, 'late.yaml', widget('late', '{color: red}'))]);
    assert.notEqual(create.code, 0);
    assert.match(create.stderr, /create not allowed while custom resource definition is terminating/);
    await s.k(['patch', 'wd', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await s.k(['wait', '--for=delete', 'crd/widgets.example.com', '--timeout=20s']);
    const gone = await s.kubectl(['get', 'wd']);
    assert.notEqual(gone.code, 0);
    // A fresh discovery says the type is gone; kubectl's cached discovery gets a 404 on the list.
    assert.match(gone.stderr, /doesn't have a resource type "wd"|could not find the requested resource/);
    const fresh = await s.kubectl(['get', 'wd', '--cache-dir', `${s.dir}/fresh-cache`]);
    assert.match(fresh.stderr, /doesn't have a resource type "wd"/);
    assert.doesNotMatch(await s.k(['api-resources']), /example\.com/);
  });
});
