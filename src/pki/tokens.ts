// Bearer tokens: generation, storage and authentication. Tokens are secrets, so they never appear
// in error messages or logs, and the authenticator keeps only their SHA-256 digests.
import * as crypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { createFileExclusive, ensureDir, readIfExists, tightenMode, writeFileAtomic } from './fsutil.js';

export interface UserInfo {
  user: string;
  groups: string[];
}

export const ADMIN_USER = 'flotilla-admin';
export const ADMIN_GROUPS: readonly string[] = ['system:masters'];

// Printable ASCII without spaces: anything else cannot travel in an Authorization header.
const TOKEN_SYNTAX = /^[\x21-\x7e]+$/;
const MIN_TOKEN_LENGTH = 16;

/** 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function checkToken(token: string, where: string): void {
  if (token.length < MIN_TOKEN_LENGTH || !TOKEN_SYNTAX.test(token))
    throw new Error(`${where}: token must be at least ${MIN_TOKEN_LENGTH} printable non-space characters`);
}

/**
 * Returns the token stored in dir/<name>.token, creating it (mode 0600) on first use. An
 * operator may put their own token there. Safe against concurrent first calls from several
 * processes: exactly one file wins and every caller returns its contents.
 */
export function ensureToken(dir: string, name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new Error(`invalid token name ${JSON.stringify(name)}`);
  const path = join(dir, `${name}.token`);
  ensureDir(dir);
  const existing = readIfExists(path)?.trim();
  if (existing) {
    checkToken(existing, path);
    tightenMode(path);
    return existing;
  }
  const token = generateToken();
  if (existing === '') {
    // Our own writes are atomic, so an empty file was made by hand (e.g. `touch`): replace it.
    writeFileAtomic(path, `${token}\n`);
    return token;
  }
  if (createFileExclusive(path, `${token}\n`)) return token;
  return ensureToken(dir, name); // another process created it first: use theirs
}

// crypto.hash (Node >= 20.12) is the one-shot form: a few µs less per request than a Hash object.
const oneShot = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'buffer') => Buffer }).hash;
const sha256 = (s: string | Uint8Array): Buffer => (oneShot ? oneShot('sha256', s, 'buffer') : createHash('sha256').update(s).digest());

/**
 * Compares two secrets in time independent of where they differ and of their lengths (both
 * sides are hashed to fixed-size digests first, as timingSafeEqual needs equal lengths).
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** Extracts the token from "Bearer <token>" (scheme case-insensitive, as in Kubernetes). */
export function parseBearer(header: string | undefined): string | null {
  const m = header === undefined ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** Maps bearer tokens to users, like kube-apiserver's static token file authenticator. */
export class TokenAuthenticator {
  // Digests only: a heap dump or a stray console.log of this object reveals no token.
  readonly #entries: { digest: Buffer; info: UserInfo }[] = [];

  constructor(tokens: Iterable<readonly [string, UserInfo]> = []) {
    for (const [token, info] of tokens) this.add(token, info);
  }

  /** An authenticator accepting just the admin token as flotilla-admin / system:masters. */
  static forAdmin(adminToken: string): TokenAuthenticator {
    return new TokenAuthenticator([[adminToken, { user: ADMIN_USER, groups: [...ADMIN_GROUPS] }]]);
  }

  add(token: string, info: UserInfo): this {
    checkToken(token, `token for user ${info.user}`);
    const digest = sha256(token);
    if (this.#entries.some((e) => e.digest.equals(digest))) throw new Error(`duplicate token for user ${info.user}`);
    this.#entries.push({ digest, info: { user: info.user, groups: [...info.groups] } });
    return this;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Returns the user for a valid "Bearer <token>" header, else null (never throws). */
  authenticate(authorizationHeader: string | undefined): UserInfo | null {
    const token = parseBearer(authorizationHeader);
    if (token === null) return null;
    const digest = sha256(token);
    let found: UserInfo | null = null;
    // No early exit: the time taken does not reveal which entry, if any, matched.
    for (const e of this.#entries) if (timingSafeEqual(e.digest, digest)) found = e.info;
    return found && { user: found.user, groups: [...found.groups] };
  }
}
