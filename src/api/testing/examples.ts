/**
 * Manifests in the shapes Karmada's documentation teaches (propagation to named clusters, weighted
 * and dynamic division, spread by region, per-cluster overrides, failover, taint policies), plus
 * objects the controllers write (Cluster, bindings, Work). Test data only: excluded from the build.
 */
import { parse } from 'yaml';

export interface Example {
  name: string;
  obj: { apiVersion: string; kind: string; [k: string]: unknown };
}

const y = (name: string, text: string): Example => ({ name, obj: parse(text) });

export const GOOD: Example[] = [
  y(
    'propagate a Deployment to member1 and member2',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: nginx-propagation
  namespace: default
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  placement:
    clusterAffinity:
      clusterNames:
        - member1
        - member2
`,
  ),
  y(
    'static weighted division 1:2',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: weighted
  namespace: default
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      labelSelector:
        matchLabels:
          app: nginx
  placement:
    clusterAffinity:
      clusterNames: [member1, member2]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
          - targetCluster:
              clusterNames: [member1]
            weight: 1
          - targetCluster:
              clusterNames: [member2]
            weight: 2
`,
  ),
  y(
    'dynamic weight by available replicas, cluster label affinity',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata:
  name: dynamic
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      namespace: web
  priority: 10
  preemption: Never
  placement:
    clusterAffinity:
      labelSelector:
        matchExpressions:
          - key: env
            operator: In
            values: [prod]
      exclude: [member4]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
`,
  ),
  y(
    'spread by region over two regions',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: spread
  namespace: default
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  placement:
    clusterAffinity:
      fieldSelector:
        matchExpressions:
          - key: provider
            operator: In
            values: [huaweicloud]
          - key: region
            operator: NotIn
            values: [cn-south-1]
    spreadConstraints:
      - spreadByField: region
        maxGroups: 2
        minGroups: 2
      - spreadByField: cluster
        maxGroups: 4
        minGroups: 2
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
`,
  ),
  y(
    'failover with tolerations, stateful preservation and a legacy purge mode',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: failover
  namespace: default
spec:
  propagateDeps: true
  conflictResolution: Overwrite
  resourceSelectors:
    - apiVersion: apps/v1
      kind: StatefulSet
      name: flink
  failover:
    application:
      decisionConditions:
        tolerationSeconds: 120
      purgeMode: Graciously
      gracePeriodSeconds: 600
      statePreservation:
        rules:
          - aliasLabelName: failover.karmada.io/checkpoint
            jsonPath: "{ .jobStatus.checkpointInfo }"
    cluster:
      purgeMode: Directly
  placement:
    clusterTolerations:
      - key: cluster.karmada.io/not-ready
        operator: Exists
        effect: NoExecute
        tolerationSeconds: 60
    clusterAffinities:
      - affinityName: primary
        clusterNames: [member1]
        overflowAffinities:
          - affinityName: burst
            clusterNames: [member3]
      - affinityName: backup
        clusterNames: [member2]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
  suspension:
    dispatchingOnClusters:
      clusterNames: [member2]
  preserveResourcesOnDeletion: true
  schedulePriority:
    priorityClassSource: KubePriorityClass
    priorityClassName: high
`,
  ),
  y(
    'override image registry on member1, replicas and config on member2',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata:
  name: nginx-override
  namespace: default
spec:
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
  overrideRules:
    - targetCluster:
        clusterNames: [member1]
      overriders:
        imageOverrider:
          - component: Registry
            operator: replace
            value: registry.example.com
        argsOverrider:
          - containerName: nginx
            operator: add
            value: ["--v=4"]
    - targetCluster:
        clusterNames: [member2]
      overriders:
        plaintext:
          - path: /spec/replicas
            operator: replace
            value: 3
        labelsOverrider:
          - operator: add
            value:
              env: prod
        annotationsOverrider:
          - operator: remove
            value:
              team: ""
        fieldOverrider:
          - fieldPath: /data/db-config.yaml
            yaml:
              - subPath: /database/port
                operator: replace
                value: "3307"
`,
  ),
  y(
    'cluster-wide override with the deprecated targetCluster/overriders form',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterOverridePolicy
metadata:
  name: legacy
spec:
  resourceSelectors:
    - apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
  targetCluster:
    clusterNames: [member1]
  overriders:
    plaintext:
      - path: /metadata/annotations/owner
        operator: add
        value: platform
`,
  ),
  y(
    'taint clusters that are not ready',
    `
apiVersion: policy.karmada.io/v1alpha1
kind: ClusterTaintPolicy
metadata:
  name: not-ready
spec:
  targetClusters:
    clusterNames: [member1, member2]
  addOnConditions:
    - conditionType: Ready
      operator: NotIn
      statusValues: ["True"]
  removeOnConditions:
    - conditionType: Ready
      operator: In
      statusValues: ["True"]
  taints:
    - key: not-ready
      effect: NoSchedule
`,
  ),
  y(
    'a joined push-mode cluster with status',
    `
apiVersion: cluster.karmada.io/v1alpha1
kind: Cluster
metadata:
  name: member1
spec:
  id: 4f1c2a9e-7d5b-4c55-9a64-1b2f3c4d5e6f
  syncMode: Push
  apiEndpoint: https://172.18.0.3:6443
  secretRef:
    namespace: karmada-cluster
    name: member1
  impersonatorSecretRef:
    namespace: karmada-cluster
    name: member1-impersonator
  provider: huaweicloud
  region: cn-north-1
  zones: [cn-north-1a]
  taints:
    - key: cluster.karmada.io/not-ready
      effect: NoSchedule
  resourceModels:
    - grade: 0
      ranges:
        - name: cpu
          min: "0"
          max: "1"
        - name: memory
          min: "0"
          max: 4Gi
    - grade: 1
      ranges:
        - name: cpu
          min: "1"
          max: "9223372036854775807"
        - name: memory
          min: 4Gi
          max: "9223372036854775807"
status:
  kubernetesVersion: v1.31.0
  apiEnablements:
    - groupVersion: apps/v1
      resources:
        - name: deployments
          kind: Deployment
  conditions:
    - type: Ready
      status: "True"
      reason: ClusterReady
      message: cluster is healthy and ready to accept workloads
      lastTransitionTime: "2025-01-01T00:00:00Z"
  nodeSummary:
    totalNum: 3
    readyNum: 3
  resourceSummary:
    allocatable:
      cpu: "12"
      memory: 48Gi
      pods: 330
    allocated:
      cpu: 2500m
    allocatableModelings:
      - grade: 0
        count: 1
      - grade: 1
        count: 2
`,
  ),
  y(
    'a scheduled ResourceBinding with an eviction in progress',
    `
apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata:
  name: nginx-deployment
  namespace: default
spec:
  resource:
    apiVersion: apps/v1
    kind: Deployment
    namespace: default
    name: nginx
    uid: 0b1e6a1c-1f58-4d6c-9c54-2a3a4b5c6d7e
    resourceVersion: "1234"
  replicas: 3
  replicaRequirements:
    resourceRequest:
      cpu: 100m
      memory: 128Mi
    nodeClaim:
      nodeSelector:
        disk: ssd
      tolerations:
        - key: dedicated
          operator: Equal
          value: web
          effect: NoSchedule
  clusters:
    - name: member1
      replicas: 2
    - name: member3
      replicas: 1
  placement:
    clusterAffinity:
      clusterNames: [member1, member2, member3]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
  gracefulEvictionTasks:
    - fromCluster: member2
      reason: TaintUntolerated
      producer: TaintManager
      purgeMode: Gracefully
      replicas: 1
      gracePeriodSeconds: 600
      creationTimestamp: "2025-01-01T00:00:00Z"
  requiredBy:
    - namespace: default
      name: web-deployment
      clusters:
        - name: member1
  schedulerName: default-scheduler
  conflictResolution: Abort
  rescheduleTriggeredAt: "2025-01-01T00:00:00Z"
  suspension:
    scheduling: false
status:
  schedulerObservedGeneration: 2
  schedulerObservingAffinityName: primary
  lastScheduledTime: "2025-01-01T00:00:01Z"
  conditions:
    - type: Scheduled
      status: "True"
      reason: Success
      message: Binding has been scheduled successfully.
      lastTransitionTime: "2025-01-01T00:00:01Z"
  aggregatedStatus:
    - clusterName: member1
      applied: true
      health: Healthy
      status:
        readyReplicas: 2
        replicas: 2
`,
  ),
  y(
    'a ClusterResourceBinding',
    `
apiVersion: work.karmada.io/v1alpha2
kind: ClusterResourceBinding
metadata:
  name: system.controller.tom-clusterrole
spec:
  resource:
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    name: system:controller:tom
  clusters:
    - name: member1
`,
  ),
  y(
    'a Work holding a Deployment',
    `
apiVersion: work.karmada.io/v1alpha1
kind: Work
metadata:
  name: nginx-687f7fb96f
  namespace: karmada-es-member1
spec:
  workload:
    manifests:
      - apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx
          namespace: default
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: nginx
                  image: nginx:1.27
status:
  conditions:
    - type: Applied
      status: "True"
      reason: AppliedSuccessful
      message: Manifest has been successfully applied
      lastTransitionTime: "2025-01-01T00:00:00Z"
  manifestStatuses:
    - identifier:
        ordinal: 0
        group: apps
        version: v1
        kind: Deployment
        resource: deployments
        namespace: default
        name: nginx
      health: Healthy
      status:
        readyReplicas: 2
`,
  ),
  y(
    'rebalance a deployment',
    `
apiVersion: apps.karmada.io/v1alpha1
kind: WorkloadRebalancer
metadata:
  name: demo
spec:
  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      name: nginx
      namespace: default
  ttlSecondsAfterFinished: 60
status:
  observedWorkloads:
    - workload:
        apiVersion: apps/v1
        kind: Deployment
        name: nginx
        namespace: default
      result: Successful
  finishTime: "2025-01-01T00:00:00Z"
`,
  ),
];

const pp = (spec: string) => `
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: bad
  namespace: default
spec:
${spec}`;

/** Each is rejected by the schema; `field` is where. */
export const BAD: (Example & { field: string })[] = [
  { ...y('no resourceSelectors', pp('  placement: {}')), field: 'spec.resourceSelectors' },
  { ...y('empty resourceSelectors', pp('  resourceSelectors: []')), field: 'spec.resourceSelectors' },
  { ...y('selector without kind', pp('  resourceSelectors:\n    - apiVersion: v1')), field: 'spec.resourceSelectors[0].kind' },
  {
    ...y('unknown replicaSchedulingType', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement:\n    replicaScheduling:\n      replicaSchedulingType: Spread')),
    field: 'spec.placement.replicaScheduling.replicaSchedulingType',
  },
  {
    ...y(
      'static weight 0',
      pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement:\n    replicaScheduling:\n      weightPreference:\n        staticWeightList:\n          - targetCluster: {clusterNames: [m1]}\n            weight: 0'),
    ),
    field: 'spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight',
  },
  {
    ...y('affinityName longer than 32', pp(`  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement:\n    clusterAffinities:\n      - affinityName: ${'a'.repeat(33)}`)),
    field: 'spec.placement.clusterAffinities[0].affinityName',
  },
  { ...y('spreadByField host', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  placement:\n    spreadConstraints:\n      - spreadByField: host')), field: 'spec.placement.spreadConstraints[0].spreadByField' },
  { ...y('conflictResolution Merge', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  conflictResolution: Merge')), field: 'spec.conflictResolution' },
  { ...y('priority not an integer', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  priority: high')), field: 'spec.priority' },
  { ...y('failover.application without decisionConditions', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  failover:\n    application: {}')), field: 'spec.failover.application.decisionConditions' },
  { ...y('cluster purgeMode Never', pp('  resourceSelectors: [{apiVersion: v1, kind: ConfigMap}]\n  failover:\n    cluster:\n      purgeMode: Never')), field: 'spec.failover.cluster.purgeMode' },
  {
    ...y('image overrider component Digest', `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad, namespace: default}
spec:
  overrideRules:
    - overriders:
        imageOverrider:
          - component: Digest
            operator: replace
            value: x
`),
    field: 'spec.overrideRules[0].overriders.imageOverrider[0].component',
  },
  {
    ...y('command overrider replace', `
apiVersion: policy.karmada.io/v1alpha1
kind: OverridePolicy
metadata: {name: bad, namespace: default}
spec:
  overrideRules:
    - overriders:
        commandOverrider:
          - containerName: c
            operator: replace
`),
    field: 'spec.overrideRules[0].overriders.commandOverrider[0].operator',
  },
  { ...y('rule without overriders', 'apiVersion: policy.karmada.io/v1alpha1\nkind: OverridePolicy\nmetadata: {name: bad, namespace: default}\nspec:\n  overrideRules:\n    - targetCluster: {clusterNames: [m1]}'), field: 'spec.overrideRules[0].overriders' },
  { ...y('cluster without syncMode', 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: m1}\nspec:\n  apiEndpoint: https://1.2.3.4'), field: 'spec.syncMode' },
  { ...y('cluster syncMode Poll', 'apiVersion: cluster.karmada.io/v1alpha1\nkind: Cluster\nmetadata: {name: m1}\nspec:\n  syncMode: Poll'), field: 'spec.syncMode' },
  { ...y('taint policy without taints', 'apiVersion: policy.karmada.io/v1alpha1\nkind: ClusterTaintPolicy\nmetadata: {name: t}\nspec:\n  taints: []'), field: 'spec.taints' },
  {
    ...y('eviction reason too long', `
apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata: {name: b, namespace: default}
spec:
  resource: {apiVersion: apps/v1, kind: Deployment, name: nginx}
  gracefulEvictionTasks:
    - fromCluster: m1
      producer: TaintManager
      reason: ${'A'.repeat(33)}
`),
    field: 'spec.gracefulEvictionTasks[0].reason',
  },
  {
    ...y('aggregated health Sick', `
apiVersion: work.karmada.io/v1alpha2
kind: ResourceBinding
metadata: {name: b, namespace: default}
spec:
  resource: {apiVersion: apps/v1, kind: Deployment, name: nginx}
status:
  aggregatedStatus:
    - clusterName: m1
      health: Sick
`),
    field: 'status.aggregatedStatus[0].health',
  },
  { ...y('binding without resource name', 'apiVersion: work.karmada.io/v1alpha2\nkind: ResourceBinding\nmetadata: {name: b, namespace: default}\nspec:\n  resource: {apiVersion: v1, kind: ConfigMap}'), field: 'spec.resource.name' },
  { ...y('work manifest not an object', 'apiVersion: work.karmada.io/v1alpha1\nkind: Work\nmetadata: {name: w, namespace: karmada-es-m1}\nspec:\n  workload:\n    manifests: ["kind: Pod"]'), field: 'spec.workload.manifests[0]' },
  { ...y('rebalancer without workloads', 'apiVersion: apps.karmada.io/v1alpha1\nkind: WorkloadRebalancer\nmetadata: {name: r}\nspec:\n  workloads: []'), field: 'spec.workloads' },
  {
    ...y('condition with bad status', `
apiVersion: work.karmada.io/v1alpha1
kind: Work
metadata: {name: w, namespace: karmada-es-m1}
spec: {}
status:
  conditions:
    - type: Applied
      status: Yes
      reason: Ok
      message: ""
      lastTransitionTime: "2025-01-01T00:00:00Z"
`),
    field: 'status.conditions[0].status',
  },
];
