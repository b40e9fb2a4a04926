import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { ensureCA, ensureServingCert, issueClientCert, normalizeHosts } from './certs.js';
import type { CertificateAuthority, CertAndKey } from './certs.js';
import { TokenAuthenticator } from './tokens.js';
import { buildKubeconfig, writeKubeconfig } from '../client/kubeconfig.js';

const KUBECTL = '/usr/bin/kubectl';
const DAY = 24 * 3600 * 1000;
const mode = (p: string): number => statSync(p).mode & 0o777;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-pki-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ext<T extends x509.Extension>(pem: string, type: new (raw: ArrayBuffer) => T): T {
  const e = new x509.X509Certificate(pem).getExtension(type as never) as T | null;
  assert.ok(e, `missing extension ${type.name}`);
  return e;
}

describe('ensureCA', () => {
  test('creates ca.crt/ca.key once, then reuses them', async () => {
    const d = join(dir, 'ca1');
    const t0 = performance.now();
    const ca = await ensureCA(d, { commonName: 'flotilla-ca' });
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `CA generation took ${ms}ms`);
    assert.equal(readFileSync(join(d, 'ca.crt'), 'utf8'), ca.certPem);
    assert.equal(readFileSync(join(d, 'ca.key'), 'utf8'), ca.keyPem);
    assert.equal(mode(join(d, 'ca.key')), 0o600);
    assert.deepEqual(await ensureCA(d, { commonName: 'flotilla-ca' }), ca);

    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.equal(cert.subject, 'CN=flotilla-ca');
    const years = (Date.parse(cert.validTo) - Date.now()) / (365 * DAY);
    assert.ok(years > 9.9 && years < 10.1, `validity ${years}y`);
    const bc = ext(ca.certPem, x509.BasicConstraintsExtension);
    assert.equal(bc.ca, true);
    assert.equal(bc.critical, true);
    const ku = ext(ca.certPem, x509.KeyUsagesExtension).usages;
    assert.ok(ku & x509.KeyUsageFlags.keyCertSign && ku & x509.KeyUsageFlags.cRLSign);
    assert.ok(ext(ca.certPem, x509.SubjectKeyIdentifierExtension).keyId.length > 0);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });

  test('concurrent first calls agree on one CA', async () => {
    const d = join(dir, 'ca-race');
    const [a, b] = await Promise.all([ensureCA(d, { commonName: 'x' }), ensureCA(d, { commonName: 'x' })]);
    assert.deepEqual(a, b);
    assert.equal(readFileSync(join(d, 'ca.crt'), 'utf8'), a.certPem);
  });

  test('refuses to replace a CA whose key is missing or does not match', async () => {
    const d = join(dir, 'ca-broken');
    const ca = await ensureCA(d, { commonName: 'x' });
    const other = await ensureCA(join(dir, 'ca-other'), { commonName: 'y' });
    writeFileSync(join(d, 'ca.key'), other.keyPem);
    await assert.rejects(ensureCA(d, { commonName: 'x' }), (err: Error) => {
      assert.match(err.message, /invalid CA/);
      assert.ok(!err.message.includes('PRIVATE KEY'));
      return true;
    });
    unlinkSync(join(d, 'ca.key'));
    await assert.rejects(ensureCA(d, { commonName: 'x' }), /ca\.key is missing/);
    assert.equal(readFileSync(join(d, 'ca.crt'), 'utf8'), ca.certPem); // untouched
  });
});

describe('ensureServingCert', () => {
  let ca: CertificateAuthority;
  before(async () => {
    ca = await ensureCA(join(dir, 'pki'), { commonName: 'flotilla-ca' });
  });

  test('issues a cert with proper extensions and reuses it', async () => {
    const d = join(dir, 'pki');
    const t0 = performance.now();
    const sc = await ensureServingCert(d, ca, { hosts: ['flotilla.example.com', '10.0.0.7'], name: 'apiserver' });
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `serving cert took ${ms}ms`);
    assert.equal(readFileSync(join(d, 'apiserver.crt'), 'utf8'), sc.certPem);
    assert.equal(mode(join(d, 'apiserver.key')), 0o600);

    const cert = new X509Certificate(sc.certPem);
    assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
    assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
    assert.equal(cert.ca, false);
    for (const ip of ['127.0.0.1', '::1', '10.0.0.7']) assert.equal(cert.checkIP(ip), ip);
    for (const h of ['localhost', 'flotilla.example.com']) assert.equal(cert.checkHost(h), h);
    const san = ext(sc.certPem, x509.SubjectAlternativeNameExtension).names.items;
    assert.ok(san.every((n) => (n.type === 'dns') !== /^[\d.:]+$/.test(n.value)), 'IPs must be IP SANs');
    assert.deepEqual([...ext(sc.certPem, x509.ExtendedKeyUsageExtension).usages], [x509.ExtendedKeyUsage.serverAuth]);
    assert.equal(ext(sc.certPem, x509.BasicConstraintsExtension).ca, false);
    assert.ok(ext(sc.certPem, x509.KeyUsagesExtension).usages & x509.KeyUsageFlags.digitalSignature);
    assert.equal(
      ext(sc.certPem, x509.AuthorityKeyIdentifierExtension).keyId,
      ext(ca.certPem, x509.SubjectKeyIdentifierExtension).keyId,
    );

    // Same or fewer hosts (in any spelling): reused.
    const again = await ensureServingCert(d, ca, { hosts: ['FLOTILLA.example.com', '[::1]'], name: 'apiserver' });
    assert.deepEqual(again, sc);
  });

  test('regenerates for a new host, another CA, or near expiry', async () => {
    const d = join(dir, 'regen');
    const first = await ensureServingCert(d, ca, { hosts: [], name: 'apiserver' });
    const moreHosts = await ensureServingCert(d, ca, { hosts: ['new.example.com'], name: 'apiserver' });
    assert.notEqual(moreHosts.certPem, first.certPem);
    assert.equal(new X509Certificate(moreHosts.certPem).checkHost('new.example.com'), 'new.example.com');

    const otherCA = await ensureCA(join(dir, 'regen-ca2'), { commonName: 'other' });
    const reissued = await ensureServingCert(d, otherCA, { hosts: ['new.example.com'], name: 'apiserver' });
    assert.ok(new X509Certificate(reissued.certPem).checkIssued(new X509Certificate(otherCA.certPem)));

    const short = await ensureServingCert(d, ca, { hosts: [], name: 'short', validityDays: 20 });
    const renewed = await ensureServingCert(d, ca, { hosts: [], name: 'short' });
    assert.notEqual(renewed.certPem, short.certPem);
    assert.deepEqual(await ensureServingCert(d, ca, { hosts: [], name: 'short' }), renewed);

    writeFileSync(join(d, 'apiserver.crt'), 'garbage');
    const fromGarbage = await ensureServingCert(d, ca, { hosts: [], name: 'apiserver' });
    assert.match(fromGarbage.certPem, /BEGIN CERTIFICATE/);
  });

  test('signs with an imported RSA CA (e.g. kubeadm\'s)', { skip: !existsSync('/usr/bin/openssl') }, async () => {
    const d = join(dir, 'rsa');
    mkdirSync(d);
    await promisify(execFile)('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kubernetes', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout', join(d, 'ca.key'), '-out', join(d, 'ca.crt'),
    ], { timeout: 20_000 });
    const rsaCA = await ensureCA(d, { commonName: 'ignored' });
    assert.equal(new X509Certificate(rsaCA.certPem).subject, 'CN=kubernetes'); // reused, not replaced
    const sc = await ensureServingCert(d, rsaCA, { hosts: [], name: 'apiserver' });
    assert.ok(new X509Certificate(sc.certPem).verify(new X509Certificate(rsaCA.certPem).publicKey));
  });

  test('rejects invalid hosts and names', async () => {
    assert.throws(() => normalizeHosts(['bad host']), /invalid host/);
    await assert.rejects(ensureServingCert(dir, ca, { hosts: [], name: '../x' }), /invalid cert name/);
    assert.deepEqual(normalizeHosts(['LOCALHOST', '*.svc.Cluster.local']), {
      dns: ['localhost', '*.svc.cluster.local'],
      ips: ['127.0.0.1', '::1'],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Interop: Node TLS and kubectl must accept what we generate.

async function listen(
  serving: CertAndKey,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  extra: https.ServerOptions = {},
): Promise<{ server: https.Server; port: number }> {
  const server = https.createServer({ cert: serving.certPem, key: serving.keyPem, ...extra }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

function connect(opts: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(opts, () => resolve(s));
    s.once('error', reject);
  });
}

describe('TLS interop', () => {
  let ca: CertificateAuthority;
  let serving: CertAndKey;
  before(async () => {
    ca = await ensureCA(join(dir, 'tls'), { commonName: 'flotilla-ca' });
    serving = await ensureServingCert(join(dir, 'tls'), ca, { hosts: [], name: 'apiserver' });
  });

  test('Node TLS verifies the serving cert for 127.0.0.1, localhost and ::1', async () => {
    const { server, port } = await listen(serving, (_q, r) => r.end());
    try {
      // host: the IP is checked against IP SANs; servername: the DNS name against DNS SANs.
      for (const opts of [{ host: '127.0.0.1' }, { host: '127.0.0.1', servername: 'localhost' }]) {
        const s = await connect({ ...opts, port, ca: ca.certPem });
        assert.equal(s.authorized, true);
        s.destroy();
      }
      const six = https.createServer({ cert: serving.certPem, key: serving.keyPem });
      await new Promise<void>((r) => six.listen(0, '::1', r));
      const s6 = await connect({ host: '::1', port: (six.address() as AddressInfo).port, ca: ca.certPem });
      assert.equal(s6.authorized, true);
      s6.destroy();
      six.close();
    } finally {
      server.close();
    }
  });

  test('Node TLS rejects another CA and a name outside the SANs', async () => {
    const other = await ensureCA(join(dir, 'tls-other'), { commonName: 'flotilla-ca' });
    const { server, port } = await listen(serving, (_q, r) => r.end());
    try {
      await assert.rejects(connect({ host: '127.0.0.1', port, ca: other.certPem }), (e: NodeJS.ErrnoException) => {
        assert.match(String(e.code), /UNABLE_TO_VERIFY|SELF_SIGNED|CERT_SIGNATURE_FAILURE/);
        return true;
      });
      await assert.rejects(
        connect({ host: '127.0.0.1', port, ca: ca.certPem, servername: 'evil.example.com' }),
        (e: NodeJS.ErrnoException) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID',
      );
    } finally {
      server.close();
    }
  });

  test('client certs work for mutual TLS', async () => {
    const client = await issueClientCert(ca, { commonName: 'alice', organizations: ['dev', 'ops'] });
    assert.deepEqual([...ext(client.certPem, x509.ExtendedKeyUsageExtension).usages], [x509.ExtendedKeyUsage.clientAuth]);
    const { server, port } = await listen(
      serving,
      (req, res) => {
        const peer = (req.socket as tls.TLSSocket).getPeerCertificate();
        res.end(JSON.stringify({ cn: peer.subject.CN, o: peer.subject.O }));
      },
      { ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
    );
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, ca: ca.certPem, cert: client.certPem, key: client.keyPem }, (res) => {
            let b = '';
            res.on('data', (c: Buffer) => (b += c));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      assert.deepEqual(JSON.parse(body), { cn: 'alice', o: ['dev', 'ops'] });
    } finally {
      server.close();
    }
  });

  test('kubectl accepts the CA, serving cert and bearer token', { skip: !existsSync(KUBECTL) }, async () => {
    const token = 'kubectl-test-token-0123456789abcdef';
    const auth = TokenAuthenticator.forAdmin(token);
    const { server, port } = await listen(serving, (req, res) => {
      if (!auth.authenticate(req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
      } else if (new URL(req.url ?? '/', 'https://x').pathname === '/version') { // kubectl adds ?timeout=
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      } else res.writeHead(404).end();
    });
    const run = promisify(execFile);
    const env = { PATH: process.env.PATH ?? '/usr/bin', HOME: dir };
    const kubectl = (kc: string) =>
      run(KUBECTL, ['version', '-o', 'json', '--kubeconfig', kc], { timeout: 20_000, env });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const kc = join(dir, `kubeconfig-${host}`);
        writeKubeconfig(kc, buildKubeconfig([{ name: 'flotilla', server: `https://${host}:${port}`, caPem: ca.certPem, token }]));
        const { stdout } = await kubectl(kc);
        const out = JSON.parse(stdout) as { serverVersion?: { gitVersion?: string } };
        assert.equal(out.serverVersion?.gitVersion, 'v1.32.0');
      }
      const other = await ensureCA(join(dir, 'kubectl-other'), { commonName: 'other' });
      const bad = join(dir, 'kubeconfig-bad');
      writeKubeconfig(bad, buildKubeconfig([{ name: 'f', server: `https://127.0.0.1:${port}`, caPem: other.certPem, token }]));
      await assert.rejects(kubectl(bad), (e: { stderr?: string }) => /certificate|x509|tls/i.test(e.stderr ?? ''));
    } finally {
      server.close();
    }
  });
});
