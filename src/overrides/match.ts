/**
 * Which clusters a targetCluster affinity selects and which resources a ResourceSelector selects,
 * as Karmada's pkg/util/selector.go (ClusterMatches, ResourceSelectorPriority).
 */
import { fromLabelSelector, SelectorParseError } from '../selectors/labels.js';
import { nodeSelectorRequirementsAsSelector } from '../selectors/nodeselector.js';
import type { Cluster, ClusterAffinity, FieldSelectorRequirement, LabelSelector, Manifest, ResourceSelector } from './types.js';

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
 * matchZones: In needs a non-empty zones list entirely inside the values; NotIn needs no zone in
 * the values; Exists / DoesNotExist test for any zone; other operators never match.
 */
function zonesMatch(req: FieldSelectorRequirement, zones: readonly string[]): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return zones.length > 0 && zones.every((z) => values.includes(z));
    case 'NotIn':
      return zones.every((z) => !values.includes(z));
    case 'Exists':
      return zones.length > 0;
    case 'DoesNotExist':
      return zones.length === 0;
    default:
      return false;
  }
}

/** extractClusterFields: provider and region, each only when non-empty. */
function clusterFields(cluster: Cluster): Record<string, string> {
  const out: Record<string, string> = {};
  if (cluster.spec?.provider) out['provider'] = cluster.spec.provider;
  if (cluster.spec?.region) out['region'] = cluster.spec.region;
  return out;
}

function fieldSelectorMatches(reqs: readonly FieldSelectorRequirement[], cluster: Cluster): boolean {
  const others: FieldSelectorRequirement[] = [];
  for (const r of reqs) {
    if (r.key !== 'zone') others.push(r);
    // The zone key is matched against spec.zones (never the deprecated spec.zone).
    else if (!zonesMatch(r, cluster.spec?.zones ?? [])) return false;
  }
  if (others.length === 0) return true;
  try {
    // Other keys use node-label semantics (In, NotIn, Exists, DoesNotExist, Gt, Lt) on the fields map.
    return nodeSelectorRequirementsAsSelector(others).matches(clusterFields(cluster));
  } catch (e) {
    if (e instanceof SelectorParseError) return false;
    throw e;
  }
}

/**
 * util.ClusterMatches: `exclude` first, then labelSelector AND fieldSelector AND clusterNames
 * (empty clusterNames allows any). An empty affinity matches every cluster; an invalid selector
 * matches none.
 */
export function clusterMatches(cluster: Cluster, affinity: ClusterAffinity): boolean {
  const name = cluster.metadata?.name ?? '';
  if ((affinity.exclude ?? []).includes(name)) return false;
  if (affinity.labelSelector != null && !selectorMatches(affinity.labelSelector, cluster.metadata?.labels ?? {})) return false;
  if (affinity.fieldSelector != null && !fieldSelectorMatches(affinity.fieldSelector.matchExpressions ?? [], cluster)) return false;
  const names = affinity.clusterNames ?? [];
  return names.length === 0 || names.includes(name);
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
