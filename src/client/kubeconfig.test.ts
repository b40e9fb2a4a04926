import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import {
  buildKubeconfig,
  kubeconfigPaths,
  loadKubeconfig,
  mergeKubeconfig,
  readKubeconfigFile,
  writeKubeconfig,
} from './kubeconfig.js';
import type { Kubeconfig, KubeconfigEntry } from './kubeconfig.js';

const KUBECTL = '/usr/bin/kubectl';
const CA = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nY2VydA==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-kubeconfig-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (name: string, extra: Partial<KubeconfigEntry> = {}): KubeconfigEntry => ({
  name,
  server: `https://${name}.example:6443`,
  caPem: CA,
  token: `${name}-token`,
  ...extra,
});

describe('buildKubeconfig / writeKubeconfig', () => {
  test('builds named cluster/user/context triples', () => {
    const c = buildKubeconfig([entry('a'), entry('b', { token: undefined, clientCert: { certPem: CERT, keyPem: KEY }, namespace: 'ns' })], 'b');
    assert.equal(c['current-context'], 'b');
    assert.deepEqual(c.clusters[0], { name: 'a', cluster: { server: 'https://a.example:6443', 'certificate-authority-data': b64(CA) } });
    assert.deepEqual(c.users[0], { name: 'a', user: { token: 'a-token' } });
    assert.deepEqual(c.users[1], { name: 'b', user: { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) } });
    assert.deepEqual(c.contexts[1], { name: 'b', context: { cluster: 'b', user: 'b', namespace: 'ns' } });
    assert.equal(buildKubeconfig([entry('a'), entry('b')])['current-context'], 'a');
  });

  test('validates entries', () => {
    assert.throws(() => buildKubeconfig([entry('a')], 'zz'), /not among/);
    assert.throws(() => buildKubeconfig([entry('a'), entry('a')]), /duplicate/);
    assert.throws(() => buildKubeconfig([entry('a', { server: 'not a url' })]));
    assert.throws(() => buildKubeconfig([entry('a', { insecureSkipTLSVerify: true })]), /exclusive/);
    const insecure = buildKubeconfig([entry('a', { caPem: undefined, insecureSkipTLSVerify: true })]);
    assert.equal(insecure.clusters[0]!.cluster['insecure-skip-tls-verify'], true);
  });

  test('writes YAML with mode 0600, atomically, following symlinks', () => {
    const path = join(dir, 'w', 'config');
    const config = buildKubeconfig([entry('a')]);
    writeKubeconfig(path, config);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(YAML.parse(readFileSync(path, 'utf8')), config);
    assert.deepEqual(readdirSync(join(dir, 'w')), ['config']); // no temp files left

    const link = join(dir, 'w', 'link');
    symlinkSync(path, link);
    writeKubeconfig(link, buildKubeconfig([entry('b')]));
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readKubeconfigFile(path)!['current-context'], 'b');
  });
});

describe('mergeKubeconfig', () => {
  test('creates the file when missing', () => {
    const path = join(dir, 'm1', 'config');
    mergeKubeconfig(path, [entry('a')]);
    assert.equal(readKubeconfigFile(path)!['current-context'], 'a');
  });

  test('replaces same-named entries, keeps the rest and unknown fields', () => {
    const path = join(dir, 'm2');
    const existing = {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: { colors: true },
      clusters: [
        { name: 'keep', cluster: { server: 'https://keep:1', 'proxy-url': 'http://proxy:3128' } },
        { name: 'a', cluster: { server: 'https://old-a:1' } },
      ],
      users: [
        { name: 'keep', user: { exec: { command: 'get-token', apiVersion: 'client.authentication.k8s.io/v1' } } },
        { name: 'a', user: { token: 'old' } },
      ],
      contexts: [
        { name: 'keep', context: { cluster: 'keep', user: 'keep', extensions: [] } },
        { name: 'a', context: { cluster: 'a', user: 'a' } },
      ],
      'current-context': 'keep',
      extensions: [{ name: 'x', extension: { y: 1 } }],
    };
    writeFileSync(path, YAML.stringify(existing));
    mergeKubeconfig(path, [entry('a'), entry('new')]);
    const got = YAML.parse(readFileSync(path, 'utf8')) as Kubeconfig;
    assert.deepEqual(got.clusters.map((c) => c.name), ['keep', 'a', 'new']);
    assert.equal(got.clusters[1]!.cluster.server, 'https://a.example:6443');
    assert.equal(got.users[1]!.user.token, 'a-token');
    assert.deepEqual(got.clusters[0], existing.clusters[0]);
    assert.deepEqual(got.users[0], existing.users[0]);
    assert.deepEqual(got.contexts[0], existing.contexts[0]);
    assert.deepEqual(got.extensions, existing.extensions);
    assert.deepEqual(got.preferences, { colors: true });
    assert.equal(got['current-context'], 'keep'); // not hijacked
    mergeKubeconfig(path, [], { current: 'new' });
    assert.equal(readKubeconfigFile(path)!['current-context'], 'new');
    assert.throws(() => mergeKubeconfig(path, [], { current: 'nope' }), /does not exist/);
  });

  test('refuses to overwrite an unparseable file, without quoting it', () => {
    const path = join(dir, 'm3');
    writeFileSync(path, 'users:\n- name: a\n  user: {token: "s3cr3t-value\n');
    assert.throws(() => mergeKubeconfig(path, [entry('a')]), (e: Error) => /not valid YAML/.test(e.message) && !e.message.includes('s3cr3t'));
    assert.ok(readFileSync(path, 'utf8').includes('s3cr3t')); // untouched
  });
});

describe('loadKubeconfig', () => {
  test('resolves -data fields, namespace and the current context', () => {
    const path = join(dir, 'l1');
    writeKubeconfig(path, buildKubeconfig([entry('a'), entry('b', { token: undefined, clientCert: { certPem: CERT, keyPem: KEY }, namespace: 'ns' })]));
    assert.deepEqual(loadKubeconfig(path), {
      contextName: 'a',
      clusterName: 'a',
      userName: 'a',
      server: 'https://a.example:6443',
      caPem: CA,
      insecureSkipTLSVerify: false,
      token: 'a-token',
      namespace: 'default',
    });
    const b = loadKubeconfig(path, { context: 'b' });
    assert.equal(b.clientCertPem, CERT);
    assert.equal(b.clientKeyPem, KEY);
    assert.equal(b.token, undefined);
    assert.equal(b.namespace, 'ns');
    assert.throws(() => loadKubeconfig(path, { context: 'zz' }), /not found \(available: a, b\)/);
    assert.throws(() => loadKubeconfig(join(dir, 'missing')), /does not exist/);
  });

  test('reads file references relative to the kubeconfig, token-file included', () => {
    const d = join(dir, 'l2');
    mkdirSync(join(d, 'pki'), { recursive: true });
    writeFileSync(join(d, 'pki', 'ca.crt'), CA);
    writeFileSync(join(d, 'pki', 'c.crt'), CERT);
    writeFileSync(join(d, 'pki', 'c.key'), KEY);
    writeFileSync(join(d, 'tok'), 'file-token\n');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://c:1', 'certificate-authority': 'pki/ca.crt', 'tls-server-name': 'api.c' } }],
      users: [{ name: 'u', user: { 'token-file': 'tok', 'client-certificate': 'pki/c.crt', 'client-key': join(d, 'pki', 'c.key') } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'kube-system' } }],
      'current-context': 'x',
    };
    writeFileSync(join(d, 'config'), YAML.stringify(config));
    const r = loadKubeconfig(join(d, 'config'));
    assert.equal(r.caPem, CA);
    assert.equal(r.token, 'file-token');
    assert.equal(r.clientCertPem, CERT);
    assert.equal(r.clientKeyPem, KEY);
    assert.equal(r.tlsServerName, 'api.c');
    assert.equal(r.namespace, 'kube-system');

    config.users[0]!.user['token-file'] = 'missing-token-file';
    writeFileSync(join(d, 'config'), YAML.stringify(config));
    assert.throws(() => loadKubeconfig(join(d, 'config')), /cannot read token file/);
  });

  test('KUBECONFIG: colon list, first file wins, missing files skipped', () => {
    const d = join(dir, 'l3');
    mkdirSync(d);
    const f1 = join(d, 'one');
    const f2 = join(d, 'two');
    writeKubeconfig(f1, buildKubeconfig([entry('shared', { token: 'from-one' }), entry('one')], 'one'));
    const two = buildKubeconfig([entry('shared', { token: 'from-two' }), entry('two')], 'two');
    writeKubeconfig(f2, two);
    const env = { KUBECONFIG: [join(d, 'nope'), f1, '', f2].join(delimiter) };

    assert.equal(loadKubeconfig(undefined, { env }).contextName, 'one'); // first current-context
    assert.equal(loadKubeconfig(undefined, { env, context: 'shared' }).token, 'from-one');
    assert.equal(loadKubeconfig(undefined, { env, context: 'two' }).server, 'https://two.example:6443');
    // current-context comes from a later file when earlier ones set none.
    const oneWithoutCurrent = buildKubeconfig([entry('one')]);
    delete oneWithoutCurrent['current-context'];
    writeKubeconfig(f1, oneWithoutCurrent);
    assert.equal(loadKubeconfig(undefined, { env }).contextName, 'two');
    // An explicit path beats KUBECONFIG.
    assert.equal(loadKubeconfig(f2, { env }).contextName, 'two');
    assert.deepEqual(kubeconfigPaths(undefined, { HOME: '/h' }), ['/h/.kube/config']);
    assert.throws(() => loadKubeconfig(undefined, { env: { KUBECONFIG: join(d, 'nope') } }), /no kubeconfig found/);
  });

  test('a readable token-file wins over token (client-go semantics)', () => {
    const d = join(dir, 'l4');
    mkdirSync(d);
    writeFileSync(join(d, 'tok'), 'rotated\n');
    const c = buildKubeconfig([entry('a', { token: 'inline' })]);
    c.users[0]!.user['token-file'] = 'tok';
    writeKubeconfig(join(d, 'config'), c);
    assert.equal(loadKubeconfig(join(d, 'config')).token, 'rotated');
    c.users[0]!.user['token-file'] = 'gone';
    writeKubeconfig(join(d, 'config'), c);
    assert.equal(loadKubeconfig(join(d, 'config')).token, 'inline');
  });
});

describe('kubectl interop', { skip: !existsSync(KUBECTL) }, () => {
  const run = promisify(execFile);
  const kubectl = (args: string[]) =>
    run(KUBECTL, args, { timeout: 20_000, env: { PATH: process.env.PATH ?? '/usr/bin', HOME: dir } });

  test('kubectl reads what we write, YAML 1.1 pitfalls included', async () => {
    const path = join(dir, 'k1');
    const written = buildKubeconfig([entry('yes', { token: '0777', namespace: 'on' }), entry('b')], 'yes');
    writeKubeconfig(path, written);
    const { stdout } = await kubectl(['config', 'view', '--raw', '-o', 'json', '--kubeconfig', path]);
    const seen = JSON.parse(stdout) as Kubeconfig;
    assert.equal(seen['current-context'], 'yes');
    assert.deepEqual(seen.users.find((u) => u.name === 'yes')!.user, { token: '0777' });
    assert.equal(seen.contexts.find((c) => c.name === 'yes')!.context.namespace, 'on');
    assert.equal(seen.clusters.find((c) => c.name === 'b')!.cluster['certificate-authority-data'], b64(CA));
  });

  test('we read what kubectl writes, and kubectl reads our merges', async () => {
    const path = join(dir, 'k2');
    const ca = join(dir, 'k2-ca.crt');
    writeFileSync(ca, CA);
    await kubectl(['config', 'set-cluster', 'kc', '--server=https://kc:6443', `--certificate-authority=${ca}`, '--embed-certs', '--kubeconfig', path]);
    await kubectl(['config', 'set-credentials', 'kc', '--token=kc-token', '--kubeconfig', path]);
    await kubectl(['config', 'set-context', 'kc', '--cluster=kc', '--user=kc', '--namespace=apps', '--kubeconfig', path]);
    await kubectl(['config', 'use-context', 'kc', '--kubeconfig', path]);
    const r = loadKubeconfig(path);
    assert.equal(r.server, 'https://kc:6443');
    assert.equal(r.caPem, CA);
    assert.equal(r.token, 'kc-token');
    assert.equal(r.namespace, 'apps');

    mergeKubeconfig(path, [entry('ours')]);
    const { stdout } = await kubectl(['config', 'get-contexts', '-o', 'name', '--kubeconfig', path]);
    assert.deepEqual(stdout.trim().split('\n').sort(), ['kc', 'ours']);
    const cur = await kubectl(['config', 'current-context', '--kubeconfig', path]);
    assert.equal(cur.stdout.trim(), 'kc');
  });
});
