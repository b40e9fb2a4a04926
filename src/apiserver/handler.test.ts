import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestURL } from './handler.js';

test('requestURL reads path and query exactly as a WHATWG URL would', () => {
  const cases = [
    '/', '', '?watch=true', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt',
    '/apis/policy.karmada.io/v1alpha1/namespaces/a/propagationpolicies?fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
    '/api/v1/namespaces/x/pods/p/../../y', '/api/./v1', '/api/v1/.', '/api/v1/..', '//evil/api', '/a//b', '/a\\b', '/a%2Fb', '/a%2e%2e/b',
    '/a b', '/ä', '/a#frag', '/api/v1/watch/pods?labelSelector=app%3Dweb%2Ctier+in+(a,b)', '/x/.hidden', '/x/..name', '/x/name..',
  ];
  const alphabet = ['/', 'a', '.', '%', '2', 'e', 'F', '\\', '?', '=', '&', '+', ' ', '#', '~', ':', '@', 'é'];
  let seed = 7;
  const rnd = (n: number) => {
    // mulberry32: small, seedable, and uniform enough for picking test inputs
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296 * n) | 0;
  };
  for (let i = 0; i < 3000; i++) cases.push('/' + Array.from({ length: 1 + rnd(12) }, () => alphabet[rnd(alphabet.length)]).join(''));
  for (const c of cases) {
    let want: URL;
    try {
      want = new URL(c || '/', 'https://localhost');
    } catch {
      assert.throws(() => requestURL(c), c); // as before: the handler answers with a Status
      continue;
    }
    const got = requestURL(c);
    assert.equal(got.pathname, want.pathname, c);
    assert.deepEqual([...got.searchParams], [...want.searchParams], c);
  }
});
