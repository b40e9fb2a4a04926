import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESOURCE_TEMPLATE_GENERATION_ANNOTATION } from './constants.js';
import { compileRule, DeclarativeSource, RuleError, type DeclarativeRule } from './declarative.js';
import { getPath, parsePath, PathError, setPath } from './path.js';
import type { AggregatedStatusItem, JsonObject, KindInterpreter } from './types.js';

const target = { apiVersion: 'example.io/v1', kind: 'Widget' };
const rule = (r: Omit<DeclarativeRule, 'target'>): KindInterpreter => compileRule({ target, ...r });

const widget = (spec: JsonObject, status?: JsonObject, generation = 1, rtg?: number): JsonObject => ({
  ...target,
  metadata: { name: 'w', namespace: 'apps', generation, ...(rtg ? { annotations: { [RESOURCE_TEMPLATE_GENERATION_ANNOTATION]: String(rtg) } } : {}) },
  spec,
  ...(status ? { status } : {}),
});

describe('paths', () => {
  it('parses and reads fields, keys, indexes and selectors', () => {
    const obj = { status: { conditions: [{ type: 'A', status: 'False' }, { type: 'Ready', status: 'True' }] }, metadata: { annotations: { 'a/b': 'x' } } };
    assert.equal(getPath(obj, parsePath('.status.conditions[type=Ready].status')), 'True');
    assert.equal(getPath(obj, parsePath('.status.conditions[0].type')), 'A');
    assert.equal(getPath(obj, parsePath('.metadata.annotations["a/b"]')), 'x');
    assert.equal(getPath(obj, parsePath('.status.missing.deeper')), undefined);
    assert.deepEqual(getPath(obj, parsePath('.')), obj);
  });
  for (const bad of ['spec', '.spec..x', '.spec[', '.spec[x', '.a b']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parsePath(bad), PathError));
  }
  it('sets through missing objects, refuses list steps', () => {
    const o: JsonObject = {};
    setPath(o, parsePath('.a.b'), 1);
    assert.deepEqual(o, { a: { b: 1 } });
    assert.throws(() => setPath(o, parsePath('.a[0]'), 1), PathError);
  });
});

describe('compileRule: errors are loud and name the field', () => {
  const table: [string, DeclarativeRule, RegExp][] = [
    ['missing target', { target: { apiVersion: '', kind: 'W' } } as DeclarativeRule, /target/],
    ['bad replicas path', { target, replicas: { path: 'spec.replicas' } }, /replicas\.path/],
    ['revise path with a selector', { target, reviseReplica: { path: '.spec.items[0]' } }, /reviseReplica\.path.*\.field steps/],
    ['unknown aggregate op', { target, statusAggregation: { fields: { '.ready': 'average' as 'sum' } } }, /unknown operation "average"/],
    ['unknown compare op', { target, health: { checks: [{ path: '.status.x', op: '=~' as '==', value: 1 }] } }, /unknown operator/],
    ['check with both value and valuePath', { target, health: { checks: [{ path: '.status.x', op: '==', value: 1, valuePath: '.spec.x' }] } }, /exactly one/],
    ['bad retention path', { target, retention: { paths: ['.spec.x['] } }, /retention\.paths\[0\]/],
  ];
  for (const [name, r, re] of table) it(name, () => assert.throws(() => compileRule(r), (e: unknown) => e instanceof RuleError && re.test(e.message)));
});

describe('declarative replicas', () => {
  const r = rule({ replicas: { path: '.spec.size', podTemplatePath: '.spec.template', default: 1 } });
  it('reads the count and derives requirements from the pod template', () => {
    const w = widget({ size: 4, template: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }], nodeSelector: { gpu: 'yes' } } } });
    assert.deepEqual(r.getReplicas!(w), { replicas: 4, requirements: { nodeClaim: { nodeSelector: { gpu: 'yes' } }, resourceRequest: { cpu: '500m' }, namespace: 'apps' } });
  });
  it('falls back to the default', () => assert.deepEqual(r.getReplicas!(widget({})), { replicas: 1 }));
  it('revises at the replicas path unless told otherwise', () => {
    assert.equal(getPath(r.reviseReplica!(widget({ size: 4 }), 2), parsePath('.spec.size')), 2);
    const r2 = rule({ replicas: { path: '.status.size' }, reviseReplica: { path: '.spec.desired' } });
    assert.equal(getPath(r2.reviseReplica!(widget({}), 3), parsePath('.spec.desired')), 3);
  });
});

describe('declarative status', () => {
  const r = rule({
    statusReflection: { fields: ['.readyReplicas', '.phase', '.summary.ok', '.endpoints'] },
    statusAggregation: {
      fields: { '.readyReplicas': 'sum', '.summary.ok': 'allTrue', '.endpoints': 'concat', '.phase': 'first' },
      observedGeneration: true,
    },
  });
  it('reflects the listed fields plus generations', () => {
    const s = r.reflectStatus!(widget({}, { readyReplicas: 2, phase: 'Ready', summary: { ok: true, noise: 1 }, observedGeneration: 3, other: 'x' }, 3, 2));
    assert.deepEqual(s, { readyReplicas: 2, phase: 'Ready', summary: { ok: true }, observedGeneration: 3, generation: 3, resourceTemplateGeneration: 2 });
  });
  it('no status, nothing reflected', () => assert.equal(r.reflectStatus!(widget({})), undefined));
  const item = (clusterName: string, status: JsonObject | undefined): AggregatedStatusItem => ({ clusterName, applied: true, ...(status ? { status } : {}) });
  it('aggregates per field and gates observedGeneration', () => {
    const tmpl = widget({}, { observedGeneration: 1, kept: true }, 2);
    const fresh = (ready: number, ok: boolean, eps: string[]) => ({ readyReplicas: ready, summary: { ok }, endpoints: eps, phase: 'Ready', observedGeneration: 5, generation: 5, resourceTemplateGeneration: 2 });
    assert.deepEqual(r.aggregateStatus!(tmpl, [item('m1', fresh(2, true, ['a'])), item('m2', fresh(3, true, ['b']))]), {
      observedGeneration: 2,
      kept: true,
      readyReplicas: 5,
      summary: { ok: true },
      endpoints: ['a', 'b'],
      phase: 'Ready',
    });
    const stale = { ...fresh(1, true, []), resourceTemplateGeneration: 1 };
    const s = r.aggregateStatus!(tmpl, [item('m1', fresh(2, true, ['a'])), item('m2', stale)])!;
    assert.equal(s['observedGeneration'], 1);
    const missing = r.aggregateStatus!(tmpl, [item('m1', fresh(2, true, ['a'])), item('m2', undefined)])!;
    assert.deepEqual(missing['summary'], { ok: false }, 'a cluster yet to report is not a yes');
  });
  it('min, max, anyTrue', () => {
    const r2 = rule({ statusAggregation: { fields: { '.lo': 'min', '.hi': 'max', '.any': 'anyTrue' } } });
    const out = r2.aggregateStatus!(widget({}), [item('a', { lo: 3, hi: 3, any: false }), item('b', { lo: 1, hi: 9, any: true })]);
    assert.deepEqual(out, { lo: 1, hi: 9, any: true });
  });
  it('whole status reflected when only aggregation is gated', () => {
    const r3 = rule({ statusAggregation: { fields: {}, observedGeneration: true } });
    assert.deepEqual(r3.reflectStatus!(widget({}, { a: 1 }, 4, 4)), { a: 1, generation: 4, resourceTemplateGeneration: 4 });
  });
});

describe('declarative health', () => {
  const r = rule({
    health: {
      observedGeneration: true,
      conditions: [{ type: 'Ready' }],
      checks: [
        { path: '.status.readyReplicas', op: '>=', valuePath: '.spec.size' },
        { path: '.status.phase', op: '!=', value: 'Degraded' },
      ],
    },
  });
  const ok = { observedGeneration: 1, readyReplicas: 3, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const table: [string, JsonObject, string][] = [
    ['all checks hold', widget({ size: 3 }, ok), 'Healthy'],
    ['controller behind', widget({ size: 3 }, ok, 2), 'Unhealthy'],
    ['condition not True', widget({ size: 3 }, { ...ok, conditions: [{ type: 'Ready', status: 'False' }] }), 'Unhealthy'],
    ['condition missing', widget({ size: 3 }, { ...ok, conditions: [] }), 'Unhealthy'],
    ['too few ready', widget({ size: 4 }, ok), 'Unhealthy'],
    ['degraded', widget({ size: 3 }, { ...ok, phase: 'Degraded' }), 'Unhealthy'],
    ['no status', widget({ size: 3 }), 'Unhealthy'],
  ];
  for (const [name, obj, want] of table) it(name, () => assert.equal(r.interpretHealth!(obj), want));
});

describe('declarative dependencies and retention', () => {
  it('dependencies from string and list fields', () => {
    const r = rule({ dependencies: [{ apiVersion: 'v1', kind: 'Secret', path: '.spec.credentials' }, { apiVersion: 'v1', kind: 'ConfigMap', path: '.spec.configs' }] });
    assert.deepEqual(r.getDependencies!(widget({ credentials: 'db', configs: ['b', 'a', 'b', 3] })), [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'a' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'b' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'apps', name: 'db' },
    ]);
  });
  it('retention copies member-owned paths that exist', () => {
    const r = rule({ retention: { paths: ['.spec.endpoint', '.spec.absent'] } });
    const out = r.retain!(widget({ size: 1 }), widget({ size: 9, endpoint: '10.0.0.1' }));
    assert.deepEqual(out['spec'], { size: 1, endpoint: '10.0.0.1' });
  });
});

describe('DeclarativeSource', () => {
  it('looks up by exact apiVersion and kind; set replaces; delete removes', () => {
    const src = new DeclarativeSource([{ target, replicas: { path: '.spec.a' } }]);
    assert.ok(src.lookup('example.io/v1', 'Widget')?.getReplicas);
    assert.equal(src.lookup('example.io/v2', 'Widget'), undefined);
    src.set({ target, health: { conditions: [{ type: 'Ready' }] } });
    assert.equal(src.lookup('example.io/v1', 'Widget')?.getReplicas, undefined);
    assert.ok(src.delete('example.io/v1', 'Widget'));
    assert.equal(src.lookup('example.io/v1', 'Widget'), undefined);
  });
  it('an invalid rule changes nothing', () => {
    const src = new DeclarativeSource([{ target, replicas: { path: '.spec.a' } }]);
    assert.throws(() => src.set({ target, replicas: { path: 'oops' } }), RuleError);
    assert.ok(src.lookup('example.io/v1', 'Widget')?.getReplicas);
  });
});
