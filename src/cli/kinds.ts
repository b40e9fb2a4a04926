/**
 * KIND as users type it → the REST resource, by kubectl's rules: plural, singular, short name or
 * kind, case-insensitive, optionally qualified as `resource.group` or `resource.version.group`.
 * Pure: discovery.ts fetches the resource lists this reads.
 */
import type { ResourceRef } from '../client/client.js';

export interface ApiResource extends ResourceRef {
  kind: string;
  singular: string;
  shortNames: readonly string[];
  verbs: readonly string[];
  /** The group's preferred version (an unqualified KIND only matches these). */
  preferred: boolean;
}

const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;

export interface KindQuery {
  name: string;
  group?: string;
  version?: string;
}

/** "deploy" → {name}; "deployments.apps" → {name, group}; "deployments.v1.apps" → {name, version, group}. */
export function parseKind(input: string): KindQuery {
  const q = input.trim();
  const dot = q.indexOf('.');
  if (dot < 0) return { name: q.toLowerCase() };
  const name = q.slice(0, dot).toLowerCase();
  const rest = q.slice(dot + 1).toLowerCase();
  const [first, ...others] = rest.split('.');
  if (VERSION.test(first!)) return { name, version: first!, group: others.join('.') };
  return { name, group: rest };
}

/** The resource KIND names, or undefined when none is served. */
export function resolveKind(input: string, resources: readonly ApiResource[]): ApiResource | undefined {
  const q = parseKind(input);
  // A core resource qualified as "pods.v1" has an empty group after the version.
  const inScope = resources.filter((r) => (q.group === undefined || r.group === q.group) && (q.version === undefined || r.version === q.version));
  const tiers: ((r: ApiResource) => boolean)[] = [
    (r) => r.resource === q.name,
    (r) => r.singular === q.name,
    (r) => r.shortNames.some((s) => s.toLowerCase() === q.name),
    (r) => r.kind.toLowerCase() === q.name,
  ];
  // Without an explicit version the preferred one wins; another version only when nothing else serves the name.
  const pools = q.version ? [inScope] : [inScope.filter((r) => r.preferred), inScope];
  for (const pool of pools) {
    for (const match of tiers) {
      const hit = pool.find(match);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** "deployments.apps", "pods": how kubectl names a resource in messages. */
export const qualifiedName = (r: { resource: string; group: string }): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

/** Splits "deploy/nginx" (also "deployment.apps/nginx"); a bare KIND leaves name undefined. */
export function splitKindName(arg: string): { kind: string; name?: string } {
  const i = arg.indexOf('/');
  if (i < 0) return { kind: arg };
  const kind = arg.slice(0, i);
  const name = arg.slice(i + 1);
  if (!kind || !name || name.includes('/')) throw new Error(`"${arg}" is not KIND/NAME (e.g. deployment/nginx)`);
  return { kind, name };
}
