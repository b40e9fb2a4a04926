/**
 * `flotilla explain KIND/NAME`: where a workload runs and why. Reads, in the control plane,
 * the template's claim (which policy), its binding (spec.clusters, the scheduler's explanation
 * annotation, status.aggregatedStatus) and the Work per target cluster (the overrides applied
 * there). Karmada answers "why not cluster X?" only with events; here it is stored state.
 */
import { Command } from 'commander';
import { ApiError, isNotFound, ref, type KubeClient } from '../client/client.js';
import { bindingName, executionSpaceName, workName } from '../api/names.js';
import { PERMANENT_ID_LABELS } from '../api/wellknown.js';
import type { Explanation } from '../scheduler/explain.js';
import { resolveOn } from './discovery.js';
import { renderExplain, type ExplainData, type OverrideShadow, type PolicyRef } from './explain-render.js';
import { splitKindName } from './kinds.js';
import { kubeOptions, withControlPlane, type KubeFlags } from './kube.js';
import { examples, out, outputOption, serialize } from './output.js';

// The keys as Karmada writes them (the detector's copies live in src/controllers/detector/keys.ts;
// the CLI reads objects and must not pull in controller code).
const PP_NAME = 'propagationpolicy.karmada.io/name';
const PP_NAMESPACE = 'propagationpolicy.karmada.io/namespace';
const CPP_NAME = 'clusterpropagationpolicy.karmada.io/name';
export const EXPLANATION_ANNOTATION = 'scheduler.flotilla.io/explanation';
const APPLIED_OVERRIDES = 'policy.karmada.io/applied-overrides';
const APPLIED_CLUSTER_OVERRIDES = 'policy.karmada.io/applied-cluster-overrides';

const PP = ref('policy.karmada.io/v1alpha1', 'propagationpolicies', true);
const CPP = ref('policy.karmada.io/v1alpha1', 'clusterpropagationpolicies', false);
const RB = ref('work.karmada.io/v1alpha2', 'resourcebindings', true);
const CRB = ref('work.karmada.io/v1alpha2', 'clusterresourcebindings', false);
const WORKS = ref('work.karmada.io/v1alpha1', 'works', true);

const orNull = <T>(p: Promise<T>): Promise<T | undefined> => p.catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));

/**
 * The policy that claimed the object: by the claim's name keys (annotations since Karmada 1.8,
 * labels before), else by its permanent-id label among the policies that carry it.
 */
export async function findPolicy(client: KubeClient, meta: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }): Promise<PolicyRef | undefined> {
  const keys = { ...(meta.labels ?? {}), ...(meta.annotations ?? {}) };
  if (keys[PP_NAME]) return { kind: 'PropagationPolicy', namespace: keys[PP_NAMESPACE] || meta.namespace, name: keys[PP_NAME] };
  if (keys[CPP_NAME]) return { kind: 'ClusterPropagationPolicy', name: keys[CPP_NAME] };
  const ppId = meta.labels?.[PERMANENT_ID_LABELS.PropagationPolicy];
  if (ppId && meta.namespace) {
    const p = (await client.list(PP, { namespace: meta.namespace, labelSelector: `${PERMANENT_ID_LABELS.PropagationPolicy}=${ppId}` })).items[0];
    if (p) return { kind: 'PropagationPolicy', namespace: p.metadata.namespace, name: p.metadata.name };
  }
  const cppId = meta.labels?.[PERMANENT_ID_LABELS.ClusterPropagationPolicy];
  if (cppId) {
    const p = (await client.list(CPP, { labelSelector: `${PERMANENT_ID_LABELS.ClusterPropagationPolicy}=${cppId}` })).items[0];
    if (p) return { kind: 'ClusterPropagationPolicy', name: p.metadata.name };
  }
  return undefined;
}

function parseJSON<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export async function gatherExplain(client: KubeClient, kindArg: string, namespace: string): Promise<ExplainData> {
  const { kind, name } = splitKindName(kindArg);
  if (!name) throw new Error(`give KIND/NAME (e.g. deployment/${kind === kindArg ? 'nginx' : kind})`);
  const r = await resolveOn(client, kind, 'the control plane');
  const ns = r.namespaced ? namespace : undefined;
  const template = await client.get(r, name, ns).catch((e) => {
    throw e instanceof ApiError && e.code === 404 ? new Error(`${r.kind.toLowerCase()} "${name}" not found${ns ? ` in namespace ${ns}` : ''} in the control plane`) : e;
  });
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  const data: ExplainData = { template: { apiVersion, kind: r.kind, namespace: ns, name, uid: template.metadata?.uid }, overrides: {} };

  data.policy = await findPolicy(client, { namespace: ns, labels: template.metadata?.labels, annotations: template.metadata?.annotations });
  if (!data.policy) return data;
  data.policyObject = await orNull(data.policy.kind === 'PropagationPolicy' ? client.get(PP, data.policy.name, data.policy.namespace) : client.get(CPP, data.policy.name));

  const bName = bindingName(r.kind, name);
  const binding = await orNull(ns ? client.get(RB, bName, ns) : client.get(CRB, bName));
  data.binding = { kind: ns ? 'ResourceBinding' : 'ClusterResourceBinding', namespace: ns, name: bName, object: binding };
  if (!binding) return data;
  data.explanation = parseJSON<Explanation>(binding.metadata?.annotations?.[EXPLANATION_ANNOTATION]);

  const clusters: string[] = (binding.spec?.clusters ?? []).map((c: { name: string }) => c.name);
  const wName = workName(r.kind, name, ns ?? '');
  const bindingId = binding.metadata?.labels?.[ns ? PERMANENT_ID_LABELS.ResourceBinding : PERMANENT_ID_LABELS.ClusterResourceBinding];
  await Promise.all(
    clusters.map(async (cluster) => {
      const space = executionSpaceName(cluster);
      // Karmada's Work name first; else whatever Work carries the binding's permanent id.
      let work = await orNull(client.get(WORKS, wName, space));
      if (!work && bindingId) {
        const key = ns ? PERMANENT_ID_LABELS.ResourceBinding : PERMANENT_ID_LABELS.ClusterResourceBinding;
        work = (await client.list(WORKS, { namespace: space, labelSelector: `${key}=${bindingId}` }).catch(() => ({ items: [] as any[] }))).items[0];
      }
      const a = work?.metadata?.annotations ?? {};
      data.overrides[cluster] = work
        ? { namespaced: parseJSON<OverrideShadow[]>(a[APPLIED_OVERRIDES]) ?? [], cluster: parseJSON<OverrideShadow[]>(a[APPLIED_CLUSTER_OVERRIDES]) ?? [] }
        : undefined;
    }),
  );
  return data;
}

/** The raw pieces for -o json|yaml: what the text is made of, for scripts. */
export function explainJSON(d: ExplainData): object {
  const b = d.binding?.object;
  return {
    template: d.template,
    policy: d.policy ? { ...d.policy, placement: d.policyObject?.spec?.placement, found: !!d.policyObject } : null,
    binding: d.binding ? { kind: d.binding.kind, namespace: d.binding.namespace, name: d.binding.name, found: !!b } : null,
    clusters: b?.spec?.clusters ?? [],
    conditions: b?.status?.conditions ?? [],
    explanation: d.explanation ?? null,
    aggregatedStatus: b?.status?.aggregatedStatus ?? [],
    overrides: d.overrides,
  };
}

export function explainCommand(): Command {
  const cmd = new Command('explain')
    .description("Explain where a workload runs and why: its policy, the clusters it is scheduled to, the scheduler's reasons for each cluster, its status there and the overrides applied.")
    .argument('<kind/name>', 'the resource template in the control plane, e.g. deployment/nginx')
    .option('-n, --namespace <ns>', "namespace (default: the context's namespace)");
  outputOption(cmd, ['json', 'yaml']);
  kubeOptions(cmd);
  examples(cmd, 'flotilla explain deployment/nginx', 'flotilla explain deploy/web -n shop -o json');
  return cmd.action(async (target: string, o: KubeFlags & { namespace?: string; output?: 'json' | 'yaml' }) => {
    await withControlPlane(o, async ({ client, config }) => {
      const data = await gatherExplain(client, target, o.namespace ?? config.namespace);
      process.stdout.write(o.output ? serialize(explainJSON(data), o.output) : renderExplain(data, new Date(), out()));
    });
  });
}
