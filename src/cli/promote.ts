/**
 * `flotilla promote KIND/NAME -n NS --cluster C`: adopt an object that already runs in member C.
 * The object is copied into the control plane without what C's API server and controllers set,
 * and a policy pins it to C with conflictResolution Overwrite, so the execution controller takes
 * the existing member object over in place (same uid: nothing restarts) instead of refusing it
 * as someone else's. The policy is created first, so no broader policy claims the object in
 * between; it is removed again if the object cannot be created.
 */
import { Command } from 'commander';
import { ApiError, isNotFound, ref, type KubeClient } from '../client/client.js';
import { R } from '../client/resources.js';
import { isReservedNamespace } from '../api/names.js';
import { discover, resolveOn } from './discovery.js';
import { qualifiedName, splitKindName, type ApiResource } from './kinds.js';
import { kubeOptions, withControlPlane, type KubeFlags } from './kube.js';
import { closeMembers, openMembers } from './members.js';
import { asList, examples, resourceName, serialize } from './output.js';

const PP = ref('policy.karmada.io/v1alpha1', 'propagationpolicies', true);
const CPP = ref('policy.karmada.io/v1alpha1', 'clusterpropagationpolicies', false);
const MANAGED_LABEL = 'karmada.io/managed';
const WORK_NAME = 'work.karmada.io/name';
const WORK_NAMESPACE = 'work.karmada.io/namespace';
export const PROMOTED_FROM_LABEL = 'flotilla.io/promoted-from';

/**
 * The object as a template: without what the member's API server set (identity, versions,
 * timestamps, field managers, status, owners, finalizers) and without values the member
 * allocated that a template must not carry (a Service's cluster IPs, a Job's generated
 * selector, a Deployment's revision counter).
 */
export function templateFrom(obj: any): any {
  const t = structuredClone(obj);
  const md = t.metadata ?? {};
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'finalizers'])
    delete md[f];
  if (md.annotations) {
    delete md.annotations['deployment.kubernetes.io/revision'];
    if (!Object.keys(md.annotations).length) delete md.annotations;
  }
  delete t.status;
  if (t.kind === 'Service' && t.spec) {
    delete t.spec.clusterIP;
    delete t.spec.clusterIPs;
    delete t.spec.healthCheckNodePort;
  }
  if (t.kind === 'Job' && t.spec && !t.spec.manualSelector) {
    delete t.spec.selector;
    const labels = t.spec.template?.metadata?.labels;
    if (labels) for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name']) delete labels[k];
  }
  return t;
}

export const policyName = (name: string) => `${name}-promoted`;

/** The (Cluster)PropagationPolicy pinning the object to `cluster`, taking over what is there. */
export function promotionPolicy(r: Pick<ApiResource, 'group' | 'version' | 'kind' | 'namespaced'>, name: string, namespace: string | undefined, cluster: string): any {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return {
    apiVersion: 'policy.karmada.io/v1alpha1',
    kind: r.namespaced ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
    metadata: { name: policyName(name), ...(r.namespaced ? { namespace } : {}), labels: { [PROMOTED_FROM_LABEL]: cluster } },
    spec: {
      resourceSelectors: [{ apiVersion, kind: r.kind, name, ...(r.namespaced ? { namespace } : {}) }],
      placement: { clusterAffinity: { clusterNames: [cluster] } },
      conflictResolution: 'Overwrite',
    },
  };
}

async function ensureNamespace(client: KubeClient, ns: string): Promise<void> {
  try {
    await client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 409)) throw e;
  }
}

interface PromoteFlags extends KubeFlags {
  namespace?: string;
  cluster: string;
  dryRun?: boolean;
}

async function promote(cp: KubeClient, defaultNs: string, target: string, o: PromoteFlags): Promise<string> {
  const { kind, name } = splitKindName(target);
  if (!name) throw new Error('give KIND/NAME (e.g. deployment/nginx)');
  const [member] = await openMembers(cp, { names: [o.cluster], timeoutMs: 15_000 });
  try {
    if (!member!.client) throw new Error(`cluster ${o.cluster} cannot be reached: ${member!.problem}`);
    const mc = member!.client;
    const r = await resolveOn(mc, kind, `cluster ${o.cluster}`);
    const ns = r.namespaced ? defaultNs : undefined;
    if (ns && isReservedNamespace(ns)) throw new Error(`namespace ${ns} is reserved: Flotilla never propagates from it`);
    const served = (await discover(cp)).some((x) => x.group === r.group && x.version === r.version && x.resource === r.resource);
    if (!served) throw new Error(`the control plane does not serve ${qualifiedName(r)}/${r.version}; install its CustomResourceDefinition there first`);

    const obj = await mc.get(r, name, ns).catch((e) => {
      throw isNotFound(e) ? new Error(`${qualifiedName(r)} "${name}" not found${ns ? ` in namespace ${ns}` : ''} in cluster ${o.cluster}`) : e;
    });
    const md = obj.metadata ?? {};
    if (md.labels?.[MANAGED_LABEL] === 'true') {
      const work = md.annotations?.[WORK_NAME] ?? md.labels?.[WORK_NAME];
      throw new Error(`${qualifiedName(r)} "${name}" in ${o.cluster} is already managed by Flotilla${work ? ` (Work ${md.annotations?.[WORK_NAMESPACE] ?? ''}/${work})` : ''}`);
    }
    const existing = await cp.get(r, name, ns).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (existing) throw new Error(`${qualifiedName(r)} "${name}" already exists in the control plane${ns ? ` (namespace ${ns})` : ''}`);

    const template = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...templateFrom(obj) };
    const policy = promotionPolicy(r, name, ns, o.cluster);
    const policyRef = r.namespaced ? PP : CPP;
    if (o.dryRun) return serialize(asList([policy, template]), 'yaml');

    if (ns) await ensureNamespace(cp, ns);
    await cp.create(policyRef, policy).catch((e) => {
      throw e instanceof ApiError && e.code === 409 ? new Error(`${policy.kind} ${policy.metadata.name} already exists; delete it or promote under another name`) : e;
    });
    try {
      await cp.create(r, template);
    } catch (e) {
      await cp.delete(policyRef, policy.metadata.name, { namespace: ns }).catch(() => undefined);
      throw e;
    }
    const pName = resourceName(policy.kind, 'policy.karmada.io', policy.metadata.name);
    return `${resourceName(r.kind, r.group, name)} promoted from ${o.cluster}: now in the control plane, pinned to ${o.cluster} by ${pName} (the member object is taken over in place)\n`;
  } finally {
    await closeMembers(member ? [member] : []);
  }
}

export function promoteCommand(): Command {
  const cmd = new Command('promote')
    .description('Adopt an object that already exists in a member cluster: copy it into the control plane with a policy pinning it to that cluster, without restarting it.')
    .argument('<kind/name>', 'the object in the member cluster, e.g. deployment/nginx')
    .requiredOption('--cluster <name>', 'the member cluster it runs in')
    .option('-n, --namespace <ns>', "namespace (default: the context's namespace)")
    .option('--dry-run', 'print the policy and the template instead of creating them');
  kubeOptions(cmd);
  examples(cmd, 'flotilla promote deployment/nginx -n web --cluster member1', 'flotilla promote clusterrole/viewer --cluster member2 --dry-run');
  return cmd.action(async (target: string, o: PromoteFlags) => {
    await withControlPlane(o, async ({ client, config }) => {
      process.stdout.write(await promote(client, o.namespace ?? config.namespace, target, o));
    });
  });
}
