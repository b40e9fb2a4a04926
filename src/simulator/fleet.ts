/**
 * The fleet file: which simulated clusters to run and what they look like (nodes, capacity,
 * topology, version, networks, API latency), plus the simulation's timing. Parsing resolves
 * defaults and validates everything, naming the bad field, so a typo fails at start-up rather
 * than as odd behaviour later.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { CLUSTER_FIELDS, resolveCluster, unknownFields } from './fleet-cluster.js';

export interface NodePool {
  name: string;
  count: number;
  instanceType: string;
  /** Canonical quantities per resource (cpu, memory, pods, ephemeral-storage, extended ones). */
  capacity: Record<string, string>;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface ClusterSpec {
  name: string;
  /** Cluster labels (for Flotilla's Cluster object; not put on nodes). */
  labels: Record<string, string>;
  provider: string;
  region: string;
  /** Nodes are spread round-robin over these zones. */
  zones: string[];
  kubernetesVersion: string;
  podCIDR: string;
  serviceCIDR: string;
  /** Where node InternalIPs come from. */
  nodeCIDR: string;
  /** Added to every API call from outside the cluster. */
  apiLatencyMs: number;
  pools: NodePool[];
}

export interface Timing {
  /** Multiplies every stage delay (0.01 makes the simulation 100x faster). */
  timeScale: number;
  leaseDurationSeconds: number;
  leaseRenewMs: number;
  /** What the DefaultTolerationSeconds admission plugin gives pods for not-ready/unreachable. */
  defaultTolerationSeconds: number;
}

export interface Fleet {
  clusters: ClusterSpec[];
  timing: Timing;
  /** A file or directory of stage YAML replacing the built-in stages. */
  stages?: string;
}

export { DEFAULT_CAPACITY, DEFAULT_VERSION } from './fleet-cluster.js';
export const DEFAULT_TIMING: Readonly<Timing> = { timeScale: 1, leaseDurationSeconds: 40, leaseRenewMs: 10_000, defaultTolerationSeconds: 300 };


/** N clusters member1..memberN, each in its own region (cycling when N exceeds the list). */
export function defaultFleet(clusters: number, nodes = 4, timing: Partial<Timing> = {}): Fleet {
  if (!Number.isInteger(clusters) || clusters < 1) throw new Error(`--clusters must be a positive integer (got ${clusters})`);
  if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`--nodes must be a non-negative integer (got ${nodes})`);
  const doc = {
    clusters: Array.from({ length: clusters }, (_, i) => ({ name: `member${i + 1}`, nodes })),
    timing,
  };
  return resolveFleet(doc, '(defaults)');
}

/** Reads and validates a fleet file; relative paths inside it are relative to the file. */
export function loadFleet(path: string, overrides: { nodes?: number; timing?: Partial<Timing> } = {}): Fleet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`fleet file ${path}: ${(e as Error).message}`);
  }
  return parseFleet(text, path, overrides);
}

export function parseFleet(text: string, source = 'fleet', overrides: { nodes?: number; timing?: Partial<Timing> } = {}): Fleet {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  const fleet = resolveFleet(doc, source, overrides);
  if (fleet.stages) fleet.stages = resolve(dirname(source), fleet.stages);
  return fleet;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validation failures carry the field path, e.g. `clusters[1].capacity.cpu`. */
export class FleetError extends Error {
  constructor(source: string, field: string, message: string) {
    super(`${source}: ${field}: ${message}`);
    this.name = 'FleetError';
  }
}

const TOP_FIELDS = new Set(['clusters', 'defaults', 'timing', 'stages']);
const TIMING_FIELDS = new Set(Object.keys(DEFAULT_TIMING));

function resolveFleet(doc: unknown, source: string, overrides: { nodes?: number; timing?: Partial<Timing> } = {}): Fleet {
  const fail = (field: string, msg: string): never => {
    throw new FleetError(source, field, msg);
  };
  if (!isObj(doc)) return fail('(top level)', 'must be a mapping with a `clusters` list');
  unknownFields(doc, TOP_FIELDS, '', fail);
  if (!Array.isArray(doc.clusters) || doc.clusters.length === 0) fail('clusters', 'must be a non-empty list');
  const defaults = doc.defaults === undefined ? {} : doc.defaults;
  if (!isObj(defaults)) return fail('defaults', 'must be a mapping of cluster fields');
  unknownFields(defaults, CLUSTER_FIELDS, 'defaults.', fail);

  const timing: Timing = { ...DEFAULT_TIMING };
  if (doc.timing !== undefined) {
    if (!isObj(doc.timing)) fail('timing', 'must be a mapping');
    unknownFields(doc.timing as Obj, TIMING_FIELDS, 'timing.', fail);
    Object.assign(timing, doc.timing);
  }
  Object.assign(timing, Object.fromEntries(Object.entries(overrides.timing ?? {}).filter(([, v]) => v !== undefined)));
  for (const [k, v] of Object.entries(timing)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`timing.${k}`, `must be a non-negative number (got ${JSON.stringify(v)})`);
  }
  if (timing.leaseRenewMs <= 0) fail('timing.leaseRenewMs', 'must be greater than 0');
  // Zero would make recurring stages (node heartbeats) fire in a tight loop.
  if (timing.timeScale <= 0) fail('timing.timeScale', 'must be greater than 0');

  const clusters = (doc.clusters as unknown[]).map((c, i) => {
    if (!isObj(c)) return fail(`clusters[${i}]`, 'must be a mapping');
    unknownFields(c, CLUSTER_FIELDS, `clusters[${i}].`, fail);
    // A cluster's own nodes/nodePools replace the other form given in defaults.
    const inherited: Obj = { ...defaults };
    if (c.nodePools !== undefined) delete inherited.nodes;
    if (c.nodes !== undefined) delete inherited.nodePools;
    return resolveCluster({ ...inherited, ...c }, i, `clusters[${i}]`, overrides.nodes, fail);
  });
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    if (seen.has(c.name)) fail(`clusters[${i}].name`, `duplicate cluster name ${JSON.stringify(c.name)}`);
    seen.add(c.name);
  });
  let stages: string | undefined;
  if (doc.stages !== undefined) {
    if (typeof doc.stages !== 'string' || !doc.stages) fail('stages', 'must be a path to a stage file or directory');
    stages = doc.stages as string;
  }
  return { clusters, timing, ...(stages ? { stages } : {}) };
}

/** Node count over all pools. */
export const nodeCount = (c: ClusterSpec): number => c.pools.reduce((n, p) => n + p.count, 0);
