/**
 * Parses a request path the way kube-apiserver's RequestInfoFactory does:
 * /api/v1/namespaces/default/pods/web/status → {group:'', version:'v1', namespace:'default',
 * resource:'pods', name:'web', subresource:'status'}. The legacy /watch/ prefix is accepted.
 */
export interface RequestInfo {
  isResource: boolean;
  /** 'api' (core) or 'apis'. */
  prefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** Path segments after the API prefix, for non-resource requests. */
  parts: string[];
  legacyWatch: boolean;
}

export function parseRequestPath(pathname: string): RequestInfo {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const info: RequestInfo = { isResource: false, prefix: '', group: '', version: '', namespace: '', resource: '', name: '', subresource: '', parts, legacyWatch: false };
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.prefix = parts[0];
  let rest = parts.slice(1);
  if (info.prefix === 'apis') {
    if (rest.length < 2) return { ...info, group: rest[0] ?? '' };
    info.group = rest[0]!;
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info;
  info.version = rest[0]!;
  rest = rest.slice(1);
  if (rest.length === 0) return info;
  if (rest[0] === 'watch') {
    info.legacyWatch = true;
    rest = rest.slice(1);
  }
  info.isResource = true;
  if (rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
    info.resource = 'namespaces';
    info.name = rest[1]!;
    info.subresource = rest[2]!;
    return info;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    // /namespaces/{ns}/{resource}[/{name}[/{sub}]]; /namespaces/{ns}[/status|finalize] is the namespace itself.
    info.namespace = rest[1]!;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    info.resource = 'namespaces';
    info.name = rest[1]!;
    return info;
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (rest.length > 3) info.isResource = false;
  return info;
}
