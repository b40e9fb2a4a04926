/**
 * What a user reads with the real kubectl: `kubectl explain` (built-in kinds from the generated
 * upstream schemas, custom resources from their CRD), `kubectl diff -f` (exit codes and the
 * diff), and `kubectl describe deployment` with its Events, both against `flotilla apiserver`
 * and, for events the controllers record on a template, against `flotilla up`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawClient, startApiServer, waitFor, writeManifest, type TestServer } from './harness.js';
import { startUp, type Up } from './up-harness.js';

const deployment = (name: string, replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: prod}]
`;

const widgetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A Widget is a thing made in the example factory.
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties:
              size:
                type: integer
                description: How many sprockets the widget carries.
              colour:
                type: string
                description: The paint on the widget.
`;

describe('kubectl explain, diff and describe against flotilla apiserver', () => {
  let s: TestServer;
  before(async () => {
    s = await startApiServer(['--storage', 'memory']);
  });
  after(async () => {
    await s?.cleanup();
  });

  it('explain deployment.spec.template shows the field, its type and description, and its fields', async () => {
    const out = await s.k(['explain', 'deployment.spec.template']);
    assert.match(out, /^GROUP:\s+apps$/m);
    assert.match(out, /^KIND:\s+Deployment$/m);
    assert.match(out, /^VERSION:\s+v1$/m);
    assert.match(out, /^FIELD: template <PodTemplateSpec>$/m);
    assert.match(out, /Template describes the pods that will be created/);
    assert.match(out, /^ {2}metadata\t<ObjectMeta>$/m);
    assert.match(out, /^ {2}spec\t<PodSpec>$/m);
    assert.match(out, /Specification of the desired behavior of the pod/);
  });

  it('explain --recursive lists nested fields with their types, required ones marked', async () => {
    const out = await s.k(['explain', 'pod.spec.containers.resources', '--recursive']);
    assert.match(out, /^FIELD: resources <ResourceRequirements>$/m);
    assert.match(out, /^ {2}claims\t<\[\]ResourceClaim>$/m);
    assert.match(out, /^ {4}name\t<string> -required-$/m);
    assert.match(out, /^ {2}limits\t<map\[string\]Quantity>$/m);
    assert.match(out, /^ {2}requests\t<map\[string\]Quantity>$/m);

    const ports = await s.k(['explain', 'svc.spec.ports']);
    assert.match(ports, /^FIELD: ports <\[\]ServicePort>$/m);
    assert.match(ports, /^ {2}port\t<integer> -required-$/m);
    assert.match(ports, /^ {2}targetPort\t<IntOrString>$/m);
    assert.match(ports, /Number or name of the port to access on the pods targeted by the service/);

    const containers = await s.k(['explain', 'deploy.spec.template.spec.containers', '--recursive']);
    assert.match(containers, /^ {2}image\t<string>$/m);
    assert.match(containers, /^ {2}name\t<string> -required-$/m);
    assert.match(containers, /^ {2}livenessProbe\t<Probe>$/m);
    assert.match(containers, /^ {6}port\t<IntOrString> -required-$/m); // livenessProbe.httpGet.port
  });

  it('explain of a custom resource field comes from its CRD schema', async () => {
    await s.k(['create', '-f', writeManifest(s.dir, 'crd.yaml', widgetCRD)]);
    await s.k(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    const out = await waitFor('widget explained', async () => {
      const r = await s.kubectl(['explain', 'widget.spec.size']);
      return r.code === 0 ? r.stdout : undefined;
    });
    assert.match(out, /^GROUP:\s+example.com$/m);
    assert.match(out, /^KIND:\s+Widget$/m);
    assert.match(out, /^FIELD: size <integer>$/m);
    assert.match(out, /How many sprockets the widget carries/);
    const top = await s.k(['explain', 'widgets']);
    assert.match(top, /A Widget is a thing made in the example factory/);
    assert.match(top, /^ {2}spec\t<Object>$/m);
    // Flotilla's own CRDs too.
    assert.match(await s.k(['explain', 'propagationpolicy.spec.placement']), /^FIELD: placement <Object>$/m);
  });

  it('diff -f: exit 1 with the diff for a new object and a changed field, exit 0 when nothing changed', async () => {
    const f = writeManifest(s.dir, 'web.yaml', deployment('web', 2, 'nginx:1.27'));
    const fresh = await s.kubectl(['diff', '-f', f]);
    assert.equal(fresh.code, 1, fresh.stderr);
    assert.match(fresh.stdout, /^\+ {2}name: web$/m);
    assert.match(fresh.stdout, /^\+ {8}image: nginx:1\.27$/m);
    assert.match((await s.kubectl(['get', 'deploy', 'web'])).stderr, /NotFound/, 'diff must not create the object');

    await s.k(['apply', '-f', f]);
    const same = await s.kubectl(['diff', '-f', f]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, '');

    writeManifest(s.dir, 'web.yaml', deployment('web', 3, 'nginx:1.28'));
    const changed = await s.kubectl(['diff', '-f', f]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^- {2}replicas: 2$/m);
    assert.match(changed.stdout, /^\+ {2}replicas: 3$/m);
    assert.match(changed.stdout, /^- {8}image: nginx:1\.27$/m);
    assert.match(changed.stdout, /^\+ {8}image: nginx:1\.28$/m);
    assert.match(changed.stdout, /^\+ {2}generation: 2$/m); // the dry-run result, as on a real cluster
    // Nothing was written by the diff.
    assert.equal(await s.k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']), '2 1');
  });

  it('an unknown field is refused under the default strict validation, accepted with --validate=false', async () => {
    const bad = deployment('typo', 1, 'nginx:1.27')
      .replace('  replicas: 1\n', '  replicas: 1\n  replicaz: 2\n')
      .replace('        image: nginx:1.27\n', '        image: nginx:1.27\n        imagePolicy: Always\n');
    const f = writeManifest(s.dir, 'typo.yaml', bad);
    for (const verb of ['apply', 'create']) {
      const r = await s.kubectl([verb, '-f', f]);
      assert.equal(r.code, 1, `${verb}: ${r.stdout}`);
      assert.match(
        r.stderr,
        /Error from server \(BadRequest\): error when creating ".*typo.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz", unknown field "spec.template.spec.containers\[0\].imagePolicy"/,
      );
    }
    assert.match((await s.kubectl(['get', 'deploy', 'typo'])).stderr, /NotFound/);
    await s.k(['apply', '--validate=false', '-f', f]);
    assert.equal(await s.k(['get', 'deploy', 'typo', '-o', 'jsonpath={.spec.replicas}']), '1');
    // A later strict apply of a valid change is not blamed for fields the object already has.
    writeManifest(s.dir, 'typo.yaml', bad.replace('replicas: 1', 'replicas: 2'));
    await s.k(['apply', '-f', f]);
    assert.equal(await s.k(['get', 'deploy', 'typo', '-o', 'jsonpath={.spec.replicas}']), '2');
  });

  it('describe deployment shows the spec and the events about it', async () => {
    const d = JSON.parse(await s.k(['get', 'deploy', 'web', '-o', 'json']));
    const raw = await rawClient(s.dir, s.url);
    const event = (name: string, reason: string, message: string, type = 'Normal', uid = d.metadata.uid) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: 'default' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default', uid },
      reason,
      message,
      type,
      source: { component: 'deployment-controller' },
      firstTimestamp: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      count: 2,
    });
    const post = (e: object) => raw('POST', '/api/v1/namespaces/default/events', JSON.stringify(e));
    assert.equal((await post(event('web.1', 'ScalingReplicaSet', 'Scaled up replica set web-7d4b9c to 2'))).status, 201);
    assert.equal((await post(event('web.2', 'FailedCreate', 'quota exceeded', 'Warning'))).status, 201);
    // About an older object of the same name: describe must not show it.
    assert.equal((await post(event('web.old', 'Stale', 'from an earlier web', 'Normal', '00000000-0000-0000-0000-000000000000'))).status, 201);
    // About another object.
    const other = { ...event('other.1', 'Other', 'about another deployment'), involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'typo', namespace: 'default', uid: 'x' } };
    assert.equal((await post(other)).status, 201);

    const out = await s.k(['describe', 'deployment', 'web']);
    assert.match(out, /^Name:\s+web$/m);
    assert.match(out, /^Namespace:\s+default$/m);
    assert.match(out, /^Labels:\s+app=web$/m);
    assert.match(out, /^Selector:\s+app=web$/m);
    assert.match(out, /^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
    assert.match(out, /^StrategyType:\s+RollingUpdate$/m);
    assert.match(out, /^Pod Template:$/m);
    assert.match(out, /^ {4}Image:\s+nginx:1\.27$/m);
    // A real server defaults ports[].protocol to TCP ("80/TCP"); Flotilla does not yet for
    // pod templates (registry/strategy.ts), so the protocol is optional here.
    assert.match(out, /^ {4}Port:\s+80\/(TCP)?$/m);
    assert.match(out, /^ {6}MODE:\s+prod$/m);
    assert.match(out, /^Events:$/m);
    const events = out.slice(out.indexOf('Events:'));
    assert.match(events, /Type\s+Reason\s+Age\s+From\s+Message/);
    // Age shows the count and the span: "1s (x2 over 61s)".
    assert.match(events, /Normal\s+ScalingReplicaSet\s+\d+s \(x2 over \d+s\)\s+deployment-controller\s+Scaled up replica set web-7d4b9c to 2/);
    assert.match(events, /Warning\s+FailedCreate\s+\d+s \(x2 over \d+s\)\s+deployment-controller\s+quota exceeded/);
    assert.doesNotMatch(events, /Stale|another deployment/);
  });
});

describe('kubectl describe shows the events Flotilla records on a template (flotilla up)', () => {
  let up: Up;
  const k = (args: string[], input?: string) => up.k('flotilla', args, input);
  before(async () => {
    up = await startUp({ sim: 2, nodes: 1, clustersReady: false });
  });
  after(() => up?.stop());

  it('a template whose PropagationPolicy is deleted shows the PolicyUnbound warning in describe', async () => {
    await k(['apply', '-f', '-'], deployment('shop', 1, 'nginx:1.27'));
    await k(
      ['apply', '-f', '-'],
      `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: shop}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: shop}]
  placement: {clusterAffinity: {clusterNames: [member1]}}
`,
    );
    await waitFor('binding scheduled', async () => /member1/.test(await k(['get', 'rb', 'shop-deployment', '-o', 'jsonpath={.spec.clusters}']).catch(() => '')) || undefined, 90_000, 250);
    await k(['delete', 'pp', 'shop']);
    const out = await waitFor(
      'PolicyUnbound in describe',
      async () => {
        const d = await k(['describe', 'deployment', 'shop']);
        return /PolicyUnbound/.test(d) ? d : undefined;
      },
      60_000,
      500,
    );
    assert.match(out, /^Name:\s+shop$/m);
    assert.match(out, /^ {4}Image:\s+nginx:1\.27$/m);
    const events = out.slice(out.indexOf('Events:'));
    assert.match(events, /Warning\s+PolicyUnbound\s+.+?\s+flotilla-detector\s+No PropagationPolicy or ClusterPropagationPolicy selects this resource any more/);
  });
});
