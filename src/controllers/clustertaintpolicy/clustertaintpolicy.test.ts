/**
 * ClusterTaintPolicy against an in-process API server: taints follow conditions on the targeted
 * clusters only, other taints are kept, and deleting the policy removes nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../api/index.js';
import { taintString } from '../../failover/tolerations.js';
import { REFS } from '../taint/bindings.js';
import { startEnv, type TestEnv } from '../taint/testenv.js';
import { startClusterTaintPolicy } from './index.js';

const settle = () => new Promise((r) => setTimeout(r, 200));
const taints = (c: Cluster) => (c.spec.taints ?? []).map(taintString);

describe('cluster taint policy', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    await env.start(startClusterTaintPolicy);
    await env.createCluster('prod1', { ready: 'True', labels: { env: 'prod' }, taints: [{ key: 'manual', effect: 'NoSchedule' }] });
    await env.createCluster('dev1', { ready: 'True', labels: { env: 'dev' } });
  });
  after(() => env.stop());

  const taintsOf = async (name: string) => taints(await env.getCluster(name));

  it('adds the taints when addOnConditions match on a targeted cluster', async () => {
    await env.createTaintPolicy(
      {
        targetClusters: { labelSelector: { matchLabels: { env: 'prod' } } },
        addOnConditions: [{ conditionType: 'Ready', operator: 'NotIn', statusValues: ['True'] }],
        removeOnConditions: [{ conditionType: 'Ready', operator: 'In', statusValues: ['True'] }],
        taints: [{ key: 'cluster.karmada.io/not-ready', effect: 'NoExecute' }],
      },
      'not-ready-evicts',
    );
    await settle();
    assert.deepEqual(await taintsOf('prod1'), ['manual:NoSchedule'], 'Ready: nothing to add');
    await env.setCluster('prod1', { ready: 'False' });
    await env.setCluster('dev1', { ready: 'False' });
    await env.until('tainted', async () => (await taintsOf('prod1')).includes('cluster.karmada.io/not-ready:NoExecute'));
    const c = await env.getCluster('prod1');
    assert.ok(c.spec.taints?.find((t) => t.key === 'cluster.karmada.io/not-ready')?.timeAdded, 'timeAdded set');
    assert.deepEqual(await taintsOf('dev1'), [], 'dev1 is not targeted');
    const ev = await env.until('event', async () => (await env.events('default')).find((e) => e.reason === 'TaintClusterSucceed' && e.involvedObject.name === 'prod1'));
    assert.match(ev.message, /with taints\(manual:NoSchedule, cluster.karmada.io\/not-ready:NoExecute\) succeed/);
  });

  it('removes them when removeOnConditions match, keeping other taints', async () => {
    await env.setCluster('prod1', { ready: 'True' });
    await env.until('untainted', async () => !(await taintsOf('prod1')).includes('cluster.karmada.io/not-ready:NoExecute'));
    assert.deepEqual(await taintsOf('prod1'), ['manual:NoSchedule']);
  });

  it('a custom condition drives a custom taint; a policy change re-targets', async () => {
    await env.createTaintPolicy(
      {
        targetClusters: { clusterNames: ['prod1'] },
        addOnConditions: [{ conditionType: 'NetworkAvailable', operator: 'In', statusValues: ['False'] }],
        removeOnConditions: [{ conditionType: 'NetworkAvailable', operator: 'In', statusValues: ['True'] }],
        taints: [{ key: 'example.com/network', value: 'down', effect: 'NoSchedule' }],
      },
      'network',
    );
    await env.setCluster('dev1', { ready: 'True', conditions: [{ type: 'NetworkAvailable', status: 'False' }] });
    await env.setCluster('prod1', { ready: 'True', conditions: [{ type: 'NetworkAvailable', status: 'False' }] });
    await env.until('network taint', async () => (await taintsOf('prod1')).includes('example.com/network=down:NoSchedule'));
    assert.deepEqual(await taintsOf('dev1'), []);
    const p = await env.client.get(REFS.clusterTaintPolicies, 'network');
    await env.client.update(REFS.clusterTaintPolicies, { ...p, spec: { ...p.spec, targetClusters: { clusterNames: ['prod1', 'dev1'] } } });
    await env.until('dev1 tainted after the policy change', async () => (await taintsOf('dev1')).includes('example.com/network=down:NoSchedule'));
  });

  it('deleting a policy leaves its taints in place', async () => {
    await env.client.delete(REFS.clusterTaintPolicies, 'network');
    await env.setCluster('prod1', { ready: 'True', conditions: [{ type: 'NetworkAvailable', status: 'True' }] });
    await settle();
    assert.ok((await taintsOf('prod1')).includes('example.com/network=down:NoSchedule'));
  });
});
