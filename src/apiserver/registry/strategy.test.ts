import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RESOURCES } from '../resources/builtin.js';
import { prepareForCreate, prepareForUpdate } from './strategy.js';

const rt = (resource: string) => BUILTIN_RESOURCES.find((r) => r.resource === resource)!;

test('container ports default to TCP in pods and pod templates, on create and on update', () => {
  const pod: any = { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx:1', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }], initContainers: [{ name: 'i', image: 'busybox', ports: [{ containerPort: 9 }] }] } };
  prepareForCreate(rt('pods'), pod);
  assert.deepEqual(pod.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
  assert.equal(pod.spec.initContainers[0].ports[0].protocol, 'TCP');
  assert.equal(pod.spec.initContainers[0].imagePullPolicy, 'Always');

  const deploy = (ports: any[]) => ({ metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1', ports }] } } } });
  const created: any = deploy([{ containerPort: 80 }]);
  prepareForCreate(rt('deployments'), created);
  assert.equal(created.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
  const next: any = prepareForUpdate(rt('deployments'), deploy([{ containerPort: 8080 }]), created, '');
  assert.equal(next.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
  assert.equal(next.spec.template.spec.containers[0].terminationMessagePolicy, 'File');

  const cron: any = { metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 1 }] }] } } } } } };
  prepareForCreate(rt('cronjobs'), cron);
  assert.equal(cron.spec.jobTemplate.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
});
