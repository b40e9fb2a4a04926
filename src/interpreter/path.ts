/**
 * The field paths declarative rules use: `.spec.replicas`, `.metadata.annotations["a/b"]`,
 * `.status.conditions[0]`, and `.status.conditions[type=Ready].status` (the first list element
 * whose field has that value). Paths are parsed once, when a rule is compiled, so a typo fails
 * loudly at registration instead of silently at run time.
 */
import { isObject } from './object.js';
import type { JsonObject } from './types.js';

export type Segment = { field: string } | { index: number } | { where: string; equals: string };

export class PathError extends Error {}

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new PathError(`invalid path ${JSON.stringify(path)}: ${why} at offset ${i}`);
  };
  if (!path.startsWith('.') && !path.startsWith('[')) fail('must start with "." or "["');
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z0-9_$-]+)/.exec(rest))) out.push({ field: m[1]! });
    else if ((m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) out.push({ field: JSON.parse(`"${m[1]}"`) as string });
    else if ((m = /^\[(\d+)\]/.exec(rest))) out.push({ index: Number(m[1]) });
    else if ((m = /^\[([A-Za-z0-9_-]+)=([^\]]*)\]/.exec(rest))) out.push({ where: m[1]!, equals: m[2]! });
    else if (rest === '.' && out.length === 0) break; // "." is the root itself
    else fail('expected .field, ["key"], [n] or [field=value]');
    i += m ? m[0].length : rest.length;
  }
  return out;
}

export function getPath(obj: unknown, path: readonly Segment[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if ('field' in seg) cur = isObject(cur) ? cur[seg.field] : undefined;
    else if ('index' in seg) cur = Array.isArray(cur) ? cur[seg.index] : undefined;
    else cur = Array.isArray(cur) ? cur.find((e) => isObject(e) && String(e[seg.where]) === seg.equals) : undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

/**
 * Sets the value at a path made of fields only (creating objects on the way); list steps are
 * refused because there is no unambiguous element to create.
 */
export function setPath(obj: JsonObject, path: readonly Segment[], value: unknown): void {
  if (!path.length) throw new PathError('cannot set the root');
  let cur: JsonObject = obj;
  path.forEach((seg, n) => {
    if (!('field' in seg)) throw new PathError('only .field steps can be set');
    if (n === path.length - 1) {
      cur[seg.field] = value;
      return;
    }
    const next = cur[seg.field];
    if (isObject(next)) cur = next;
    else {
      const fresh: JsonObject = {};
      cur[seg.field] = fresh;
      cur = fresh;
    }
  });
}

/** Only .field steps (so the path can be written to). */
export function isSettable(path: readonly Segment[]): boolean {
  return path.length > 0 && path.every((s) => 'field' in s);
}
