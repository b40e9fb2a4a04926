// `flotilla up` keeps everything across a restart on the same --data-dir (issue #9): the built
// bin/flotilla runs `up --sim 2`, the nginx example runs in both members, then `up` is stopped
// (SIGTERM, and in a second round kill -9) and started again on the same DIR and port. The CA,
// the admin token and the kubeconfig written before still work; the template, policy, binding,
// Works, Clusters and the member objects are the same objects (same uids), the clusters turn
// Ready again, and a change to the template after the restart reaches the members.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rows } from './cli-harness.js';
import { ROOT, runKubectl, waitFor, type Proc } from './harness.js';

const MEMBERS = ['member1', 'member2'];
const eventually = <T>(what: string, fn: () => Promise<T | undefined | false | null>, ms = 90_000) => waitFor(what, fn as () => Promise<T | undefined>, ms, 250);

/** The built command, as a user runs it (bin/flotilla runs dist/, or the sources when dist/ is stale). */
function binFlotilla(args: string[]): Proc {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'flotilla'), ...args], {
    cwd: ROOT,
    env: { ...process.env, FLOTILLA_LOG_LEVEL: process.env.FLOTILLA_E2E_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, stdout: '', stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.stdout += d));
  child.stderr!.on('data', (d) => (p.stderr += d));
  return p;
}

/** A snapshot of every object whose identity must survive: kind/name → uid. */
type Uids = Record<string, string>;

describe('flotilla up restarts on the same data dir with everything kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-up-restart-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const firstKubeconfig = join(dir, 'kubeconfig.first');
  let proc: Proc | undefined;
  let port = '0';

  async function up(): Promise<void> {
    proc = binFlotilla(['up', '--sim', '2', '--nodes', '2', '--port', port, '--data-dir', dir, '--time-scale', '0.05', '--failover-eviction-timeout', '10m']);
    const p = proc;
    const url = await waitFor(
      'flotilla up ready',
      () => {
        if (p.child.exitCode !== null) throw new Error(`flotilla up exited (${p.child.exitCode}): ${p.stderr}`);
        return /flotilla up ready url=(\S+)/.exec(p.stdout)?.[1];
      },
      120_000,
    );
    port = new URL(url).port;
  }
  async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const p = proc!;
    p.child.kill(signal);
    const code = await p.exited;
    if (signal === 'SIGTERM') assert.equal(code, 0, `flotilla up exits 0 on SIGTERM: ${p.stderr}`);
    proc = undefined;
  }

  const kubectl = (ctx: string, args: string[], file = kubeconfig) => runKubectl(file, join(dir, 'kubectl-cache'), [`--context=${ctx}`, ...args]);
  async function k(ctx: string, args: string[], file = kubeconfig): Promise<string> {
    const r = await kubectl(ctx, args, file);
    if (r.code !== 0) throw new Error(`kubectl --context ${ctx} ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  const json = async (ctx: string, args: string[], file = kubeconfig) => JSON.parse(await k(ctx, [...args, '-o', 'json'], file));
  /** `flotilla clusters` from the built command. */
  async function clustersTable(): Promise<string[][]> {
    const p = binFlotilla(['clusters', '--kubeconfig', kubeconfig]);
    const code = await p.exited;
    if (code !== 0) throw new Error(`flotilla clusters failed (${code}): ${p.stderr}`);
    return rows(p.stdout);
  }

  async function uids(file = kubeconfig): Promise<Uids> {
    const out: Uids = {};
    const add = (what: string, o: any) => {
      assert.ok(o?.metadata?.uid, `${what} has a uid`);
      out[what] = o.metadata.uid;
    };
    add('deployment/nginx', await json('flotilla', ['get', 'deployment', 'nginx'], file));
    add('pp/nginx-propagation', await json('flotilla', ['get', 'pp', 'nginx-propagation'], file));
    add('rb/nginx-deployment', await json('flotilla', ['get', 'rb', 'nginx-deployment'], file));
    for (const m of MEMBERS) {
      const cluster = await json('flotilla', ['get', 'cluster', m], file);
      add(`cluster/${m}`, cluster);
      out[`cluster/${m} spec.id`] = cluster.spec.id;
      add(`secret/${m}`, await json('flotilla', ['get', 'secret', '-n', 'karmada-cluster', m], file));
      const works = (await json('flotilla', ['get', 'works', '-n', `karmada-es-${m}`], file)).items;
      assert.ok(works.length > 0, `Works for ${m}`);
      for (const w of works) add(`${m} work/${w.metadata.name}`, w);
      add(`${m} deployment/nginx`, await json(m, ['get', 'deployment', 'nginx'], file));
      add(`${m} namespace/kube-system`, await json(m, ['get', 'namespace', 'kube-system'], file));
      for (const p of (await json(m, ['get', 'pods', '-l', 'app=nginx'], file)).items) add(`${m} pod/${p.metadata.name}`, p);
    }
    return out;
  }

  async function clustersReady(): Promise<void> {
    await eventually('both clusters Ready in flotilla clusters', async () => {
      const t = await clustersTable().catch(() => undefined);
      if (!t) return false;
      const ready = t[0]!.indexOf('READY');
      return t.length === 3 && t.slice(1).every((r) => MEMBERS.includes(r[0]!) && r[ready] === 'True');
    });
  }

  async function nginxRunning(image: string, replicasEach: number): Promise<void> {
    for (const m of MEMBERS) {
      await eventually(`nginx ${image} x${replicasEach} ready in ${m}`, async () => {
        const d = await json(m, ['get', 'deployment', 'nginx']).catch(() => undefined);
        return d?.spec.replicas === replicasEach && d.spec.template.spec.containers[0].image === image && d.status?.readyReplicas === replicasEach && d.status?.updatedReplicas === replicasEach;
      });
    }
    await eventually('the template reports every replica ready', async () => {
      const t = await json('flotilla', ['get', 'deployment', 'nginx']);
      return t.status?.readyReplicas === replicasEach * MEMBERS.length && t.status?.updatedReplicas === replicasEach * MEMBERS.length;
    });
  }

  let before1: Uids;
  let token: string;
  let ca: string;
  let simCa: string;

  before(async () => {
    await up();
    await clustersReady();
    await k('flotilla', ['apply', '-f', join(ROOT, 'examples', 'nginx-propagation.yaml')]);
    await nginxRunning('nginx:1.27', 2);
    copyFileSync(kubeconfig, firstKubeconfig);
    before1 = await uids();
    token = readFileSync(join(dir, 'admin.token'), 'utf8');
    ca = readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8');
    simCa = readFileSync(join(dir, 'sim', 'pki', 'ca.crt'), 'utf8');
  });
  after(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('after SIGTERM: same credentials, kubeconfig, objects and uids; clusters Ready; a template change propagates', async () => {
    await stop('SIGTERM');
    await up();
    assert.equal(readFileSync(join(dir, 'admin.token'), 'utf8'), token, 'the same admin token');
    assert.equal(readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8'), ca, 'the same control plane CA');
    assert.equal(readFileSync(join(dir, 'sim', 'pki', 'ca.crt'), 'utf8'), simCa, 'the same CA for the members');
    assert.equal(readFileSync(kubeconfig, 'utf8'), readFileSync(firstKubeconfig, 'utf8'), 'the kubeconfig is unchanged: same URLs, CAs and tokens');
    // The kubeconfig from before the restart reaches the control plane and the members.
    assert.deepEqual(await uids(firstKubeconfig), before1, 'every object is the one from before the restart');
    await clustersReady();
    await nginxRunning('nginx:1.27', 2);
    assert.deepEqual(await uids(), before1, 'nothing was recreated once the controllers caught up');

    await k('flotilla', ['set', 'image', 'deployment/nginx', 'nginx=nginx:1.28']);
    await nginxRunning('nginx:1.28', 2);
    await k('flotilla', ['rollout', 'status', 'deployment/nginx', '--timeout=90s']);
  });

  it('after kill -9: the same, and scaling the template after the restart reaches the members', async () => {
    const beforeKill = await uids();
    await stop('SIGKILL');
    await up();
    assert.equal(readFileSync(join(dir, 'admin.token'), 'utf8'), token);
    assert.equal(readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8'), ca);
    assert.equal(readFileSync(kubeconfig, 'utf8'), readFileSync(firstKubeconfig, 'utf8'));
    const after = await uids(firstKubeconfig);
    // Pods may be replaced after a crash (a rollout in flight); everything else is the same object.
    const stable = (u: Uids) => Object.fromEntries(Object.entries(u).filter(([k]) => !/ pod\//.test(k)));
    assert.deepEqual(stable(after), stable(beforeKill));
    await clustersReady();
    await k('flotilla', ['scale', 'deployment/nginx', '--replicas=6']);
    await nginxRunning('nginx:1.28', 3);
    assert.deepEqual(stable(await uids()), stable(beforeKill));
  });
});
