/**
 * The small path language stage selectors use: `.status.phase`, `.metadata.annotations["a/b"]`,
 * `.spec.containers[0].name`, and `.status.conditions[type=Ready].status` (the first list
 * element whose field equals the value). Enough for KWOK-style stages without a jq engine.
 */

export type PathSegment = { field: string } | { index: number } | { where: string; equals: string };

export function parsePath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  const bad = (why: string): never => {
    throw new Error(`invalid path ${JSON.stringify(path)}: ${why} at ${i}`);
  };
  if (!path.startsWith('.') && !path.startsWith('[')) bad('must start with "." or "["');
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      const m = /^[A-Za-z0-9_-]+/.exec(path.slice(i + 1));
      if (!m) bad('expected a field name');
      out.push({ field: m![0] });
      i += 1 + m![0].length;
    } else if (c === '[') {
      const rest = path.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest))) out.push({ field: JSON.parse(`"${m[1]}"`) as string });
      else if ((m = /^\[(\d+)\]/.exec(rest))) out.push({ index: Number(m[1]) });
      else if ((m = /^\[([A-Za-z0-9_-]+)=([^\]]*)\]/.exec(rest))) out.push({ where: m[1]!, equals: m[2]! });
      else bad('expected ["key"], [n] or [field=value]');
      i += m![0].length;
    } else bad(`unexpected ${JSON.stringify(c)}`);
  }
  return out;
}

export function getPath(obj: unknown, path: readonly PathSegment[]): unknown {
  let cur: any = obj;
  for (const seg of path) {
    if (cur === null || cur === undefined) return undefined;
    if ('field' in seg) cur = typeof cur === 'object' && !Array.isArray(cur) ? cur[seg.field] : undefined;
    else if ('index' in seg) cur = Array.isArray(cur) ? cur[seg.index] : undefined;
    else cur = Array.isArray(cur) ? cur.find((e) => e !== null && typeof e === 'object' && String(e[seg.where]) === seg.equals) : undefined;
  }
  return cur;
}
