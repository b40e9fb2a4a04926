// The pure core of Flotilla's simulated kube-scheduler: filtering, scoring, node selection and the
// FitError message, following the default kube-scheduler profile.
//
// Filters run in the default plugin order and stop at the first plugin that rejects a node, so each
// node contributes the reasons of one plugin (NodeResourcesFit may give several):
//   NodeUnschedulable → NodeName → TaintToleration → NodeAffinity → NodePorts → NodeResourcesFit
// Scores (weights as in the default profile): TaintToleration ×3, NodeAffinity ×2,
// NodeResourcesFit LeastAllocated ×1, NodeResourcesBalancedAllocation ×1.
// Ties between top-scoring nodes are broken by a seeded hash of the pod and node names (kube-scheduler
// picks one at random), then by node name.
//
// Units: NodeInfo.requested and friends are milli-units per resource (podRequests output summed).
// Like kube-scheduler, cpu is compared in milli-cores and every other resource in whole units
// (Quantity.Value(), rounded up).
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../util/quantity.js';
import {
  maxPreferredNodeAffinityScore,
  podMatchesNodeSelectorAndAffinity,
  preferredNodeAffinityScore,
  requiredNodeNames,
} from './affinity.js';
import {
  addMilli,
  milliToUnits,
  podNonZeroRequests,
  podRequests,
  subtractMilli,
  type ResourceMilli,
} from './requests.js';
import {
  TAINT_NODE_UNSCHEDULABLE,
  countIntolerablePreferNoSchedule,
  effectiveTaints,
  findUntoleratedTaint,
  tolerates,
  untoleratedTaintReason,
  type TolerationOptions,
} from './taints.js';

export { tolerates, toleratesTaint } from './taints.js';

// ---------------------------------------------------------------------------------------------
// Reasons, exactly as kube-scheduler words them.

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_AFFINITY_CONFLICT = 'pod affinity terms conflict';
export const REASON_NO_NODES = 'no nodes available to schedule pods';
export const REASON_SCHEDULING_GATED = 'Scheduling is blocked due to non-empty scheduling gates';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const PREEMPTION_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;
export const preFilterRejectedReason = (plugins: readonly string[]): string =>
  `node(s) didn't satisfy plugin(s) [${[...plugins].sort().join(' ')}]`;

// ---------------------------------------------------------------------------------------------
// Node state.

/** A host port in use (or wanted): hostIP '' means 0.0.0.0, protocol '' means TCP. */
export interface HostPort {
  hostIP?: string | undefined;
  protocol?: string | undefined;
  hostPort: number;
}

/** What the scheduler knows about a node: the node and the sums over the pods assigned to it. */
export interface NodeInfo {
  node: Node;
  /** Sum of podRequests() of the assigned pods, milli-units per resource. */
  requested: Readonly<ResourceMilli>;
  /** Sum of podNonZeroRequests() of the assigned pods (used for LeastAllocated); defaults to requested. */
  nonZeroRequested?: Readonly<ResourceMilli>;
  /** Number of assigned (non-terminal) pods. */
  podCount: number;
  /** Host ports used by the assigned pods. */
  usedHostPorts: readonly HostPort[];
  /** The assigned pods themselves: optional, used only to look for preemption victims. */
  pods?: readonly Pod[];
}

export type FilterPlugin = 'NodeUnschedulable' | 'NodeName' | 'TaintToleration' | 'NodeAffinity' | 'NodePorts' | 'NodeResourcesFit';

export type FilterResult =
  | { fits: true }
  | {
      fits: false;
      reasons: string[];
      plugin: FilterPlugin;
      /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
      unresolvable: boolean;
    };

export interface FilterOptions extends TolerationOptions {
  /**
   * Treat a node whose Ready condition is False/Unknown as carrying the not-ready/unreachable
   * NoSchedule taint the node lifecycle controller would add (when it is not already there).
   * Default true.
   */
  nodeConditionTaints?: boolean;
  /** Extended resources NodeResourcesFit ignores (ignoredResources). */
  ignoredResources?: readonly string[];
}

/** The host ports a pod asks for: containers' ports with hostPort > 0 (hostNetwork defaults hostPort to containerPort). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const hostNetwork = pod.spec?.hostNetwork === true;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const hostPort = p.hostPort || (hostNetwork ? p.containerPort : 0);
      if (hostPort > 0) out.push({ hostIP: p.hostIP ?? '', protocol: p.protocol ?? 'TCP', hostPort });
    }
  }
  return out;
}

function sanitizePort(p: HostPort): { ip: string; key: string } {
  return { ip: p.hostIP || '0.0.0.0', key: `${p.protocol || 'TCP'}/${p.hostPort}` };
}

/** HostPortInfo.CheckConflict: 0.0.0.0 conflicts with any IP on the same protocol/port. */
export function hostPortConflicts(used: readonly HostPort[], want: HostPort): boolean {
  if (want.hostPort <= 0) return false;
  const w = sanitizePort(want);
  return used.some((u) => {
    if (u.hostPort <= 0) return false;
    const s = sanitizePort(u);
    if (s.key !== w.key) return false;
    return w.ip === '0.0.0.0' || s.ip === '0.0.0.0' || s.ip === w.ip;
  });
}

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

/** Builds a NodeInfo from a node and the pods bound to it (terminal pods are left out, as the scheduler cache does). */
export function buildNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const live = pods.filter((p) => !TERMINAL_PHASES.has(p.status?.phase ?? ''));
  return {
    node,
    requested: addMilli(...live.map((p) => podRequests(p))),
    nonZeroRequested: addMilli(...live.map((p) => podNonZeroRequests(p))),
    podCount: live.length,
    usedHostPorts: live.flatMap(podHostPorts),
    pods: live,
  };
}

/** NodeInfo plus one more pod (what the scheduler cache does after an assume/bind). */
export function addPodToNodeInfo(info: NodeInfo, pod: Pod): NodeInfo {
  return {
    ...info,
    requested: addMilli(info.requested, podRequests(pod)),
    nonZeroRequested: addMilli(info.nonZeroRequested ?? info.requested, podNonZeroRequests(pod)),
    podCount: info.podCount + 1,
    usedHostPorts: [...info.usedHostPorts, ...podHostPorts(pod)],
    ...(info.pods ? { pods: [...info.pods, pod] } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Resources.

/** Resources the scheduler tracks besides cpu/memory/ephemeral-storage/pods (schedutil.IsScalarResourceName). */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** Extended resources: a prefixed name outside kubernetes.io/ and outside requests.* (v1helper.IsExtendedResourceName). */
export function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** Allocatable of one resource in scheduler units: milli-cores for cpu, whole units otherwise. */
function allocatableUnits(node: Node, resource: string): bigint {
  const raw = node.status?.allocatable?.[resource];
  const q = raw === undefined ? undefined : tryParseQuantity(raw);
  if (!q) return 0n;
  return resource === 'cpu' ? q.toMilli() : q.value();
}

function schedulerUnits(resource: string, milli: bigint | undefined): bigint {
  if (milli === undefined) return 0n;
  return resource === 'cpu' ? milli : milliToUnits(milli);
}

interface Insufficient {
  reason: string;
  unresolvable: boolean;
}

function fitsResources(request: Readonly<ResourceMilli>, info: NodeInfo, ignored: ReadonlySet<string>): Insufficient[] {
  const out: Insufficient[] = [];
  const allowedPods = allocatableUnits(info.node, 'pods');
  if (BigInt(info.podCount) + 1n > allowedPods) out.push({ reason: REASON_TOO_MANY_PODS, unresolvable: false });

  const scalar = Object.keys(request)
    .filter(isScalarResourceName)
    .sort();
  const check = (resource: string) => {
    const want = schedulerUnits(resource, request[resource]);
    if (want <= 0n) return;
    const alloc = allocatableUnits(info.node, resource);
    const used = schedulerUnits(resource, info.requested[resource]);
    if (want > alloc - used) out.push({ reason: insufficientReason(resource), unresolvable: want > alloc });
  };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) check(r);
  for (const r of scalar) {
    if (isExtendedResourceName(r) && ignored.has(r)) continue;
    check(r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Filtering.

function reject(plugin: FilterPlugin, reasons: string[], unresolvable: boolean): FilterResult {
  return { fits: false, reasons, plugin, unresolvable };
}

/**
 * Runs the filter plugins of the default profile against one node; the first plugin that rejects
 * the node decides, with kube-scheduler's reason strings.
 */
export function filterNode(pod: Pod, nodeInfo: NodeInfo, opts: FilterOptions = {}): FilterResult {
  const node = nodeInfo.node;
  const tolerations: readonly Toleration[] = pod.spec?.tolerations ?? [];

  // NodeUnschedulable
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }, opts)) {
    return reject('NodeUnschedulable', [REASON_UNSCHEDULABLE], true);
  }
  // NodeName
  const wantNode = pod.spec?.nodeName;
  if (wantNode && wantNode !== node.metadata?.name) return reject('NodeName', [REASON_NODE_NAME], true);
  // TaintToleration
  const taint = findUntoleratedTaint(effectiveTaints(node, opts.nodeConditionTaints ?? true), tolerations, opts);
  if (taint) return reject('TaintToleration', [untoleratedTaintReason(taint)], true);
  // NodeAffinity (nodeSelector + required node affinity)
  if (!podMatchesNodeSelectorAndAffinity(pod, node)) return reject('NodeAffinity', [REASON_NODE_AFFINITY], true);
  // NodePorts
  if (podHostPorts(pod).some((p) => hostPortConflicts(nodeInfo.usedHostPorts, p))) {
    return reject('NodePorts', [REASON_NODE_PORTS], false);
  }
  // NodeResourcesFit
  const insufficient = fitsResources(podRequests(pod), nodeInfo, new Set(opts.ignoredResources ?? []));
  if (insufficient.length > 0) {
    return reject(
      'NodeResourcesFit',
      insufficient.map((i) => i.reason),
      insufficient.some((i) => i.unresolvable),
    );
  }
  return { fits: true };
}

// ---------------------------------------------------------------------------------------------
// Scoring.

export const MAX_NODE_SCORE = 100;

/** Default score-plugin weights of the kube-scheduler profile (for the plugins simulated here). */
export const SCORE_WEIGHTS = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  NodeResourcesBalancedAllocation: 1,
} as const;

/** Per-plugin raw scores of one node, before cross-node normalisation. */
export interface RawNodeScores {
  /** LeastAllocated over cpu and memory, 0..100. */
  leastAllocated: number;
  /** BalancedAllocation over cpu and memory, 0..100 (0 for a pod requesting neither). */
  balancedAllocation: number;
  /** Sum of the weights of the matching preferred node-affinity terms. */
  nodeAffinity: number;
  /** Number of PreferNoSchedule taints the pod does not tolerate. */
  intolerableTaints: number;
}

const SCORED_RESOURCES = ['cpu', 'memory'] as const;

/** Allocatable and requested in scheduler units (milli-cores / bytes) for a scored resource. */
function scoredUnits(info: NodeInfo, resource: string, podMilli: bigint | undefined, useRequested: boolean) {
  const nodeRequested = useRequested ? info.requested : (info.nonZeroRequested ?? info.requested);
  return {
    alloc: allocatableUnits(info.node, resource),
    req: schedulerUnits(resource, nodeRequested[resource]) + schedulerUnits(resource, podMilli),
  };
}

function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const podReq = podNonZeroRequests(pod);
  let total = 0n;
  let weights = 0n;
  for (const r of SCORED_RESOURCES) {
    const { alloc, req } = scoredUnits(info, r, podReq[r], false);
    if (alloc === 0n) continue;
    const score = req > alloc ? 0n : ((alloc - req) * BigInt(MAX_NODE_SCORE)) / alloc;
    total += score;
    weights += 1n;
  }
  return weights === 0n ? 0 : Number(total / weights);
}

function balancedAllocationScore(pod: Pod, info: NodeInfo): number {
  const podReq = podRequests(pod);
  if (SCORED_RESOURCES.every((r) => (podReq[r] ?? 0n) === 0n)) return 0; // best-effort pods are skipped
  const fractions: number[] = [];
  for (const r of SCORED_RESOURCES) {
    const { alloc, req } = scoredUnits(info, r, podReq[r], true);
    if (alloc === 0n) continue;
    fractions.push(Math.min(1, Number(req) / Number(alloc)));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** Raw per-plugin scores of a node for the pod. */
export function rawNodeScores(pod: Pod, nodeInfo: NodeInfo, opts: FilterOptions = {}): RawNodeScores {
  return {
    leastAllocated: leastAllocatedScore(pod, nodeInfo),
    balancedAllocation: balancedAllocationScore(pod, nodeInfo),
    nodeAffinity: preferredNodeAffinityScore(pod, nodeInfo.node),
    intolerableTaints: countIntolerablePreferNoSchedule(
      effectiveTaints(nodeInfo.node, opts.nodeConditionTaints ?? true),
      pod.spec?.tolerations,
      opts,
    ),
  };
}

/**
 * Score of a single node, 0..700 with the default weights: LeastAllocated + BalancedAllocation
 * (each 0..100), plus 2 × the preferred node-affinity weights matched as a share of the pod's total
 * preferred weight (0..100), plus 3 × 100 when no PreferNoSchedule taint goes untolerated.
 * schedule() normalises affinity and taints across the candidate nodes instead, like kube-scheduler.
 */
export function scoreNode(pod: Pod, nodeInfo: NodeInfo, opts: FilterOptions = {}): number {
  const raw = rawNodeScores(pod, nodeInfo, opts);
  const maxAffinity = maxPreferredNodeAffinityScore(pod);
  const affinity = maxAffinity > 0 ? Math.trunc((Math.max(0, raw.nodeAffinity) * MAX_NODE_SCORE) / maxAffinity) : 0;
  const taints = raw.intolerableTaints === 0 ? MAX_NODE_SCORE : 0;
  return (
    raw.leastAllocated * SCORE_WEIGHTS.NodeResourcesFit +
    raw.balancedAllocation * SCORE_WEIGHTS.NodeResourcesBalancedAllocation +
    affinity * SCORE_WEIGHTS.NodeAffinity +
    taints * SCORE_WEIGHTS.TaintToleration
  );
}

/** helper.DefaultNormalizeScore. */
function normalize(scores: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return reverse ? scores.map(() => MAX_NODE_SCORE) : [...scores];
  return scores.map((s) => {
    const n = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - n : n;
  });
}

export interface NodeScore {
  node: string;
  total: number;
  raw: RawNodeScores;
  /** Normalised per-plugin scores (0..100), before weights. */
  plugins: { NodeResourcesFit: number; NodeResourcesBalancedAllocation: number; NodeAffinity: number; TaintToleration: number };
}

/** Scores feasible nodes as kube-scheduler does (NodeAffinity and TaintToleration normalised across them). */
export function scoreNodes(pod: Pod, nodes: readonly NodeInfo[], opts: FilterOptions = {}): NodeScore[] {
  const raws = nodes.map((n) => rawNodeScores(pod, n, opts));
  const affinity = normalize(
    raws.map((r) => r.nodeAffinity),
    false,
  );
  const taints = normalize(
    raws.map((r) => r.intolerableTaints),
    true,
  );
  return nodes.map((n, i) => {
    const raw = raws[i]!;
    const plugins = {
      NodeResourcesFit: raw.leastAllocated,
      NodeResourcesBalancedAllocation: raw.balancedAllocation,
      NodeAffinity: affinity[i]!,
      TaintToleration: taints[i]!,
    };
    const total = (Object.keys(plugins) as (keyof typeof plugins)[]).reduce((acc, k) => acc + plugins[k] * SCORE_WEIGHTS[k], 0);
    return { node: n.node.metadata?.name ?? '', total, raw, plugins };
  });
}

/** 32-bit FNV-1a followed by murmur3's fmix32 finaliser (good avalanche), for deterministic tie-breaking. */
export function tieBreakHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// FitError.

export interface NodeStatus {
  reasons: readonly string[];
}

/**
 * kube-scheduler's FitError text: "0/N nodes are available: <prefilter msg>." or
 * "0/N nodes are available: <count reason, ...>." (the "<count> <reason>" strings sorted
 * bytewise), then " <postFilterMsg>" if any. Nodes missing from `statuses` (up to numAllNodes)
 * count with absentReasons.
 */
export function fitErrorMessage(
  numAllNodes: number,
  statuses: Iterable<NodeStatus>,
  opts: { preFilterMsg?: string; postFilterMsg?: string; absentReasons?: readonly string[] } = {},
): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (opts.preFilterMsg) msg += ` ${opts.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    let seen = 0;
    for (const s of statuses) {
      seen++;
      for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    if (seen < numAllNodes) {
      for (const r of opts.absentReasons ?? []) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - seen);
    }
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort(bytewise);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (opts.postFilterMsg) msg += ` ${opts.postFilterMsg}`;
  return msg;
}

function bytewise(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

// ---------------------------------------------------------------------------------------------
// Preemption (DefaultPreemption), simplified: no PodDisruptionBudgets, no extenders, every node is a
// candidate. Only pods listed in NodeInfo.pods can be victims.

export interface Victim {
  namespace: string;
  name: string;
}

interface NodeEvaluation {
  info: NodeInfo;
  name: string;
  result: FilterResult;
}

const priorityOf = (p: Pod): number => p.spec?.priority ?? 0;
const startTimeOf = (p: Pod): number => {
  const t = p.status?.startTime ? Date.parse(p.status.startTime) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};
/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
const moreImportantFirst = (a: Pod, b: Pod): number => priorityOf(b) - priorityOf(a) || startTimeOf(a) - startTimeOf(b);

function withoutPods(info: NodeInfo, remove: readonly Pod[], keep: readonly Pod[]): NodeInfo {
  let requested: ResourceMilli = { ...info.requested };
  let nonZero: ResourceMilli = { ...(info.nonZeroRequested ?? info.requested) };
  const ports = [...info.usedHostPorts];
  for (const p of remove) {
    requested = subtractMilli(requested, podRequests(p));
    nonZero = subtractMilli(nonZero, podNonZeroRequests(p));
    for (const hp of podHostPorts(p)) {
      const i = ports.findIndex((u) => sanitizePort(u).ip === sanitizePort(hp).ip && sanitizePort(u).key === sanitizePort(hp).key);
      if (i >= 0) ports.splice(i, 1);
    }
  }
  return { ...info, requested, nonZeroRequested: nonZero, podCount: info.podCount - remove.length, usedHostPorts: ports, pods: keep };
}

type VictimSearch = { victims: Pod[] } | { reasons: readonly string[] };

function selectVictimsOnNode(pod: Pod, info: NodeInfo, opts: FilterOptions): VictimSearch {
  const prio = priorityOf(pod);
  const pods = info.pods ?? [];
  const potential = pods.filter((p) => priorityOf(p) < prio);
  if (potential.length === 0) return { reasons: [PREEMPTION_NO_VICTIMS] };
  let kept = pods.filter((p) => priorityOf(p) >= prio);
  let removed = [...potential];
  const first = filterNode(pod, withoutPods(info, removed, kept), opts);
  if (!first.fits) return { reasons: first.reasons };
  const victims: Pod[] = [];
  for (const p of [...potential].sort(moreImportantFirst)) {
    const tryRemoved = removed.filter((x) => x !== p);
    const tryKept = [...kept, p];
    if (filterNode(pod, withoutPods(info, tryRemoved, tryKept), opts).fits) {
      removed = tryRemoved;
      kept = tryKept;
    } else victims.push(p);
  }
  return { victims };
}

interface Candidate {
  node: string;
  victims: Pod[];
}

/** pickOneNodeForPreemption without PDBs: lowest top victim priority, lowest priority sum, fewest victims, latest start. */
function pickCandidate(candidates: Candidate[]): Candidate {
  const key = (c: Candidate) => {
    const prios = c.victims.map(priorityOf);
    const highest = Math.max(...prios);
    const sum = prios.reduce((a, p) => a + p + 2 ** 31, 0);
    const earliestOfHighest = Math.min(...c.victims.filter((v) => priorityOf(v) === highest).map(startTimeOf));
    return [highest, sum, c.victims.length, -earliestOfHighest] as const;
  };
  return [...candidates].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
  })[0]!;
}

// ---------------------------------------------------------------------------------------------
// Scheduling one pod.

export interface ScheduleOptions extends FilterOptions {
  /** Seed for tie-breaking between equally scored nodes. Default ''. */
  seed?: string;
  /** Run DefaultPreemption's PostFilter (victims only from NodeInfo.pods). Default true. */
  preemption?: boolean;
}

export type ScheduleResult =
  | {
      node: string;
      score: number;
      /** Number of nodes that passed filtering. */
      feasibleNodes: number;
    }
  | {
      unschedulable: true;
      /** PodScheduled=False reason: 'Unschedulable', or 'SchedulingGated' for a gated pod. */
      reason: 'Unschedulable' | 'SchedulingGated';
      /** kube-scheduler's message (FitError text) for the PodScheduled condition and FailedScheduling event. */
      message: string;
      /** Filter reasons per node name. */
      nodeReasons: Record<string, string[]>;
      /** Set when preemption found room: the node to nominate and the pods to evict. */
      nominatedNode?: string;
      victims?: Victim[];
    };

/**
 * Schedules one pod onto one of the nodes: filter, score, pick the best (ties by seeded hash of
 * pod and node names, then node name). When no node fits, returns kube-scheduler's FitError message,
 * including the DefaultPreemption part, e.g.
 * "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.
 * preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
 */
export function schedule(pod: Pod, nodes: readonly NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  const unschedulable = (message: string, nodeReasons: Record<string, string[]> = {}, reason: 'Unschedulable' | 'SchedulingGated' = 'Unschedulable') =>
    ({ unschedulable: true, reason, message, nodeReasons }) as const;

  if ((pod.spec?.schedulingGates?.length ?? 0) > 0) return unschedulable(REASON_SCHEDULING_GATED, {}, 'SchedulingGated');
  if (nodes.length === 0) return unschedulable(REASON_NO_NODES);
  const numAll = nodes.length;
  const nameOf = (n: NodeInfo) => n.node.metadata?.name ?? '';

  // PreFilter: NodeAffinity may narrow the nodes to names pinned by matchFields (DaemonSet pods).
  const pinned = requiredNodeNames(pod);
  if (pinned === 'conflict') {
    // Every node is UnschedulableAndUnresolvable, so preemption cannot help anywhere.
    const notHelpful = Array.from({ length: numAll }, () => ({ reasons: [PREEMPTION_NOT_HELPFUL] }));
    const postFilterMsg = !(opts.preemption ?? true)
      ? undefined
      : pod.spec?.preemptionPolicy === 'Never'
        ? `preemption: ${PREEMPTION_POLICY_NEVER}`
        : `preemption: ${fitErrorMessage(numAll, notHelpful)}`;
    const nodeReasons = Object.fromEntries(nodes.map((n) => [nameOf(n), [REASON_AFFINITY_CONFLICT]]));
    return unschedulable(
      fitErrorMessage(numAll, [], { preFilterMsg: REASON_AFFINITY_CONFLICT, ...(postFilterMsg ? { postFilterMsg } : {}) }),
      nodeReasons,
    );
  }
  const candidates = pinned ? nodes.filter((n) => pinned.has(nameOf(n))) : nodes;
  const absentReasons = pinned ? [preFilterRejectedReason(['NodeAffinity'])] : [];

  const evaluations: NodeEvaluation[] = candidates.map((info) => ({ info, name: nameOf(info), result: filterNode(pod, info, opts) }));
  const feasible = evaluations.filter((e) => e.result.fits);

  if (feasible.length > 0) {
    const scores = scoreNodes(
      pod,
      feasible.map((e) => e.info),
      opts,
    );
    const podKey = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? pod.metadata?.generateName ?? ''}`;
    const seed = opts.seed ?? '';
    const best = scores.reduce((a, b) => {
      if (a.total !== b.total) return b.total > a.total ? b : a;
      const ha = tieBreakHash(`${seed}\u0000${podKey}\u0000${a.node}`);
      const hb = tieBreakHash(`${seed}\u0000${podKey}\u0000${b.node}`);
      if (ha !== hb) return hb < ha ? b : a;
      return b.node < a.node ? b : a;
    });
    return { node: best.node, score: best.total, feasibleNodes: feasible.length };
  }

  const nodeReasons: Record<string, string[]> = {};
  for (const e of evaluations) if (!e.result.fits) nodeReasons[e.name] = e.result.reasons;
  if (pinned) for (const n of nodes) if (!pinned.has(nameOf(n))) nodeReasons[nameOf(n)] = [...absentReasons];
  const statuses = evaluations.map((e) => ({ reasons: e.result.fits ? [] : e.result.reasons }));

  // PostFilter: DefaultPreemption.
  let postFilterMsg: string | undefined;
  let nominated: Candidate | undefined;
  if (opts.preemption ?? true) {
    if (pod.spec?.preemptionPolicy === 'Never') postFilterMsg = `preemption: ${PREEMPTION_POLICY_NEVER}`;
    else {
      const preemptStatuses: string[][] = [];
      const found: Candidate[] = [];
      for (const e of evaluations) {
        if (e.result.fits) continue;
        if (e.result.unresolvable) {
          preemptStatuses.push([PREEMPTION_NOT_HELPFUL]);
          continue;
        }
        const search = selectVictimsOnNode(pod, e.info, opts);
        if ('victims' in search) found.push({ node: e.name, victims: search.victims });
        else preemptStatuses.push([...search.reasons]);
      }
      // Nodes the PreFilter ruled out are unresolvable too.
      for (let i = evaluations.length; i < numAll; i++) preemptStatuses.push([PREEMPTION_NOT_HELPFUL]);
      if (found.length > 0) nominated = pickCandidate(found);
      else postFilterMsg = `preemption: ${fitErrorMessage(numAll, preemptStatuses.map((reasons) => ({ reasons })))}`;
    }
  }

  const message = fitErrorMessage(numAll, statuses, { absentReasons, ...(postFilterMsg ? { postFilterMsg } : {}) });
  if (nominated) {
    return {
      ...unschedulable(message, nodeReasons),
      nominatedNode: nominated.node,
      victims: nominated.victims.map((v) => ({ namespace: v.metadata?.namespace ?? '', name: v.metadata?.name ?? '' })),
    };
  }
  return unschedulable(message, nodeReasons);
}
