import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPrinter, hasBuiltinPrinter, printerFor, rfc3339 } from './builtin.js';
import { NOW } from './testutil.js';

const RESOURCES: [string, string][] = [
  ['', 'namespaces'],
  ['', 'configmaps'],
  ['', 'secrets'],
  ['', 'services'],
  ['', 'endpoints'],
  ['', 'pods'],
  ['', 'nodes'],
  ['', 'serviceaccounts'],
  ['', 'events'],
  ['', 'persistentvolumes'],
  ['', 'persistentvolumeclaims'],
  ['', 'resourcequotas'],
  ['', 'replicationcontrollers'],
  ['', 'podtemplates'],
  ['', 'componentstatuses'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['apps', 'controllerrevisions'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['autoscaling', 'horizontalpodautoscalers'],
  ['policy', 'poddisruptionbudgets'],
  ['networking.k8s.io', 'ingresses'],
  ['networking.k8s.io', 'ingressclasses'],
  ['networking.k8s.io', 'networkpolicies'],
  ['networking.k8s.io', 'servicecidrs'],
  ['networking.k8s.io', 'ipaddresses'],
  ['discovery.k8s.io', 'endpointslices'],
  ['coordination.k8s.io', 'leases'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  ['scheduling.k8s.io', 'priorityclasses'],
  ['storage.k8s.io', 'storageclasses'],
  ['storage.k8s.io', 'volumeattributesclasses'],
  ['storage.k8s.io', 'csidrivers'],
  ['storage.k8s.io', 'csinodes'],
  ['storage.k8s.io', 'csistoragecapacities'],
  ['storage.k8s.io', 'volumeattachments'],
  ['node.k8s.io', 'runtimeclasses'],
  ['events.k8s.io', 'events'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicies'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings'],
  ['certificates.k8s.io', 'certificatesigningrequests'],
  ['flowcontrol.apiserver.k8s.io', 'flowschemas'],
  ['flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations'],
];

describe('printerFor', () => {
  for (const [group, resource] of RESOURCES) {
    it(`${resource}${group ? `.${group}` : ''}: one cell per column, name column first-class`, () => {
      assert.ok(hasBuiltinPrinter(group, resource));
      const p = printerFor(group, resource);
      for (const obj of [{}, null, { metadata: { name: 'x' }, spec: {}, status: {} }]) {
        const cells = p.cells(obj, NOW);
        assert.equal(cells.length, p.columns.length);
        for (const c of cells) assert.notEqual(c, undefined);
      }
      const name = p.columns.find((c) => c.format === 'name' && c.name === 'Name');
      assert.ok(name, 'has a Name column');
      for (const c of p.columns) {
        assert.ok(['string', 'integer', 'number', 'boolean', 'date'].includes(c.type));
        assert.ok(c.priority === 0 || c.priority === 1);
        assert.ok(c.description.length > 0, `${c.name} has a description`);
      }
      // The wide columns come after the default ones except where kube interleaves them (events).
      if (!(resource === 'events')) {
        const firstWide = p.columns.findIndex((c) => c.priority === 1);
        if (firstWide >= 0) assert.ok(p.columns.slice(firstWide).every((c) => c.priority === 1));
      }
    });
  }

  it('falls back to the default printer', () => {
    for (const [g, r] of [
      ['rbac.authorization.k8s.io', 'roles'],
      ['rbac.authorization.k8s.io', 'clusterroles'],
      ['', 'limitranges'],
      ['apiextensions.k8s.io', 'customresourcedefinitions'],
      ['example.com', 'widgets'],
      ['', 'nosuch'],
    ] as const) {
      assert.equal(printerFor(g, r), defaultPrinter);
      assert.equal(hasBuiltinPrinter(g, r), false);
    }
  });

  it('does not confuse groups', () => {
    assert.equal(printerFor('apps', 'pods'), defaultPrinter);
    assert.equal(printerFor('example.com', 'deployments'), defaultPrinter);
  });
});

describe('defaultPrinter', () => {
  it('prints Name and the RFC3339 creation time as a date column', () => {
    assert.deepEqual(
      defaultPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Created At', 'date', '', 0],
      ],
    );
    assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'r', creationTimestamp: '2024-01-02T03:04:05Z' } }, NOW), ['r', '2024-01-02T03:04:05Z']);
  });
  it('normalizes to UTC without fractions, and prints the zero time when unset', () => {
    assert.equal(rfc3339('2024-01-02T05:04:05.123+02:00'), '2024-01-02T03:04:05Z');
    assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
    assert.deepEqual(defaultPrinter.cells({}, NOW), ['', '0001-01-01T00:00:00Z']);
  });
});
