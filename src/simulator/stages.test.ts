// Stage tests, KWOK style: every testdata/stages/X.input.yaml (an object, the time and the
// addresses) runs through the built-in stages and must produce X.output.yaml (the stage picked,
// its delay without jitter, and the object afterwards). UPDATE_GOLDEN=1 rewrites the outputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { applyTransition, defaultStages, matchStage, parseDuration, parseStages, stageDelay, transition } from './stages.js';
import { getPath, parsePath } from './jsonpath.js';
import { mergeStatus, renderTemplate } from './stage-template.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'stages');

function run(input: any): any {
  const obj = input.object;
  const resource = obj.kind === 'Node' ? 'node' : 'pod';
  const stage = matchStage(defaultStages(), resource, obj);
  if (!stage) return { stage: null };
  const now = Date.parse(input.now);
  const ctx = { now: input.now, podIP: () => input.context?.podIP, hostIP: () => input.context?.hostIP };
  const t = transition(stage, obj, ctx);
  const after = applyTransition(obj, t);
  return { stage: stage.name, delayMs: stageDelay(stage, obj, now, 1, () => 0), ...(after ? { object: after } : { deleted: true }) };
}

describe('built-in stages (golden files)', () => {
  const inputs = readdirSync(dir).filter((f) => f.endsWith('.input.yaml'));
  it('has cases', () => assert.ok(inputs.length >= 10));
  for (const f of inputs) {
    it(f.replace('.input.yaml', ''), () => {
      const got = run(YAML.parse(readFileSync(join(dir, f), 'utf8')));
      const outPath = join(dir, f.replace('.input.yaml', '.output.yaml'));
      if (process.env.UPDATE_GOLDEN || !existsSync(outPath)) writeFileSync(outPath, YAML.stringify(got, { lineWidth: 0 }));
      assert.deepEqual(got, YAML.parse(readFileSync(outPath, 'utf8')));
    });
  }
});

describe('stage definitions', () => {
  it('rejects bad stages naming the field', () => {
    const bad = (text: string, re: RegExp) => assert.throws(() => parseStages(text, 'x.yaml'), re);
    bad('name: a\nresource: job\nnext: {delete: true}', /x\.yaml: a\.resource: must be pod or node/);
    bad('name: a\nresource: pod\nselector: {matchExpressions: [{key: .x, operator: Is}]}\nnext: {delete: true}', /a\.selector\.matchExpressions\[0\]\.operator/);
    bad('name: a\nresource: pod\nselector: {matchExpressions: [{key: .x, operator: In}]}\nnext: {delete: true}', /values: required for In/);
    bad('name: a\nresource: pod\nselector: {matchExpressions: [{key: "status", operator: Exists}]}\nnext: {delete: true}', /invalid path/);
    bad('name: a\nresource: pod\nnext: {}', /a\.next: needs statusTemplate/);
    bad('name: a\nresource: pod\nwhen: now\nnext: {delete: true}', /when: unknown field/);
  });

  it('ships pod and node stages', () => {
    assert.deepEqual(
      defaultStages().map((s) => `${s.resource}/${s.name}`),
      ['node/node-ready', 'node/node-heartbeat', 'node/node-fail', 'pod/pod-complete', 'pod/pod-complete-annotated', 'pod/pod-fail', 'pod/pod-delete', 'pod/pod-ready', 'pod/pod-start', 'pod/pod-ready-delayed'],
    );
  });

  it('takes several stages per file, as documents or a list', () => {
    const s = parseStages('- {name: a, resource: pod, next: {delete: true}}\n- {name: b, resource: node, next: {delete: true}}\n---\nname: c\nresource: pod\nnext: {delete: true}\n', 'x');
    assert.deepEqual(s.map((x) => x.name), ['a', 'b', 'c']);
  });

  it('matches the first stage for the resource, with In/NotIn on strings and absent values', () => {
    const [a, b] = parseStages(
      '- {name: a, resource: pod, selector: {matchExpressions: [{key: ".metadata.labels[\\"x\\"]", operator: NotIn, values: ["1"]}]}, next: {delete: true}}\n' +
        '- {name: b, resource: pod, next: {delete: true}}\n',
      'x',
    );
    assert.equal(matchStage([a!, b!], 'pod', { metadata: {} })?.name, 'a');
    assert.equal(matchStage([a!, b!], 'pod', { metadata: { labels: { x: '1' } } })?.name, 'b');
    assert.equal(matchStage([a!, b!], 'node', {}), undefined);
  });
});

describe('paths, durations, templates', () => {
  it('reads fields, quoted keys, indexes and [field=value] filters', () => {
    const o = { metadata: { annotations: { 'a/b.c': 'v' } }, list: [{ type: 'X', s: 1 }, { type: 'Ready', s: 'True' }] };
    assert.equal(getPath(o, parsePath('.metadata.annotations["a/b.c"]')), 'v');
    assert.equal(getPath(o, parsePath('.list[1].s')), 'True');
    assert.equal(getPath(o, parsePath('.list[type=Ready].s')), 'True');
    assert.equal(getPath(o, parsePath('.list[type=Nope].s')), undefined);
    assert.equal(getPath(o, parsePath('.metadata.missing.deeper')), undefined);
  });

  it('parses durations', () => {
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('40'), 40);
    assert.equal(parseDuration('soon'), undefined);
  });

  it('scales delays, adds jitter, counts from `since`', () => {
    const [s] = parseStages('name: a\nresource: pod\ndelay: {durationMs: 1000, jitterMs: 1000, fromAnnotation: d, since: .t}\nnext: {delete: true}', 'x');
    const now = Date.parse('2026-01-01T00:00:10Z');
    assert.equal(stageDelay(s!, {}, now, 1, () => 0.5), 1500);
    assert.equal(stageDelay(s!, {}, now, 0.1, () => 0), 100);
    assert.equal(stageDelay(s!, { metadata: { annotations: { d: '4s' } } }, now, 1, () => 0), 4000);
    assert.equal(stageDelay(s!, { t: '2026-01-01T00:00:08Z' }, now, 1, () => 0), 0);
    assert.equal(stageDelay(s!, { t: '2026-01-01T00:00:08Z', metadata: { annotations: { d: '5s' } } }, now, 1, () => 0), 3000);
  });

  it('renders whole-value placeholders as values and drops keys that render to nothing', () => {
    const out = renderTemplate({ a: '{{podIP}}', b: 'ip={{podIP}}', c: '{{hostIP}}', list: ['{{hostIP}}', 'x'] }, {}, { now: 'T', podIP: () => '10.0.0.1' });
    assert.deepEqual(out, { a: '10.0.0.1', b: 'ip=10.0.0.1', list: ['x'] });
    assert.throws(() => renderTemplate('{{nope}}', {}, { now: 'T' }), /unknown template placeholder/);
  });

  it('merges status: conditions by type keeping unchanged transition times, null deletes', () => {
    const old = { phase: 'Pending', reason: 'x', conditions: [{ type: 'A', status: 'True', lastTransitionTime: 't0' }] };
    const got = mergeStatus(old, { phase: 'Running', reason: null, conditions: [{ type: 'A', status: 'True', lastTransitionTime: 't1' }, { type: 'B', status: 'False', lastTransitionTime: 't1' }] });
    assert.deepEqual(got, { phase: 'Running', conditions: [{ type: 'A', status: 'True', lastTransitionTime: 't0' }, { type: 'B', status: 'False', lastTransitionTime: 't1' }] });
  });
});
