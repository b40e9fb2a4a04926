/**
 * Informers on member clusters for the objects Flotilla applied there: one per (cluster,
 * resource), selecting on karmada.io/managed=true, so memory holds only what Flotilla applied
 * and only for the kinds it applied. An informer is created when a Work of its kind first needs
 * it, and all of a cluster's informers stop when the cluster leaves. Execution (ownership checks,
 * out-of-band changes) and work status (manifest statuses) share them: one watch per kind per
 * cluster, whatever number of controllers listen.
 *
 * The cache keeps objects without what nobody here reads (managedFields other than scale
 * entries, the last-applied annotation): for 10,000 templates on 3 clusters that is most of the
 * memory such a cache takes.
 *
 * When a cluster turns Ready again its informers retry at once instead of after their backoff;
 * when its credentials change they are replaced by fresh ones, and objects that vanished
 * meanwhile are reported as deleted, so no handler misses a change.
 */
import type { Logger } from 'pino';
import type { KubeClient, ResourceRef } from '../../client/client.js';
import { keyOf } from '../../client/informer.js';
import type { MemberClients } from '../../member/clients.js';
import { LeanInformer } from './lean-informer.js';
import { FIELD_MANAGER, MANAGED_SELECTOR } from './ownership.js';

export type MemberInformer = LeanInformer<any>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The cached form of a member object: managedFields only for entries written through the scale
 * subresource by others (./retain.ts reads those), no last-applied annotation. Nothing else
 * changes, so status reflection and retain rules see what they would see on the object.
 */
export function trimForCache(obj: any): any {
  const md = obj?.metadata;
  if (!md) return obj;
  const meta = { ...md };
  if (Array.isArray(md.managedFields)) {
    const scale = md.managedFields.filter((e: any) => e?.subresource === 'scale' && e.manager !== FIELD_MANAGER);
    if (scale.length) meta.managedFields = scale;
    else delete meta.managedFields;
  }
  if (md.annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _, ...rest } = md.annotations;
    meta.annotations = rest;
  }
  return { ...obj, metadata: meta };
}

export type MemberEventType = 'add' | 'update' | 'delete';
export type MemberObjectHandler = (cluster: string, gvr: ResourceRef, type: MemberEventType, obj: any, old?: any) => void;

interface ClusterInformers {
  client: KubeClient;
  informers: Map<string, { gvr: ResourceRef; informer: MemberInformer }>;
}

export const gvrKey = (r: ResourceRef): string => `${r.group}/${r.version}/${r.resource}`;

const readyOf = (c: any): string | undefined => c?.status?.conditions?.find((x: any) => x?.type === 'Ready')?.status;

export class MemberInformers {
  readonly #clusters = new Map<string, ClusterInformers>();
  readonly #handlers: MemberObjectHandler[] = [];
  #stopped = false;

  constructor(
    readonly members: MemberClients,
    readonly opts: { log?: Logger } = {},
  ) {
    members.clusters.on({
      update: (oldC: any, newC: any) => {
        const name = newC?.metadata?.name;
        if (!name || !this.#clusters.has(name)) return;
        if (members.get(name) !== this.#clusters.get(name)!.client) this.restartCluster(name);
        else if (readyOf(newC) === 'True' && readyOf(oldC) !== 'True') for (const { informer } of this.#clusters.get(name)!.informers.values()) informer.kick();
      },
      delete: (c: any) => c?.metadata?.name && this.stopCluster(c.metadata.name),
    });
  }

  /** Registers a handler for every member informer, present and future. */
  on(handler: MemberObjectHandler): void {
    this.#handlers.push(handler);
    for (const [cluster, ci] of this.#clusters) for (const { gvr, informer } of ci.informers.values()) informer.on(this.#wrap(cluster, gvr, handler));
  }

  /** The informer for (cluster, gvr), started if new; undefined when the cluster has no client. */
  ensure(cluster: string, gvr: ResourceRef): MemberInformer | undefined {
    if (this.#stopped) return undefined;
    let ci = this.#clusters.get(cluster);
    if (!ci) {
      const client = this.members.get(cluster);
      if (!client) return undefined;
      this.#clusters.set(cluster, (ci = { client, informers: new Map() }));
    }
    const k = gvrKey(gvr);
    const have = ci.informers.get(k);
    if (have) return have.informer;
    const informer = this.#start(cluster, ci.client, gvr);
    ci.informers.set(k, { gvr, informer });
    this.opts.log?.debug({ cluster, resource: k }, 'member informer started');
    return informer;
  }

  /** The informer for (cluster, gvr) if one runs. */
  get(cluster: string, gvr: ResourceRef): MemberInformer | undefined {
    return this.#clusters.get(cluster)?.informers.get(gvrKey(gvr))?.informer;
  }

  /** Resources watched on a cluster. */
  resources(cluster: string): ResourceRef[] {
    return [...(this.#clusters.get(cluster)?.informers.values() ?? [])].map((x) => x.gvr);
  }

  stopCluster(cluster: string): void {
    const ci = this.#clusters.get(cluster);
    if (!ci) return;
    for (const { informer } of ci.informers.values()) informer.stop();
    this.#clusters.delete(cluster);
  }

  /** Replaces a cluster's informers with fresh ones on its current client. */
  restartCluster(cluster: string): void {
    const old = this.#clusters.get(cluster);
    if (!old || this.#stopped) return;
    const client = this.members.get(cluster);
    if (!client) return this.stopCluster(cluster);
    const ci: ClusterInformers = { client, informers: new Map() };
    this.#clusters.set(cluster, ci);
    for (const [k, { gvr, informer: prev }] of old.informers) {
      prev.stop();
      const informer = this.#start(cluster, client, gvr);
      ci.informers.set(k, { gvr, informer });
      const before = prev.list();
      void informer.synced().then(() => {
        // What the old store had and the fresh list does not was deleted meanwhile.
        for (const obj of before) if (!informer.get(keyOf(obj))) for (const h of this.#handlers) h(cluster, gvr, 'delete', obj);
      });
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const name of [...this.#clusters.keys()]) this.stopCluster(name);
  }

  #start(cluster: string, client: KubeClient, gvr: ResourceRef): MemberInformer {
    const informer = new LeanInformer<any>(client, gvr, { labelSelector: MANAGED_SELECTOR, transform: trimForCache, log: this.opts.log });
    for (const h of this.#handlers) informer.on(this.#wrap(cluster, gvr, h));
    informer.start();
    return informer;
  }

  #wrap(cluster: string, gvr: ResourceRef, h: MemberObjectHandler) {
    return {
      add: (o: any) => h(cluster, gvr, 'add', o),
      update: (old: any, o: any) => h(cluster, gvr, 'update', o, old),
      delete: (o: any) => h(cluster, gvr, 'delete', o),
    };
  }
}

const shared = new WeakMap<MemberClients, MemberInformers>();

/** The process's MemberInformers for these member clients (one per controller manager). */
export function sharedMemberInformers(ctx: { members: MemberClients; log: Logger; signal: AbortSignal }): MemberInformers {
  let mi = shared.get(ctx.members);
  if (!mi) {
    const created = new MemberInformers(ctx.members, { log: ctx.log.child({ component: 'member-informers' }) });
    mi = created;
    shared.set(ctx.members, created);
    ctx.signal.addEventListener('abort', () => created.stop(), { once: true });
  }
  return mi;
}
