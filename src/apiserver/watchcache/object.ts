/**
 * An object as the API server holds it in memory: its serialized JSON (with
 * metadata.resourceVersion already in place, so serving it costs no parse or stringify), its
 * identity, and its labels for selector matching. The parsed form is built on demand only.
 *
 * Objects are stored without metadata.resourceVersion (like Kubernetes on etcd: the version is
 * the key's modRevision). Flotilla writes objects with apiVersion, kind and metadata as the first
 * keys, so the resourceVersion can be spliced in after the first `"metadata":{`.
 */
const META = '"metadata":{';

export function withResourceVersion(json: string, rev: number): string {
  const i = json.indexOf(META);
  if (i < 0) return json;
  const at = i + META.length;
  const sep = json[at] === '}' ? '' : ',';
  return `${json.slice(0, at)}"resourceVersion":"${rev}"${sep}${json.slice(at)}`;
}

/**
 * A stored object's JSON as served for one resource version. Custom resources are stored in
 * their CRD's storage version and served in every version without conversion (strategy None),
 * so only apiVersion differs; it is the first key of stored JSON, so this is a splice.
 */
export function servedJSON(rt: { custom?: boolean; group: string; version: string }, json: string): string {
  if (!rt.custom) return json;
  const head = `{"apiVersion":${JSON.stringify(`${rt.group}/${rt.version}`)}`;
  if (json.startsWith(head + ',') || !json.startsWith('{"apiVersion":"')) return json;
  return head + json.slice(json.indexOf('"', 15) + 1);
}

/** Serialize for storage: apiVersion, kind, metadata first; resourceVersion dropped. */
export function encodeForStorage(obj: any): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = metadata ?? {};
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

export class CachedObject {
  #fields?: Record<string, string>;

  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly name: string,
    /** modRevision: the object's resourceVersion. */
    readonly rev: number,
    readonly createRev: number,
    /** JSON with metadata.resourceVersion set. */
    readonly json: string,
    readonly labels: Record<string, string> | undefined,
  ) {}

  static fromStorage(key: string, value: string, rev: number, createRev: number): CachedObject {
    const obj = JSON.parse(value);
    const json = withResourceVersion(value, rev);
    const md = obj.metadata ?? {};
    return new CachedObject(key, md.namespace ?? '', md.name ?? '', rev, createRev, json, md.labels);
  }

  /** A fresh parsed copy (callers may mutate it). Not memoised: memory matters more here. */
  object(): any {
    return JSON.parse(this.json);
  }

  /** Selectable fields, computed once per object version. */
  fields(extra: Record<string, (obj: any) => string | undefined> | undefined): Record<string, string> {
    if (this.#fields) return this.#fields;
    const f: Record<string, string> = { 'metadata.name': this.name, 'metadata.namespace': this.namespace };
    if (extra) {
      const obj = JSON.parse(this.json);
      for (const [k, fn] of Object.entries(extra)) f[k] = fn(obj) ?? '';
    }
    return (this.#fields = f);
  }
}
