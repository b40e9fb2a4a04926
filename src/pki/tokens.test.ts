import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ADMIN_USER, TokenAuthenticator, constantTimeEqual, ensureToken, parseBearer } from './tokens.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-tokens-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureToken', () => {
  test('creates a 32-byte base64url token with mode 0600 and reuses it', () => {
    const t = ensureToken(dir, 'admin');
    assert.match(t, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(t, 'base64url').length, 32);
    const file = join(dir, 'admin.token');
    assert.equal(readFileSync(file, 'utf8').trim(), t);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(ensureToken(dir, 'admin'), t);
    assert.notEqual(ensureToken(dir, 'other'), t);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('keeps an operator-provided token, tightens its mode, replaces an empty file', () => {
    const file = join(dir, 'custom.token');
    writeFileSync(file, 'my-own-token-0123456789\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    assert.equal(ensureToken(dir, 'custom'), 'my-own-token-0123456789');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    writeFileSync(join(dir, 'empty.token'), '');
    assert.match(ensureToken(dir, 'empty'), /^[A-Za-z0-9_-]{43}$/);
  });

  test('rejects malformed files without echoing them, and unsafe names', () => {
    writeFileSync(join(dir, 'bad.token'), 'secret with spaces inside');
    assert.throws(
      () => ensureToken(dir, 'bad'),
      (e: Error) => !e.message.includes('secret') && /bad\.token/.test(e.message),
    );
    assert.throws(() => ensureToken(dir, '../escape'), /invalid token name/);
  });
});

test('constantTimeEqual', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'abcd'), false); // different lengths do not throw
  assert.equal(constantTimeEqual('', ''), true);
  assert.equal(constantTimeEqual(Buffer.from('x'), 'x'), true);
});

test('parseBearer', () => {
  assert.equal(parseBearer('Bearer abc'), 'abc');
  assert.equal(parseBearer('bearer   abc  '), 'abc');
  assert.equal(parseBearer('Basic abc'), null);
  assert.equal(parseBearer('Bearer'), null);
  assert.equal(parseBearer('Bearer a b'), null);
  assert.equal(parseBearer(undefined), null);
});

describe('TokenAuthenticator', () => {
  const admin = 'admin-token-0123456789abcdefghij';
  const dev = 'dev-token-0123456789abcdefghijkl';

  test('maps tokens to users', () => {
    const auth = TokenAuthenticator.forAdmin(admin).add(dev, { user: 'dev', groups: ['devs'] });
    assert.equal(auth.size, 2);
    assert.deepEqual(auth.authenticate(`Bearer ${admin}`), { user: ADMIN_USER, groups: ['system:masters'] });
    assert.deepEqual(auth.authenticate(`BEARER ${dev}`), { user: 'dev', groups: ['devs'] });
  });

  test('rejects wrong, missing and malformed credentials', () => {
    const auth = TokenAuthenticator.forAdmin(admin);
    for (const h of [undefined, '', 'Bearer', `Bearer ${admin}x`, `Bearer ${admin.slice(0, -1)}`, `Basic ${admin}`, admin])
      assert.equal(auth.authenticate(h), null, String(h));
  });

  test('returns copies and never exposes tokens', () => {
    const auth = new TokenAuthenticator([[admin, { user: 'a', groups: ['g'] }]]);
    auth.authenticate(`Bearer ${admin}`)!.groups.push('system:masters');
    assert.deepEqual(auth.authenticate(`Bearer ${admin}`)!.groups, ['g']);
    assert.ok(!inspect(auth, { showHidden: true, depth: 10 }).includes(admin));
    assert.ok(!JSON.stringify(auth).includes(admin));
  });

  test('refuses weak or duplicate tokens without echoing them', () => {
    const auth = new TokenAuthenticator();
    assert.throws(() => auth.add('short', { user: 'u', groups: [] }), (e: Error) => !e.message.includes('short'));
    auth.add(admin, { user: 'u', groups: [] });
    assert.throws(() => auth.add(admin, { user: 'v', groups: [] }), (e: Error) => !e.message.includes(admin));
  });
});
