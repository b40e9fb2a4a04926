// The cluster PKI: a self-generated CA, the API server's serving certificate and client certs.
// ECDSA P-256 keys: generated in milliseconds (RSA-2048 takes ~100ms+) and accepted by Node TLS,
// Go (kubectl, client-go) and browsers.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import {
  ensureDir,
  readIfExists,
  SECRET_FILE_MODE,
  tightenMode,
  writeFileAtomic,
} from './fsutil.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}
export type CertificateAuthority = CertAndKey;

export interface CAOptions {
  commonName: string;
}

export interface ServingCertOptions {
  /** DNS names and IP addresses; localhost, 127.0.0.1 and ::1 are always added. */
  hosts: readonly string[];
  /** File stem: writes <name>.crt and <name>.key. */
  name: string;
  /** Subject CN; clients match SANs only, so this is informational. Default: name. */
  commonName?: string;
  /** Default 365. */
  validityDays?: number;
}

export interface ClientCertOptions {
  /** Becomes the Kubernetes user name. */
  commonName: string;
  /** Become the Kubernetes groups (subject O=). */
  organizations?: readonly string[];
  /** Default 365. */
  validityDays?: number;
}

export const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const LEAF_VALIDITY_DAYS = 365;
/** A serving cert this close to expiry is replaced at startup instead of reused. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Backdate notBefore so peers with slightly slow clocks accept a freshly issued cert. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const EC_KEYGEN = { name: 'ECDSA', namedCurve: 'P-256' } as const;

// ---------------------------------------------------------------------------------------------
// In-process serialisation: two concurrent ensure* calls for the same files would otherwise both
// generate and the loser's cert would not match what is on disk.
const locks = new Map<string, Promise<unknown>>();
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

// ---------------------------------------------------------------------------------------------
// Key helpers

// Signing algorithm for a CA key. Besides our own P-256 keys this accepts RSA and P-384 so an
// operator can drop in an existing CA (e.g. kubeadm's RSA one) as ca.crt/ca.key.
interface SigningParams {
  importAlg: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  signAlg: webcrypto.EcdsaParams | webcrypto.Algorithm;
}
function signingParams(key: KeyObject): SigningParams {
  if (key.asymmetricKeyType === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { importAlg: alg, signAlg: alg };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256')
      return { importAlg: EC_KEYGEN, signAlg: { name: 'ECDSA', hash: 'SHA-256' } };
    if (curve === 'secp384r1' || curve === 'P-384')
      return { importAlg: { name: 'ECDSA', namedCurve: 'P-384' }, signAlg: { name: 'ECDSA', hash: 'SHA-384' } };
  }
  throw new Error(`unsupported CA key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

interface Signer {
  cert: x509.X509Certificate;
  key: webcrypto.CryptoKey;
  signAlg: SigningParams['signAlg'];
}

async function loadSigner(ca: CertificateAuthority): Promise<Signer> {
  const keyObject = createPrivateKey(ca.keyPem); // accepts PKCS#8 and SEC1/PKCS#1 PEM
  const { importAlg, signAlg } = signingParams(keyObject);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', der, importAlg, false, ['sign']);
  return { cert: new x509.X509Certificate(ca.certPem), key, signAlg };
}

async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEYGEN, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

// 128 random bits with the top bit cleared and a non-zero first byte: a positive, minimally
// encoded DER INTEGER. Go's x509 parser (kubectl) rejects negative or non-minimal serials.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

// ---------------------------------------------------------------------------------------------
// CA

/**
 * Loads the CA from dir/ca.crt + dir/ca.key, creating it on first use. Refuses (throws) rather
 * than silently replacing a CA that is present but unusable, since every issued kubeconfig and
 * certificate trusts it; only an expired CA is regenerated.
 */
export async function ensureCA(dir: string, opts: CAOptions): Promise<CertificateAuthority> {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  return withLock(resolve(certPath), async () => {
    ensureDir(dir);
    const certPem = readIfExists(certPath);
    const keyPem = readIfExists(keyPath);
    if (certPem !== undefined) {
      if (keyPem === undefined) throw new Error(`${certPath} exists but ${keyPath} is missing`);
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(certPem);
        if (!cert.ca) throw new Error('not a CA certificate');
        if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('key does not match');
      } catch (err) {
        // Never include keyPem in the message.
        throw new Error(`invalid CA in ${dir}: ${(err as Error).message}`);
      }
      if (Date.parse(cert.validTo) > Date.now()) {
        tightenMode(keyPath);
        return { certPem, keyPem };
      }
      // Expired: nothing can chain to it any more, so replacing it loses nothing.
    }
    const ca = await generateCA(opts.commonName);
    // Key first: a crash in between leaves an orphan key, which the next call overwrites.
    writeFileAtomic(keyPath, ca.keyPem, SECRET_FILE_MODE);
    writeFileAtomic(certPath, ca.certPem, 0o644);
    return ca;
  });
}

async function generateCA(commonName: string): Promise<CertificateAuthority> {
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }],
    keys,
    ...validity(CA_VALIDITY_DAYS),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      // pathLen 0: this CA signs leaves only, never intermediates.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

// ---------------------------------------------------------------------------------------------
// Leaf certificates

interface LeafParams {
  subject: x509.JsonName;
  extendedKeyUsage: x509.ExtendedKeyUsage;
  keyUsage: number;
  san?: x509.JsonGeneralNames;
  validityDays: number;
}

async function issueLeaf(ca: CertificateAuthority, p: LeafParams): Promise<CertAndKey> {
  const signer = await loadSigner(ca);
  const keys = await newKeyPair();
  // Reuse the CA's own subject key id so chain building matches even for an imported CA whose
  // SKI was computed differently from ours.
  const caSki = signer.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = caSki
    ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId)
    : await x509.AuthorityKeyIdentifierExtension.create(signer.cert.publicKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(p.keyUsage, true),
    new x509.ExtendedKeyUsageExtension([p.extendedKeyUsage]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    aki,
  ];
  if (p.san) extensions.push(new x509.SubjectAlternativeNameExtension(p.san));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: p.subject,
    // The issuer must be byte-identical to the CA's subject, so copy the parsed Name.
    issuer: signer.cert.subjectName,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.signAlg,
    ...validity(p.validityDays),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** Lower-cases DNS names, strips IPv6 brackets, adds the loopback defaults and de-duplicates. */
export function normalizeHosts(hosts: readonly string[]): { dns: string[]; ips: string[] } {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const raw of [...DEFAULT_HOSTS, ...hosts]) {
    const h = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (isIP(h)) ips.add(h);
    else if (/^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i.test(h))
      dns.add(h.toLowerCase());
    else throw new Error(`invalid host for certificate SAN: ${JSON.stringify(raw)}`);
  }
  return { dns: [...dns], ips: [...ips] };
}

/**
 * Loads dir/<name>.crt + .key if they were issued by ca, cover every host and are not within 30
 * days of expiry; otherwise issues and writes a new serving certificate.
 */
export async function ensureServingCert(
  dir: string,
  ca: CertificateAuthority,
  opts: ServingCertOptions,
): Promise<CertAndKey> {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(opts.name)) throw new Error(`invalid cert name ${JSON.stringify(opts.name)}`);
  const certPath = join(dir, `${opts.name}.crt`);
  const keyPath = join(dir, `${opts.name}.key`);
  const hosts = normalizeHosts(opts.hosts);
  return withLock(resolve(certPath), async () => {
    ensureDir(dir);
    const certPem = readIfExists(certPath);
    const keyPem = readIfExists(keyPath);
    if (certPem !== undefined && keyPem !== undefined && isReusable(certPem, keyPem, ca, hosts)) {
      tightenMode(keyPath);
      return { certPem, keyPem };
    }
    const issued = await issueLeaf(ca, {
      subject: [{ CN: [opts.commonName ?? opts.name] }],
      extendedKeyUsage: x509.ExtendedKeyUsage.serverAuth,
      // keyEncipherment only matters for RSA key exchange, but some clients still expect it.
      keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      san: [
        ...hosts.dns.map((value) => ({ type: 'dns' as const, value })),
        ...hosts.ips.map((value) => ({ type: 'ip' as const, value })),
      ],
      validityDays: opts.validityDays ?? LEAF_VALIDITY_DAYS,
    });
    writeFileAtomic(keyPath, issued.keyPem, SECRET_FILE_MODE);
    writeFileAtomic(certPath, issued.certPem, 0o644);
    return issued;
  });
}

// Any parse failure just means "not reusable": the files are ours to regenerate.
function isReusable(
  certPem: string,
  keyPem: string,
  ca: CertificateAuthority,
  hosts: { dns: string[]; ips: string[] },
): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const caCert = new X509Certificate(ca.certPem);
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return false;
    const now = Date.now();
    if (Date.parse(cert.validFrom) > now + CLOCK_SKEW_MS) return false;
    if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return false;
    // checkIP compares addresses, so '::1' matches however the SAN spells it.
    if (!hosts.ips.every((ip) => cert.checkIP(ip) !== undefined)) return false;
    const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
    const dnsNames = new Set(
      (san?.names.items ?? []).filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase()),
    );
    return hosts.dns.every((h) => dnsNames.has(h));
  } catch {
    return false;
  }
}

/** Issues a client certificate (not written to disk): CN = user, O = groups. */
export async function issueClientCert(ca: CertificateAuthority, opts: ClientCertOptions): Promise<CertAndKey> {
  const subject: x509.JsonName = [
    ...(opts.organizations ?? []).map((o) => ({ O: [o] })),
    { CN: [opts.commonName] },
  ];
  return issueLeaf(ca, {
    subject,
    extendedKeyUsage: x509.ExtendedKeyUsage.clientAuth,
    keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    validityDays: opts.validityDays ?? LEAF_VALIDITY_DAYS,
  });
}
