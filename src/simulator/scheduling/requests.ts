// Effective pod resource requests, computed the way Kubernetes does it
// (k8s.io/component-helpers/resource PodRequests, KEP-753 sidecar formula):
//
//   containers      sum of regular containers, plus every restartable init container (sidecar)
//   init phase      for init container i: its requests + the sidecars declared before it
//                   (a sidecar's own entry is the running total of sidecars up to and including it)
//   effective       max(containers, max over init phase) per resource
//   pod-level       spec.resources.requests for cpu, memory and hugepages-* override the aggregate
//   overhead        spec.overhead added last
//
// Arithmetic is exact (nano precision, like Quantity sums); results are milli-units.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity, type QuantityLike } from '../../util/quantity.js';

/** Resource name → amount in milli-units (cpu "250m" → 250n, memory "1Ki" → 1024000n, pods 1 → 1000n). */
export type ResourceMilli = Record<string, bigint>;

/** kube-scheduler's DefaultMilliCPURequest (milli-cores). */
export const DEFAULT_MILLI_CPU_REQUEST = 100n;
/** kube-scheduler's DefaultMemoryRequest (bytes): 200Mi. */
export const DEFAULT_MEMORY_REQUEST = 200n * 1024n * 1024n;

export interface PodRequestsOptions {
  /**
   * For each named resource a container (regular or init) does not list in its requests, use this
   * amount (milli-units) instead. An explicit request, even zero, is kept. Kubernetes'
   * NonMissingContainerRequests.
   */
  nonMissingContainerRequests?: Readonly<ResourceMilli>;
  /** Leave spec.overhead out. Default false. */
  excludeOverhead?: boolean;
  /** Ignore pod-level spec.resources.requests. Default false (PodLevelResources enabled). */
  skipPodLevelResources?: boolean;
  /** Add 'pods': 1 (1000n milli). Default true. */
  includePodCount?: boolean;
}

// Internal accumulation is in nano-units so sums of sub-milli values are exact.
type NanoList = Map<string, bigint>;

const MILLI_TO_NANO = 1_000_000n;

function toNanoList(requests: { readonly [name: string]: QuantityLike } | undefined): NanoList {
  const out: NanoList = new Map();
  if (!requests) return out;
  for (const [name, v] of Object.entries(requests)) {
    // An unparsable quantity would have been rejected by validation; treat it as absent here.
    const q = tryParseQuantity(v);
    if (q) out.set(name, q.nano);
  }
  return out;
}

function addInto(acc: NanoList, add: NanoList): void {
  for (const [k, v] of add) acc.set(k, (acc.get(k) ?? 0n) + v);
}

function maxInto(acc: NanoList, other: NanoList): void {
  for (const [k, v] of other) {
    const cur = acc.get(k);
    if (cur === undefined || v > cur) acc.set(k, v);
  }
}

function containerRequests(c: Container, nonMissing: Readonly<ResourceMilli> | undefined): NanoList {
  const reqs = toNanoList(c.resources?.requests);
  if (nonMissing) {
    for (const [k, milli] of Object.entries(nonMissing)) if (!reqs.has(k)) reqs.set(k, milli * MILLI_TO_NANO);
  }
  return reqs;
}

/** True for an init container with restartPolicy Always (a sidecar). */
export function isRestartableInitContainer(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** Pod-level resources (spec.resources, PodLevelResources) are newer than the installed kubernetes-types. */
interface PodLevelResources {
  requests?: { [name: string]: QuantityLike };
  limits?: { [name: string]: QuantityLike };
}

function podLevelRequests(pod: Pod): { [name: string]: QuantityLike } | undefined {
  const res = (pod.spec as { resources?: PodLevelResources } | undefined)?.resources;
  return res?.requests;
}

/** Whether a resource can be set at pod level (cpu, memory, hugepages-*). */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

function hasPodLevelRequests(pod: Pod): boolean {
  const r = podLevelRequests(pod);
  return !!r && Object.keys(r).some(isSupportedPodLevelResource);
}

function aggregateContainerRequests(pod: Pod, nonMissing: Readonly<ResourceMilli> | undefined): NanoList {
  const result: NanoList = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(result, containerRequests(c, nonMissing));

  const sidecars: NanoList = new Map();
  const initPeak: NanoList = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const reqs = containerRequests(c, nonMissing);
    let inUse: NanoList;
    if (isRestartableInitContainer(c)) {
      // A sidecar keeps running next to the regular containers...
      addInto(result, reqs);
      // ...and next to every init container that starts after it.
      addInto(sidecars, reqs);
      inUse = new Map(sidecars);
    } else {
      inUse = new Map(reqs);
      addInto(inUse, sidecars);
    }
    maxInto(initPeak, inUse);
  }
  maxInto(result, initPeak);
  return result;
}

function nanoToMilli(list: NanoList): ResourceMilli {
  const out: ResourceMilli = {};
  for (const [k, v] of list) {
    // ceil, away from zero: the same rounding as MilliValue()
    const q = v / MILLI_TO_NANO;
    out[k] = q * MILLI_TO_NANO === v ? q : v < 0n ? q - 1n : q + 1n;
  }
  return out;
}

function podRequestsNano(pod: Pod, opts: PodRequestsOptions): NanoList {
  const podLevelSet = !opts.skipPodLevelResources && hasPodLevelRequests(pod);
  let nonMissing = opts.nonMissingContainerRequests;
  if (nonMissing && podLevelSet) {
    // With pod-level requests, defaults only fill resources missing at both levels.
    const podLevel = podLevelRequests(pod) ?? {};
    nonMissing = Object.fromEntries(Object.entries(nonMissing).filter(([k]) => !(k in podLevel)));
  }
  const reqs = aggregateContainerRequests(pod, nonMissing);
  if (podLevelSet) {
    for (const [k, v] of toNanoList(podLevelRequests(pod))) if (isSupportedPodLevelResource(k)) reqs.set(k, v);
  }
  if (!opts.excludeOverhead) addInto(reqs, toNanoList(pod.spec?.overhead));
  return reqs;
}

/**
 * Effective requests of a pod as Kubernetes computes them for scheduling and admission, in
 * milli-units, plus 'pods': 1000n (one pod) unless includePodCount is false.
 */
export function podRequests(pod: Pod, opts: PodRequestsOptions = {}): ResourceMilli {
  const out = nanoToMilli(podRequestsNano(pod, opts));
  if (opts.includePodCount ?? true) out['pods'] = 1000n;
  return out;
}

/**
 * The requests kube-scheduler uses for scoring (NodeInfo.NonZeroRequested, LeastAllocated):
 * a container without a cpu request counts as 100m, without a memory request as 200Mi.
 */
export function podNonZeroRequests(pod: Pod, opts: Omit<PodRequestsOptions, 'nonMissingContainerRequests'> = {}): ResourceMilli {
  return podRequests(pod, {
    ...opts,
    nonMissingContainerRequests: { cpu: DEFAULT_MILLI_CPU_REQUEST, memory: DEFAULT_MEMORY_REQUEST * 1000n },
  });
}

/** Adds milli maps key by key. */
export function addMilli(...lists: ReadonlyArray<Readonly<ResourceMilli> | undefined>): ResourceMilli {
  const out: ResourceMilli = {};
  for (const l of lists) if (l) for (const [k, v] of Object.entries(l)) out[k] = (out[k] ?? 0n) + v;
  return out;
}

/** a − b key by key (keys only in b come out negative). */
export function subtractMilli(a: Readonly<ResourceMilli> | undefined, b: Readonly<ResourceMilli> | undefined): ResourceMilli {
  const out: ResourceMilli = { ...a };
  if (b) for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0n) - v;
  return out;
}

/** Parses a resource list (e.g. node.status.allocatable) to milli-units, skipping unparsable values. */
export function resourceListMilli(list: { readonly [name: string]: QuantityLike } | undefined): ResourceMilli {
  return nanoToMilli(toNanoList(list));
}

/** Milli-units to whole units, rounding up away from zero (as Quantity.Value() does). */
export function milliToUnits(milli: bigint): bigint {
  const q = milli / 1000n;
  return q * 1000n === milli ? q : milli < 0n ? q - 1n : q + 1n;
}
