/**
 * How many more replicas of a workload a member cluster can take.
 *
 * General estimate (Karmada pkg/estimator/client/general.go): min over requested resources of
 * (allocatable − allocated − allocating) / request, capped by the free pod count. CPU is counted
 * in millicores, everything else in whole units rounded up (Quantity.Value()); a requested
 * resource the cluster does not list, or has none of, gives 0; a request of 0 is ignored.
 *
 * Node estimate (the accurate estimator's idea): a replica must fit on one node, so the cluster
 * takes the sum over nodes of what each node fits, counting only nodes the replica may land on
 * (nodeSelector, required node affinity, taints). When node summaries are present the smaller of
 * the two estimates wins, as Karmada takes the minimum across estimators.
 *
 * Parsing quantities dominates the cost, so parsed summaries and requests are cached by object
 * identity: snapshots and requirement objects are shared across decisions.
 */
import { selectorFromSet, type LabelSelector } from '../selectors/labels.js';
import { compileNodeSelector, type CompiledNodeSelector } from '../selectors/nodeselector.js';
import { findUntoleratedTaint } from '../simulator/scheduling/taints.js';
import { nanoOf, toUnits, type ParsedRequest, type Units } from './request.js';
import type { ClusterSnapshot, NodeSummary, ReplicaRequirements, ResourceList, ResourceSummary } from './types.js';

export { describeRequest, parseRequest, type ParsedRequest, type Units } from './request.js';
export { ReservationLedger, type LedgerOptions, type Reservation } from './ledger.js';

interface ParsedSummary {
  /** allocatable − allocated − allocating per allocatable resource, in units. */
  readonly free: Units;
  /** Free pod slots (each term rounded separately, as getAllowedPodNumber does). */
  readonly pods: number;
}

const summaryCache = new WeakMap<ResourceSummary, ParsedSummary>();

function parseSummary(s: ResourceSummary): ParsedSummary {
  let p = summaryCache.get(s);
  if (p) return p;
  const free = new Map<string, number>();
  for (const name of Object.keys(s.allocatable ?? {})) {
    free.set(name, toUnits(name, nanoOf(s.allocatable, name) - nanoOf(s.allocated, name) - nanoOf(s.allocating, name)));
  }
  const podValue = (l: ResourceList | undefined) => toUnits('pods', nanoOf(l, 'pods'));
  const pods = Math.max(0, podValue(s.allocatable) - podValue(s.allocated) - podValue(s.allocating));
  summaryCache.set(s, (p = { free, pods }));
  return p;
}

const usageCache = new WeakMap<ResourceSummary, Held>();

/** allocated + allocating per resource (estimator units) and pods: what the ledger's anchors compare. */
export function usageOf(s: ResourceSummary): Held {
  let u = usageCache.get(s);
  if (u) return u;
  const units = new Map<string, number>();
  const names = new Set([...Object.keys(s.allocated ?? {}), ...Object.keys(s.allocating ?? {})]);
  names.delete('pods');
  for (const name of names) units.set(name, toUnits(name, nanoOf(s.allocated, name) + nanoOf(s.allocating, name)));
  const pods = toUnits('pods', nanoOf(s.allocated, 'pods')) + toUnits('pods', nanoOf(s.allocating, 'pods'));
  usageCache.set(s, (u = { pods, units }));
  return u;
}

/** What in-flight reservations hold on a cluster (see ledger.ts). */
export interface Held {
  readonly pods: number;
  readonly units: Units;
}

const NOTHING_HELD: Held = { pods: 0, units: new Map() };

/** Karmada's general estimate, minus what `held` reserves. */
export function generalEstimate(summary: ResourceSummary | undefined, req: ParsedRequest, held: Held = NOTHING_HELD): number {
  if (!summary) return 0;
  const s = parseSummary(summary);
  let max = s.pods - held.pods;
  if (max <= 0) return 0;
  for (const [name, want] of req.units) {
    const free = s.free.get(name);
    if (free === undefined) return 0;
    const avail = free - (held.units.get(name) ?? 0);
    if (avail <= 0) return 0;
    max = Math.min(max, Math.floor(avail / want));
  }
  return max;
}

interface ParsedNode {
  readonly free: Units;
  readonly pods: number;
  readonly node: NodeSummary;
}

const nodeCache = new WeakMap<NodeSummary, ParsedNode>();

function parseNode(n: NodeSummary): ParsedNode {
  let p = nodeCache.get(n);
  if (p) return p;
  const free = new Map<string, number>();
  for (const name of Object.keys(n.allocatable)) {
    free.set(name, toUnits(name, nanoOf(n.allocatable, name) - nanoOf(n.requested, name)));
  }
  nodeCache.set(n, (p = { free, pods: Math.max(0, free.get('pods') ?? 0), node: n }));
  return p;
}

interface NodeClaimMatcher {
  readonly selector: LabelSelector | undefined;
  readonly affinity: CompiledNodeSelector | null | undefined;
}

const claimCache = new WeakMap<object, NodeClaimMatcher>();

function claimMatcher(claim: NonNullable<ReplicaRequirements['nodeClaim']>): NodeClaimMatcher {
  let m = claimCache.get(claim);
  if (m) return m;
  let affinity: CompiledNodeSelector | null | undefined;
  try {
    affinity = claim.hardNodeAffinity ? compileNodeSelector(claim.hardNodeAffinity) : undefined;
  } catch {
    affinity = null; // an invalid required affinity matches no node
  }
  m = { selector: claim.nodeSelector ? selectorFromSet(claim.nodeSelector) : undefined, affinity };
  claimCache.set(claim, m);
  return m;
}

function nodeAccepts(n: NodeSummary, claim: ReplicaRequirements['nodeClaim']): boolean {
  if (n.schedulable === false) return false;
  if (!claim) return !findUntoleratedTaint(n.taints, []);
  const m = claimMatcher(claim);
  const labels = n.labels ?? {};
  if (m.selector && !m.selector.matches(labels)) return false;
  if (m.affinity === null || (m.affinity && !m.affinity.matches(labels, n.name ? { 'metadata.name': n.name } : null))) return false;
  return !findUntoleratedTaint(n.taints, claim.tolerations ?? []);
}

/** Replicas that fit node by node, before reservations. */
export function nodeEstimate(nodes: readonly NodeSummary[], req: ParsedRequest): number {
  let total = 0;
  for (const node of nodes) {
    if (!nodeAccepts(node, req.nodeClaim)) continue;
    const n = parseNode(node);
    let fit = n.pods;
    for (const [name, want] of req.units) {
      if (fit <= 0) break;
      fit = Math.min(fit, Math.floor(Math.max(0, n.free.get(name) ?? 0) / want));
    }
    total += Math.max(0, fit);
  }
  return total;
}

const nodeEstimateCache = new WeakMap<readonly NodeSummary[], Map<string, number>>();

/**
 * Reservations are not tied to nodes, so they are charged to the node estimate as whole
 * replicas of this workload: the most replicas' worth of any one resource (or pod slot) held.
 */
function heldReplicas(req: ParsedRequest, held: Held): number {
  let r = held.pods;
  for (const [name, want] of req.units) r = Math.max(r, Math.ceil((held.units.get(name) ?? 0) / want));
  return r;
}

/** Available replicas for one cluster: the general estimate, bounded by the node estimate. */
export function availableReplicas(cluster: ClusterSnapshot, req: ParsedRequest, held: Held = NOTHING_HELD): number {
  let avail = generalEstimate(cluster.resourceSummary, req, held);
  const nodes = cluster.nodeSummaries;
  if (nodes?.length) {
    let perReq = nodeEstimateCache.get(nodes);
    if (!perReq) nodeEstimateCache.set(nodes, (perReq = new Map()));
    let fit = perReq.get(req.key);
    if (fit === undefined) perReq.set(req.key, (fit = nodeEstimate(nodes, req)));
    avail = Math.min(avail, Math.max(0, fit - heldReplicas(req, held)));
  }
  return avail;
}
