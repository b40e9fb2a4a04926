/**
 * `flotilla explain` and `flotilla promote` against a real `flotilla up --sim 2`. Both read what
 * the controllers write (claims, bindings, the scheduler's explanation, Works), so tests that
 * need a controller skip, saying which, in a checkout that does not register it yet.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from './harness.js';
import { missingControllers, startFleet, waitFor, type Fleet } from './cli-harness.js';

let fleet: Fleet;
before(async () => {
  fleet = await startFleet();
});
after(() => fleet?.stop());

const needs = (...names: string[]) => {
  const missing = missingControllers(...names);
  return missing.length ? `needs the ${missing.join(', ')} controller(s), not registered in src/controllers/registry.ts yet` : false;
};

test('explain names the policy, the clusters with their replicas, the reasons and the status', { skip: needs('detector', 'scheduler', 'binding') }, async () => {
  await fleet.k('flotilla', ['apply', '-f', join(ROOT, 'examples', 'nginx-propagation.yaml')]);
  const raw = await waitFor(
    'nginx scheduled with an explanation',
    async () => {
      const r = await fleet.run(['explain', 'deployment/nginx', '-o', 'json']);
      if (r.code !== 0) return undefined;
      const j = JSON.parse(r.stdout);
      return j.clusters.length === 2 && j.explanation ? j : undefined;
    },
    60_000,
    500,
  );
  assert.deepEqual(raw.policy.name, 'nginx-propagation');
  assert.deepEqual(
    raw.clusters.map((c: any) => `${c.name}=${c.replicas}`).sort(),
    ['member1=2', 'member2=2'],
  );
  assert.equal(raw.explanation.strategy, 'StaticWeight');

  const text = await fleet.ok(['explain', 'deploy/nginx']);
  assert.match(text, /^Deployment default\/nginx \(apps\/v1\)$/m);
  assert.match(text, /PropagationPolicy default\/nginx-propagation/);
  assert.match(text, /^ {2}member1 +2$/m);
  assert.match(text, /^ {2}member2 +2$/m);
  assert.match(text, /Why \(scheduler\)\n {2}Scheduled 4 replicas to 2\/2 clusters by static weights/);
  assert.match(text, /^ {2}member1 +selected +2 /m);
  assert.match(text, /^Overrides\n {2}member1: (none|no Work yet)/m);
});

test('explain of an object no policy claims says so', async () => {
  await fleet.k('flotilla', ['create', 'configmap', 'lonely', '--from-literal=a=b']);
  const text = await fleet.ok(['explain', 'cm/lonely']);
  assert.match(text, /^ConfigMap default\/lonely \(v1\)\n\nPolicy\n {2}none: no PropagationPolicy or ClusterPropagationPolicy claims it/);
  const missing = await fleet.run(['explain', 'deploy/nope']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'error: deployment "nope" not found in namespace default in the control plane\n');
  const noName = await fleet.run(['explain', 'deployment']);
  assert.equal(noName.code, 1);
  assert.match(noName.stderr, /^error: give KIND\/NAME/);
});

test('promote adopts a member object in place: same uid, now carrying Flotilla\'s work labels', async (t) => {
  await fleet.k('member1', ['create', 'namespace', 'legacy']);
  await fleet.k('member1', ['create', 'deployment', 'old', '--image=nginx', '--replicas=2', '-n', 'legacy']);
  const uid = (await fleet.k('member1', ['get', 'deploy', 'old', '-n', 'legacy', '-o', 'jsonpath={.metadata.uid}'])).trim();
  assert.ok(uid);

  const dry = await fleet.ok(['promote', 'deployment/old', '-n', 'legacy', '--cluster', 'member1', '--dry-run']);
  assert.match(dry, /kind: PropagationPolicy\n {2}metadata:\n {4}name: old-promoted/);
  assert.match(dry, /conflictResolution: Overwrite/);
  assert.doesNotMatch(dry, /uid:|resourceVersion: "\d|managedFields|status:/);
  const notYet = await fleet.run(['get', 'deploy', 'old', '-n', 'legacy', '--clusters', 'member1', '-o', 'name']);
  assert.equal(notYet.stdout, 'deployment.apps/old\n');

  const out = await fleet.ok(['promote', 'deployment/old', '-n', 'legacy', '--cluster', 'member1']);
  assert.match(out, /^deployment\.apps\/old promoted from member1: .*propagationpolicy\.policy\.karmada\.io\/old-promoted/);
  const pp = JSON.parse(await fleet.k('flotilla', ['get', 'propagationpolicy', 'old-promoted', '-n', 'legacy', '-o', 'json']));
  assert.equal(pp.spec.conflictResolution, 'Overwrite');
  assert.deepEqual(pp.spec.placement.clusterAffinity.clusterNames, ['member1']);
  const template = JSON.parse(await fleet.k('flotilla', ['get', 'deploy', 'old', '-n', 'legacy', '-o', 'json']));
  assert.equal(template.spec.replicas, 2);
  assert.notEqual(template.metadata.uid, uid, 'the control plane has its own object');

  const again = await fleet.run(['promote', 'deployment/old', '-n', 'legacy', '--cluster', 'member1']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^error: deployments\.apps "old" (in member1 is already managed by Flotilla|already exists in the control plane)/);
  const absent = await fleet.run(['promote', 'deployment/ghost', '-n', 'legacy', '--cluster', 'member1']);
  assert.equal(absent.stderr, 'error: deployments.apps "ghost" not found in namespace legacy in cluster member1\n');

  const skip = needs('detector', 'scheduler', 'binding', 'execution');
  if (skip) return t.skip(skip);
  const member = await waitFor(
    'the execution controller to take the member object over',
    async () => {
      const d = JSON.parse(await fleet.k('member1', ['get', 'deploy', 'old', '-n', 'legacy', '-o', 'json']));
      return d.metadata.labels?.['karmada.io/managed'] === 'true' && d.metadata.labels?.['work.karmada.io/name'] ? d : undefined;
    },
    60_000,
    500,
  );
  assert.equal(member.metadata.uid, uid, 'taken over in place, not recreated');
  assert.equal(member.metadata.labels['work.karmada.io/namespace'], 'karmada-es-member1');
  assert.equal(member.spec.replicas, 2);
  const text = await waitFor('explain to show the promoted placement', async () => {
    const t = await fleet.ok(['explain', 'deploy/old', '-n', 'legacy']);
    return /member1 +True +Healthy/.test(t) ? t : undefined;
  });
  assert.match(text, /PropagationPolicy legacy\/old-promoted/);
  assert.match(text, /conflict resolution: Overwrite/);
  assert.doesNotMatch(text, /^ {2}member2 +\d/m);
});
