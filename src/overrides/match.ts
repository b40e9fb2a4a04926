/**
 * Which clusters a targetCluster affinity selects and which resources a ResourceSelector selects,
 * as Karmada's pkg/util/selector.go (ClusterMatches, ResourceSelectorPriority).
 */
import { fromLabelSelector, SelectorParseError } from '../selectors/labels.js';
import { clusterMatches as snapshotMatches } from '../scheduler/affinity.js';
import type { ClusterAffinity as SchedulerAffinity, ClusterSnapshot } from '../scheduler/types.js';
import type { Cluster, ClusterAffinity, LabelSelector, Manifest, ResourceSelector } from './types.js';

/** util.ImplicitPriority: how specifically a selector matched; higher is more specific. */
export const ImplicitPriority = {
  MisMatch: 0,
  MatchAll: 1,
  MatchLabelSelector: 2,
  MatchName: 3,
} as const;
export type ImplicitPriority = (typeof ImplicitPriority)[keyof typeof ImplicitPriority];

/** Compiled-selector match that treats an invalid selector as "no match", as Karmada does. */
function selectorMatches(sel: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  try {
    return fromLabelSelector(sel).matches(labels);
  } catch (e) {
    if (e instanceof SelectorParseError) return false;
    throw e;
  }
}

/**
 * unstructured GetLabels: a labels map holding any non-string value reads as no labels at all
 * (NestedStringMap fails and the error is dropped).
 */
export function stringMapAt(obj: unknown, ...path: string[]): Record<string, string> | undefined {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  if (!isPlainObject(cur)) return undefined;
  return Object.values(cur).every((v) => typeof v === 'string') ? (cur as Record<string, string>) : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * util.ClusterMatches for a Cluster object. One implementation serves the scheduler and the
 * overrides: this adapts the object to the scheduler's snapshot (zones from spec.zones only).
 */
export function clusterMatches(cluster: Cluster, affinity: ClusterAffinity): boolean {
  return snapshotMatches(
    {
      name: cluster.metadata?.name ?? '',
      labels: cluster.metadata?.labels ?? {},
      provider: cluster.spec?.provider,
      region: cluster.spec?.region,
      zones: cluster.spec?.zones ?? [],
    } as ClusterSnapshot,
    affinity as SchedulerAffinity,
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * util.ResourceSelectorPriority: apiVersion and kind must be equal and a set namespace must be
 * equal; then a set name decides alone (labelSelector ignored), a nil labelSelector matches all,
 * and a labelSelector ({} included) must select the resource's labels.
 */
export function resourceMatchPriority(resource: Manifest, rs: ResourceSelector): ImplicitPriority {
  const meta = isPlainObject(resource['metadata']) ? resource['metadata'] : {};
  if (str(resource['apiVersion']) !== rs.apiVersion || str(resource['kind']) !== rs.kind) return ImplicitPriority.MisMatch;
  if (rs.namespace && str(meta['namespace']) !== rs.namespace) return ImplicitPriority.MisMatch;
  if (rs.name) return rs.name === str(meta['name']) ? ImplicitPriority.MatchName : ImplicitPriority.MisMatch;
  if (rs.labelSelector == null) return ImplicitPriority.MatchAll;
  return selectorMatches(rs.labelSelector, stringMapAt(resource, 'metadata', 'labels') ?? {})
    ? ImplicitPriority.MatchLabelSelector
    : ImplicitPriority.MisMatch;
}

/** util.ResourceMatches. */
export function resourceMatches(resource: Manifest, rs: ResourceSelector): boolean {
  return resourceMatchPriority(resource, rs) > ImplicitPriority.MisMatch;
}

/** util.ResourceMatchSelectorsPriority: the best level over the selectors (MisMatch if none). */
export function resourceMatchSelectorsPriority(resource: Manifest, selectors: readonly ResourceSelector[]): ImplicitPriority {
  let best: ImplicitPriority = ImplicitPriority.MisMatch;
  for (const rs of selectors) {
    const p = resourceMatchPriority(resource, rs);
    if (p > best) best = p;
  }
  return best;
}
