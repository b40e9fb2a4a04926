import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatImage, parseImage, removeTagOrDigest, setTagOrDigest, splitHostname, ImageParseError } from './image.js';

const DIGEST = 'sha256:50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c';

describe('parseImage (imageparser.Parse)', () => {
  // [image, hostname, repository, tag, digest] — Karmada's parser_test.go cases and more.
  const cases: [string, string, string, string, string][] = [
    ['pause', '', 'pause', '', ''],
    ['subpath/imagename:v1.0.0', '', 'subpath/imagename', 'v1.0.0', ''],
    ['fictional.registry.example/imagename:v1.0.0', 'fictional.registry.example', 'imagename', 'v1.0.0', ''],
    ['fictional.registry.example:10443/subpath/imagename:v1.0.0', 'fictional.registry.example:10443', 'subpath/imagename', 'v1.0.0', ''],
    [`fictional.registry.example:10443/subpath/imagename@${DIGEST}`, 'fictional.registry.example:10443', 'subpath/imagename', '', DIGEST],
    ['localhost/app', 'localhost', 'app', '', ''],
    ['localhost:5000/app:1', 'localhost:5000', 'app', '1', ''],
    ['localhost:5000', '', 'localhost', '5000', ''],
    ['10.10.10.10:10443/subpath/imagename', '10.10.10.10:10443', 'subpath/imagename', '', ''],
    ['[::1]:5000/app', '[::1]:5000', 'app', '', ''],
    ['library/nginx:1.25', '', 'library/nginx', '1.25', ''],
    ['Registry.Example.COM/app', 'Registry.Example.COM', 'app', '', ''],
    ['a__b/c--d.e_f:TAG_x.1-2', '', 'a__b/c--d.e_f', 'TAG_x.1-2', ''],
  ];
  for (const [image, hostname, repository, tag, digest] of cases) {
    it(image, () => {
      const c = parseImage(image);
      assert.deepEqual(c, { hostname, repository, tag, digest });
      assert.equal(formatImage(c), image);
    });
  }

  it('a tag next to a digest wins; the digest is dropped', () => {
    const c = parseImage(`nginx:1.25@${DIGEST}`);
    assert.deepEqual(c, { hostname: '', repository: 'nginx', tag: '1.25', digest: '' });
    assert.equal(formatImage(c), 'nginx:1.25');
  });

  const bad: [string, string][] = [
    ['', 'repository name must have at least one component'],
    ['Nginx', 'repository name must be lowercase'],
    ['docker.io/Library/nginx', 'repository name must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx:-bad', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
    ['nginx@sha256:abc', 'invalid reference format'],
    [`nginx@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
    [`nginx@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
    [`nginx@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`${'a'.repeat(256)}`, 'repository name must not be more than 255 characters'],
  ];
  for (const [image, message] of bad) {
    it(`rejects ${JSON.stringify(image.slice(0, 40))}`, () => {
      assert.throws(() => parseImage(image), (e: unknown) => e instanceof ImageParseError && e.message === message);
    });
  }
  it('accepts sha384 and sha512 digests', () => {
    assert.equal(parseImage(`a@sha384:${'0'.repeat(96)}`).digest, `sha384:${'0'.repeat(96)}`);
    assert.equal(parseImage(`a@sha512:${'f'.repeat(128)}`).digest, `sha512:${'f'.repeat(128)}`);
  });
});

describe('splitHostname', () => {
  const cases: [string, string, string][] = [
    ['', '', ''],
    ['imagename', '', 'imagename'],
    ['subpath/imagename', '', 'subpath/imagename'],
    ['fictional.registry.example/subpath/imagename', 'fictional.registry.example', 'subpath/imagename'],
    ['fictional.registry.example:10443/subpath/imagename', 'fictional.registry.example:10443', 'subpath/imagename'],
    ['10.10.10.10:10443/subpath/imagename', '10.10.10.10:10443', 'subpath/imagename'],
    ['localhost/x', 'localhost', 'x'],
  ];
  for (const [name, host, repo] of cases) it(JSON.stringify(name), () => assert.deepEqual(splitHostname(name), [host, repo]));
});

describe('tag or digest (Karmada Example tests)', () => {
  it('set, remove tag, set digest, remove digest', () => {
    let c = parseImage('gcr.io/kube-apiserver');
    c = setTagOrDigest(c, 'v1.19.0');
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver:v1.19.0');
    c = removeTagOrDigest(c);
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver');
    c = setTagOrDigest(c, DIGEST);
    assert.equal(formatImage(c), `gcr.io/kube-apiserver@${DIGEST}`);
    c = removeTagOrDigest(c);
    assert.equal(formatImage(c), 'gcr.io/kube-apiserver');
  });
  it('a value that is neither a tag nor a digest changes nothing', () => {
    const c = parseImage('nginx:1.0');
    assert.equal(setTagOrDigest(c, `@${DIGEST}`), c);
    assert.equal(setTagOrDigest(c, 'a:b'), c);
    assert.equal(setTagOrDigest(c, 'x'.repeat(129)), c);
  });
});
