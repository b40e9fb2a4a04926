/**
 * docs/manifests/flotilla-ha.yaml is valid Kubernetes: `kubectl apply --dry-run=server` against
 * Flotilla's own API server accepts every object. And the bootstrap in
 * docs/high-availability.md works: a CA and token made with openssl, and a kubeconfig made with
 * `kubectl config`, are what `flotilla apiserver` serves and clients use.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runKubectl, startApiServer, type TestServer } from './harness.js';

const MANIFEST = join(ROOT, 'docs', 'manifests', 'flotilla-ha.yaml');

describe('HA manifests', { timeout: 120_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    await server?.cleanup();
  });

  it('apply with --dry-run=server: every object is accepted, none is created', async () => {
    // As on any cluster, a server-side dry run of namespaced objects needs their namespace.
    await server.k(['create', 'namespace', 'flotilla-system']);
    const out = await server.k(['apply', '--dry-run=server', '-f', MANIFEST]);
    const lines = out.trim().split('\n');
    for (const kind of [
      'serviceaccount/flotilla',
      'role.rbac.authorization.k8s.io/flotilla',
      'rolebinding.rbac.authorization.k8s.io/flotilla',
      'service/etcd',
      'statefulset.apps/etcd',
      'service/flotilla-apiserver',
      'deployment.apps/flotilla-apiserver',
      'poddisruptionbudget.policy/flotilla-apiserver',
      'deployment.apps/flotilla-controllers',
    ]) {
      assert.ok(lines.some((l) => l.startsWith(`${kind} created (server dry run)`)), `${kind} missing from:\n${out}`);
    }
    assert.ok(lines.some((l) => l.startsWith('namespace/flotilla-system')), out);
    const left = await server.k(['-n', 'flotilla-system', 'get', 'deployments,statefulsets,services', '-o', 'name']);
    assert.equal(left.trim(), '', 'a dry run creates nothing');
  });

  it('the documented bootstrap (openssl CA, token, kubectl config) gives a working server and kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-ha-boot-'));
    const data = join(dir, 'data');
    let boot: TestServer | undefined;
    try {
      const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      // The commands from docs/high-availability.md, step 1.
      sh('openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out ca.key');
      sh('openssl req -x509 -new -key ca.key -out ca.crt -days 3650 -subj /CN=flotilla-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign');
      sh('openssl rand -hex 32 > admin.token');
      // What the Deployment's init container does with the Secret.
      mkdirSync(join(data, 'pki'), { recursive: true });
      sh('cp ca.crt ca.key data/pki/ && cp admin.token data/admin.token');
      boot = await startApiServer([], data);
      // Step 2: the controllers' kubeconfig.
      const kc = join(dir, 'flotilla.kubeconfig');
      const token = sh('cat admin.token').trim();
      const cfg = (args: string[]) => execFileSync('kubectl', ['config', `--kubeconfig=${kc}`, ...args]);
      cfg(['set-cluster', 'flotilla', `--server=${boot.url}`, `--certificate-authority=${join(dir, 'ca.crt')}`, '--embed-certs']);
      cfg(['set-credentials', 'admin', `--token=${token}`]);
      cfg(['set-context', 'flotilla', '--cluster=flotilla', '--user=admin']);
      cfg(['use-context', 'flotilla']);
      const r = await runKubectl(kc, join(dir, 'cache'), ['get', 'namespace', 'default', '-o', 'name']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'namespace/default');
    } finally {
      await boot?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
