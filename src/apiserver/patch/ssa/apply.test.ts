import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../errors.js';
import type { ResourceType } from '../../resources/types.js';
import { serverSideApply, isApplyResult, LAST_APPLIED_ANNOTATION } from './apply.js';
import { setCustomResourceSchema } from './listtypes.js';
import { canonicalJSON } from './element.js';
import { Sim, T0, builtin, deepFreeze, deployment } from './testutil.js';

const deployments = builtin('deployments');
const services = builtin('services');
const configmaps = builtin('configmaps');
const C = '.spec.template.spec.containers';

function status(e: unknown): number {
  assert.ok(e instanceof StatusError, String(e));
  return e.code;
}

describe('apply: create and update', () => {
  test('creates the object: the applied configuration plus an Apply entry with the clock time', () => {
    const s = new Sim(deployments);
    const obj = s.apply('kubectl', deployment({ replicas: 2, labels: { app: 'web' } }));
    assert.equal(obj.spec.replicas, 2);
    assert.deepEqual(obj.spec.template.spec.containers, [{ name: 'web', image: 'nginx:1.27' }]);
    assert.deepEqual(s.managers(), ['kubectl/Apply']);
    const e = s.entry('kubectl');
    assert.deepEqual(Object.keys(e), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    assert.equal(e.time, '2026-01-02T03:04:05Z');
    assert.equal(e.apiVersion, 'apps/v1');
    assert.deepEqual(e.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    });
    assert.ok(isApplyResult(obj));
  });

  test('re-applying the same configuration changes nothing, not even the time', () => {
    const s = new Sim(deployments);
    const first = s.apply('kubectl', deployment({ replicas: 2 }));
    s.tick(60);
    const again = s.apply('kubectl', deployment({ replicas: 2 }));
    assert.deepEqual(again, first);
  });

  test('a second apply with a changed container list and env updates, adds and removes', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'side', image: 'busybox' }] }));
    s.tick(5);
    const obj = s.apply('kubectl', deployment({ containers: [{ name: 'web', image: 'nginx:1.28', env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] }, { name: 'log', image: 'fluent' }] }));
    assert.deepEqual(obj.spec.template.spec.containers, [
      { name: 'web', image: 'nginx:1.28', env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] },
      { name: 'log', image: 'fluent' },
    ]);
    assert.ok(!s.owns('kubectl', `${C}[name="side"]`));
    assert.ok(s.owns('kubectl', `${C}[name="web"].env[name="C"].value`));
    assert.equal(s.entry('kubectl').time, '2026-01-02T03:04:10Z');
  });

  test('fields nobody applied (defaults, other writers) survive a re-apply', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ replicas: 2 }));
    s.obj.spec.revisionHistoryLimit = 10; // defaulted by the server: owned by nobody
    s.obj.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    const obj = s.apply('kubectl', deployment({ replicas: 3 }));
    assert.equal(obj.spec.revisionHistoryLimit, 10);
    assert.equal(obj.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  test('a field the manager stops sending is removed, with emptied parents it implied', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ containers: [{ name: 'web', image: 'i', resources: { limits: { cpu: '1' } }, args: ['-v'] }] }));
    const obj = s.apply('kubectl', deployment({ containers: [{ name: 'web', image: 'i' }] }));
    assert.deepEqual(obj.spec.template.spec.containers, [{ name: 'web', image: 'i' }]);
  });

  test('removing a label only removes that label', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ labels: { app: 'web', tier: 'fe' } }));
    const obj = s.apply('kubectl', deployment({ labels: { app: 'web' } }));
    assert.deepEqual(obj.metadata.labels, { app: 'web' });
  });

  test('null in the configuration means "not specified"', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ replicas: 2 }));
    const obj = s.apply('kubectl', { ...deployment(), metadata: { name: 'web', creationTimestamp: null }, spec: { ...deployment().spec, replicas: null } });
    assert.equal(obj.spec.replicas, undefined, 'owned before, not sent now: removed');
    assert.equal('creationTimestamp' in obj.metadata, false);
  });

  test('status is not owned through the main resource', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', { ...deployment(), status: { replicas: 5 } });
    assert.doesNotMatch(s.owned('kubectl'), /status/);
  });

  test('inputs are not modified and results share nothing with them', () => {
    const live = deepFreeze(new Sim(deployments).apply('a', deployment({ replicas: 1 })));
    const cfg = deepFreeze(deployment({ replicas: 2, labels: { x: 'y' } }));
    const out = serverSideApply(deployments, live, cfg, { fieldManager: 'b', force: true }, { listTypes: new Sim(deployments).ctx.listTypes, now: () => T0 });
    out.metadata.labels.z = '1';
    out.spec.template.spec.containers[0].image = 'changed';
    assert.deepEqual(cfg.metadata, { name: 'web', namespace: 'default', labels: { x: 'y' } });
    assert.equal(live.spec.template.spec.containers[0].image, 'nginx:1.27');
  });
});

describe('apply: conflicts and force', () => {
  const setup = () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ replicas: 2 }));
    s.tick();
    return s;
  };

  test('another applier changing an owned field: 409 Conflict with a FieldManagerConflict cause', () => {
    const s = setup();
    const before = structuredClone(s.obj);
    let err: any;
    try {
      s.apply('other', deployment({ replicas: 5 }));
    } catch (e) {
      err = e;
    }
    assert.equal(status(err), 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    assert.deepEqual(err.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }] });
    assert.deepEqual(s.obj, before, 'nothing written');
  });

  test('force takes ownership; the previous owner keeps the rest', () => {
    const s = setup();
    const obj = s.apply('other', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, true);
    assert.equal(obj.spec.replicas, 5);
    assert.ok(s.owns('other', '.spec.replicas'));
    assert.ok(!s.owns('kubectl', '.spec.replicas'));
    assert.ok(s.owns('kubectl', '.spec.selector'));
    assert.deepEqual(s.managers(), ['kubectl/Apply', 'other/Apply']);
    // The old owner now conflicts in turn.
    assert.throws(() => s.apply('kubectl', deployment({ replicas: 2 })), /conflict with "other": \.spec\.replicas/);
  });

  test('the old owner that stops sending a forced-away field does not remove it', () => {
    const s = setup();
    s.apply('other', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } }, true);
    const obj = s.apply('kubectl', deployment({}));
    assert.equal(obj.spec.replicas, 5);
  });

  test('applying the same value is no conflict: ownership is shared, removal needs both to drop it', () => {
    const s = setup();
    s.apply('other', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } });
    assert.ok(s.owns('kubectl', '.spec.replicas') && s.owns('other', '.spec.replicas'));
    assert.equal(s.apply('kubectl', deployment({})).spec.replicas, 2, 'other still owns it');
    assert.equal(s.apply('other', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }).spec.replicas, undefined, 'now nobody does');
  });

  test('a changed value owned by both: conflicts name every other owner, sorted, in upstream words', () => {
    const s = setup();
    s.apply('other', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
    s.update('kubectl-edit', (o) => (o.spec.paused = true));
    let err: any;
    try {
      s.apply('third', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, paused: false, template: { spec: { containers: [{ name: 'web', image: 'x' }] } } } });
    } catch (e) {
      err = e;
    }
    assert.equal(status(err), 409);
    assert.equal(
      err.message,
      [
        'Apply failed with 5 conflicts: conflicts with "kubectl":',
        '- .spec.replicas',
        `- ${C}[name="web"].image`,
        'conflicts with "kubectl-edit" using apps/v1:',
        '- .spec.paused',
        'conflicts with "other":',
        '- .spec.replicas',
        `- ${C}[name="web"].image`,
      ].join('\n'),
    );
    assert.deepEqual(
      err.details.causes.map((c: any) => `${c.message} ${c.field}`),
      ['conflict with "kubectl" .spec.replicas', `conflict with "kubectl" ${C}[name="web"].image`, 'conflict with "kubectl-edit" using apps/v1 .spec.paused', 'conflict with "other" .spec.replicas', `conflict with "other" ${C}[name="web"].image`],
    );
  });

  test('an Update manager that changed a field owns it: the applier conflicts, then forces', () => {
    const s = setup();
    s.update('kubectl-client-side-apply', (o) => (o.spec.replicas = 4));
    assert.ok(s.owns('kubectl-client-side-apply', '.spec.replicas', 'Update'));
    assert.ok(!s.owns('kubectl', '.spec.replicas'), 'the update took it');
    assert.throws(() => s.apply('kubectl', deployment({ replicas: 2 })), (e: any) => e.message === 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    s.apply('kubectl', deployment({ replicas: 2 }), true);
    assert.equal(s.obj.spec.replicas, 2);
    assert.deepEqual(s.managers(), ['kubectl/Apply'], 'the emptied Update entry is dropped');
  });

  test('conflicts with a subresource manager name the subresource', () => {
    const s = setup();
    s.update('hpa', (o) => (o.spec.replicas = 9), 'scale');
    assert.throws(() => s.apply('kubectl', deployment({ replicas: 2 })), /conflict with "hpa" with subresource "scale" using apps\/v1: \.spec\.replicas/);
  });

  test('atomic lists conflict and are replaced as one field', () => {
    const s = new Sim(deployments);
    s.apply('a', deployment({ containers: [{ name: 'web', image: 'i', args: ['-x', '-y'] }] }));
    assert.throws(() => s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', args: ['-z'] }] } } } }), new RegExp(`conflict with "a": \\${C}\\[name="web"\\]\\.args`));
    const obj = s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', args: ['-z'] }] } } } }, true);
    assert.deepEqual(obj.spec.template.spec.containers[0].args, ['-z']);
  });

  test('the label selector is atomic', () => {
    const s = new Sim(deployments);
    s.apply('a', deployment());
    assert.throws(() => s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web', x: 'y' } } } }), /\.spec\.selector$/m);
  });
});

describe('apply: multiple managers and list semantics', () => {
  test('two appliers own different containers; each removal only touches its own', () => {
    const s = new Sim(deployments);
    s.apply('a', deployment({ containers: [{ name: 'web', image: 'nginx' }] }));
    s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy' }] } } } });
    assert.deepEqual(s.obj.spec.template.spec.containers.map((c: any) => c.name), ['web', 'sidecar']);
    s.apply('a', deployment({ containers: [{ name: 'web', image: 'nginx', env: [{ name: 'X', value: '1' }] }] }));
    assert.deepEqual(s.obj.spec.template.spec.containers.map((c: any) => c.name), ['web', 'sidecar'], "a's re-apply keeps b's container");
    s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    assert.deepEqual(s.obj.spec.template.spec.containers.map((c: any) => c.name), ['web']);
    assert.deepEqual(s.managers(), ['a/Apply']);
  });

  test('container ports are keyed by containerPort and protocol (protocol defaults to TCP)', () => {
    const s = new Sim(deployments);
    const ports = (...p: any[]) => deployment({ containers: [{ name: 'web', image: 'i', ports: p }] });
    s.apply('a', ports({ containerPort: 53, name: 'dns' }, { containerPort: 53, protocol: 'UDP', name: 'dns-udp' }));
    assert.ok(s.owns('a', `${C}[name="web"].ports[containerPort=53,protocol="TCP"].name`));
    assert.ok(s.owns('a', `${C}[name="web"].ports[containerPort=53,protocol="UDP"].protocol`));
    const obj = s.apply('a', ports({ containerPort: 53, protocol: 'TCP', name: 'dns' }));
    assert.deepEqual(obj.spec.template.spec.containers[0].ports, [{ containerPort: 53, name: 'dns', protocol: 'TCP' }]);
  });

  test('service ports are keyed by port and protocol', () => {
    const s = new Sim(services);
    const svc = (ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports } });
    s.apply('a', svc([{ port: 80, targetPort: 8080 }]));
    s.apply('b', svc([{ port: 80, protocol: 'UDP' }]));
    assert.deepEqual(s.obj.spec.ports, [{ port: 80, targetPort: 8080 }, { port: 80, protocol: 'UDP' }]);
    assert.ok(s.owns('b', '.spec.selector'), 'same value: shared');
  });

  test('finalizers are a set: each applier adds and removes only its own', () => {
    const s = new Sim(configmaps);
    const cm = (...finalizers: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers } });
    s.apply('a', cm('example.com/a'));
    s.apply('b', cm('example.com/b'));
    assert.deepEqual(s.obj.metadata.finalizers, ['example.com/a', 'example.com/b']);
    assert.ok(s.owns('b', '.metadata.finalizers[="example.com/b"]'));
    s.apply('a', cm());
    assert.deepEqual(s.obj.metadata.finalizers, ['example.com/b']);
    s.apply('a', cm('example.com/b'));
    s.apply('b', cm());
    assert.deepEqual(s.obj.metadata.finalizers, ['example.com/b'], 'still applied by a');
  });

  test('configmap data: map entries owned one by one', () => {
    const s = new Sim(configmaps);
    s.apply('a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: '1', y: '2' } });
    s.apply('b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { z: '3' } });
    assert.throws(() => s.apply('b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: 'changed' } }), /conflict with "a": \.data\.x/);
    s.apply('a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: '1' } });
    assert.deepEqual(s.obj.data, { x: '1', z: '3' });
  });

  test('custom resources use their schema: list-map keys, sets, atomic lists', () => {
    const rt: ResourceType = { ...configmaps, group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', resource: 'widgets', custom: true };
    setCustomResourceSchema(rt, {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            routes: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['host', 'path'], items: { type: 'object', properties: { host: { type: 'string' }, path: { type: 'string', default: '/' } } } },
            tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
            cmd: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    });
    const s = new Sim(rt);
    const w = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    s.apply('a', w({ routes: [{ host: 'x', backend: 'b1' }], tags: ['t1'], cmd: ['run'] }));
    s.apply('b', w({ routes: [{ host: 'x', path: '/api', backend: 'b2' }], tags: ['t2'] }));
    assert.deepEqual(s.obj.spec, { routes: [{ host: 'x', backend: 'b1' }, { host: 'x', path: '/api', backend: 'b2' }], tags: ['t1', 't2'], cmd: ['run'] });
    assert.ok(s.owns('a', '.spec.routes[host="x",path="/"].backend'));
    assert.throws(() => s.apply('b', w({ cmd: ['other'] })), /conflict with "a": \.spec\.cmd/);
    // Without a registered schema a custom resource is untyped: lists atomic.
    const untyped = new Sim({ ...rt });
    untyped.apply('a', w({ tags: ['t1'] }));
    assert.throws(() => untyped.apply('b', w({ tags: ['t2'] })), /\.spec\.tags/);
  });
});

describe('apply: tracking that starts late, and kubectl migration', () => {
  test('an object without managedFields: existing fields belong to "before-first-apply"', () => {
    const s = new Sim(deployments);
    s.obj = { ...deployment({ replicas: 1 }), metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '5' } };
    assert.throws(() => s.apply('kubectl', deployment({ replicas: 3 })), /conflict with "before-first-apply" using apps\/v1: \.spec\.replicas/);
    s.apply('kubectl', deployment({ replicas: 1 }));
    assert.deepEqual(s.managers(), ['kubectl/Apply', 'before-first-apply/Update']);
    assert.ok(!s.owned('before-first-apply', 'Update').includes('.metadata.uid'));
  });

  test('undecodable live managedFields count as none', () => {
    const s = new Sim(deployments);
    s.obj = { ...deployment({ replicas: 1 }), metadata: { name: 'web', managedFields: [{ manager: 'x', operation: 'Bogus', fieldsType: 'FieldsV1', fieldsV1: {} }] } };
    s.apply('kubectl', deployment({ replicas: 1 }));
    assert.deepEqual(s.managers(), ['kubectl/Apply', 'before-first-apply/Update']);
  });

  test('kubectl migrating from client-side apply: annotated fields with live values do not conflict', () => {
    const s = new Sim(deployments);
    const csa = deployment({ replicas: 2, containers: [{ name: 'web', image: 'nginx:1' }] });
    const annotated = { ...csa, metadata: { ...csa.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(csa) } } };
    s.create('kubectl-client-side-apply', annotated);
    s.update('kubectl-edit', (o) => (o.spec.paused = true));
    s.tick();
    const next = deployment({ replicas: 3, containers: [{ name: 'web', image: 'nginx:2' }] });
    const obj = s.apply('kubectl', next);
    assert.equal(obj.spec.replicas, 3);
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:2');
    assert.equal(obj.metadata.annotations[LAST_APPLIED_ANNOTATION], canonicalJSON(next) + '\n', 'sorted keys, trailing newline, as kubectl writes it');
    assert.deepEqual(JSON.parse(obj.metadata.annotations[LAST_APPLIED_ANNOTATION]), next, 'annotation rewritten from the applied configuration');
    assert.ok(obj.metadata.annotations[LAST_APPLIED_ANNOTATION].endsWith('}\n'));
    // Fields outside the annotation still conflict, and other managers do not get the pass.
    assert.throws(() => s.apply('kubectl', { ...next, spec: { ...next.spec, paused: false } }), /conflict with "kubectl-edit" using apps\/v1: \.spec\.paused/);
    const t = new Sim(deployments);
    t.create('kubectl-client-side-apply', annotated);
    assert.throws(() => t.apply('flux', next), /conflicts with "kubectl-client-side-apply" using apps\/v1:\n- \.spec\.replicas\n- /);
  });

  test('another field manager never rewrites the annotation', () => {
    const s = new Sim(deployments);
    s.create('kubectl-client-side-apply', { ...deployment(), metadata: { name: 'web', annotations: { [LAST_APPLIED_ANNOTATION]: '{"old":true}' } } });
    s.apply('other', deployment({ replicas: 1 }));
    assert.equal(s.obj.metadata.annotations[LAST_APPLIED_ANNOTATION], '{"old":true}');
  });
});

describe('apply: bad input', () => {
  const s = new Sim(deployments);
  const cases: [string, unknown, number, RegExp, (string | undefined)?][] = [
    ['apiVersion mismatch', { ...deployment(), apiVersion: 'apps/v1beta1' }, 400, /^Incorrect version specified in apply patch\. Specified patch version: apps\/v1beta1, expected: apps\/v1$/],
    ['apiVersion missing', { kind: 'Deployment', metadata: { name: 'web' } }, 400, /Specified patch version: , expected: apps\/v1/],
    ['kind mismatch', { ...deployment(), kind: 'StatefulSet' }, 400, /kind in the apply patch \(StatefulSet\) does not match the expected kind \(Deployment\)/],
    ['managedFields in the patch', { ...deployment(), metadata: { name: 'web', managedFields: [] } }, 400, /^metadata\.managedFields must be nil$/],
    ['not an object', [1, 2], 400, /must be a YAML or JSON object/],
    ['container without a name', deployment({ containers: [{ image: 'x' }] }), 400, /^failed to create typed patch object \(default\/web; apps\/v1, Kind=Deployment\): \.spec\.template\.spec\.containers: element 0: associative list with keys has an element that omits key field "name" \(and doesn't have default value\)$/],
    ['duplicate env names', deployment({ containers: [{ name: 'c', env: [{ name: 'A' }, { name: 'A' }] }] }), 400, /\.spec\.template\.spec\.containers\[name="c"\]\.env: duplicate entries for key \[name="A"\]/],
    ['null container', deployment({ containers: [null] }), 400, /element 0: associative list with keys may not have a null element/],
    ['no field manager', deployment(), 422, /fieldManager: Required value/, ''],
    ['field manager too long', deployment(), 422, /fieldManager: Too long/, 'x'.repeat(129)],
  ];
  for (const [name, body, code, re, manager] of cases)
    test(name, () => {
      let err: unknown;
      try {
        serverSideApply(deployments, null, body, { fieldManager: manager ?? 'kubectl' }, s.ctx);
      } catch (e) {
        err = e;
      }
      assert.equal(status(err), code);
      assert.match((err as Error).message, re);
    });

  test('core group objects print their GroupVersionKind as upstream', () => {
    assert.throws(() => serverSideApply(services, null, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ protocol: 'TCP' }] } }, { fieldManager: 'k' }, s.ctx), /\(\/s; \/v1, Kind=Service\): \.spec\.ports: element 0: .*omits key field "port"/);
  });

  test('a Scale view is applied as autoscaling/v1 Scale', () => {
    const live = new Sim(deployments).apply('a', deployment({ replicas: 1 }));
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', resourceVersion: '3' }, spec: { replicas: 1 } };
    const out = serverSideApply(deployments, scale, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 4 } }, { fieldManager: 'hpa' }, s.ctx);
    assert.equal(out.spec.replicas, 4);
    assert.throws(() => serverSideApply(deployments, scale, deployment(), { fieldManager: 'hpa' }, s.ctx), /expected: autoscaling\/v1/);
    assert.equal(live.spec.replicas, 1);
  });
});

describe('apply: managedFields order and times', () => {
  test('Apply entries first, then by time, then by manager name', () => {
    const s = new Sim(deployments);
    s.apply('zed', deployment({ replicas: 1 }));
    s.tick();
    s.update('upd-b', (o) => (o.spec.paused = true));
    s.update('upd-a', (o) => (o.spec.minReadySeconds = 5));
    s.tick();
    s.apply('alpha', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { a: 'b' } } });
    s.tick();
    s.update('upd-0', (o) => (o.metadata.labels.c = 'd'));
    assert.deepEqual(s.managers(), ['zed/Apply', 'alpha/Apply', 'upd-a/Update', 'upd-b/Update', 'upd-0/Update']);
  });

  test('an applier that only starts sharing a field gets a new time; an unchanged one keeps its time', () => {
    const s = new Sim(deployments);
    s.apply('a', deployment({ replicas: 1 }));
    s.tick(10);
    s.apply('b', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } });
    assert.equal(s.entry('a').time, '2026-01-02T03:04:05Z');
    assert.equal(s.entry('b').time, '2026-01-02T03:04:15Z');
  });
});
