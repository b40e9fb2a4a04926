/**
 * Claim metadata (pkg/detector/claim.go): a PropagationPolicy claims a template with the label
 * propagationpolicy.karmada.io/permanent-id and the annotations propagationpolicy.karmada.io/
 * {namespace,name}; a ClusterPropagationPolicy with clusterpropagationpolicy.karmada.io/
 * permanent-id and clusterpropagationpolicy.karmada.io/name. The same metadata goes on the
 * binding. A claim by one kind removes the other kind's keys.
 */
import { CLAIM_ANNOTATIONS, PERMANENT_ID_LABELS } from './keys.js';
import type { PolicyKind, PolicyLike } from './match.js';

type StrMap = Record<string, string>;

export interface ClaimMetadata {
  labels: StrMap;
  annotations: StrMap;
}

const CLAIM_LABEL_KEYS = [PERMANENT_ID_LABELS.PropagationPolicy, PERMANENT_ID_LABELS.ClusterPropagationPolicy];
const CLAIM_ANNOTATION_KEYS = [CLAIM_ANNOTATIONS.ppNamespace, CLAIM_ANNOTATIONS.ppName, CLAIM_ANNOTATIONS.cppName];

/**
 * The policy's permanent id. Karmada's webhook labels every policy at creation; without the
 * webhook a policy may lack the label, and its uid is just as permanent.
 */
export function policyID(kind: PolicyKind, p: PolicyLike): string {
  return p.metadata.labels?.[PERMANENT_ID_LABELS[kind]] ?? p.metadata.uid ?? '';
}

/** The claim labels and annotations for `p`. */
export function claimMetadata(kind: PolicyKind, p: PolicyLike): ClaimMetadata {
  if (kind === 'PropagationPolicy') {
    return {
      labels: { [PERMANENT_ID_LABELS.PropagationPolicy]: policyID(kind, p) },
      annotations: { [CLAIM_ANNOTATIONS.ppNamespace]: p.metadata.namespace ?? '', [CLAIM_ANNOTATIONS.ppName]: p.metadata.name ?? '' },
    };
  }
  return {
    labels: { [PERMANENT_ID_LABELS.ClusterPropagationPolicy]: policyID(kind, p) },
    annotations: { [CLAIM_ANNOTATIONS.cppName]: p.metadata.name ?? '' },
  };
}

/** `current` with every claim key replaced by `claim` (or removed when claim is undefined). */
export function withClaim(current: { labels?: StrMap; annotations?: StrMap }, claim: ClaimMetadata | undefined): { labels: StrMap; annotations: StrMap } {
  const labels = { ...current.labels };
  const annotations = { ...current.annotations };
  for (const k of CLAIM_LABEL_KEYS) delete labels[k];
  for (const k of CLAIM_ANNOTATION_KEYS) delete annotations[k];
  return { labels: { ...labels, ...claim?.labels }, annotations: { ...annotations, ...claim?.annotations } };
}

/**
 * A JSON merge patch moving `current`'s claim metadata to `claim` (undefined: remove it), or
 * undefined when it already is. Only claim keys are touched, so concurrent label edits survive.
 */
export function claimPatch(current: { labels?: StrMap; annotations?: StrMap }, claim: ClaimMetadata | undefined): { metadata: { labels?: Record<string, string | null>; annotations?: Record<string, string | null> } } | undefined {
  const diff = (keys: string[], have: StrMap | undefined, want: StrMap | undefined) => {
    const out: Record<string, string | null> = {};
    for (const k of keys) {
      const w = want?.[k];
      const h = have?.[k];
      if (w === undefined && h !== undefined) out[k] = null;
      else if (w !== undefined && w !== h) out[k] = w;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const labels = diff(CLAIM_LABEL_KEYS, current.labels, claim?.labels);
  const annotations = diff(CLAIM_ANNOTATION_KEYS, current.annotations, claim?.annotations);
  if (!labels && !annotations) return undefined;
  return { metadata: { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } };
}

/** Whether metadata carries any claim key. */
export function hasClaim(meta: { labels?: StrMap; annotations?: StrMap }): boolean {
  return CLAIM_LABEL_KEYS.some((k) => meta.labels?.[k] !== undefined) || CLAIM_ANNOTATION_KEYS.some((k) => meta.annotations?.[k] !== undefined);
}
