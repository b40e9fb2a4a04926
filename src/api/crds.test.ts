import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomResourceDefinition } from './crds.js';
import { FLOTILLA_GROUPS, FLOTILLA_RESOURCES, flotillaCRDs, resourceForKind } from './crds.js';
import type { OpenAPISchema } from './structural.js';

const crds = flotillaCRDs();
const crd = (name: string): CustomResourceDefinition => {
  const c = crds.find((x) => x.metadata.name === name);
  assert.ok(c, `no CRD ${name}`);
  return c;
};
const schemaOf = (name: string) => crd(name).spec.versions[0]!.schema.openAPIV3Schema;
/** The node at a dotted path; `[]` steps into items. */
function at(s: OpenAPISchema, path: string): OpenAPISchema {
  let cur = s;
  for (const seg of path.split('.')) {
    const next = seg === '[]' ? cur.items : cur.properties?.[seg];
    assert.ok(next, `no schema at ${path} (stopped at ${seg})`);
    cur = next;
  }
  return cur;
}

const FORBIDDEN = ['$ref', '$schema', '$id', 'id', 'definitions', 'patternProperties', 'const', 'additionalItems', 'dependencies', 'allOf', 'oneOf', 'not'];

/**
 * The structural-schema rules of apiextensions-apiserver that a generated schema could break:
 * every node typed unless int-or-string or preserve-unknown; no properties beside
 * additionalProperties; the int-or-string anyOf is the only anyOf; required names exist;
 * defaults are of the node's type and in its enum; at the root, metadata is a bare object.
 */
function structuralProblems(s: OpenAPISchema, path: string, out: string[] = []): string[] {
  const any = s as Record<string, unknown>;
  for (const k of FORBIDDEN) if (k in any) out.push(`${path}: ${k} is not allowed`);
  const ios = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!s.type && !ios && !preserve) out.push(`${path}: untyped node`);
  if (ios && s.type) out.push(`${path}: int-or-string must not have a type`);
  if (s.anyOf && !(ios && JSON.stringify(s.anyOf) === '[{"type":"integer"},{"type":"string"}]')) out.push(`${path}: anyOf other than int-or-string`);
  if (s.properties && s.additionalProperties) out.push(`${path}: properties and additionalProperties together`);
  if (typeof any.additionalProperties === 'boolean') out.push(`${path}: boolean additionalProperties`);
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') out.push(`${path}: embedded resource must be an object`);
  if (Array.isArray(any.items)) out.push(`${path}: tuple items`);
  if (s.type === 'array' && !s.items) out.push(`${path}: array without items`);
  for (const r of s.required ?? []) if (!s.properties?.[r]) out.push(`${path}: required ${r} is not a property`);
  if (s.default !== undefined) {
    const t = typeof s.default;
    const ok = s.type === 'integer' ? Number.isInteger(s.default) : s.type === 'string' ? t === 'string' : s.type === 'boolean' ? t === 'boolean' : s.type === 'object' ? t === 'object' : true;
    if (!ok) out.push(`${path}: default ${JSON.stringify(s.default)} is not a ${s.type}`);
    if (s.enum && !s.enum.includes(s.default)) out.push(`${path}: default ${JSON.stringify(s.default)} not in enum`);
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) structuralProblems(v, `${path}.${k}`, out);
  if (s.items) structuralProblems(s.items, `${path}[]`, out);
  if (s.additionalProperties) structuralProblems(s.additionalProperties, `${path}{}`, out);
  return out;
}

for (const c of crds) {
  test(`${c.metadata.name} has a structural schema`, () => {
    const root = c.spec.versions[0]!.schema.openAPIV3Schema;
    assert.deepEqual(structuralProblems(root, 'openAPIV3Schema'), []);
    assert.equal(root.type, 'object');
    assert.deepEqual(root.properties?.metadata, { type: 'object' });
    assert.deepEqual(root.properties?.apiVersion, { type: 'string' });
    assert.deepEqual(root.properties?.kind, { type: 'string' });
    assert.deepEqual(root.required, ['spec']);
  });
}

test('the checker finds what it is meant to find', () => {
  const bad: OpenAPISchema = {
    type: 'object',
    properties: { a: {}, b: { type: 'string', default: 3 }, c: { type: 'string', enum: ['x'], default: 'y' } },
    additionalProperties: { type: 'string' },
    required: ['d'],
  };
  assert.equal(structuralProblems(bad, 'r').length, 5);
});

test('the CRD set: one per kind, named plural.group, every group listed', () => {
  assert.deepEqual(
    crds.map((c) => c.metadata.name),
    [
      'clusters.cluster.karmada.io',
      'propagationpolicies.policy.karmada.io',
      'clusterpropagationpolicies.policy.karmada.io',
      'overridepolicies.policy.karmada.io',
      'clusteroverridepolicies.policy.karmada.io',
      'clustertaintpolicies.policy.karmada.io',
      'resourcebindings.work.karmada.io',
      'clusterresourcebindings.work.karmada.io',
      'works.work.karmada.io',
      'workloadrebalancers.apps.karmada.io',
    ],
  );
  assert.deepEqual(new Set(crds.map((c) => c.spec.group)), new Set(FLOTILLA_GROUPS));
  assert.notEqual(flotillaCRDs()[0], crds[0], 'fresh objects on every call');
});

const table: { name: string; kind: string; scope: string; short?: string[]; categories?: string[]; version: string; status: boolean }[] = [
  { name: 'clusters.cluster.karmada.io', kind: 'Cluster', scope: 'Cluster', version: 'v1alpha1', status: true },
  { name: 'propagationpolicies.policy.karmada.io', kind: 'PropagationPolicy', scope: 'Namespaced', short: ['pp'], categories: ['karmada-io'], version: 'v1alpha1', status: false },
  { name: 'clusterpropagationpolicies.policy.karmada.io', kind: 'ClusterPropagationPolicy', scope: 'Cluster', short: ['cpp'], categories: ['karmada-io'], version: 'v1alpha1', status: false },
  { name: 'overridepolicies.policy.karmada.io', kind: 'OverridePolicy', scope: 'Namespaced', short: ['op'], categories: ['karmada-io'], version: 'v1alpha1', status: false },
  { name: 'clusteroverridepolicies.policy.karmada.io', kind: 'ClusterOverridePolicy', scope: 'Cluster', short: ['cop'], categories: ['karmada-io'], version: 'v1alpha1', status: false },
  { name: 'clustertaintpolicies.policy.karmada.io', kind: 'ClusterTaintPolicy', scope: 'Cluster', version: 'v1alpha1', status: false },
  { name: 'resourcebindings.work.karmada.io', kind: 'ResourceBinding', scope: 'Namespaced', short: ['rb'], categories: ['karmada-io'], version: 'v1alpha2', status: true },
  { name: 'clusterresourcebindings.work.karmada.io', kind: 'ClusterResourceBinding', scope: 'Cluster', short: ['crb'], categories: ['karmada-io'], version: 'v1alpha2', status: true },
  { name: 'works.work.karmada.io', kind: 'Work', scope: 'Namespaced', short: ['wk'], categories: ['karmada-io'], version: 'v1alpha1', status: true },
  { name: 'workloadrebalancers.apps.karmada.io', kind: 'WorkloadRebalancer', scope: 'Cluster', version: 'v1alpha1', status: true },
];

for (const t of table) {
  test(`${t.name}: names, scope, version, subresources`, () => {
    const c = crd(t.name);
    assert.equal(c.spec.scope, t.scope);
    assert.equal(c.spec.names.kind, t.kind);
    assert.equal(c.spec.names.listKind, `${t.kind}List`);
    assert.equal(c.spec.names.singular, t.kind.toLowerCase());
    assert.deepEqual(c.spec.names.shortNames, t.short);
    assert.deepEqual(c.spec.names.categories, t.categories);
    assert.equal(c.spec.versions.length, 1);
    const v = c.spec.versions[0]!;
    assert.equal(v.name, t.version);
    assert.ok(v.served && v.storage);
    assert.deepEqual(v.subresources, t.status ? { status: {} } : undefined);
  });
}

const columns = (name: string) => crd(name).spec.versions[0]!.additionalPrinterColumns?.map((c) => [c.name, c.type, c.jsonPath, c.priority ?? 0]);

test('printer columns match Karmada', () => {
  const age = ['AGE', 'date', '.metadata.creationTimestamp', 0];
  assert.deepEqual(columns('clusters.cluster.karmada.io'), [
    ['VERSION', 'string', '.status.kubernetesVersion', 0],
    ['MODE', 'string', '.spec.syncMode', 0],
    ['READY', 'string', '.status.conditions[?(@.type=="Ready")].status', 0],
    age,
    ['ZONES', 'string', '.spec.zones', 1],
    ['REGION', 'string', '.spec.region', 1],
    ['PROVIDER', 'string', '.spec.provider', 1],
    ['API-ENDPOINT', 'string', '.spec.apiEndpoint', 1],
    ['PROXY-URL', 'string', '.spec.proxyURL', 1],
  ]);
  const policy = [['CONFLICT-RESOLUTION', 'string', '.spec.conflictResolution', 0], ['PRIORITY', 'string', '.spec.priority', 0], age];
  assert.deepEqual(columns('propagationpolicies.policy.karmada.io'), policy);
  assert.deepEqual(columns('clusterpropagationpolicies.policy.karmada.io'), policy);
  const binding = [
    ['SCHEDULED', 'string', '.status.conditions[?(@.type=="Scheduled")].status', 0],
    ['FULLYAPPLIED', 'string', '.status.conditions[?(@.type=="FullyApplied")].status', 0],
    age,
  ];
  assert.deepEqual(columns('resourcebindings.work.karmada.io'), binding);
  assert.deepEqual(columns('clusterresourcebindings.work.karmada.io'), binding);
  assert.deepEqual(columns('works.work.karmada.io'), [
    ['WORKLOAD-KIND', 'string', '.spec.workload.manifests[*].kind', 0],
    ['APPLIED', 'string', '.status.conditions[?(@.type=="Applied")].status', 0],
    age,
  ]);
  for (const n of ['overridepolicies.policy.karmada.io', 'clusteroverridepolicies.policy.karmada.io', 'clustertaintpolicies.policy.karmada.io', 'workloadrebalancers.apps.karmada.io'])
    assert.equal(columns(n), undefined, n);
});

const PP = 'propagationpolicies.policy.karmada.io';
const RB = 'resourcebindings.work.karmada.io';

const defaults: [string, string, unknown][] = [
  [PP, 'spec.conflictResolution', 'Abort'],
  [PP, 'spec.preemption', 'Never'],
  [PP, 'spec.priority', 0],
  [PP, 'spec.schedulerName', 'default-scheduler'],
  [PP, 'spec.placement.replicaScheduling.replicaSchedulingType', 'Divided'],
  [PP, 'spec.failover.application.decisionConditions.tolerationSeconds', 300],
  [PP, 'spec.failover.application.purgeMode', 'Gracefully'],
  [PP, 'spec.failover.cluster.purgeMode', 'Gracefully'],
  ['clusterpropagationpolicies.policy.karmada.io', 'spec.conflictResolution', 'Abort'],
  [RB, 'spec.conflictResolution', 'Abort'],
  [RB, 'spec.placement.replicaScheduling.replicaSchedulingType', 'Divided'],
  [RB, 'spec.failover.application.purgeMode', 'Gracefully'],
];
for (const [name, path, want] of defaults) test(`${name} defaults ${path} to ${JSON.stringify(want)}`, () => assert.equal(at(schemaOf(name), path).default, want));

test('enums, bounds and required fields Karmada validates', () => {
  const pp = schemaOf(PP);
  assert.deepEqual(at(pp, 'spec').required, ['resourceSelectors']);
  assert.equal(at(pp, 'spec.resourceSelectors').minItems, 1);
  assert.deepEqual(at(pp, 'spec.resourceSelectors.[]').required, ['apiVersion', 'kind']);
  assert.deepEqual(at(pp, 'spec.placement.spreadConstraints.[].spreadByField').enum, ['cluster', 'region', 'zone', 'provider']);
  assert.deepEqual(at(pp, 'spec.placement.replicaScheduling.replicaSchedulingType').enum, ['Duplicated', 'Divided']);
  assert.deepEqual(at(pp, 'spec.placement.replicaScheduling.replicaDivisionPreference').enum, ['Aggregated', 'Weighted']);
  assert.deepEqual(at(pp, 'spec.placement.replicaScheduling.weightPreference.dynamicWeight').enum, ['AvailableReplicas']);
  const weight = at(pp, 'spec.placement.replicaScheduling.weightPreference.staticWeightList.[].weight');
  assert.deepEqual([weight.type, weight.format, weight.minimum], ['integer', 'int64', 1]);
  const name = at(pp, 'spec.placement.clusterAffinities.[].affinityName');
  assert.deepEqual([name.minLength, name.maxLength], [1, 32]);
  assert.deepEqual(at(pp, 'spec.preemption').enum, ['Always', 'Never']);
  assert.deepEqual(at(pp, 'spec.conflictResolution').enum, ['Abort', 'Overwrite']);
  assert.deepEqual(at(pp, 'spec.activationPreference').enum, ['Lazy']);
  assert.deepEqual(at(pp, 'spec.failover.application').required, ['decisionConditions']);
  assert.deepEqual(at(pp, 'spec.failover.cluster.purgeMode').enum, ['Directly', 'Gracefully']);
  assert.equal(at(pp, 'spec.priority').format, 'int32');

  const cluster = schemaOf('clusters.cluster.karmada.io');
  assert.deepEqual(at(cluster, 'spec').required, ['syncMode']);
  assert.deepEqual(at(cluster, 'spec.syncMode').enum, ['Push', 'Pull']);
  assert.equal(at(cluster, 'spec.resourceModels.[].ranges.[].min')['x-kubernetes-int-or-string'], true);
  assert.equal(at(cluster, 'status.resourceSummary.allocatable').additionalProperties?.['x-kubernetes-int-or-string'], true);

  const rb = schemaOf(RB);
  const reason = at(rb, 'spec.gracefulEvictionTasks.[].reason');
  assert.deepEqual([reason.minLength, reason.maxLength], [1, 32]);
  assert.deepEqual(at(rb, 'spec.gracefulEvictionTasks.[]').required, ['fromCluster', 'reason', 'producer']);
  assert.deepEqual(at(rb, 'status.aggregatedStatus.[].health').enum, ['Healthy', 'Unhealthy', 'Unknown']);
  assert.deepEqual(at(rb, 'status.aggregatedStatus.[].status'), { type: 'object', description: "The member object's status.", 'x-kubernetes-preserve-unknown-fields': true });

  const work = schemaOf('works.work.karmada.io');
  const manifest = at(work, 'spec.workload.manifests.[]');
  assert.equal(manifest['x-kubernetes-embedded-resource'], true);
  assert.equal(manifest['x-kubernetes-preserve-unknown-fields'], true);
  assert.equal(at(work, 'status.manifestStatuses.[].status')['x-kubernetes-preserve-unknown-fields'], true);

  assert.equal(at(schemaOf('workloadrebalancers.apps.karmada.io'), 'spec.workloads').minItems, 1);
  assert.equal(at(schemaOf('clustertaintpolicies.policy.karmada.io'), 'spec.taints').minItems, 1);
  const plaintextValue = at(schemaOf('overridepolicies.policy.karmada.io'), 'spec.overrideRules.[].overriders.plaintext.[].value');
  assert.equal(plaintextValue.type, undefined);
  assert.equal(plaintextValue['x-kubernetes-preserve-unknown-fields'], true);
});

test('resourceForKind finds the served resource', () => {
  assert.equal(resourceForKind('work.karmada.io', 'Work')?.plural, 'works');
  assert.equal(resourceForKind('work.karmada.io', 'Cluster'), undefined);
  assert.equal(FLOTILLA_RESOURCES.length, crds.length);
});
