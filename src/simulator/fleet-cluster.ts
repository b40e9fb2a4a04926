/**
 * Validation of one cluster entry of a fleet file: every field checked and defaulted, errors
 * naming the field (`clusters[1].capacity.cpu`).
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import { canonicalQuantity, tryParseQuantity } from '../util/quantity.js';
import { isQualifiedName, isValidLabelValue } from './scheduling/affinity.js';
import { nodePodPrefix, parseCidr } from './ipam.js';
import type { ClusterSpec, NodePool } from './fleet.js';

export const DEFAULT_VERSION = 'v1.32.0';
export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export type Fail = (field: string, msg: string) => never;

export const CLUSTER_FIELDS = new Set(['name', 'labels', 'provider', 'region', 'zone', 'zones', 'kubernetesVersion', 'podCIDR', 'serviceCIDR', 'nodeCIDR', 'apiLatencyMs', 'nodes', 'instanceType', 'capacity', 'nodeLabels', 'nodeTaints', 'nodePools']);
const POOL_FIELDS = new Set(['name', 'count', 'instanceType', 'capacity', 'labels', 'taints']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Distinct regions across default clusters, like a fleet spread over three clouds.
const DEFAULT_REGIONS: readonly [provider: string, region: string, zonePrefix: string][] = [
  ['aws', 'us-east-1', 'us-east-1'],
  ['aws', 'eu-west-1', 'eu-west-1'],
  ['aws', 'ap-south-1', 'ap-south-1'],
  ['gcp', 'us-central1', 'us-central1-'],
  ['gcp', 'europe-west4', 'europe-west4-'],
  ['azure', 'eastus', 'eastus-'],
  ['azure', 'westeurope', 'westeurope-'],
  ['aws', 'us-west-2', 'us-west-2'],
];
const INSTANCE_TYPES: Record<string, string> = { aws: 'm5.2xlarge', gcp: 'e2-standard-8', azure: 'Standard_D8s_v5' };

export function unknownFields(o: Obj, known: Set<string>, prefix: string, fail: Fail): void {
  for (const k of Object.keys(o)) if (!known.has(k)) fail(`${prefix}${k}`, `unknown field (known: ${[...known].join(', ')})`);
}

/** The i-th cluster entry (defaults already merged in), resolved. */
export function resolveCluster(c: Obj, i: number, at: string, nodesOverride: number | undefined, fail: Fail): ClusterSpec {
  const str = (k: string, dflt: string): string => {
    const v = c[k] ?? dflt;
    if (typeof v !== 'string' || !v) fail(`${at}.${k}`, `must be a non-empty string (got ${JSON.stringify(v)})`);
    return v as string;
  };
  const name = str('name', `member${i + 1}`);
  if (!DNS_LABEL.test(name) || name.length > 50) fail(`${at}.name`, `${JSON.stringify(name)} must be a DNS label (lower-case letters, digits, '-'), at most 50 characters`);
  const [dProvider, dRegion, dZone] = DEFAULT_REGIONS[i % DEFAULT_REGIONS.length]!;
  const zoneLetter = 'abc'[Math.floor(i / DEFAULT_REGIONS.length) % 3]!;
  const provider = str('provider', dProvider);
  const region = str('region', c.provider === undefined || c.provider === dProvider ? dRegion : `${provider}-region-${i + 1}`);
  let zones: string[];
  if (c.zones !== undefined) {
    if (c.zone !== undefined) fail(`${at}.zone`, 'give either zone or zones, not both');
    if (!Array.isArray(c.zones) || c.zones.length === 0 || !c.zones.every((z) => typeof z === 'string' && z)) fail(`${at}.zones`, 'must be a non-empty list of zone names');
    zones = c.zones as string[];
  } else zones = [str('zone', region === dRegion ? `${dZone}${zoneLetter}` : `${region}${zoneLetter}`)];
  for (const [k, v] of [['region', region], ...zones.map((z) => ['zone', z])] as const) {
    if (!isValidLabelValue(v)) fail(`${at}.${k}`, `${JSON.stringify(v)} is not a valid label value`);
  }

  const version = str('kubernetesVersion', DEFAULT_VERSION);
  if (!/^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version)) fail(`${at}.kubernetesVersion`, `${JSON.stringify(version)} must look like v1.32.0`);
  const cidr = (k: string, dflt: string): string => {
    const v = str(k, dflt);
    try {
      parseCidr(v);
    } catch (e) {
      fail(`${at}.${k}`, (e as Error).message);
    }
    return v;
  };
  const podCIDR = cidr('podCIDR', '10.244.0.0/16');
  const serviceCIDR = cidr('serviceCIDR', '10.96.0.0/12');
  const nodeCIDR = cidr('nodeCIDR', '10.0.0.0/16');
  if (parseCidr(serviceCIDR).prefix > 28) fail(`${at}.serviceCIDR`, 'must be /28 or larger');
  const latency = c.apiLatencyMs ?? 0;
  if (typeof latency !== 'number' || !(latency >= 0)) fail(`${at}.apiLatencyMs`, `must be a non-negative number (got ${JSON.stringify(latency)})`);

  const labels = labelMap(c.labels, `${at}.labels`, fail);
  const instanceType = str('instanceType', INSTANCE_TYPES[provider] ?? 'sim.standard-8');
  const capacity = resourceList(c.capacity, `${at}.capacity`, DEFAULT_CAPACITY, fail);
  let pools: NodePool[];
  if (c.nodePools !== undefined) {
    if (c.nodes !== undefined) fail(`${at}.nodes`, 'give either nodes or nodePools, not both');
    if (!Array.isArray(c.nodePools) || c.nodePools.length === 0) fail(`${at}.nodePools`, 'must be a non-empty list');
    pools = (c.nodePools as unknown[]).map((p, j) => {
      const pat = `${at}.nodePools[${j}]`;
      if (!isObj(p)) return fail(pat, 'must be a mapping');
      unknownFields(p, POOL_FIELDS, `${pat}.`, fail);
      const pname = p.name ?? `pool${j}`;
      if (typeof pname !== 'string' || !DNS_LABEL.test(pname)) fail(`${pat}.name`, `${JSON.stringify(pname)} must be a DNS label`);
      const it = p.instanceType ?? instanceType;
      if (typeof it !== 'string' || !isValidLabelValue(it)) fail(`${pat}.instanceType`, `${JSON.stringify(it)} is not a valid label value`);
      return {
        name: pname as string,
        count: count(p.count, `${pat}.count`, fail),
        instanceType: it as string,
        capacity: resourceList(p.capacity, `${pat}.capacity`, capacity, fail),
        labels: { ...labelMap(c.nodeLabels, `${at}.nodeLabels`, fail), ...labelMap(p.labels, `${pat}.labels`, fail) },
        taints: [...taints(c.nodeTaints, `${at}.nodeTaints`, fail), ...taints(p.taints, `${pat}.taints`, fail)],
      };
    });
    const names = new Set<string>();
    pools.forEach((p, j) => {
      if (names.has(p.name)) fail(`${at}.nodePools[${j}].name`, `duplicate pool name ${JSON.stringify(p.name)}`);
      names.add(p.name);
    });
  } else {
    if (!isValidLabelValue(instanceType)) fail(`${at}.instanceType`, `${JSON.stringify(instanceType)} is not a valid label value`);
    pools = [
      {
        name: 'node',
        count: nodesOverride ?? count(c.nodes ?? 4, `${at}.nodes`, fail),
        instanceType,
        capacity,
        labels: labelMap(c.nodeLabels, `${at}.nodeLabels`, fail),
        taints: taints(c.nodeTaints, `${at}.nodeTaints`, fail),
      },
    ];
  }
  const total = pools.reduce((n, p) => n + p.count, 0);
  try {
    nodePodPrefix(parseCidr(podCIDR), total);
  } catch (e) {
    fail(`${at}.podCIDR`, (e as Error).message);
  }
  if (total + 10 > parseCidr(nodeCIDR).size - 1) fail(`${at}.nodeCIDR`, `${nodeCIDR} is too small for ${total} nodes`);
  return { name, labels, provider, region, zones, kubernetesVersion: version, podCIDR, serviceCIDR, nodeCIDR, apiLatencyMs: latency as number, pools };
}

function count(v: unknown, at: string, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 10_000) fail(at, `must be an integer from 0 to 10000 (got ${JSON.stringify(v)})`);
  return v as number;
}

function labelMap(v: unknown, at: string, fail: Fail): Record<string, string> {
  if (v === undefined) return {};
  if (!isObj(v)) return fail(at, 'must be a mapping of label keys to values');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!isQualifiedName(k)) fail(`${at}.${k}`, 'invalid label key');
    const s = typeof val === 'number' || typeof val === 'boolean' ? String(val) : val;
    if (typeof s !== 'string' || !isValidLabelValue(s)) fail(`${at}.${k}`, `invalid label value ${JSON.stringify(val)}`);
    out[k] = s as string;
  }
  return out;
}

function resourceList(v: unknown, at: string, base: Readonly<Record<string, string>>, fail: Fail): Record<string, string> {
  if (v === undefined) return { ...base };
  if (!isObj(v)) return fail(at, 'must be a mapping of resource names to quantities');
  const out: Record<string, string> = { ...base };
  for (const [k, val] of Object.entries(v)) {
    if (!isQualifiedName(k)) fail(`${at}.${k}`, 'invalid resource name');
    if (typeof val !== 'string' && typeof val !== 'number') fail(`${at}.${k}`, `must be a quantity such as "8", "500m" or "32Gi" (got ${JSON.stringify(val)})`);
    const q = tryParseQuantity(val as string | number);
    if (!q || q.sign() < 0) fail(`${at}.${k}`, `${JSON.stringify(val)} is not a valid non-negative quantity`);
    out[k] = canonicalQuantity(val as string | number);
  }
  return out;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

function taints(v: unknown, at: string, fail: Fail): Taint[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return fail(at, 'must be a list of {key, value, effect}');
  return v.map((t, i) => {
    if (!isObj(t)) return fail(`${at}[${i}]`, 'must be a mapping');
    if (typeof t.key !== 'string' || !isQualifiedName(t.key)) fail(`${at}[${i}].key`, `invalid taint key ${JSON.stringify(t.key)}`);
    if (t.value !== undefined && (typeof t.value !== 'string' || !isValidLabelValue(t.value))) fail(`${at}[${i}].value`, `invalid taint value ${JSON.stringify(t.value)}`);
    if (typeof t.effect !== 'string' || !EFFECTS.has(t.effect)) fail(`${at}[${i}].effect`, 'must be NoSchedule, PreferNoSchedule or NoExecute');
    return { key: t.key as string, ...(t.value ? { value: t.value as string } : {}), effect: t.effect as string };
  });
}

