// Cluster-level scheduling end to end with the real kubectl against one `flotilla up --fleet`:
// affinity, taints and tolerations, spread by region, dynamic weights by free capacity, a burst
// of bindings against limited capacity, and `flotilla explain` naming why a cluster was left out.
// Everything is asserted the way a user would check it: `kubectl get` on the members and the
// ResourceBindings' spec.clusters and Scheduled condition on the control plane.
//
// The fleet gives each test its own clusters (by label), so the tests do not take each other's
// capacity; they still share one `up` to keep the file fast.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './cli-harness.js';
import { eventually, startUp, type Up } from './up-harness.js';

const FLEET = `timing: {timeScale: 0.05}
defaults: {nodes: 1, capacity: {cpu: 8, memory: 32Gi, pods: 110}}
clusters:
  - {name: east-a, provider: aws, region: us-east-1, labels: {pool: general, tier: gold}}
  - {name: east-b, provider: aws, region: us-east-1, labels: {pool: general}}
  - {name: west-a, provider: aws, region: us-west-2, labels: {pool: general, tier: gold}}
  - {name: eu-a, provider: gcp, region: europe-west4, labels: {pool: general}}
  - {name: dyn-big, region: ap-south-1, labels: {pool: dyn}, nodes: 2, capacity: {cpu: 4, memory: 16Gi}}
  - {name: dyn-small, region: ap-south-1, labels: {pool: dyn}, nodes: 1, capacity: {cpu: 4, memory: 16Gi}}
  - {name: tight-1, region: sa-east-1, labels: {pool: tight}, capacity: {cpu: 2, memory: 8Gi}}
  - {name: tight-2, region: sa-east-1, labels: {pool: tight}, capacity: {cpu: 2, memory: 8Gi}}
  - {name: maint, region: eu-west-1, labels: {pool: maint}}
`;
const REGION: Record<string, string> = { 'east-a': 'us-east-1', 'east-b': 'us-east-1', 'west-a': 'us-west-2', 'eu-a': 'europe-west4' };
const GENERAL = Object.keys(REGION);
const ALL = [...GENERAL, 'dyn-big', 'dyn-small', 'tight-1', 'tight-2', 'maint'];

const deploymentYaml = (name: string, replicas: number, o: { cpu?: string; labels?: Record<string, string> } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: ${JSON.stringify({ app: name, ...o.labels })}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        resources: {requests: {cpu: ${o.cpu ?? '10m'}, memory: 16Mi}}
`;

const policyYaml = (name: string, placement: string, selector = `name: ${name}`) => `apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: ${name}}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, ${selector}}]
  placement:
${placement
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;

const scheduledCond = (rb: any) => rb?.status?.conditions?.find((c: any) => c.type === 'Scheduled');

describe('cluster-level scheduling through kubectl (flotilla up --fleet, 9 simulated clusters)', () => {
  let up: Up;

  /** Members running Deployment `name`, with their spec.replicas. */
  async function placement(name: string, clusters = ALL): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    await Promise.all(
      clusters.map(async (m) => {
        const d = await up.maybe(m, ['get', 'deployment', name]);
        if (d) out[m] = d.spec.replicas;
      }),
    );
    return out;
  }
  /** The binding once the scheduler has observed its generation. */
  const binding = (name: string, pred: (rb: any) => boolean = () => true) =>
    eventually(`${name} scheduled`, async () => {
      const rb = await up.maybe('flotilla', ['get', 'rb', `${name}-deployment`]);
      return rb && scheduledCond(rb) && rb.status.schedulerObservedGeneration === rb.metadata.generation && pred(rb) ? rb : undefined;
    });
  const explain = async (name: string) => {
    const r = await cli(['explain', `deployment/${name}`], { KUBECONFIG: up.kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    up = await startUp({ fleet: FLEET, extra: ['--cluster-monitor-period', '500ms'] });
    await eventually(
      'clusters Ready with resource summaries',
      async () => {
        const l = await up.json('flotilla', ['get', 'clusters']);
        return (
          l.items.length === ALL.length &&
          l.items.every((c: any) => c.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True') && c.status?.resourceSummary?.allocatable?.cpu)
        );
      },
      90_000,
    );
  });
  after(() => up?.stop());

  it('clusterAffinity by labelSelector runs the workload only on the labelled clusters; explain names the affinity for the others', async () => {
    await up.k('flotilla', ['apply', '-f', '-'], deploymentYaml('gold', 2) + '---\n' + policyYaml('gold', 'clusterAffinity: {labelSelector: {matchLabels: {tier: gold}}}'));
    await eventually('gold on east-a and west-a', async () => {
      const p = await placement('gold', GENERAL);
      return p['east-a'] === 2 && p['west-a'] === 2 ? p : undefined;
    });
    assert.deepEqual(await placement('gold'), { 'east-a': 2, 'west-a': 2 });
    const rb = await binding('gold');
    assert.deepEqual(rb.spec.clusters.map((c: any) => c.name).sort(), ['east-a', 'west-a']);
    assert.equal(scheduledCond(rb).status, 'True');

    const text = await explain('gold');
    assert.match(text, /^ {2}east-b +filtered +.*ClusterAffinity: cluster\(s\) did not match the placement cluster affinity constraint/m);
    assert.match(text, /^ {2}west-a +selected +2 /m);
  });

  it('a cluster tainted NoSchedule (kubectl patch) is skipped unless the policy tolerates it; explain names the taint', async () => {
    await up.k('flotilla', ['patch', 'cluster', 'east-b', '--type=merge', '-p', '{"spec":{"taints":[{"key":"dedicated","value":"infra","effect":"NoSchedule"}]}}']);
    await eventually('taint seen', async () => (await up.json('flotilla', ['get', 'cluster', 'east-b'])).spec.taints?.some((t: any) => t.key === 'dedicated'));

    await up.k('flotilla', ['apply', '-f', '-'], deploymentYaml('untolerant', 1) + '---\n' + policyYaml('untolerant', 'clusterAffinity: {clusterNames: [east-b, eu-a]}'));
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('tolerant', 1) +
        '---\n' +
        policyYaml(
          'tolerant',
          `clusterAffinity: {clusterNames: [east-b, eu-a]}
clusterTolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]`,
        ),
    );
    await eventually('tolerant on both', async () => {
      const p = await placement('tolerant', ['east-b', 'eu-a']);
      return p['east-b'] === 1 && p['eu-a'] === 1;
    });
    await eventually('untolerant on eu-a', async () => (await placement('untolerant', ['eu-a']))['eu-a'] === 1);
    assert.deepEqual(await placement('untolerant'), { 'eu-a': 1 });

    const rb = await binding('untolerant');
    assert.deepEqual(rb.spec.clusters, [{ name: 'eu-a', replicas: 1 }]);
    assert.match(scheduledCond(rb).message, /filtered: east-b \(TaintToleration\)/);
    const text = await explain('untolerant');
    assert.match(text, /^ {2}east-b +filtered +.*TaintToleration: cluster\(s\) had untolerated taint \{dedicated=infra:NoSchedule\}/m);

    // Only that cluster offered: nothing fits, and the binding says why.
    await up.k('flotilla', ['apply', '-f', '-'], deploymentYaml('nowhere', 1) + '---\n' + policyYaml('nowhere', 'clusterAffinity: {clusterNames: [east-b]}'));
    const none = await binding('nowhere', (b) => scheduledCond(b).status === 'False');
    assert.equal(scheduledCond(none).reason, 'NoClusterFit');
    assert.match(scheduledCond(none).message, /0\/9 clusters are available: .*untolerated taint \{dedicated=infra:NoSchedule\}/);
    assert.deepEqual(await placement('nowhere'), {});
  });

  it('a NoExecute taint tolerated for tolerationSeconds still admits new work (Karmada semantics); untolerated it does not', async () => {
    await up.k('flotilla', ['patch', 'cluster', 'maint', '--type=merge', '-p', '{"spec":{"taints":[{"key":"maintenance","value":"planned","effect":"NoExecute"}]}}']);
    await eventually('taint seen', async () => (await up.json('flotilla', ['get', 'cluster', 'maint'])).spec.taints?.some((t: any) => t.key === 'maintenance'));
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('patient', 1) +
        '---\n' +
        policyYaml(
          'patient',
          `clusterAffinity: {clusterNames: [maint]}
clusterTolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 3600}]`,
        ) +
        '---\n' +
        deploymentYaml('impatient', 1) +
        '---\n' +
        policyYaml('impatient', 'clusterAffinity: {clusterNames: [maint]}'),
    );
    await eventually('patient on maint', async () => (await placement('patient', ['maint']))['maint'] === 1);
    const rb = await binding('impatient', (b) => scheduledCond(b).status === 'False');
    assert.match(scheduledCond(rb).message, /untolerated taint \{maintenance=planned:NoExecute\}/);
    assert.deepEqual(await placement('impatient', ['maint']), {});
  });

  it('spread by region with maxGroups 2 (minGroups 2, plus the cluster constraint Karmada requires) lands in exactly two regions', async () => {
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('spread', 1) +
        '---\n' +
        policyYaml(
          'spread',
          `clusterAffinity: {labelSelector: {matchLabels: {pool: general}}}
spreadConstraints:
- {spreadByField: region, minGroups: 2, maxGroups: 2}
- {spreadByField: cluster, minGroups: 2, maxGroups: 3}`,
        ),
    );
    const rb = await binding('spread', (b) => b.spec.clusters?.length >= 2);
    assert.equal(scheduledCond(rb).status, 'True');
    const names: string[] = rb.spec.clusters.map((c: any) => c.name);
    const regions = new Set(names.map((n) => REGION[n]));
    assert.equal(regions.size, 2, `regions of ${names.join(', ')}`);
    const p = await eventually('spread on its clusters', async () => {
      const x = await placement('spread');
      return Object.keys(x).length === names.length ? x : undefined;
    });
    assert.deepEqual(Object.keys(p).sort(), [...names].sort());
    assert.equal(new Set(Object.keys(p).map((n) => REGION[n])).size, 2);
  });

  it('dynamic weights (AvailableReplicas) follow free capacity: 8 vs 4 free CPUs take 4 and 2 of 6 replicas', async () => {
    await up.k(
      'flotilla',
      ['apply', '-f', '-'],
      deploymentYaml('dyn', 6, { cpu: '1' }) +
        '---\n' +
        policyYaml(
          'dyn',
          `clusterAffinity: {labelSelector: {matchLabels: {pool: dyn}}}
replicaScheduling:
  replicaSchedulingType: Divided
  replicaDivisionPreference: Weighted
  weightPreference: {dynamicWeight: AvailableReplicas}`,
        ),
    );
    await eventually('dyn 4/2', async () => {
      const p = await placement('dyn', ['dyn-big', 'dyn-small']);
      return p['dyn-big'] === 4 && p['dyn-small'] === 2;
    });
    const rb = await binding('dyn');
    assert.deepEqual(rb.spec.clusters, [
      { name: 'dyn-big', replicas: 4 },
      { name: 'dyn-small', replicas: 2 },
    ]);
    assert.match(scheduledCond(rb).message, /by dynamic weights by available replicas: dyn-big=4, dyn-small=2/);
  });

  it('100 Deployments at once against two 2-CPU clusters: no cluster is overcommitted, the rest say why', async () => {
    const N = 100;
    const docs = Array.from({ length: N }, (_, i) => deploymentYaml(`burst-${i}`, 2, { cpu: '100m', labels: { burst: 'yes' } }));
    docs.push(
      policyYaml(
        'burst',
        `clusterAffinity: {labelSelector: {matchLabels: {pool: tight}}}
replicaScheduling:
  replicaSchedulingType: Divided
  replicaDivisionPreference: Weighted
  weightPreference: {dynamicWeight: AvailableReplicas}`,
        'labelSelector: {matchLabels: {burst: "yes"}}',
      ),
    );
    await up.k('flotilla', ['apply', '-f', '-'], docs.join('---\n'));
    const CAP = 2000; // millicores per tight cluster
    const bindings = await eventually(
      'every burst binding decided',
      async () => {
        const l = await up.json('flotilla', ['get', 'rb']);
        const mine = l.items.filter((b: any) => b.metadata.name.startsWith('burst-') && scheduledCond(b));
        return mine.length === N ? mine : undefined;
      },
      90_000,
    );
    const used: Record<string, number> = { 'tight-1': 0, 'tight-2': 0 };
    let placed = 0;
    for (const b of bindings) {
      const cond = scheduledCond(b);
      if (cond.status === 'True') {
        placed++;
        assert.equal(b.spec.clusters.reduce((n: number, c: any) => n + c.replicas, 0), 2);
        for (const c of b.spec.clusters) used[c.name] = (used[c.name] ?? 0) + c.replicas * 100;
      } else {
        assert.equal(cond.reason, 'Unschedulable', JSON.stringify(cond));
        assert.match(cond.message, /replicas|resource/i);
        assert.deepEqual(b.spec.clusters ?? [], []);
      }
    }
    for (const [m, mc] of Object.entries(used)) assert.ok(mc <= CAP, `${m}: ${mc}m scheduled > ${CAP}m allocatable`);
    assert.ok(placed >= 15 && placed <= 20, `placed ${placed} of ${N}`);

    // On the members: every pod of a placed replica is bound and Running, and requests stay within the node.
    for (const m of ['tight-1', 'tight-2']) {
      const want = used[m]! / 100;
      const pods = await eventually(
        `${want} burst pods Running in ${m}`,
        async () => {
          const l = await up.json(m, ['get', 'pods', '-l', 'app']);
          const burst = l.items.filter((p: any) => /^burst-/.test(p.metadata.labels.app));
          return burst.length === want && burst.every((p: any) => p.status.phase === 'Running') ? burst : undefined;
        },
        90_000,
      );
      const requested = pods.reduce((n: number, p: any) => n + 100 * p.spec.containers.length, 0);
      assert.ok(requested <= CAP, `${m}: pods request ${requested}m > ${CAP}m`);
    }

    // A while later (capacity summaries refreshed, unschedulable bindings retried) still no overcommit.
    await new Promise((r) => setTimeout(r, 3000));
    const again = (await up.json('flotilla', ['get', 'rb'])).items.filter((b: any) => b.metadata.name.startsWith('burst-'));
    const later: Record<string, number> = {};
    for (const b of again) for (const c of b.spec.clusters ?? []) later[c.name] = (later[c.name] ?? 0) + c.replicas * 100;
    for (const [m, mc] of Object.entries(later)) assert.ok(mc <= CAP, `later, ${m}: ${mc}m scheduled > ${CAP}m`);
  });
});
