import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printerFor } from './builtin.js';
import { formatHPAMetrics } from './workloads.js';
import { NOW, ago, byName } from './testutil.js';

const header = (group: string, resource: string, wide = false) =>
  printerFor(group, resource)
    .columns.filter((c) => wide || c.priority === 0)
    .map((c) => c.name.toUpperCase())
    .join(' ');
const row = (group: string, resource: string, obj: unknown) => {
  const p = printerFor(group, resource);
  return byName(p.columns, p.cells(obj, NOW));
};

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy:v1' }] } };

describe('deployments', () => {
  const dep = (spec: object, status: object = {}) => ({ metadata: { name: 'web', creationTimestamp: ago('5d') }, spec: { template, ...spec }, status });
  it('has the kubectl headers', () => {
    assert.equal(header('apps', 'deployments'), 'NAME READY UP-TO-DATE AVAILABLE AGE');
    assert.equal(header('apps', 'deployments', true), 'NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR');
  });
  it('prints readiness as ready/desired', () => {
    const p = printerFor('apps', 'deployments');
    const d = dep({ replicas: 3, selector: { matchLabels: { app: 'web' } } }, { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 });
    assert.deepEqual(p.cells(d, NOW), ['web', '2/3', 3, 2, '5d', 'web,sidecar', 'nginx:1.27,envoy:v1', 'app=web']);
  });
  it('handles a fresh deployment with no status', () => {
    const r = row('apps', 'deployments', dep({ replicas: 2 }));
    assert.deepEqual([r.Ready, r['Up-to-date'], r.Available], ['0/2', 0, 0]);
  });
  it('defaults replicas to 1 and shows scaled-to-zero deployments', () => {
    assert.equal(row('apps', 'deployments', dep({})).Ready, '0/1');
    assert.equal(row('apps', 'deployments', dep({ replicas: 0 })).Ready, '0/0');
  });
  it('prints selectors with expressions, sorted by key', () => {
    const sel = {
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
        { key: 'gpu', operator: 'Exists' },
      ],
    };
    assert.equal(row('apps', 'deployments', dep({ selector: sel })).Selector, 'app=web,env in (canary,prod),gpu,!legacy,tier=front,zone notin (b)');
    assert.equal(row('apps', 'deployments', dep({ selector: {} })).Selector, '');
    assert.equal(row('apps', 'deployments', dep({ selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } })).Selector, '<invalid>');
  });
});

describe('replicasets, statefulsets, daemonsets', () => {
  it('replicasets', () => {
    assert.equal(header('apps', 'replicasets', true), 'NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR');
    const rs = { metadata: { name: 'web-5d4f', creationTimestamp: ago('90s') }, spec: { replicas: 3, template, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } } }, status: { replicas: 3, readyReplicas: 1 } };
    assert.deepEqual(printerFor('apps', 'replicasets').cells(rs, NOW), ['web-5d4f', 3, 3, 1, '90s', 'web,sidecar', 'nginx:1.27,envoy:v1', 'app=web,pod-template-hash=5d4f']);
    assert.equal(row('apps', 'replicasets', { metadata: { name: 'x' }, spec: {} }).Selector, '<none>');
  });
  it('statefulsets', () => {
    assert.equal(header('apps', 'statefulsets', true), 'NAME READY AGE CONTAINERS IMAGES');
    const sts = { metadata: { name: 'db', creationTimestamp: ago('12m') }, spec: { replicas: 3, template }, status: { replicas: 3, readyReplicas: 3 } };
    assert.deepEqual(printerFor('apps', 'statefulsets').cells(sts, NOW), ['db', '3/3', '12m', 'web,sidecar', 'nginx:1.27,envoy:v1']);
  });
  it('daemonsets', () => {
    assert.equal(header('apps', 'daemonsets'), 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE');
    assert.equal(header('apps', 'daemonsets', true), 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS IMAGES SELECTOR');
    const ds = {
      metadata: { name: 'kube-proxy', creationTimestamp: ago('20d') },
      spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kube-proxy', image: 'kube-proxy:v1.32' }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    assert.deepEqual(printerFor('apps', 'daemonsets').cells(ds, NOW), ['kube-proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '20d', 'kube-proxy', 'kube-proxy:v1.32', 'k8s-app=kube-proxy']);
    assert.equal(row('apps', 'daemonsets', { metadata: { name: 'x' } })['Node Selector'], '<none>');
  });
  it('controllerrevisions name their controller with kind.group', () => {
    const cr = { metadata: { name: 'web-7b9', creationTimestamp: ago('1m'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }, revision: 2 };
    assert.deepEqual(printerFor('apps', 'controllerrevisions').cells(cr, NOW), ['web-7b9', 'statefulset.apps/web', 2, '60s']);
    assert.equal(row('apps', 'controllerrevisions', { metadata: { name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }] } }).Controller, '<none>');
    assert.equal(row('apps', 'controllerrevisions', { metadata: { name: 'x', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }] } }).Controller, 'pod/p');
  });
});

describe('jobs', () => {
  const job = (spec: object, status: object = {}, meta: object = {}) => ({ metadata: { name: 'pi', creationTimestamp: ago('10m'), ...meta }, spec: { template, ...spec }, status });
  it('has the kubectl 1.32 headers', () => {
    assert.equal(header('batch', 'jobs'), 'NAME STATUS COMPLETIONS DURATION AGE');
    assert.equal(header('batch', 'jobs', true), 'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR');
  });
  it('prints a completed job', () => {
    const j = job(
      { completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } } },
      { succeeded: 1, startTime: ago('10m'), completionTime: ago('9m'), conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] },
    );
    assert.deepEqual(printerFor('batch', 'jobs').cells(j, NOW), ['pi', 'Complete', '1/1', '60s', '10m', 'web,sidecar', 'nginx:1.27,envoy:v1', 'batch.kubernetes.io/controller-uid=abc']);
  });
  it('derives STATUS in kube order', () => {
    const st = (conds: object[], meta: object = {}) => row('batch', 'jobs', job({}, { conditions: conds }, meta)).Status;
    assert.equal(st([]), 'Running');
    assert.equal(st([{ type: 'Failed', status: 'True' }]), 'Failed');
    assert.equal(st([{ type: 'Complete', status: 'False' }]), 'Running');
    assert.equal(st([{ type: 'Suspended', status: 'True' }]), 'Suspended');
    assert.equal(st([{ type: 'FailureTarget', status: 'True' }]), 'FailureTarget');
    assert.equal(st([{ type: 'Suspended', status: 'True' }], { deletionTimestamp: ago('1s') }), 'Terminating');
    assert.equal(st([{ type: 'Failed', status: 'True' }], { deletionTimestamp: ago('1s') }), 'Failed');
  });
  it('prints COMPLETIONS for fixed counts and work queues', () => {
    assert.equal(row('batch', 'jobs', job({ completions: 5 }, { succeeded: 2 })).Completions, '2/5');
    assert.equal(row('batch', 'jobs', job({}, {})).Completions, '0/1');
    assert.equal(row('batch', 'jobs', job({ parallelism: 1 }, { succeeded: 1 })).Completions, '1/1');
    assert.equal(row('batch', 'jobs', job({ parallelism: 4 }, { succeeded: 1 })).Completions, '1/1 of 4');
  });
  it('prints DURATION while running and before start', () => {
    assert.equal(row('batch', 'jobs', job({}, { startTime: ago('3m20s') })).Duration, '3m20s');
    assert.equal(row('batch', 'jobs', job({}, {})).Duration, '');
  });
});

describe('cronjobs', () => {
  it('has the kubectl headers', () => {
    assert.equal(header('batch', 'cronjobs'), 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE');
  });
  it('prints a cronjob', () => {
    const cj = {
      metadata: { name: 'backup', creationTimestamp: ago('3d') },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago('4m') },
    };
    assert.deepEqual(printerFor('batch', 'cronjobs').cells(cj, NOW), ['backup', '*/5 * * * *', '<none>', 'False', 1, '4m', '3d', 'web,sidecar', 'nginx:1.27,envoy:v1', '<none>']);
    const r = row('batch', 'cronjobs', { metadata: { name: 'x' }, spec: { schedule: '@daily', timeZone: 'Etc/UTC', suspend: true } });
    assert.deepEqual([r.Timezone, r.Suspend, r.Active, r['Last Schedule']], ['Etc/UTC', 'True', 0, '<none>']);
  });
});

describe('horizontalpodautoscalers', () => {
  it('has the kubectl headers', () => {
    assert.equal(header('autoscaling', 'horizontalpodautoscalers'), 'NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE');
  });
  it('prints a v2 HPA', () => {
    const hpa = {
      metadata: { name: 'web', creationTimestamp: ago('1h') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } },
        ],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '90m' } } },
          { type: 'Resource', resource: { name: 'memory', current: { averageValue: '512Mi' } } },
        ],
      },
    };
    assert.deepEqual(printerFor('autoscaling', 'horizontalpodautoscalers').cells(hpa, NOW), ['web', 'Deployment/web', 'cpu: 45%/80%, memory: 512Mi/1Gi', '2', 10, 3, '60m']);
  });
  it('defaults to a CPU target and minReplicas 1, and reads autoscaling/v1 fields', () => {
    const base = { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 5 } };
    const r = row('autoscaling', 'horizontalpodautoscalers', base);
    assert.deepEqual([r.Targets, r.MinPods], ['cpu: <unknown>/80%', '1']);
    const v1 = { ...base, spec: { ...base.spec, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1, currentCPUUtilizationPercentage: 12 } };
    assert.equal(row('autoscaling', 'horizontalpodautoscalers', v1).Targets, 'cpu: 12%/50%');
  });
  it('formats every metric source type and caps the list at two', () => {
    const specs = [
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      { type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '10' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
    ];
    assert.equal(formatHPAMetrics(specs, []), '<unknown>/1k, <unknown>/10 + 1 more...');
    assert.equal(formatHPAMetrics(specs.slice(2), [{ type: 'External', external: { current: { averageValue: '25' } } }]), '25/30 (avg)');
    assert.equal(formatHPAMetrics(specs.slice(1, 2), [{ type: 'Object', object: { current: { value: '7' } } }]), '7/10');
    assert.equal(
      formatHPAMetrics([{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization' } } }], []),
      'cpu: <unknown>/<auto>',
    );
    assert.equal(formatHPAMetrics([{ type: 'Weird' }], []), '<unknown type>');
    assert.equal(formatHPAMetrics([], []), '<none>');
  });
});

describe('poddisruptionbudgets', () => {
  it('prints min/max with N/A', () => {
    assert.equal(header('policy', 'poddisruptionbudgets'), 'NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE');
    const p = printerFor('policy', 'poddisruptionbudgets');
    assert.deepEqual(p.cells({ metadata: { name: 'pdb', creationTimestamp: ago('7m') }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, NOW), ['pdb', '2', 'N/A', 1, '7m']);
    assert.deepEqual(p.cells({ metadata: { name: 'pdb' }, spec: { maxUnavailable: '25%' } }, NOW).slice(1, 4), ['N/A', '25%', 0]);
  });
});
