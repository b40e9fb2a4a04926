import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldSet } from './fieldset.js';
import { ANCIENT_CHANGES, capUpdateManagers, conflictError, decodeManagedFields, encodeManagedFields, identity, isResetRequest, type Manager, type Managers } from './managed.js';
import { fieldManagerName, managedFieldsAdmission, managerFromUserAgent, ssaContext } from './admission.js';
import { Sim, T0, builtin, deployment } from './testutil.js';
import { defaultListTypes } from './listtypes.js';

const deployments = builtin('deployments');
const pods = builtin('pods');
const configmaps = builtin('configmaps');
const C = '.spec.template.spec.containers';

describe('Update operations record ownership', () => {
  test('create: the creator owns everything it sent and the defaults, not identity or status', () => {
    const s = new Sim(deployments);
    const obj = { ...deployment({ replicas: 2, labels: { app: 'web' } }), metadata: { name: 'web', namespace: 'default', uid: 'u', creationTimestamp: 'x', generation: 1, labels: { app: 'web' } }, status: { replicas: 0 } };
    s.create('kubectl-create', obj);
    assert.deepEqual(s.managers(), ['kubectl-create/Update']);
    const e = s.entry('kubectl-create', 'Update');
    assert.equal(e.time, '2026-01-02T03:04:05Z');
    assert.equal(e.apiVersion, 'apps/v1');
    const owned = s.owned('kubectl-create', 'Update');
    for (const p of ['.metadata.labels', '.metadata.labels.app', '.spec.replicas', '.spec.selector', `${C}[name="web"]`, `${C}[name="web"].image`]) assert.ok(owned.split('\n').includes(p), p);
    assert.doesNotMatch(owned, /\.metadata\.(name|namespace|uid|creationTimestamp|generation)$|^\.metadata$|status|apiVersion|kind/m);
  });

  test('kinds without a status subresource own their status like any field', () => {
    const s = new Sim(configmaps);
    s.create('c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' }, status: { x: 1 } });
    assert.match(s.owned('c', 'Update'), /^\.status\.x$/m);
  });

  test('an update takes the fields it changes from everyone else, appliers included', () => {
    const s = new Sim(deployments);
    s.apply('kubectl', deployment({ replicas: 2 }));
    s.tick();
    s.update('kubectl-edit', (o) => {
      o.spec.replicas = 3;
      o.spec.template.spec.containers[0].image = 'nginx:2';
      o.spec.paused = true;
    });
    assert.equal(s.owned('kubectl-edit', 'Update'), ['.spec.paused', '.spec.replicas', `${C}[name="web"].image`].join('\n'));
    assert.ok(!s.owns('kubectl', '.spec.replicas') && !s.owns('kubectl', `${C}[name="web"].image`));
    assert.ok(s.owns('kubectl', `${C}[name="web"].name`));
    assert.equal(s.entry('kubectl-edit', 'Update').time, '2026-01-02T03:04:06Z');
  });

  test('the same manager accumulates; a no-op update changes nothing (time included)', () => {
    const s = new Sim(deployments);
    s.create('m', deployment({ replicas: 1 }));
    s.tick();
    s.update('u', (o) => (o.spec.replicas = 2));
    s.tick();
    s.update('u', (o) => (o.spec.paused = true));
    assert.equal(s.owned('u', 'Update'), '.spec.paused\n.spec.replicas');
    assert.equal(s.entry('u', 'Update').time, '2026-01-02T03:04:07Z');
    const before = structuredClone(s.obj);
    s.tick();
    s.update('u', () => {});
    s.update('someone-else', () => {});
    assert.deepEqual(s.obj, before);
  });

  test('removed fields leave every set; a manager left with nothing disappears', () => {
    const s = new Sim(deployments);
    s.apply('a', deployment({ containers: [{ name: 'web', image: 'i', env: [{ name: 'X', value: '1' }] }] }));
    s.update('b', (o) => (o.spec.template.spec.containers[0].env[0].value = '2'));
    s.update('c', (o) => delete o.spec.template.spec.containers[0].env);
    assert.ok(!s.owned('a').includes('env'));
    assert.deepEqual(s.managers(), ['a/Apply']);
  });

  test('list items are matched by key: reordering containers changes nothing', () => {
    const s = new Sim(deployments);
    s.create('m', deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }));
    s.update('u', (o) => o.spec.template.spec.containers.reverse());
    assert.deepEqual(s.managers(), ['m/Update']);
  });

  test('/status writes own only status, recorded with subresource "status"', () => {
    const s = new Sim(deployments);
    s.create('kubectl-create', deployment());
    s.tick();
    s.update('controller', (o) => (o.status = { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] }), 'status');
    assert.deepEqual(s.managers(), ['kubectl-create/Update', 'controller/Update/status']);
    assert.equal(s.owned('controller', 'Update'), ['.status', '.status.conditions', '.status.conditions[type="Available"]', '.status.conditions[type="Available"].status', '.status.conditions[type="Available"].type', '.status.replicas'].join('\n'));
    s.update('controller', (o) => (o.status.conditions[0].status = 'False'), 'status');
    assert.equal(s.entry('controller', 'Update').subresource, 'status');
  });

  test('/scale writes are recorded with subresource "scale"', () => {
    const s = new Sim(deployments);
    s.create('kubectl-create', deployment({ replicas: 1 }));
    s.update('kubectl-scale', (o) => (o.spec.replicas = 5), 'scale');
    assert.deepEqual(s.managers(), ['kubectl-create/Update', 'kubectl-scale/Update/scale']);
    assert.equal(s.owned('kubectl-scale', 'Update'), '.spec.replicas');
    assert.ok(!s.owns('kubectl-create', '.spec.replicas', 'Update'));
  });

  test('a write without a field manager is recorded as "unknown"', () => {
    const s = new Sim(configmaps);
    s.create(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    assert.deepEqual(s.managers(), ['unknown/Update']);
  });

  test('more than ten update managers: the oldest fold into "ancient-changes"', () => {
    const s = new Sim(configmaps);
    s.create('m0', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k0: 'v' } });
    for (let i = 1; i <= 11; i++) {
      s.tick();
      s.update(`m${i}`, (o) => (o.data[`k${i}`] = 'v'));
    }
    const m = s.managers();
    assert.equal(m.length, 10);
    assert.equal(m[0], `${ANCIENT_CHANGES}/Update`);
    assert.equal(s.owned(ANCIENT_CHANGES, 'Update'), '.data\n.data.k0\n.data.k1\n.data.k2', 'm0 created .data');
    assert.ok(m.includes('m11/Update') && !m.includes('m2/Update'));
  });
});

describe('managedFields sent by clients', () => {
  const setup = () => {
    const s = new Sim(configmaps);
    s.apply('kubectl', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    s.tick();
    return s;
  };

  test('sent back unchanged (kubectl replace): kept, only the change is recorded', () => {
    const s = setup();
    s.update('kubectl-replace', (o) => (o.data.b = '2'));
    assert.deepEqual(s.managers(), ['kubectl/Apply', 'kubectl-replace/Update']);
  });

  test('client-node style: dates with milliseconds are the same entries', () => {
    const s = setup();
    const before = structuredClone(s.obj);
    s.update('client-node', (o) => (o.metadata.managedFields[0].time = new Date(o.metadata.managedFields[0].time).toISOString()));
    assert.deepEqual(s.obj, before);
  });

  test('absent or null: the live ones are kept', () => {
    for (const v of [undefined, null]) {
      const s = setup();
      s.update('u', (o) => {
        o.metadata.managedFields = v;
        o.data.b = '2';
      });
      assert.deepEqual(s.managers(), ['kubectl/Apply', 'u/Update']);
    }
  });

  test('malformed (wrong fieldsType, bad operation, bad FieldsV1, not a list): ignored, never an error', () => {
    const bad = [[{ manager: 'x', operation: 'Update', fieldsType: 'FieldsV2', fieldsV1: {} }], [{ manager: 'x', operation: 'Delete', fieldsType: 'FieldsV1', fieldsV1: {} }], [{ manager: 'x', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { nope: {} } }], 'junk', [7]];
    for (const v of bad) {
      const s = setup();
      s.update('u', (o) => {
        o.metadata.managedFields = v;
        o.data.b = '2';
      });
      assert.deepEqual(s.managers(), ['kubectl/Apply', 'u/Update'], JSON.stringify(v));
    }
  });

  test('a valid different list replaces them (clients may edit managedFields)', () => {
    const s = setup();
    s.update('u', (o) => (o.metadata.managedFields = [{ manager: 'someone', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]));
    assert.deepEqual(s.managers(), ['someone/Update']);
  });

  test('[] and [{}] reset: the object is untracked until the next apply', () => {
    for (const reset of [[], [{}]]) {
      const s = setup();
      s.update('u', (o) => {
        o.metadata.managedFields = reset;
        o.data.b = '2';
      });
      assert.equal(s.obj.metadata.managedFields, undefined);
      s.update('u2', (o) => (o.data.c = '3'));
      assert.equal(s.obj.metadata.managedFields, undefined, 'stays untracked');
      s.apply('kubectl', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
      assert.deepEqual(s.managers(), ['kubectl/Apply', 'before-first-apply/Update']);
    }
  });

  test('[] on create: tracked from the start', () => {
    const s = new Sim(configmaps);
    s.create('c', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [] }, data: { a: '1' } });
    assert.deepEqual(s.managers(), ['c/Update']);
  });

  test('subresource writes ignore what the client sent', () => {
    const s = new Sim(pods);
    s.create('c', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    s.update('kubelet', (o) => {
      o.metadata.managedFields = [];
      o.status = { phase: 'Running' };
    }, 'status');
    assert.deepEqual(s.managers(), ['c/Update', 'kubelet/Update/status']);
  });
});

describe('managedFields encoding', () => {
  const m = (manager: string, operation: 'Apply' | 'Update', time: string | undefined, paths: string[][], apiVersion = 'v1', subresource = ''): Manager => ({ manager, operation, apiVersion, subresource, time, set: FieldSet.of(...paths) });
  const map = (...ms: Manager[]): Managers => new Map(ms.map((x) => [identity(x), x]));

  test('sorted by operation, time, manager, apiVersion, subresource; empty sets dropped', () => {
    const enc = encodeManagedFields(
      map(
        m('b', 'Update', '2026-01-01T00:00:02Z', [['f:a']]),
        m('a', 'Update', '2026-01-01T00:00:02Z', [['f:b']], 'v2'),
        m('a', 'Update', '2026-01-01T00:00:02Z', [['f:c']], 'v1', 'status'),
        m('z', 'Apply', '2026-01-01T00:00:09Z', [['f:d']]),
        m('y', 'Apply', undefined, [['f:e']]),
        m('empty', 'Apply', '2026-01-01T00:00:00Z', []),
      ),
    );
    assert.deepEqual(
      enc.map((e) => [e.manager, e.operation, e.apiVersion, e.subresource ?? ''].join(' ')),
      ['y Apply v1 ', 'z Apply v1 ', 'a Update v1 status', 'a Update v2 ', 'b Update v1 '],
    );
    assert.deepEqual(Object.keys(enc[2]!), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
    assert.equal('time' in enc[0]!, false);
  });

  test('decode/encode round trip; Apply identity ignores apiVersion', () => {
    const raw = [
      { manager: 'k', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'u', operation: 'Update', apiVersion: 'apps/v1', time: '2026-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } }, subresource: 'status' },
    ];
    assert.deepEqual(encodeManagedFields(decodeManagedFields(raw)), raw);
    assert.equal(identity({ manager: 'k', operation: 'Apply', apiVersion: 'v1' }), identity({ manager: 'k', operation: 'Apply', apiVersion: 'v2' }));
    assert.notEqual(identity({ manager: 'k', operation: 'Update', apiVersion: 'v1' }), identity({ manager: 'k', operation: 'Update', apiVersion: 'v2' }));
    assert.equal(decodeManagedFields([{ ...raw[0], time: '2026-01-01T00:00:00.123Z' }]).values().next().value!.time, '2026-01-01T00:00:00Z');
  });

  test('reset requests', () => {
    assert.ok(isResetRequest([]));
    assert.ok(isResetRequest([{}]));
    for (const v of [undefined, null, [{}, {}], [{ manager: 'x' }], {}]) assert.ok(!isResetRequest(v), JSON.stringify(v));
  });

  test('cap keeps appliers and the newest updaters', () => {
    const ms: Manager[] = [m('app', 'Apply', '2026-01-01T00:00:00Z', [['f:x']])];
    for (let i = 0; i < 12; i++) ms.push(m(`u${i}`, 'Update', `2026-01-01T00:00:${String(10 + i)}Z`, [[`f:k${i}`]]));
    const capped = capUpdateManagers(map(...ms));
    const names = [...capped.values()].map((x) => x.manager).sort();
    assert.ok(names.includes('app'));
    assert.equal([...capped.values()].filter((x) => x.operation === 'Update').length, 10);
    assert.equal([...capped.values()].find((x) => x.manager === ANCIENT_CHANGES)!.set.toString(), '.k0\n.k1\n.k2');
  });

  test('conflict errors in upstream words', () => {
    const upd = m('kubectl-client-side-apply', 'Update', '2026-01-01T00:00:00Z', [], 'apps/v1');
    const err = conflictError([{ managerId: identity(upd), manager: upd, path: ['f:spec', 'f:replicas'] }]);
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(err.toStatus().details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] });
  });
});

describe('field manager names and the admission', () => {
  test('defaults', () => {
    assert.equal(fieldManagerName(undefined), 'unknown');
    assert.equal(fieldManagerName(''), 'unknown');
    assert.equal(fieldManagerName('a\u0000b'), 'ab');
    assert.equal(fieldManagerName('x'.repeat(200)).length, 128);
    assert.equal(managerFromUserAgent('kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'), 'kubectl');
    assert.equal(managerFromUserAgent('node-fetch'), 'node-fetch');
    assert.equal(managerFromUserAgent(undefined), undefined);
  });

  test('the admission records non-apply writes, skips apply results, and installs its context for apply', () => {
    const now = () => T0 + 42_000;
    const adm = managedFieldsAdmission(defaultListTypes, { now });
    assert.equal(ssaContext().now, now);
    const s = new Sim(configmaps);
    const applied = s.apply('kubectl', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    const before = JSON.stringify(applied);
    adm.mutate!(configmaps, applied, undefined, { fieldManager: 'kubectl', subresource: '' });
    assert.equal(JSON.stringify(applied), before);
    const next = structuredClone(applied);
    next.data.a = '2';
    adm.mutate!(configmaps, next, applied, { fieldManager: 'edit', subresource: '' });
    assert.equal(next.metadata.managedFields.find((e: any) => e.manager === 'edit').time, '2026-01-02T03:04:47Z');
    const bound = structuredClone(next);
    adm.mutate!(pods, bound, next, { fieldManager: 'scheduler', subresource: 'binding' });
    assert.deepEqual(bound, next);
    managedFieldsAdmission(); // restore the default context for other tests
  });
});
