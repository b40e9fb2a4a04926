/**
 * One sweep of one member cluster for copies left behind by a failover (src/failover/splitbrain.ts
 * decides): list what Flotilla applied there (label karmada.io/managed=true) in every resource the
 * cluster reports in status.apiEnablements, judge the objects against the cached Works and
 * bindings, confirm every candidate against the control plane itself (a live GET of its Work and
 * of its binding, so a stale or lagging cache never deletes anything), then delete it with its uid
 * and resourceVersion as preconditions (an object re-applied or re-created meanwhile survives).
 */
import type { Logger } from 'pino';
import { ApiError, isConflict, isNotFound, type KubeClient, type ResourceRef } from '../../client/client.js';
import type { AnyBinding } from '../../failover/binding.js';
import { bindingRefOf, MANAGED_LABEL, orphanedMemberObjects, type BindingRef, type MemberObject, type Orphan } from '../../failover/splitbrain.js';

/** What a Cluster reports it serves (Cluster.status.apiEnablements). */
export interface ApiEnablement {
  groupVersion: string;
  resources?: { name: string; kind: string }[];
}

/** Resources never worth listing: not objects Flotilla applies, or not listable. */
const SKIP = new Set(['events', 'bindings', 'componentstatuses', 'tokenreviews', 'selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews', 'localsubjectaccessreviews', 'leases', 'endpointslices', 'endpoints']);
const SKIP_GROUPS = new Set(['events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'metrics.k8s.io']);

/** One ResourceRef per (group, resource): the first version the cluster lists wins (no duplicates). */
export function listableResources(enablements: readonly ApiEnablement[]): (ResourceRef & { kind: string })[] {
  const seen = new Set<string>();
  const out: (ResourceRef & { kind: string })[] = [];
  for (const e of enablements) {
    const [group, version] = e.groupVersion.includes('/') ? e.groupVersion.split('/') : ['', e.groupVersion];
    if (SKIP_GROUPS.has(group!)) continue;
    for (const r of e.resources ?? []) {
      if (!r.name || r.name.includes('/') || SKIP.has(r.name)) continue;
      const key = `${group}/${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Listed across namespaces; `namespaced` is settled per object when deleting.
      out.push({ group: group!, version: version!, resource: r.name, namespaced: false, kind: r.kind });
    }
  }
  return out;
}

export interface SweepDeps {
  cluster: string;
  member: KubeClient;
  enablements: readonly ApiEnablement[];
  /** Cached views (first pass). */
  workExists: (namespace: string, name: string) => boolean;
  binding: (ref: BindingRef) => AnyBinding | undefined;
  /** Live reads (second pass); undefined when NotFound. */
  getWork: (namespace: string, name: string) => Promise<unknown | undefined>;
  getBinding: (ref: BindingRef) => Promise<AnyBinding | undefined>;
  log: Logger;
  /** Called after each deletion (Events). */
  deleted?: (o: Orphan & { object: MemberObject & { metadata: { uid?: string } } }) => void;
  signal?: AbortSignal;
}

export interface SweepResult {
  listed: number;
  deleted: Orphan[];
  pending: Orphan[];
  /** Candidates the live check or the preconditions saved. */
  spared: number;
}

type Listed = MemberObject & { metadata: MemberObject['metadata'] & { uid?: string; resourceVersion?: string; deletionTimestamp?: string } };

/** Lists the managed objects of the member; a resource the member refuses to list is skipped, a connection failure throws. */
async function listManaged(d: SweepDeps): Promise<{ obj: Listed; gvr: ResourceRef }[]> {
  const out: { obj: Listed; gvr: ResourceRef }[] = [];
  for (const gvr of listableResources(d.enablements)) {
    if (d.signal?.aborted) throw new Error('aborted');
    let items: Listed[];
    try {
      items = (await d.member.listAll<Listed>(gvr, { labelSelector: `${MANAGED_LABEL}=true` })).items;
    } catch (e) {
      // 404/405/403: not servable or not allowed; anything else (0 = connection) is the cluster failing.
      if (e instanceof ApiError && e.code >= 400 && e.code < 500) continue;
      throw e;
    }
    const apiVersion = gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version;
    // List items may come without apiVersion and kind: the list's resource says what they are.
    for (const o of items) out.push({ obj: { ...o, apiVersion: o.apiVersion || apiVersion, kind: o.kind || gvr.kind }, gvr });
  }
  return out;
}

export async function sweepMember(d: SweepDeps): Promise<SweepResult> {
  const listed = await listManaged(d);
  const live = listed.filter((x) => !x.obj.metadata.deletionTimestamp);
  const byObj = new Map(live.map((x) => [x.obj as MemberObject, x]));
  const first = orphanedMemberObjects({ cluster: d.cluster, members: live.map((x) => x.obj), workExists: d.workExists, binding: d.binding });
  const result: SweepResult = { listed: listed.length, deleted: [], pending: first.pending, spared: 0 };
  for (const cand of first.delete) {
    const { obj, gvr } = byObj.get(cand.object)!;
    // Positive evidence, asked of the control plane now: the Work is gone and the binding (if any) does not keep this cluster.
    const annotations = obj.metadata.annotations ?? {};
    const work = await d.getWork(annotations['work.karmada.io/namespace']!, annotations['work.karmada.io/name']!);
    const bref = bindingRefOf(obj);
    const binding = work === undefined && bref ? await d.getBinding(bref) : undefined;
    const again = orphanedMemberObjects({ cluster: d.cluster, members: [obj], workExists: () => work !== undefined, binding: () => binding });
    const verdict = again.delete[0];
    if (!verdict) {
      result.spared++;
      d.log.debug({ cluster: d.cluster, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }, 'split-brain candidate spared by the live check');
      continue;
    }
    const target = { ...gvr, namespaced: !!obj.metadata.namespace };
    try {
      await d.member.delete(target, obj.metadata.name!, {
        namespace: obj.metadata.namespace || undefined,
        propagationPolicy: 'Background',
        preconditions: { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) {
        result.spared++;
        continue;
      }
      throw e;
    }
    result.deleted.push(verdict);
    d.log.info(
      { cluster: d.cluster, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, reason: verdict.reason },
      'deleted a copy left in a returning member cluster (split brain)',
    );
    d.deleted?.({ ...verdict, object: obj });
  }
  return result;
}
