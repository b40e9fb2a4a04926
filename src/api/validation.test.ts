import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, ClusterSpec } from './cluster.js';
import { defaultCluster, defaultPropagationPolicy } from './defaults.js';
import type { OverrideSpec } from './overriders.js';
import type { Placement } from './placement.js';
import type { ClusterTaintPolicySpec, PropagationPolicy, PropagationSpec } from './policy.js';
import { GOOD } from './testing/examples.js';
import type { ResourceBindingSpec } from './work.js';
import type { WorkloadRebalancer } from './apps.js';
import {
  validateBindingSpec,
  validateCluster,
  validateClusterTaintPolicySpec,
  validateObject,
  validateOverrideSpec,
  validatePropagationPolicy,
  validatePropagationSpec,
  validateWorkloadRebalancer,
} from './validation.js';
import type { ValidationCause } from './validation.js';

/** [field, reason, message fragment] */
type Want = [string, ValidationCause['reason'], string];

function expectCauses(got: ValidationCause[], want: Want[]): void {
  const summary = JSON.stringify(got, null, 1);
  assert.equal(got.length, want.length, summary);
  want.forEach(([field, reason, fragment], i) => {
    assert.equal(got[i]!.field, field, summary);
    assert.equal(got[i]!.reason, reason, summary);
    assert.ok(got[i]!.message.includes(fragment), `${got[i]!.message} should include ${fragment}`);
  });
}

const policy = (spec: Partial<PropagationSpec>): PropagationPolicy =>
  defaultPropagationPolicy({
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'p', namespace: 'default' },
    spec: { resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' }], ...spec },
  });
const placement = (p: Placement) => policy({ placement: p }).spec;

const specCases: [string, PropagationSpec, Want[]][] = [
  ['a plain policy is valid', policy({}).spec, []],
  [
    'clusterAffinity and clusterAffinities are exclusive',
    placement({ clusterAffinity: { clusterNames: ['m1'] }, clusterAffinities: [{ affinityName: 'g1', clusterNames: ['m1'] }] }),
    [['spec.placement', 'FieldValueInvalid', 'clusterAffinities cannot co-exist with clusterAffinity']],
  ],
  [
    'even an empty clusterAffinities list conflicts (Karmada checks for nil)',
    placement({ clusterAffinity: {}, clusterAffinities: [] }),
    [['spec.placement', 'FieldValueInvalid', 'cannot co-exist']],
  ],
  [
    'field selector key must be provider, region or zone',
    placement({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['x'] }] } } }),
    [['spec.placement.clusterAffinity.fieldSelector', 'FieldValueInvalid', 'unsupported key "foo", must be provider, region, or zone']],
  ],
  [
    'field selector operator must be In or NotIn',
    placement({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'Exists' }] } } }),
    [['spec.placement.clusterAffinity.fieldSelector', 'FieldValueInvalid', 'unsupported operator "Exists", must be In or NotIn']],
  ],
  ['zone may also use Exists', placement({ clusterAffinity: { fieldSelector: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } } }), []],
  [
    'affinity names are unique',
    placement({ clusterAffinities: [{ affinityName: 'g', clusterNames: ['m1'] }, { affinityName: 'g', clusterNames: ['m2'] }] }),
    [['spec.placement.clusterAffinities', 'FieldValueInvalid', 'each affinity term in a policy must have a unique name']],
  ],
  [
    'affinity names are qualified names',
    placement({ clusterAffinities: [{ affinityName: 'not a name' }] }),
    [['spec.placement.clusterAffinities[0]', 'FieldValueInvalid', "name part must consist of alphanumeric characters"]],
  ],
  [
    'a term field selector is checked at its index',
    placement({ clusterAffinities: [{ affinityName: 'g', fieldSelector: { matchExpressions: [{ key: 'foo', operator: 'In' }] } }] }),
    [['spec.placement.clusterAffinities[0].fieldSelector', 'FieldValueInvalid', 'unsupported key']],
  ],
  [
    'overflow needs aggregated or dynamic-weight division',
    placement({ clusterAffinities: [{ affinityName: 'p', clusterNames: ['m1'], overflowAffinities: [{ affinityName: 'o', clusterNames: ['m2'] }] }] }),
    [['spec.placement.clusterAffinities', 'FieldValueInvalid', 'overflowAffinities can only be used together with dynamic weight or aggregated scheduling']],
  ],
  [
    'overflow with static weights is rejected',
    placement({
      clusterAffinities: [{ affinityName: 'p', clusterNames: ['m1'], overflowAffinities: [{ affinityName: 'o', clusterNames: ['m2'] }] }],
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['m1'] }, weight: 1 }] } },
    }),
    [['spec.placement.clusterAffinities', 'FieldValueInvalid', 'dynamic weight or aggregated']],
  ],
  [
    'overflow with dynamic weights is fine',
    placement({
      clusterAffinities: [{ affinityName: 'p', clusterNames: ['m1'], overflowAffinities: [{ affinityName: 'o', clusterNames: ['m2'] }] }],
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted', weightPreference: { dynamicWeight: 'AvailableReplicas' } },
    }),
    [],
  ],
  [
    'overflow needs an inline affinity, and unique names not repeating the primary',
    placement({
      clusterAffinities: [{ affinityName: 'p', overflowAffinities: [{ affinityName: 'p', clusterNames: ['m2'] }] }],
      replicaScheduling: { replicaDivisionPreference: 'Aggregated' },
    }),
    [
      ['spec.placement.clusterAffinities[0].overflowAffinities', 'FieldValueInvalid', 'overflowAffinities can only be used together with the inline ClusterAffinity'],
      ['spec.placement.clusterAffinities[0].overflowAffinities[0].affinityName', 'FieldValueInvalid', "must not duplicate the primary group's affinityName"],
    ],
  ],
  [
    'spreadByField and spreadByLabel are exclusive',
    placement({ spreadConstraints: [{ spreadByField: 'cluster', spreadByLabel: 'rack', minGroups: 1 }] }),
    [['spec.placement.spreadConstraints[0]', 'FieldValueInvalid', 'spreadByLabel should not co-exist with spreadByField']],
  ],
  [
    'maxGroups may not be below minGroups',
    placement({ spreadConstraints: [{ spreadByField: 'cluster', minGroups: 3, maxGroups: 2 }] }),
    [['spec.placement.spreadConstraints[0]', 'FieldValueInvalid', 'maxGroups lower than minGroups is not allowed']],
  ],
  [
    'negative groups',
    placement({ spreadConstraints: [{ spreadByField: 'cluster', minGroups: -1, maxGroups: -1 }] }),
    [
      ['spec.placement.spreadConstraints[0]', 'FieldValueInvalid', 'minGroups lower than 0 is not allowed'],
      ['spec.placement.spreadConstraints[0]', 'FieldValueInvalid', 'maxGroups lower than 0 is not allowed'],
    ],
  ],
  [
    'spread by region needs a cluster constraint',
    placement({ spreadConstraints: [{ spreadByField: 'region', minGroups: 2, maxGroups: 2 }] }),
    [['spec.placement.spreadConstraints', 'FieldValueInvalid', 'the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled']],
  ],
  ['spread by region with a cluster constraint', placement({ spreadConstraints: [{ spreadByField: 'region', maxGroups: 2 }, { spreadByField: 'cluster', maxGroups: 4 }] }), []],
  ['a defaulted empty constraint is a cluster constraint', placement({ spreadConstraints: [{ spreadByField: 'zone' }, {}] }), []],
  ['spread by label alone needs no cluster constraint', placement({ spreadConstraints: [{ spreadByLabel: 'rack' }] }), []],
  [
    'one constraint per field',
    placement({ spreadConstraints: [{ spreadByField: 'cluster' }, { spreadByField: 'cluster' }, { spreadByField: 'cluster' }] }),
    [['spec.placement.spreadConstraints', 'FieldValueInvalid', 'multiple cluster spread constraints are not allowed']],
  ],
  [
    'toleration operators are Equal or Exists',
    placement({ clusterTolerations: [{ key: 'a', operator: 'Equal', value: 'v' }, { key: 'b', operator: 'Lt', value: '100' }, { key: 'c', value: 'v' }] }),
    [['spec.placement.clusterTolerations[1].operator', 'FieldValueNotSupported', 'supported values: "Equal", "Exists"']],
  ],
  [
    'an empty toleration key needs Exists; Exists needs no value',
    placement({ clusterTolerations: [{ operator: 'Equal', value: 'v' }, { key: 'k', operator: 'Exists', value: 'v' }, { operator: 'Exists' }] }),
    [
      ['spec.placement.clusterTolerations[0].operator', 'FieldValueInvalid', 'operator must be Exists when `key` is empty'],
      ['spec.placement.clusterTolerations[1].operator', 'FieldValueInvalid', "value must be empty when `operator` is 'Exists'"],
    ],
  ],
  [
    'workload affinity keys are label keys and differ',
    placement({ workloadAffinity: { affinity: { groupByLabelKey: 'app.group' }, antiAffinity: { groupByLabelKey: 'app.group' } } }),
    [['spec.placement.workloadAffinity', 'FieldValueInvalid', 'affinity and antiAffinity must not use the same groupByLabelKey']],
  ],
  [
    'workload affinity key syntax',
    placement({ workloadAffinity: { antiAffinity: { groupByLabelKey: 'INVALID KEY!' } } }),
    [['spec.placement.workloadAffinity.antiAffinity.groupByLabelKey', 'FieldValueInvalid', 'name part must consist']],
  ],
  [
    'application failover needs propagateDeps',
    policy({ failover: { application: { decisionConditions: {} } } }).spec,
    [['spec.propagateDeps', 'FieldValueInvalid', 'application failover is set, propagateDeps must be true']],
  ],
  [
    'gracePeriodSeconds only with a graceful purge mode',
    policy({ propagateDeps: true, failover: { application: { decisionConditions: {}, purgeMode: 'Directly', gracePeriodSeconds: 10 } } }).spec,
    [['spec.failover.application.gracePeriodSeconds', 'FieldValueInvalid', 'only takes effect when purgeMode is Gracefully']],
  ],
  [
    'gracePeriodSeconds must be positive, tolerationSeconds not negative',
    policy({ propagateDeps: true, failover: { application: { decisionConditions: { tolerationSeconds: -1 }, purgeMode: 'Gracefully', gracePeriodSeconds: 0 } } }).spec,
    [
      ['spec.failover.application.decisionConditions.tolerationSeconds', 'FieldValueInvalid', 'must be greater than or equal to 0'],
      ['spec.failover.application.gracePeriodSeconds', 'FieldValueInvalid', 'must be greater than 0'],
    ],
  ],
  [
    'a graceful purge mode without grace (defaulting skipped)',
    { resourceSelectors: [{ apiVersion: 'v1', kind: 'Pod' }], propagateDeps: true, failover: { application: { decisionConditions: {}, purgeMode: 'Graciously' } } },
    [['spec.failover.application.gracePeriodSeconds', 'FieldValueInvalid', 'should not be empty when purgeMode is Gracefully']],
  ],
  [
    'preemption Always needs named selectors',
    policy({ preemption: 'Always', resourceSelectors: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' }, { apiVersion: 'v1', kind: 'ConfigMap' }] }).spec,
    [['spec.resourceSelectors[1].name', 'FieldValueInvalid', 'name cannot be empty if preemption is Always']],
  ],
  [
    'suspension dispatching and dispatchingOnClusters are exclusive',
    policy({ suspension: { dispatching: true, dispatchingOnClusters: { clusterNames: ['m1'] } } }).spec,
    [['spec.suspension', 'FieldValueInvalid', 'suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames']],
  ],
  ['dispatching false with clusters is fine', policy({ suspension: { dispatching: false, dispatchingOnClusters: { clusterNames: ['m1'] } } }).spec, []],
];

for (const [name, spec, want] of specCases) test(`PropagationSpec: ${name}`, () => expectCauses(validatePropagationSpec(spec), want));

test('PropagationPolicy update: schedulerName and the permanent ID are fixed', () => {
  const created = defaultPropagationPolicy(policy({}), { operation: 'CREATE', newId: () => 'id' });
  expectCauses(validatePropagationPolicy(created, created), []);
  const changed = structuredClone(created);
  changed.spec.schedulerName = 'other';
  changed.metadata.labels = { 'propagationpolicy.karmada.io/permanent-id': 'forged' };
  expectCauses(validatePropagationPolicy(changed, created), [
    ['spec.schedulerName', 'FieldValueForbidden', 'the schedulerName should not be updated'],
    ['metadata.labels[propagationpolicy.karmada.io/permanent-id]', 'FieldValueForbidden', 'is immutable'],
  ]);
});

const overrideCases: [string, OverrideSpec, Want[]][] = [
  ['rules with a target cluster', { overrideRules: [{ targetCluster: { clusterNames: ['m1'] }, overriders: {} }] }, []],
  ['the deprecated pair', { targetCluster: { clusterNames: ['m1'] }, overriders: { plaintext: [{ path: '/spec/replicas', operator: 'replace', value: 1 }] } }, []],
  [
    'overrideRules and targetCluster are exclusive',
    { overrideRules: [{ overriders: {} }], targetCluster: { clusterNames: ['m1'] } },
    [['spec.targetCluster', 'FieldValueInvalid', "overrideRules and targetCluster can't co-exist"]],
  ],
  [
    'overrideRules and overriders are exclusive',
    { overrideRules: [{ overriders: {} }], overriders: { plaintext: [{ path: '/a', operator: 'remove' }] } },
    [['spec.overriders', 'FieldValueInvalid', "overrideRules and overriders can't co-exist"]],
  ],
  [
    'label and annotation keys are checked',
    {
      overrideRules: [
        {
          overriders: {
            annotationsOverrider: [{ operator: 'add', value: { 'testannotation~projectId': 'x' } }],
            labelsOverrider: [{ operator: 'add', value: { ok: 'bad value!' } }],
          },
        },
      ],
    },
    [
      ['spec.overrideRules[0].overriders.annotationsOverrider[0].value', 'FieldValueInvalid', 'name part must consist'],
      ['spec.overrideRules[0].overriders.labelsOverrider[0].value', 'FieldValueInvalid', 'a valid label must be'],
    ],
  ],
  [
    'image predicate paths are JSON pointers',
    { overrideRules: [{ overriders: { imageOverrider: [{ predicate: { path: 'spec/template/spec/containers/0/image' }, component: 'Tag', operator: 'replace', value: 'v2' }] } }] },
    [['spec.overrideRules[0].overriders.imageOverrider[0].predicate.path', 'FieldValueInvalid', 'JSON pointer must be empty or start with a "/"']],
  ],
  [
    'plaintext paths start with /',
    { overrideRules: [{ overriders: { plaintext: [{ path: 'spec/image', operator: 'replace', value: 'x' }] } }] },
    [['spec.overrideRules[0].overriders.plaintext[0].path', 'FieldValueInvalid', 'must be a JSON pointer starting with "/"']],
  ],
  [
    'the deprecated overriders are checked too',
    { overriders: { plaintext: [{ path: 'spec/image', operator: 'remove' }] } },
    [['spec.overriders.plaintext[0].path', 'FieldValueInvalid', 'JSON pointer']],
  ],
  [
    'a field overrider needs json xor yaml',
    {
      overrideRules: [
        {
          overriders: {
            fieldOverrider: [
              { fieldPath: '/data/a', json: [{ subPath: '/k', operator: 'remove' }], yaml: [{ subPath: '/k', operator: 'remove' }] },
              { fieldPath: '/data/b' },
            ],
          },
        },
      ],
    },
    [
      ['spec.overrideRules[0].overriders.fieldOverrider[0]', 'FieldValueInvalid', 'FieldOverrider has both YAML and JSON set. Only one is allowed'],
      ['spec.overrideRules[0].overriders.fieldOverrider[1]', 'FieldValueInvalid', 'FieldOverrider must have either YAML or JSON set'],
    ],
  ],
  [
    'field overrider pointers and values',
    {
      overrideRules: [
        {
          overriders: {
            fieldOverrider: [
              {
                fieldPath: 'data/a',
                yaml: [
                  { subPath: 'k', operator: 'add' },
                  { subPath: '/k', operator: 'remove', value: 1 },
                  { subPath: '/k', operator: 'replace', value: null },
                ],
              },
            ],
          },
        },
      ],
    },
    [
      ['spec.overrideRules[0].overriders.fieldOverrider[0].fieldPath', 'FieldValueInvalid', 'JSON pointer'],
      ['spec.overrideRules[0].overriders.fieldOverrider[0].yaml[0].subPath', 'FieldValueInvalid', 'JSON pointer'],
      ['spec.overrideRules[0].overriders.fieldOverrider[0].yaml[0].value', 'FieldValueInvalid', 'value is required for add or replace operation'],
      ['spec.overrideRules[0].overriders.fieldOverrider[0].yaml[1].value', 'FieldValueInvalid', 'value is not allowed for remove operation'],
    ],
  ],
  [
    'target cluster field selectors',
    { overrideRules: [{ targetCluster: { fieldSelector: { matchExpressions: [{ key: 'provider', operator: 'Gt', values: ['1'] }] } }, overriders: {} }] },
    [['spec.overrideRules[0].targetCluster.fieldSelector', 'FieldValueInvalid', 'unsupported operator "Gt"']],
  ],
];

for (const [name, spec, want] of overrideCases) test(`OverrideSpec: ${name}`, () => expectCauses(validateOverrideSpec(spec), want));

const clusterOf = (name: string, spec: Partial<ClusterSpec>): Cluster =>
  defaultCluster({ apiVersion: 'cluster.karmada.io/v1alpha1', kind: 'Cluster', metadata: { name }, spec: { syncMode: 'Push', ...spec } });

const clusterCases: [string, Cluster, Want[]][] = [
  ['a valid cluster', clusterOf('member1', { apiEndpoint: 'https://10.0.0.1:6443', proxyURL: 'socks5://proxy:1080', secretRef: { namespace: 'karmada-cluster', name: 'member1' } }), []],
  ['name longer than 48', clusterOf('a'.repeat(49), {}), [['metadata.name', 'FieldValueInvalid', 'must be no more than 48 characters']]],
  ['name not a DNS label', clusterOf('Member_1', {}), [['metadata.name', 'FieldValueInvalid', 'a lowercase RFC 1123 label must consist']]],
  [
    'syncMode required and supported',
    { ...clusterOf('m1', {}), spec: { ...clusterOf('m1', {}).spec, syncMode: '' as 'Push' } },
    [
      ['spec.syncMode', 'FieldValueRequired', 'Required value'],
      ['spec.syncMode', 'FieldValueNotSupported', 'supported values: "Pull", "Push"'],
    ],
  ],
  ['apiEndpoint needs a host', clusterOf('m1', { apiEndpoint: '10.0.0.1:6443' }), [['spec.apiEndpoint', 'FieldValueInvalid', 'host must be provided']]],
  [
    'apiEndpoint without user info, query or fragment',
    clusterOf('m1', { apiEndpoint: 'https://u:p@h:6443/?a=b#f' }),
    [
      ['spec.apiEndpoint', 'FieldValueInvalid', 'user information is not permitted in the URL'],
      ['spec.apiEndpoint', 'FieldValueInvalid', 'fragments are not permitted in the URL'],
      ['spec.apiEndpoint', 'FieldValueInvalid', 'query parameters are not permitted in the URL'],
    ],
  ],
  ['proxyURL scheme', clusterOf('m1', { proxyURL: 'ftp://proxy' }), [['spec.proxyURL', 'FieldValueInvalid', 'unsupported scheme "ftp", must be http, https, or socks5']]],
  [
    'secret references name both parts',
    clusterOf('m1', { secretRef: { namespace: '', name: 'x' }, impersonatorSecretRef: { namespace: 'ns', name: '' } }),
    [
      ['spec.secretRef.namespace', 'FieldValueRequired', 'Required value'],
      ['spec.impersonatorSecretRef.name', 'FieldValueRequired', 'Required value'],
    ],
  ],
  [
    'taints: key, effect, uniqueness',
    clusterOf('m1', { taints: [{ key: 'a b', effect: 'NoSchedule' }, { key: 'k', effect: 'Evict' }, { key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }] }),
    [
      ['spec.taints[0].key', 'FieldValueInvalid', 'name part must consist'],
      ['spec.taints[1].effect', 'FieldValueNotSupported', 'supported values'],
      ['spec.taints[3]', 'FieldValueInvalid', 'taints must be unique by key and effect pair'],
    ],
  ],
  [
    'resource models: unsupported resource',
    clusterOf('m1', { resourceModels: [{ grade: 0, ranges: [{ name: 'gpu', min: '0', max: '1' }] }] }),
    [['spec.resourceModels.ranges.name', 'FieldValueNotSupported', '"cpu", "ephemeral-storage", "memory", "storage"']],
  ],
  [
    'resource models: max above min',
    clusterOf('m1', { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }] }, { grade: 1, ranges: [{ name: 'cpu', min: '1', max: '1' }] }, { grade: 2, ranges: [{ name: 'cpu', min: '1', max: '3' }] }] }),
    [['spec.resourceModels', 'FieldValueInvalid', 'The max value of each resource must be greater than the min value']],
  ],
  [
    'resource models: contiguous grades',
    clusterOf('m1', { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }] }, { grade: 1, ranges: [{ name: 'cpu', min: '2', max: '3' }] }] }),
    [['spec.resourceModels', 'FieldValueInvalid', 'Model intervals for resources must be contiguous and non-overlapping']],
  ],
  [
    'resource models: same resources per grade',
    clusterOf('m1', { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }] }, { grade: 1, ranges: [{ name: 'cpu', min: '1', max: '2' }, { name: 'memory', min: '0', max: '1' }] }] }),
    [['spec.resourceModels', 'FieldValueInvalid', 'The number of resource types should be the same']],
  ],
  [
    'resource models: distinct grades',
    clusterOf('m1', { resourceModels: [{ grade: 0, ranges: [{ name: 'cpu', min: '0', max: '1' }] }, { grade: 0, ranges: [{ name: 'cpu', min: '1', max: '2' }] }] }),
    [['spec.resourceModels', 'FieldValueInvalid', 'The grade of each models should not be the same']],
  ],
];

for (const [name, c, want] of clusterCases) test(`Cluster: ${name}`, () => expectCauses(validateCluster(c), want));

const taintSpec = (taints: ClusterTaintPolicySpec['taints'], more: Partial<ClusterTaintPolicySpec> = {}): ClusterTaintPolicySpec => ({ taints, ...more });
const ctpCases: [string, ClusterTaintPolicySpec, boolean, Want[]][] = [
  ['NoSchedule is allowed', taintSpec([{ key: 'not-ready', effect: 'NoSchedule' }]), false, []],
  [
    'NoExecute needs the administrator switch',
    taintSpec([{ key: 'not-ready', effect: 'NoExecute' }]),
    false,
    [['spec.taints[0]', 'FieldValueForbidden', 'Configuring taint with NoExecute effect is not allowed']],
  ],
  ['NoExecute allowed when enabled', taintSpec([{ key: 'not-ready', effect: 'NoExecute' }]), true, []],
  [
    'duplicate key and effect',
    taintSpec([{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule', value: 'x' }, { key: 'a', effect: 'PreferNoSchedule' }]),
    false,
    [['spec.taints[0]', 'FieldValueDuplicate', 'Duplicate taint with the same key(a) and effect(NoSchedule) is not allowed']],
  ],
  [
    'operators In or NotIn; a known effect; a valid target selector',
    taintSpec([{ key: 'a', effect: 'Evict' }], {
      addOnConditions: [{ conditionType: 'Ready', operator: 'Equals', statusValues: ['False'] }],
      targetClusters: { fieldSelector: { matchExpressions: [{ key: 'name', operator: 'In' }] } },
    }),
    false,
    [
      ['spec.taints[0].effect', 'FieldValueNotSupported', 'supported values'],
      ['spec.addOnConditions[0].operator', 'FieldValueNotSupported', 'supported values: "In", "NotIn"'],
      ['spec.targetClusters.fieldSelector', 'FieldValueInvalid', 'unsupported key "name"'],
    ],
  ],
];

for (const [name, spec, allowNoExecute, want] of ctpCases) test(`ClusterTaintPolicy: ${name}`, () => expectCauses(validateClusterTaintPolicySpec(spec, { allowNoExecute }), want));

const bindingCases: [string, ResourceBindingSpec, Want[]][] = [
  ['scheduled', { resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, replicas: 2, clusters: [{ name: 'm1', replicas: 1 }, { name: 'm2', replicas: 1 }] }, []],
  [
    'a cluster twice, negative replicas',
    { resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, replicas: -1, clusters: [{ name: 'm1', replicas: -2 }, { name: 'm1' }] },
    [
      ['spec.replicas', 'FieldValueInvalid', 'must be greater than or equal to 0'],
      ['spec.clusters[0].replicas', 'FieldValueInvalid', 'must be greater than or equal to 0'],
      ['spec.clusters[1].name', 'FieldValueDuplicate', 'Duplicate value: "m1"'],
    ],
  ],
  [
    'an eviction task waits either for a period or for release',
    { resource: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, gracefulEvictionTasks: [{ fromCluster: 'm1', reason: 'TaintUntolerated', producer: 'TaintManager', gracePeriodSeconds: 0, suppressDeletion: true }] },
    [
      ['spec.gracefulEvictionTasks[0]', 'FieldValueInvalid', 'gracePeriodSeconds and suppressDeletion can not co-exist'],
      ['spec.gracefulEvictionTasks[0].gracePeriodSeconds', 'FieldValueInvalid', 'must be greater than 0'],
    ],
  ],
];

for (const [name, spec, want] of bindingCases) test(`ResourceBinding: ${name}`, () => expectCauses(validateBindingSpec(spec), want));

test('WorkloadRebalancer: the spec is fixed once created', () => {
  const wr: WorkloadRebalancer = {
    apiVersion: 'apps.karmada.io/v1alpha1',
    kind: 'WorkloadRebalancer',
    metadata: { name: 'r' },
    spec: { workloads: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'a', namespace: 'default' }] },
  };
  expectCauses(validateWorkloadRebalancer(wr), []);
  expectCauses(validateWorkloadRebalancer({ ...wr, status: { observedGeneration: 1 } }, wr), []);
  const changed = structuredClone(wr);
  changed.spec.workloads.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'b', namespace: 'default' });
  expectCauses(validateWorkloadRebalancer(changed, wr), [['spec', 'FieldValueForbidden', 'the spec field should not be modified']]);
});

test('validateObject: every documented example, defaulted, passes schema and semantic checks', () => {
  for (const e of GOOD) {
    const obj = e.obj.kind === 'PropagationPolicy' ? defaultPropagationPolicy(e.obj as unknown as PropagationPolicy) : e.obj;
    assert.deepEqual(validateObject(obj as Parameters<typeof validateObject>[0], undefined, { schema: true }), [], e.name);
  }
});

test('validateObject: schema errors come first and stop the semantic checks', () => {
  const causes = validateObject({ apiVersion: 'policy.karmada.io/v1alpha1', kind: 'PropagationPolicy', metadata: {}, spec: { resourceSelectors: [] } } as unknown as PropagationPolicy, undefined, { schema: true });
  expectCauses(causes, [['spec.resourceSelectors', 'FieldValueInvalid', 'Expected array length to be greater or equal to 1']]);
});
