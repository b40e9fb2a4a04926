/**
 * Request bodies: read with a size limit (413 past it), decoded from JSON or YAML, with
 * Kubernetes-style errors for anything malformed. Never throws anything but StatusError.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(errors.tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => failed || resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', (e) => failed || reject(errors.badRequest(`error reading request body: ${e.message}`)));
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decode a JSON or YAML body into a value; 400 with the parser's message if it does not parse. */
export function decodeBody(buf: Buffer, contentType: string | undefined): unknown {
  const mt = mediaType(contentType);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the request body is empty');
  const yamlish = mt === 'application/yaml' || mt === 'application/apply-patch+yaml' || mt === 'text/yaml';
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!yamlish) throw errors.badRequest(`the body of the request could not be decoded as JSON: ${(e as Error).message}`);
  }
  try {
    const docs = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
    return docs;
  } catch (e) {
    throw errors.badRequest(`the body of the request could not be decoded as YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Content types accepted for object bodies on create/update. */
export function isObjectContentType(mt: string): boolean {
  return mt === '' || mt === 'application/json' || mt === 'application/yaml' || mt === 'text/yaml' || mt === '*/*';
}
