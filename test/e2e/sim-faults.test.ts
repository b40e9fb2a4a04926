// Fault modes of `flotilla sim`, switched with the real `flotilla sim fault` and observed with
// the real kubectl: down/up, partition/heal, slow, errors, and the CLI's error handling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, readyOf, startSim, type Sim } from './sim-harness.js';

const pod = (name: string, extra: { annotations?: Record<string, string>; restartPolicy?: string } = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: extra.annotations ?? {} },
    spec: { restartPolicy: extra.restartPolicy ?? 'Always', containers: [{ name: 'c', image: 'busybox' }] },
  });

describe('flotilla sim: faults', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ clusters: 2, nodes: 2 });
    await sim.k('member1', ['create', 'configmap', 'keep', '--from-literal=a=b']);
    await sim.k('member1', ['apply', '-f', '-'], { input: pod('steady') });
    await eventually('steady Ready', async () => readyOf(await sim.json('member1', ['get', 'pod', 'steady'])) === 'True');
  });
  after(async () => {
    assert.equal(await sim.stop(), 0);
  });

  const timed = async (ctx: string) => {
    const t = Date.now();
    await sim.k(ctx, ['get', 'namespaces']);
    return Date.now() - t;
  };

  it('down: the API refuses connections; up: state is preserved and the pods restarted', async () => {
    const r = await sim.fault('member1', 'down');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'member1: down (API refusing connections, workloads stopped)\n');
    const refused = await sim.kubectl('member1', ['get', 'configmaps', '--request-timeout=5s']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /refused/);
    await sim.k('member2', ['get', 'namespaces']); // the rest of the fleet is unaffected
    assert.equal((await sim.fault('member1', 'up')).stdout, 'member1: healthy\n');
    assert.equal((await sim.json('member1', ['get', 'configmap', 'keep'])).data.a, 'b');
    const p = await eventually('restarted and Ready', async () => {
      const p = await sim.json('member1', ['get', 'pod', 'steady']);
      return readyOf(p) === 'True' && p.status.containerStatuses[0].restartCount === 1 && p;
    });
    assert.equal(p.status.phase, 'Running');
  });

  it('partition: unreachable from outside while the cluster keeps running; heal: its pods are still there', async () => {
    // A pod that finishes 3 s (60 s x time scale 0.05) after it started: long enough to be seen
    // Running on a busy machine, short enough to finish while the cluster is partitioned.
    await sim.k('member1', ['apply', '-f', '-'], { input: pod('batch', { restartPolicy: 'Never', annotations: { 'sim.flotilla.io/run-duration': '60s' } }) });
    await eventually('batch running', async () => (await sim.json('member1', ['get', 'pod', 'batch'])).status.phase === 'Running');
    const before = await sim.json('member1', ['get', 'pod', 'steady']);
    assert.match((await sim.fault('member1', 'partition')).stdout, /^member1: partitioned/);
    const cut = await sim.kubectl('member1', ['get', 'pods', '--request-timeout=5s']);
    assert.notEqual(cut.code, 0);
    await new Promise((r) => setTimeout(r, 4000));
    const healedAt = Date.now();
    assert.equal((await sim.fault('member1', 'heal')).stdout, 'member1: healthy\n');
    const batch = await sim.json('member1', ['get', 'pod', 'batch']);
    assert.equal(batch.status.phase, 'Succeeded', 'the kubelet kept working while partitioned');
    const finishedAt = Date.parse(batch.status.containerStatuses[0].state.terminated.finishedAt);
    assert.ok(finishedAt <= healedAt, 'the pod finished before the heal');
    const after = await sim.json('member1', ['get', 'pod', 'steady']);
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.equal(after.status.containerStatuses[0].restartCount, before.status.containerStatuses[0].restartCount, 'not restarted');
    assert.equal(readyOf(after), 'True');
  });

  it('slow: every API call from outside is delayed; heal restores', async () => {
    assert.equal((await sim.fault('member1', 'slow', ['--latency', '1500'])).stdout, 'member1: slow (+1500ms per API call)\n');
    const slow = await timed('member1');
    assert.ok(slow >= 1500, `slow call took ${slow} ms`);
    // Relative checks: the machine may be busy, but not by the injected 1.5 s.
    assert.ok((await timed('member2')) < slow - 750, 'other clusters are not slowed');
    assert.equal((await sim.admin('member1', { mode: 'heal' })).status, 200);
    assert.ok((await timed('member1')) < slow - 750, 'heal removes the delay');
  });

  it('errors: a fraction of calls answer 500 or 429; heal restores', async () => {
    assert.equal((await sim.fault('member1', 'errors', ['--rate', '0.5'])).stdout, 'member1: errors (50% of API calls fail with 500/429)\n');
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: { ca: readFileSync(join(sim.dir, 'pki', 'ca.crt'), 'utf8') } });
    const token = readFileSync(join(sim.dir, 'tokens', 'member1.token'), 'utf8').trim();
    const codes = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      const r = await request(`${sim.info.clusters.member1!.url}/api/v1/namespaces/default/configmaps`, { dispatcher, headers: { authorization: `Bearer ${token}` } });
      const body = (await r.body.json()) as any;
      codes.set(r.statusCode, (codes.get(r.statusCode) ?? 0) + 1);
      if (r.statusCode !== 200) assert.equal(body.kind, 'Status');
    }
    assert.deepEqual([...codes.keys()].sort(), [200, 429, 500]);
    assert.equal((await sim.admin('member1', { mode: 'errors', rate: 1 })).json.errorRate, 1);
    const failed = await sim.kubectl('member1', ['get', 'configmaps', '--request-timeout=20s']);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /injected fault/);
    assert.equal((await sim.fault('member1', 'heal')).stdout, 'member1: healthy\n');
    for (let i = 0; i < 20; i++) {
      const r = await request(`${sim.info.clusters.member1!.url}/api/v1/namespaces`, { dispatcher, headers: { authorization: `Bearer ${token}` } });
      await r.body.dump();
      assert.equal(r.statusCode, 200);
    }
    await dispatcher.close();
  });

  it('the admin endpoint wants its token and valid requests', async () => {
    const { Agent, request } = await import('undici');
    const dispatcher = new Agent({ connect: { ca: readFileSync(join(sim.dir, 'pki', 'ca.crt'), 'utf8') } });
    const r = await request(`${sim.info.admin.url}/clusters/member1/fault`, { method: 'POST', dispatcher, body: '{"mode":"down"}', headers: { authorization: 'Bearer nope' } });
    assert.equal(r.statusCode, 401);
    await r.body.dump();
    await dispatcher.close();
    const bad = await sim.admin('member1', { mode: 'slow', latencyMs: 'lots' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.kind, 'Status');
    assert.match(bad.json.message, /latencyMs must be/);
  });

  it('sim fault fails with one clear line on bad input', async () => {
    const unknown = await sim.fault('member7', 'down');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'error: no simulated cluster named "member7" (have: member1, member2)\n');
    const badMode = await sim.fault('member1', 'explode');
    assert.notEqual(badMode.code, 0);
    assert.match(badMode.stderr, /^error: mode must be one of down, up, partition, heal, slow, errors, node-failure/);
  });
});
