/**
 * nodeSummary and resourceSummary of a Cluster (Karmada's getNodeSummary / getResourceSummary),
 * kept as running sums over compact per-node and per-pod records, so a large member costs a few
 * numbers per object instead of whole cached Nodes and Pods (kar#4738, #1858):
 *
 *   allocatable  sum of status.allocatable of Ready nodes (a NotReady node takes no pods)
 *   allocated    requests of pods bound to a node and not finished (Succeeded/Failed), plus
 *                their count as `pods`
 *   allocating   requests of pods not yet bound to a node, plus their count as `pods`
 *
 * Quantities come out canonical; cpu, memory, ephemeral-storage and pods are always present in
 * allocated/allocating (as Karmada's ResourceList() writes them), other resources when non-zero.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { podRequests, resourceListMilli, type ResourceMilli } from '../../simulator/scheduling/requests.js';
import { milliToResourceList, type ResourceList } from '../../util/quantity.js';

export interface NodeRecord {
  ready: boolean;
  allocatable: ResourceMilli;
}

export interface PodRecord {
  bound: boolean;
  finished: boolean;
  requests: ResourceMilli;
}

export interface Summaries {
  nodeSummary: { totalNum: number; readyNum: number };
  resourceSummary: { allocatable: ResourceList; allocated: ResourceList; allocating: ResourceList };
}

export function nodeRecord(node: Node): NodeRecord {
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  return { ready, allocatable: resourceListMilli(node.status?.allocatable) };
}

export function podRecord(pod: Pod): PodRecord {
  const phase = pod.status?.phase;
  return { bound: !!pod.spec?.nodeName, finished: phase === 'Succeeded' || phase === 'Failed', requests: podRequests(pod, { includePodCount: false }) };
}

const ALWAYS = ['cpu', 'memory', 'ephemeral-storage', 'pods'];

function addInto(acc: ResourceMilli, add: ResourceMilli, sign: 1n | -1n): void {
  for (const [k, v] of Object.entries(add)) {
    const next = (acc[k] ?? 0n) + sign * v;
    if (next === 0n) delete acc[k];
    else acc[k] = next;
  }
}

function toList(milli: ResourceMilli, always: boolean): ResourceList {
  const m: ResourceMilli = {};
  if (always) for (const k of ALWAYS) m[k] = 0n;
  for (const [k, v] of Object.entries(milli)) if (v !== 0n) m[k] = v;
  const sorted: ResourceMilli = {};
  for (const k of Object.keys(m).sort()) sorted[k] = m[k]!;
  return milliToResourceList(sorted);
}

/** Running sums over node and pod records, updated one record at a time. */
export class ResourceTally {
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #pods = new Map<string, PodRecord>();
  readonly #allocatable: ResourceMilli = {};
  readonly #allocated: ResourceMilli = {};
  readonly #allocating: ResourceMilli = {};
  #readyNodes = 0;
  /** Bumped on every change, so callers can tell whether anything moved. */
  version = 0;

  setNode(key: string, rec: NodeRecord | undefined): void {
    const old = this.#nodes.get(key);
    if (old?.ready) {
      addInto(this.#allocatable, old.allocatable, -1n);
      this.#readyNodes--;
    }
    if (rec) this.#nodes.set(key, rec);
    else this.#nodes.delete(key);
    if (rec?.ready) {
      addInto(this.#allocatable, rec.allocatable, 1n);
      this.#readyNodes++;
    }
    this.version++;
  }

  setPod(key: string, rec: PodRecord | undefined): void {
    const old = this.#pods.get(key);
    if (old) this.#count(old, -1n);
    if (rec && !rec.finished) this.#pods.set(key, rec);
    else this.#pods.delete(key);
    if (rec && !rec.finished) this.#count(rec, 1n);
    this.version++;
  }

  clearNodes(): void {
    for (const k of [...this.#nodes.keys()]) this.setNode(k, undefined);
  }

  clearPods(): void {
    for (const k of [...this.#pods.keys()]) this.setPod(k, undefined);
  }

  summaries(): Summaries {
    return {
      nodeSummary: { totalNum: this.#nodes.size, readyNum: this.#readyNodes },
      resourceSummary: { allocatable: toList(this.#allocatable, false), allocated: toList(this.#allocated, true), allocating: toList(this.#allocating, true) },
    };
  }

  #count(rec: PodRecord, sign: 1n | -1n): void {
    const into = rec.bound ? this.#allocated : this.#allocating;
    addInto(into, rec.requests, sign);
    addInto(into, { pods: 1000n }, sign);
  }
}
