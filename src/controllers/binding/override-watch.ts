/**
 * Which bindings an OverridePolicy or ClusterOverridePolicy change may affect (Karmada's
 * newOverridePolicyFunc): those whose template one of its resource selectors selects (no
 * selectors: all). An OverridePolicy only reaches bindings of its own namespace. When the
 * template is not cached, label selectors are assumed to match: an extra sync is cheap, a missed
 * one is not.
 */
import { resourceMatches } from '../../overrides/index.js';
import type { ResourceSelector } from '../../overrides/types.js';
import type { AnyBinding, Template } from '../detector/index.js';

export interface OverridePolicyLike {
  kind?: string;
  metadata: { namespace?: string };
  spec?: { resourceSelectors?: readonly ResourceSelector[] | null } | null;
}

export function overrideAffects(p: OverridePolicyLike, b: AnyBinding, template: Template | undefined): boolean {
  const r = b.spec.resource;
  const namespaced = !!p.metadata.namespace;
  if (namespaced && (r.namespace ?? '') !== p.metadata.namespace) return false;
  const selectors = p.spec?.resourceSelectors ?? [];
  if (!selectors.length) return true;
  return selectors.some((rs0) => {
    const rs = namespaced && !rs0.namespace ? { ...rs0, namespace: p.metadata.namespace } : rs0;
    if (template) return resourceMatches(template, rs);
    if (rs.apiVersion !== r.apiVersion || rs.kind !== r.kind) return false;
    if (rs.namespace && rs.namespace !== (r.namespace ?? '')) return false;
    return !rs.name || rs.name === r.name;
  });
}
