/**
 * ClusterAffinity matching with Karmada's semantics (pkg/util/selector.go ClusterMatches):
 * `exclude` first; then labelSelector AND fieldSelector AND (clusterNames empty or listed).
 * fieldSelector keys are provider and region (label semantics against the cluster's fields) and
 * zone, which is matched against spec.zones: In needs every zone listed, NotIn none of them,
 * Exists/DoesNotExist test for any zone at all.
 *
 * Compiled selectors are cached per affinity object: placements are shared by many decisions, and
 * parsing a selector costs more than matching 100 clusters.
 */
import { fromLabelSelector, type LabelSelector } from '../selectors/labels.js';
import { nodeSelectorRequirementsAsSelector, type NodeSelectorRequirement } from '../selectors/nodeselector.js';
import type { ClusterAffinity, ClusterSnapshot } from './types.js';

interface CompiledAffinity {
  readonly exclude: ReadonlySet<string>;
  readonly names: ReadonlySet<string> | undefined;
  /** undefined: no labelSelector; null: an invalid one (matches nothing, as in Karmada). */
  readonly labels: LabelSelector | null | undefined;
  readonly fields: LabelSelector | null | undefined;
  readonly zones: readonly NodeSelectorRequirement[];
}

const cache = new WeakMap<ClusterAffinity, CompiledAffinity>();

function tryCompile<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function compile(a: ClusterAffinity): CompiledAffinity {
  const exprs = a.fieldSelector?.matchExpressions ?? [];
  const others = exprs.filter((e) => e.key !== 'zone');
  return {
    exclude: new Set(a.exclude ?? []),
    names: a.clusterNames?.length ? new Set(a.clusterNames) : undefined,
    labels: a.labelSelector == null ? undefined : tryCompile(() => fromLabelSelector(a.labelSelector)),
    fields: others.length ? tryCompile(() => nodeSelectorRequirementsAsSelector(others)) : undefined,
    zones: exprs.filter((e) => e.key === 'zone'),
  };
}

function compiled(a: ClusterAffinity): CompiledAffinity {
  let c = cache.get(a);
  if (!c) cache.set(a, (c = compile(a)));
  return c;
}

/** spec.zones, falling back to the deprecated spec.zone. */
export function clusterZones(c: ClusterSnapshot): readonly string[] {
  if (c.zones?.length) return c.zones;
  return c.zone ? [c.zone] : [];
}

function matchZones(req: NodeSelectorRequirement, zones: readonly string[]): boolean {
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

function clusterFields(c: ClusterSnapshot): Record<string, string> {
  const f: Record<string, string> = {};
  if (c.provider) f['provider'] = c.provider;
  if (c.region) f['region'] = c.region;
  return f;
}

/** Whether `cluster` matches `affinity`; an empty affinity matches every cluster. */
export function clusterMatches(cluster: ClusterSnapshot, affinity: ClusterAffinity): boolean {
  const a = compiled(affinity);
  if (a.exclude.has(cluster.name)) return false;
  if (a.labels === null || (a.labels && !a.labels.matches(cluster.labels ?? {}))) return false;
  if (a.zones.length) {
    const zones = clusterZones(cluster);
    if (!a.zones.every((z) => matchZones(z, zones))) return false;
  }
  if (a.fields === null || (a.fields && !a.fields.matches(clusterFields(cluster)))) return false;
  return !a.names || a.names.has(cluster.name);
}
