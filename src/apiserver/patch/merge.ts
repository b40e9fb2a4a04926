/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902, via fast-json-patch), with failures
 * reported as Kubernetes Status errors.
 */
import fjp from 'fast-json-patch';
import { errors, StatusError } from '../errors.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw errors.badRequest('json patch must be a JSON array of operations');
  // A patch that does not apply (failed test, missing path) is 422, as in Kubernetes.
  const err = fjp.validate(ops as fjp.Operation[], target);
  if (err) throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${describe(err)}`);
  try {
    return fjp.applyPatch(structuredClone(target), ops as fjp.Operation[], false, true).newDocument;
  } catch (e) {
    throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${describe(e as Error)}`);
  }
}

function describe(e: Error & { name?: string; operation?: unknown }): string {
  const op = (e as any).operation ? ` (${JSON.stringify((e as any).operation)})` : '';
  return `${e.message.split('\n')[0]}${op}`;
}
