/**
 * core/v1 kinds, hand-built and encoded the way gogo does (every value field written, zeros
 * included), then decoded; the expectation is what Go's encoding/json writes for the same object.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProtobufObject } from './decode.js';
import { encodeObject, type ProtoObject } from './testutil.js';

const decode = (apiVersion: string, kind: string, obj: ProtoObject) => decodeProtobufObject(encodeObject(apiVersion, kind, obj));
const q = (s: string) => ({ string: s });
const int = (n: number) => ({ type: 0, intVal: n });
const str = (s: string) => ({ type: 1, strVal: s });
const lo = (name: string) => ({ localObjectReference: { name } });

describe('core/v1', () => {
  test('Namespace', () => {
    assert.deepEqual(decode('v1', 'Namespace', { metadata: { name: 'team-a', labels: { env: 'prod' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }), {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'team-a', labels: { env: 'prod' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  test('ConfigMap: data, binaryData as base64, immutable', () => {
    assert.deepEqual(
      decode('v1', 'ConfigMap', {
        metadata: { name: 'cm', namespace: 'default', annotations: { note: 'x' } },
        immutable: true,
        data: { 'app.conf': 'port=80\n', empty: '' },
        binaryData: { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      }),
      {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'cm', namespace: 'default', annotations: { note: 'x' } },
        immutable: true,
        data: { 'app.conf': 'port=80\n', empty: '' },
        binaryData: { 'logo.png': 'iVBORw==' },
      },
    );
  });

  test('Secret: data bytes, stringData, type', () => {
    assert.deepEqual(
      decode('v1', 'Secret', { metadata: { name: 's' }, data: { a: Buffer.from('b') }, stringData: { pw: 'plain' }, type: 'Opaque' }),
      { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, data: { a: 'Yg==' }, stringData: { pw: 'plain' }, type: 'Opaque' },
    );
  });

  test('ServiceAccount', () => {
    assert.deepEqual(
      decode('v1', 'ServiceAccount', { metadata: { name: 'sa' }, secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'reg' }], automountServiceAccountToken: false }),
      { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sa' }, secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'reg' }], automountServiceAccountToken: false },
    );
  });

  test('Service: ports, session affinity, dual-stack and load-balancer fields, status', () => {
    assert.deepEqual(
      decode('v1', 'Service', {
        metadata: { name: 'web' },
        spec: {
          ports: [
            { name: 'http', protocol: 'TCP', port: 80, targetPort: str('http'), nodePort: 30080 },
            { name: 'metrics', protocol: 'TCP', appProtocol: 'http', port: 9090, targetPort: int(0) },
          ],
          selector: { app: 'web' },
          type: 'LoadBalancer',
          sessionAffinity: 'ClientIP',
          externalTrafficPolicy: 'Local',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          allocateLoadBalancerNodePorts: false,
          loadBalancerSourceRanges: ['10.0.0.0/8'],
        },
        status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] } },
      }),
      {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'web' },
        spec: {
          // A value IntOrString is always written: an unset targetPort is 0, as in Go.
          ports: [
            { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
            { name: 'metrics', protocol: 'TCP', appProtocol: 'http', port: 9090, targetPort: 0 },
          ],
          selector: { app: 'web' },
          type: 'LoadBalancer',
          sessionAffinity: 'ClientIP',
          loadBalancerSourceRanges: ['10.0.0.0/8'],
          externalTrafficPolicy: 'Local',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          allocateLoadBalancerNodePorts: false,
        },
        status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] } },
      },
    );
  });

  test('ResourceQuota: hard quantities, scopes, scope selector', () => {
    assert.deepEqual(
      decode('v1', 'ResourceQuota', {
        metadata: { name: 'q' },
        spec: {
          hard: { pods: q('10'), 'requests.cpu': q('500m'), 'limits.memory': q('1Gi') },
          scopes: ['NotTerminating'],
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
        },
        status: {},
      }),
      {
        kind: 'ResourceQuota',
        apiVersion: 'v1',
        metadata: { name: 'q' },
        spec: {
          hard: { 'limits.memory': '1Gi', pods: '10', 'requests.cpu': '500m' },
          scopes: ['NotTerminating'],
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
        },
        status: {},
      },
    );
  });

  test('Pod: the PodSpec tree (volumes, env, probes, resources, security, scheduling)', () => {
    const got = decode('v1', 'Pod', {
      metadata: {
        name: 'p',
        namespace: 'default',
        labels: { app: 'p' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }],
        finalizers: ['example.com/f'],
      },
      spec: {
        volumes: [
          { name: 'cfg', volumeSource: { configMap: { ...lo('cm'), items: [{ key: 'k', path: 'p' }], defaultMode: 420 } } },
          { name: 'sec', volumeSource: { secret: { secretName: 's', optional: false } } },
          { name: 'tmp', volumeSource: { emptyDir: { medium: 'Memory', sizeLimit: q('64Mi') } } },
          { name: 'host', volumeSource: { hostPath: { path: '/var/log', type: 'Directory' } } },
          { name: 'data', volumeSource: { persistentVolumeClaim: { claimName: 'pvc', readOnly: true } } },
          {
            name: 'proj',
            volumeSource: {
              projected: {
                sources: [
                  { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } },
                  { downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
                  { configMap: { ...lo('ca'), items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                ],
              },
            },
          },
          { name: 'dapi', volumeSource: { downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: q('1m') } }] } } },
          { name: 'nfs', volumeSource: { nfs: { server: 'nfs.example.com', path: '/exports' } } },
          { name: 'ebs', volumeSource: { awsElasticBlockStore: { volumeID: 'vol-1', fsType: 'ext4' } } },
        ],
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], resources: {}, restartPolicy: 'Always' }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            args: ['--port', '80'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            envFrom: [{ configMapRef: lo('cm') }],
            env: [
              { name: 'A', value: '1' },
              { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { ...lo('s'), key: 'pw', optional: true } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: {} } } },
            ],
            resources: { limits: { cpu: q('500m'), memory: q('128Mi') }, requests: { cpu: q('100m') } },
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
            livenessProbe: { handler: { httpGet: { path: '/healthz', port: str('http'), scheme: 'HTTP' } }, initialDelaySeconds: 5, periodSeconds: 10 },
            readinessProbe: { handler: { tcpSocket: { port: int(80) } } },
            startupProbe: { handler: { exec: { command: ['cat', '/ready'] } }, failureThreshold: 30 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            imagePullPolicy: 'IfNotPresent',
            securityContext: {
              capabilities: { drop: ['ALL'] },
              runAsUser: 1000,
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        serviceAccountName: 'sa',
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, supplementalGroups: [1, 2], fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
        imagePullSecrets: [{ name: 'reg' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'p' } }, topologyKey: 'kubernetes.io/hostname' } },
            ],
          },
        },
        schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priorityClassName: 'high',
        priority: 0,
        enableServiceLinks: false,
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'p' } } },
        ],
      },
      status: {},
    });
    assert.deepEqual(got, {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name: 'p',
        namespace: 'default',
        labels: { app: 'p' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }],
        finalizers: ['example.com/f'],
      },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'k', path: 'p' }], defaultMode: 420 } },
          { name: 'sec', secret: { secretName: 's', optional: false } },
          { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'pvc', readOnly: true } },
          {
            name: 'proj',
            projected: {
              sources: [
                { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } },
                { downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
                { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              ],
            },
          },
          { name: 'dapi', downwardAPI: { items: [{ path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } }] } },
          { name: 'nfs', nfs: { server: 'nfs.example.com', path: '/exports' } },
          { name: 'ebs', awsElasticBlockStore: { volumeID: 'vol-1', fsType: 'ext4' } },
        ],
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], resources: {}, restartPolicy: 'Always' }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            args: ['--port', '80'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            envFrom: [{ configMapRef: { name: 'cm' } }],
            env: [
              { name: 'A', value: '1' },
              { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw', optional: true } } },
              // The value Quantity divisor is always written; Go's zero Quantity is "0".
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '0' } } },
            ],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
            volumeMounts: [{ name: 'cfg', readOnly: true, mountPath: '/etc/cfg' }],
            livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10 },
            readinessProbe: { tcpSocket: { port: 80 } },
            startupProbe: { exec: { command: ['cat', '/ready'] }, failureThreshold: 30 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
            imagePullPolicy: 'IfNotPresent',
            securityContext: {
              capabilities: { drop: ['ALL'] },
              runAsUser: 1000,
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              seccompProfile: { type: 'RuntimeDefault' },
            },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        serviceAccountName: 'sa',
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, supplementalGroups: [1, 2], fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
        imagePullSecrets: [{ name: 'reg' }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'p' } }, topologyKey: 'kubernetes.io/hostname' } },
            ],
          },
        },
        schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priorityClassName: 'high',
        // A pointer keeps its zero.
        priority: 0,
        enableServiceLinks: false,
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'p' } } },
        ],
      },
      status: {},
    });
  });
});
