/**
 * The other groups' kinds, hand-built and encoded the way gogo does (every value field written,
 * zeros included), then decoded; the expectation is what Go's encoding/json writes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProtobufObject } from './decode.js';
import { encodeObject, type ProtoObject } from './testutil.js';

const decode = (apiVersion: string, kind: string, obj: ProtoObject) => decodeProtobufObject(encodeObject(apiVersion, kind, obj));
const int = (n: number) => ({ type: 0, intVal: n });
const str = (s: string) => ({ type: 1, strVal: s });

describe('apps/v1', () => {
  test('Deployment: rolling update with int and percent, status with conditions', () => {
    const got = decode('apps/v1', 'Deployment', {
      metadata: { name: 'web', generation: 2 },
      spec: {
        replicas: 0,
        selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: str('25%'), maxSurge: int(1) } },
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 2,
        replicas: 1,
        readyReplicas: 1,
        conditions: [{ type: 'Available', status: 'True', lastUpdateTime: { seconds: 1717243200 }, lastTransitionTime: { seconds: 1717243200 }, reason: 'MinimumReplicasAvailable' }],
      },
    });
    assert.deepEqual(got, {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', generation: 2 },
      spec: {
        // replicas is a pointer: an explicit 0 survives.
        replicas: 0,
        selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 2,
        replicas: 1,
        readyReplicas: 1,
        conditions: [
          { type: 'Available', status: 'True', lastUpdateTime: '2024-06-01T12:00:00Z', lastTransitionTime: '2024-06-01T12:00:00Z', reason: 'MinimumReplicasAvailable' },
        ],
      },
    });
  });

  test('a Deployment without a selector gets selector: null, as Go writes the nil pointer', () => {
    const got = decode('apps/v1', 'Deployment', { metadata: { name: 'x' }, spec: { template: {}, strategy: {} }, status: {} });
    assert.deepEqual(got.spec, { selector: null, template: {}, strategy: {} });
  });
});

describe('batch/v1', () => {
  test('Job: completions, backoff, pod failure policy', () => {
    const got = decode('batch/v1', 'Job', {
      metadata: { name: 'j' },
      spec: {
        parallelism: 2,
        completions: 4,
        backoffLimit: 0,
        completionMode: 'Indexed',
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
        template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' } },
        ttlSecondsAfterFinished: 100,
      },
      status: {},
    });
    assert.deepEqual(got, {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name: 'j' },
      spec: {
        parallelism: 2,
        completions: 4,
        // Fields without omitempty upstream come out as null when unset.
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: null, operator: 'In', values: [42] }, onPodConditions: null }] },
        backoffLimit: 0,
        template: { metadata: {}, spec: { containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' } },
        ttlSecondsAfterFinished: 100,
        completionMode: 'Indexed',
      },
      status: {},
    });
  });

  test('CronJob: schedule, time zone, policies, job template, status times', () => {
    const got = decode('batch/v1', 'CronJob', {
      metadata: { name: 'c' },
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Europe/Paris',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        jobTemplate: { metadata: { name: 'c' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox', resources: {} }], restartPolicy: 'OnFailure' } } } },
        successfulJobsHistoryLimit: 3,
      },
      status: { lastScheduleTime: { seconds: 1717243200 } },
    });
    assert.deepEqual(got, {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: { name: 'c' },
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Europe/Paris',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        jobTemplate: { metadata: { name: 'c' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox', resources: {} }], restartPolicy: 'OnFailure' } } } },
        successfulJobsHistoryLimit: 3,
      },
      status: { lastScheduleTime: '2024-06-01T12:00:00Z' },
    });
  });
});

describe('rbac.authorization.k8s.io/v1', () => {
  const rule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] };

  test('Role: the core group "" is kept inside apiGroups', () => {
    assert.deepEqual(decode('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'r', namespace: 'default' }, rules: [rule] }), {
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'r', namespace: 'default' },
      rules: [rule],
    });
  });

  test('ClusterRole: non-resource URLs; an aggregated one has rules: null', () => {
    assert.deepEqual(decode('rbac.authorization.k8s.io/v1', 'ClusterRole', { metadata: { name: 'cr' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }).rules, [
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    ]);
    const agg = decode('rbac.authorization.k8s.io/v1', 'ClusterRole', {
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
    });
    assert.deepEqual(agg, {
      kind: 'ClusterRole',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'agg' },
      rules: null,
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
    });
  });

  test('RoleBinding and ClusterRoleBinding: subjects and roleRef', () => {
    const subjects = [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
    ];
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: kind === 'RoleBinding' ? 'Role' : 'ClusterRole', name: 'r' };
      assert.deepEqual(decode('rbac.authorization.k8s.io/v1', kind, { metadata: { name: 'b' }, subjects, roleRef }), {
        kind,
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: { name: 'b' },
        subjects,
        roleRef,
      });
    }
  });
});

describe('networking.k8s.io/v1', () => {
  test('Ingress: class, default backend, TLS, rules with service and resource backends', () => {
    const got = decode('networking.k8s.io/v1', 'Ingress', {
      metadata: { name: 'i' },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { resource: { kind: 'StorageBucket', name: 'static' } },
        tls: [{ hosts: ['foo.com'], secretName: 'tls' }],
        rules: [
          {
            host: 'foo.com',
            ingressRuleValue: {
              http: {
                paths: [
                  { path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } },
                  { path: '/baz', backend: { service: { name: 'other', port: { name: 'http' } } } },
                ],
              },
            },
          },
        ],
      },
      status: { loadBalancer: {} },
    });
    assert.deepEqual(got, {
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      metadata: { name: 'i' },
      spec: {
        ingressClassName: 'nginx',
        // apiGroup is a pointer without omitempty upstream.
        defaultBackend: { resource: { apiGroup: null, kind: 'StorageBucket', name: 'static' } },
        tls: [{ hosts: ['foo.com'], secretName: 'tls' }],
        rules: [
          {
            host: 'foo.com',
            http: {
              paths: [
                { path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc', port: { number: 80 } } } },
                { path: '/baz', pathType: null, backend: { service: { name: 'other', port: { name: 'http' } } } },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: {} },
    });
  });
});

describe('policy/v1, scheduling.k8s.io/v1, autoscaling/v1', () => {
  test('PodDisruptionBudget: percent maxUnavailable, eviction policy, zero counters written', () => {
    assert.deepEqual(
      decode('policy/v1', 'PodDisruptionBudget', {
        metadata: { name: 'p' },
        spec: { maxUnavailable: str('10%'), selector: { matchLabels: { app: 'x' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
        status: {},
      }),
      {
        kind: 'PodDisruptionBudget',
        apiVersion: 'policy/v1',
        metadata: { name: 'p' },
        spec: { selector: { matchLabels: { app: 'x' } }, maxUnavailable: '10%', unhealthyPodEvictionPolicy: 'AlwaysAllow' },
        status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
      },
    );
  });

  test('PriorityClass', () => {
    assert.deepEqual(
      decode('scheduling.k8s.io/v1', 'PriorityClass', { metadata: { name: 'pc' }, value: -5, globalDefault: true, description: 'low', preemptionPolicy: 'Never' }),
      { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'pc' }, value: -5, globalDefault: true, description: 'low', preemptionPolicy: 'Never' },
    );
    // value has no omitempty: a zero priority is still written.
    assert.equal(decode('scheduling.k8s.io/v1', 'PriorityClass', { metadata: { name: 'z' } }).value, 0);
  });

  test('Scale', () => {
    assert.deepEqual(decode('autoscaling/v1', 'Scale', { metadata: { name: 'web' }, spec: { replicas: 5 }, status: { replicas: 3, selector: 'app=web' } }), {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web' },
      spec: { replicas: 5 },
      status: { replicas: 3, selector: 'app=web' },
    });
  });
});

describe('what client-go controllers write', () => {
  test('Lease (leader election): MicroTime with microseconds', () => {
    assert.deepEqual(
      decode('coordination.k8s.io/v1', 'Lease', {
        metadata: { name: 'ctrl', namespace: 'kube-system' },
        spec: { holderIdentity: 'pod-1', leaseDurationSeconds: 15, acquireTime: { seconds: 1717243200, nanos: 123456789 }, renewTime: { seconds: 1717243210 }, leaseTransitions: 0 },
      }),
      {
        kind: 'Lease',
        apiVersion: 'coordination.k8s.io/v1',
        metadata: { name: 'ctrl', namespace: 'kube-system' },
        spec: {
          holderIdentity: 'pod-1',
          leaseDurationSeconds: 15,
          acquireTime: '2024-06-01T12:00:00.123456Z',
          renewTime: '2024-06-01T12:00:10.000000Z',
          leaseTransitions: 0,
        },
      },
    );
  });

  test('core/v1 Event: reportingComponent/Instance are written even when empty', () => {
    assert.deepEqual(
      decode('v1', 'Event', {
        metadata: { name: 'web.17d', namespace: 'default' },
        involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
        reason: 'ScalingReplicaSet',
        message: 'Scaled up',
        source: { component: 'deployment-controller' },
        firstTimestamp: { seconds: 1717243200 },
        lastTimestamp: { seconds: 1717243200 },
        count: 1,
        type: 'Normal',
        eventTime: {},
      }),
      {
        kind: 'Event',
        apiVersion: 'v1',
        metadata: { name: 'web.17d', namespace: 'default' },
        involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
        reason: 'ScalingReplicaSet',
        message: 'Scaled up',
        source: { component: 'deployment-controller' },
        firstTimestamp: '2024-06-01T12:00:00Z',
        lastTimestamp: '2024-06-01T12:00:00Z',
        count: 1,
        type: 'Normal',
        reportingComponent: '',
        reportingInstance: '',
      },
    );
  });

  test('Binding (pods/binding from a scheduler)', () => {
    assert.deepEqual(decode('v1', 'Binding', { metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-1' } }), {
      kind: 'Binding',
      apiVersion: 'v1',
      metadata: { name: 'p' },
      target: { kind: 'Node', name: 'node-1' },
    });
  });

  test('DeleteOptions, under whichever group version the typed client encodes it', () => {
    for (const apiVersion of ['meta.k8s.io/v1', 'v1', 'apps/v1']) {
      assert.deepEqual(decode(apiVersion, 'DeleteOptions', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' }, dryRun: ['All'] }), {
        kind: 'DeleteOptions',
        apiVersion,
        gracePeriodSeconds: 0,
        preconditions: { uid: 'u1' },
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      });
    }
  });
});
