/**
 * Image references as Karmada's pkg/util/imageparser sees them: distribution's reference.Parse
 * grammar `[host[:port]/]path[:tag][@digest]` (lower-case paths, digests validated like
 * go-digest), then Karmada's own host split (the first path component is the registry only if it
 * has a "." or ":" or is "localhost"). A reference with both a tag and a digest keeps the tag
 * only, so re-serialising it drops the digest — Karmada does the same.
 */

export class ImageParseError extends Error {
  override name = 'ImageParseError';
}

export interface ImageComponents {
  /** Registry, possibly with a port: "fictional.registry.example:10443". */
  hostname: string;
  /** Path without the registry: "karmada/karmada-controller-manager". */
  repository: string;
  tag: string;
  /** "sha256:<hex>"; empty when a tag is set. */
  digest: string;
}

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const namePattern = `(?:${host}(?::[0-9]+)?/)?${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const referenceRe = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const anchoredTagRe = new RegExp(`^${tagPattern}$`);
const anchoredDigestRe = new RegExp(`^${digestPattern}$`);
/** go-digest DigestRegexpAnchored, consulted only for algorithms it does not know. */
const genericDigestRe = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Algorithms Karmada's binary registers (it imports crypto/sha256 and crypto/sha512). */
const digestHexLength: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_TOTAL_LENGTH_MAX = 255;

/** go-digest Digest.Validate. */
function validateDigest(d: string): void {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) throw new ImageParseError('invalid checksum digest format');
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const size = Object.hasOwn(digestHexLength, algorithm) ? digestHexLength[algorithm] : undefined;
  if (size === undefined) {
    throw new ImageParseError(genericDigestRe.test(d) ? 'unsupported digest algorithm' : 'invalid checksum digest format');
  }
  if (encoded.length !== size) throw new ImageParseError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(encoded)) throw new ImageParseError('invalid checksum digest format');
}

/** imageparser.SplitHostname. */
export function splitHostname(name: string): [hostname: string, repository: string] {
  const i = name.indexOf('/');
  if (i === -1) return ['', name];
  const first = name.slice(0, i);
  if (!/[.:]/.test(first) && first !== 'localhost') return ['', name];
  return [first, name.slice(i + 1)];
}

/** imageparser.Parse; throws ImageParseError with distribution's messages. */
export function parseImage(image: string): ImageComponents {
  const m = referenceRe.exec(image);
  if (!m) {
    if (image === '') throw new ImageParseError('repository name must have at least one component');
    if (referenceRe.test(image.toLowerCase())) throw new ImageParseError('repository name must be lowercase');
    throw new ImageParseError('invalid reference format');
  }
  const name = m[1]!;
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw new ImageParseError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  const tag = m[2] ?? '';
  const digest = m[3] ?? '';
  if (digest) validateDigest(digest);
  const [hostname, repository] = splitHostname(name);
  // reference.Tagged wins over reference.Digested when both are present.
  return { hostname, repository, tag, digest: tag ? '' : digest };
}

/** Components.String. */
export function formatImage(c: ImageComponents): string {
  const full = c.hostname ? `${c.hostname}/${c.repository}` : c.repository;
  if (c.tag) return `${full}:${c.tag}`;
  if (c.digest) return `${full}@${c.digest}`;
  return full;
}

/** Components.TagOrDigest. */
export function tagOrDigest(c: ImageComponents): string {
  return c.tag || c.digest;
}

/**
 * Components.SetTagOrDigest: a valid tag replaces tag and digest, else a valid digest does;
 * anything else ("@sha256:...", "a:b") leaves the image unchanged, silently.
 */
export function setTagOrDigest(c: ImageComponents, input: string): ImageComponents {
  if (anchoredTagRe.test(input)) return { ...c, tag: input, digest: '' };
  if (anchoredDigestRe.test(input)) return { ...c, digest: input, tag: '' };
  return c;
}

/** Components.RemoveTagOrDigest: the tag if there is one, else the digest. */
export function removeTagOrDigest(c: ImageComponents): ImageComponents {
  return c.tag ? { ...c, tag: '' } : { ...c, digest: '' };
}
