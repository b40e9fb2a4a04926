/**
 * One binding → its Works (Karmada's ResourceBindingController / ClusterResourceBindingController):
 * hold a finalizer; delete the Works of clusters no longer targeted; for each target cluster,
 * revise the template to the cluster's share, apply override policies, stamp the links back and
 * create or update the Work in karmada-es-<cluster>. A cluster whose overrides fail keeps its old
 * Work (event on the template, condition on the binding); the others go ahead. When the binding
 * is deleted its Works are deleted, then the finalizer released.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Cluster, ClusterOverridePolicy, ClusterResourceBinding, OverridePolicy, ResourceBinding, Work } from '../../api/index.js';
import { executionSpaceName, workName } from '../../api/names.js';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../../client/client.js';
import type { Informer } from '../../client/informer.js';
import { R } from '../../client/resources.js';
import { divideJobCompletions, type ResolvedInterpreter } from '../../interpreter/index.js';
import { applyOverrides } from '../../overrides/index.js';
import type { Clock } from '../../util/clock.js';
import { BINDING_FINALIZERS, bindingRef, CONFLICT_RESOLUTION_ANNOTATION, involvedOf, PERMANENT_ID_LABELS, REFS, type AnyBinding, type EventRecorder } from '../detector/index.js';
import { bindingLinks, conflictResolution, dividesCompletions, replicasFor, reviseForCluster, stampManifest } from './manifest.js';
import { describeFailures, nextOverrideConditions, type ClusterOverrideFailure } from './override-condition.js';
import type { TemplateSource } from './templates.js';
import type { WorkIndex } from './work-index.js';
import { desiredWork, keptClusters, orphanWorks, targetClusters } from './works.js';

export interface BindingDeps {
  client: KubeClient;
  rbs: Informer<ResourceBinding>;
  crbs: Informer<ClusterResourceBinding>;
  works: Informer<Work>;
  index: WorkIndex;
  clusters: Informer<Cluster>;
  ops: Informer<OverridePolicy>;
  cops: Informer<ClusterOverridePolicy>;
  templates: TemplateSource;
  events: EventRecorder;
  interpreter: (apiVersion: string, kind: string) => ResolvedInterpreter;
  clock: Clock;
  log: Logger;
  /** Execution namespaces known to exist. */
  namespaces: Set<string>;
}

const getBinding = (d: BindingDeps, key: string): AnyBinding | undefined => (key.includes('/') ? d.rbs.get(key) : d.crbs.get(key));
const ignoreNotFound = (e: unknown) => {
  if (!isNotFound(e)) throw e;
};

async function deleteWorks(d: BindingDeps, works: readonly Work[]): Promise<void> {
  await Promise.all(
    works.filter((w) => !w.metadata.deletionTimestamp).map((w) => d.client.delete(REFS.works, w.metadata.name!, { namespace: w.metadata.namespace }).catch(ignoreNotFound)),
  );
}

async function setFinalizer(d: BindingDeps, b: AnyBinding, present: boolean): Promise<void> {
  const fin = BINDING_FINALIZERS[b.kind];
  const list = (b.metadata.finalizers ?? []).filter((f) => f !== fin);
  if (present) list.push(fin);
  await d.client
    .patch(bindingRef(b.kind), b.metadata.name!, { metadata: { resourceVersion: b.metadata.resourceVersion, finalizers: list } }, 'merge', { namespace: b.metadata.namespace })
    .catch(ignoreNotFound);
}

async function ensureNamespace(d: BindingDeps, name: string): Promise<void> {
  if (d.namespaces.has(name)) return;
  try {
    await d.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  d.namespaces.add(name);
}

export async function reconcileBinding(d: BindingDeps, key: string): Promise<void> {
  const b = getBinding(d, key);
  if (!b) {
    // Gone without its finalizer (removed by hand, or never had one): its Works are orphans.
    await deleteWorks(d, d.index.of(key));
    return;
  }
  if (b.metadata.deletionTimestamp) {
    await deleteWorks(d, d.index.of(key));
    if (b.metadata.finalizers?.includes(BINDING_FINALIZERS[b.kind])) await setFinalizer(d, b, false);
    return;
  }
  if (!b.metadata.finalizers?.includes(BINDING_FINALIZERS[b.kind])) await setFinalizer(d, b, true);

  await deleteWorks(d, orphanWorks(d.index.of(key), keptClusters(b)));
  const targets = targetClusters(b);
  if (!targets.length) return;
  const template = await d.templates.get(b.spec.resource);
  // The garbage collector removes a binding whose template is gone.
  if (!template) return;

  const interp = d.interpreter(template.apiVersion, template.kind);
  const completions =
    template.kind === 'Job' && dividesCompletions(b) ? divideJobCompletions(template, targets.map((t) => ({ name: t.name, replicas: t.replicas ?? 0 }))) : undefined;
  const cops = d.cops.list();
  // applyOverrides only reads those of the template's namespace; the list is short in practice.
  const ops = template.metadata.namespace ? d.ops.list().filter((p) => p.metadata.namespace === template.metadata.namespace) : [];
  const name = workName(template.kind, template.metadata.name, template.metadata.namespace);
  const links = bindingLinks(b);
  const failures: ClusterOverrideFailure[] = [];
  const errors: Error[] = [];

  await Promise.all(
    targets.map(async (target) => {
      const revised = reviseForCluster(template, interp, replicasFor(b, target), completions?.find((c) => c.name === target.name)?.replicas);
      const cluster = d.clusters.getByName(undefined, target.name) ?? { metadata: { name: target.name } };
      const r = applyOverrides({ manifest: revised, cluster, clusterOverridePolicies: cops, overridePolicies: ops });
      if (!r.ok) {
        failures.push({ cluster: target.name, errors: r.errors });
        return;
      }
      const ns = executionSpaceName(target.name);
      const existing = d.works.getByName(ns, name);
      if (existing?.metadata.deletionTimestamp) {
        errors.push(new Error(`work ${ns}/${name} is being deleted`));
        return;
      }
      const workID = existing?.metadata.labels?.[PERMANENT_ID_LABELS.Work] ?? randomUUID();
      const manifest = JSON.parse(JSON.stringify(stampManifest(r.manifest, { binding: b, template, workName: name, workNamespace: ns, workID }))) as Record<string, unknown>;
      const { work, changed } = desiredWork({
        binding: b,
        cluster: target.name,
        name,
        manifest,
        labels: { ...links.labels, [PERMANENT_ID_LABELS.Work]: workID },
        annotations: { ...links.annotations, ...r.annotations, [CONFLICT_RESOLUTION_ANNOTATION]: conflictResolution(template, b) },
        existing,
      });
      if (!changed) return;
      try {
        if (existing) await d.client.update(REFS.works, work);
        else await createWork(d, ns, work);
      } catch (e) {
        errors.push(e as Error);
      }
    }),
  );

  if (failures.length) d.events.event(involvedOf(template), 'Warning', 'ApplyOverridePolicyFailed', describeFailures(failures));
  const conditions = nextOverrideConditions(b.status?.conditions, failures, b.metadata.generation ?? 0, new Date(d.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (conditions) await d.client.update(bindingRef(b.kind), { ...b, status: { ...b.status, conditions } }, { subresource: 'status' });
  if (errors.length) {
    // Conflicts and AlreadyExists only mean the cache was behind; they are retried without an event.
    const loud = errors.filter((e) => !isConflict(e) && !isAlreadyExists(e)).map((e) => e.message).join('; ');
    if (loud) {
      d.events.event(involvedOf(b), 'Warning', 'SyncWorkFailed', loud);
      d.events.event(involvedOf(template), 'Warning', 'SyncWorkFailed', loud);
    }
    throw new Error(`syncing works of ${key}: ${errors.map((e) => e.message).join('; ')}`);
  }
}

async function createWork(d: BindingDeps, ns: string, work: Work): Promise<void> {
  await ensureNamespace(d, ns);
  try {
    await d.client.create(REFS.works, work);
  } catch (e) {
    // The namespace was removed behind our back (unjoin): forget it and retry.
    if (isNotFound(e)) d.namespaces.delete(ns);
    throw e;
  }
}
