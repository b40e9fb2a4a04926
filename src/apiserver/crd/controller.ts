/**
 * CustomResourceDefinitions, served: installCRDSupport(server) adds the CRD and custom-resource
 * admission plugins, the OpenAPI schemas of CRD versions, and a controller that follows the CRD
 * watch cache (and makes one pass over stored CRDs at start, so they are served after a restart).
 *
 * For each CRD the controller does what kube's naming, establishing and finalizer controllers do:
 *  - decides its accepted names and writes status (NamesAccepted, Established, acceptedNames,
 *    storedVersions) through the status subresource;
 *  - registers every served version as a ResourceType, which is all discovery, aggregated
 *    discovery, routing, the watch cache and OpenAPI need to serve it at once; Table printers
 *    come from additionalPrinterColumns; unserved or removed versions are unregistered;
 *  - on deletion keeps serving while it deletes every custom resource (condition Terminating,
 *    creates refused), then drops its cleanup finalizer so the CRD goes, and unregisters it.
 * Reconciles are level-based and run one at a time; failures retry with backoff.
 */
import type { ApiServer } from '../server.js';
import type { ResourceType } from '../resources/types.js';
import { groupResource } from '../resources/types.js';
import { ResourceRegistry } from '../resources/registry.js';
import { customPrinters } from '../handlers/table.js';
import { StatusError } from '../errors.js';
import { nowRFC3339 } from '../registry/meta.js';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, type CRDCondition, type CustomResourceDefinition } from './types.js';
import { acceptNames, addTaken, emptyTaken, type TakenNames } from './names.js';
import { storageVersionOf } from './structural.js';
import { ServedCRDs, ServedVersion, type ServedCRD } from './served.js';
import { openAPISchemaFor, printerFor, resourceTypeFor } from './resource-type.js';
import { crdAdmission, customResourceAdmission } from './admission.js';
import { unsupportedRules } from './rules.js';
import { setCustomResourceSchema } from '../patch/ssa/listtypes.js';

export interface CRDSupport {
  readonly served: ServedCRDs;
  /** Resolves once no reconcile is queued or running (delayed retries do not count). */
  idle(): Promise<void>;
  stop(): void;
}

/** Wire CRD support into a started registry and handler; resolves after stored CRDs are served. */
export async function installCRDSupport(server: ApiServer): Promise<CRDSupport> {
  const crdType = server.resources.lookup(CRD_GROUP, 'v1', CRD_RESOURCE);
  if (!crdType) throw new Error('the customresourcedefinitions resource is not registered');
  const controller = new CRDController(server, crdType);
  // First in line: Kubernetes defaults and prunes while decoding, before managedFields are recorded.
  server.registry.admission.unshift(crdAdmission((g, except) => controller.takenNames(g, except)), customResourceAdmission(controller.served));
  const openapi = server.handler.openapi;
  const previous = openapi.schemaFor;
  openapi.schemaFor = (rt) => {
    const found = rt.custom ? controller.served.lookup(rt) : undefined;
    return found ? openAPISchemaFor(rt, found.version.version) : previous(rt);
  };
  await controller.start();
  return controller;
}

/** While custom resources wait for their finalizers, look again after 250ms, backing off to 5s. */
const terminatingPoll = (n: number) => Math.min(250 * 2 ** n, 5000);

class CRDController implements CRDSupport {
  readonly served = new ServedCRDs();
  readonly #queue = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #attempts = new Map<string, number>();
  readonly #polls = new Map<string, number>();
  #running?: Promise<void>;
  #stopped = false;
  readonly #log;

  constructor(
    readonly server: ApiServer,
    readonly crdType: ResourceType,
  ) {
    this.#log = server.log.child({ component: 'crd' });
  }

  get #cache() {
    return this.server.registry.cacheOf(this.crdType);
  }

  async start(): Promise<void> {
    const cache = this.#cache;
    cache.watchers.add({ onEvent: (ev) => this.enqueue(ev.obj.name), onClose: () => this.stop() });
    for (const obj of cache.objects.values()) this.enqueue(obj.name);
    await this.idle();
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#queue.clear();
  }

  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  enqueue(name: string, delayMs = 0): void {
    if (this.#stopped) return;
    if (delayMs > 0) {
      if (!this.#timers.has(name))
        this.#timers.set(
          name,
          setTimeout(() => {
            this.#timers.delete(name);
            this.enqueue(name);
          }, delayMs),
        );
      return;
    }
    this.#queue.add(name);
    if (!this.#running) this.#running = this.#drain();
  }

  async #drain(): Promise<void> {
    // Yield first, so #running is set before anything below can finish and clear it.
    await Promise.resolve();
    try {
      await this.#drainLoop();
    } finally {
      this.#running = undefined;
      // Work enqueued between the loop's last check and here would otherwise wait for the next event.
      if (this.#queue.size && !this.#stopped) this.#running = this.#drain();
    }
  }

  async #drainLoop(): Promise<void> {
    while (this.#queue.size && !this.#stopped) {
      const name = this.#queue.values().next().value as string;
      this.#queue.delete(name);
      try {
        const retryMs = await this.#reconcile(name);
        this.#attempts.delete(name);
        if (retryMs) this.enqueue(name, retryMs);
      } catch (err) {
        const n = (this.#attempts.get(name) ?? 0) + 1;
        this.#attempts.set(name, n);
        this.#log.warn({ err, crd: name, attempt: n }, 'CRD reconcile failed; retrying');
        this.enqueue(name, Math.min(100 * 2 ** n, 10_000));
      }
    }
  }

  /** Names others hold in a group: built-in resources and other CRDs' accepted names. */
  takenNames(group: string, except: string): TakenNames {
    const t = emptyTaken();
    for (const rt of this.server.resources.all())
      if (!rt.custom && rt.group === group)
        addTaken(t, `the built-in resource ${groupResource(rt)}`, { plural: rt.resource, singular: rt.singular, shortNames: rt.shortNames, kind: rt.kind, listKind: rt.listKind });
    for (const o of this.#cache.objects.values()) {
      if (o.name === except || !o.json.includes(`"group":${JSON.stringify(group)}`)) continue;
      const crd = o.object() as CustomResourceDefinition;
      if (crd.spec?.group === group) addTaken(t, `customresourcedefinition "${o.name}"`, crd.status?.acceptedNames);
    }
    return t;
  }

  #read(name: string): CustomResourceDefinition | undefined {
    return this.#cache.get(this.server.registry.key(this.crdType, '', name))?.object();
  }

  /** One level-based pass; returns a delay when it should run again. */
  async #reconcile(name: string): Promise<number | void> {
    const crd = this.#read(name);
    if (!crd) return this.#unserve(name);
    if (crd.metadata.deletionTimestamp) return this.#terminate(crd);
    const latest = await this.#writeStatus(name, (cur) => this.#desiredStatus(cur));
    if (!latest) return this.#unserve(name);
    await this.#serve(latest);
  }

  #desiredStatus(cur: CustomResourceDefinition): CustomResourceDefinition['status'] {
    const status = structuredClone(cur.status ?? {});
    const names = acceptNames(cur.spec?.names ?? {}, status.acceptedNames, this.takenNames(cur.spec?.group ?? '', cur.metadata.name ?? ''));
    status.acceptedNames = names.accepted;
    let conds = setCondition(status.conditions, names.condition);
    const wasEstablished = conds.find((c) => c.type === 'Established')?.status === 'True';
    if (names.condition.status === 'True')
      conds = setCondition(conds, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
    else if (!wasEstablished) conds = setCondition(conds, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });
    status.conditions = conds;
    const storage = storageVersionOf(cur);
    const stored = status.storedVersions ?? [];
    status.storedVersions = storage && !stored.includes(storage) ? [...stored, storage] : stored;
    return status;
  }

  /** Status through the status subresource; undefined when the CRD is gone. */
  async #writeStatus(name: string, desired: (cur: CustomResourceDefinition) => CustomResourceDefinition['status']): Promise<CustomResourceDefinition | undefined> {
    try {
      const res = await this.server.registry.update(
        { rt: this.crdType, namespace: '', name, subresource: 'status' },
        (cur: CustomResourceDefinition) => {
          cur.status = desired(cur);
          delete cur.metadata.resourceVersion;
          return cur;
        },
        {},
      );
      return JSON.parse(res.json);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  async #serve(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name!;
    const accepted = crd.status?.acceptedNames;
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    const storageVersion = storageVersionOf(crd);
    if (!established || !accepted?.plural || !accepted.kind || !storageVersion) return this.#unserve(name);
    const signature = JSON.stringify([crd.metadata.uid, crd.metadata.generation, accepted]);
    const existing = this.served.byName.get(name);
    if (existing?.signature === signature) return;
    const group = crd.spec.group!;
    const versions = new Map<string, ServedVersion>();
    for (const v of crd.spec.versions ?? []) {
      if (!v.served) continue;
      const rt = resourceTypeFor(crd, v, accepted);
      customPrinters.set(rt, printerFor(v));
      // Server-side apply merges lists by the schema's x-kubernetes-list-type / list-map-keys.
      setCustomResourceSchema(rt, v.schema?.openAPIV3Schema);
      versions.set(v.name!, new ServedVersion(v, rt));
    }
    await this.server.caches.add(ResourceRegistry.storagePrefix({ group, resource: accepted.plural }));
    const next: ServedCRD = { name, group, plural: accepted.plural, crd, accepted, storageVersion, versions, signature, terminating: false };
    // Admission learns the new schemas before routing learns the new versions.
    this.served.set(next);
    for (const v of versions.values()) this.server.resources.add(v.rt);
    // Build the validators off the request path (a big schema takes a moment to compile).
    setImmediate(() => {
      for (const v of versions.values()) if (this.served.byName.get(name) === next) v.schema.compile();
    });
    for (const v of existing?.versions.keys() ?? []) if (!versions.has(v) || existing!.plural !== next.plural) this.server.resources.remove(existing!.group, v, existing!.plural);
    const skipped = [...new Set((crd.spec.versions ?? []).flatMap((v) => unsupportedRules(v.schema?.openAPIV3Schema)))];
    if (skipped.length) this.#log.warn({ crd: name, rules: skipped }, 'x-kubernetes-validations rules beyond the cheap CEL subset are not enforced');
    this.#log.info({ crd: name, versions: [...versions.keys()] }, existing ? 'CRD updated' : 'CRD established');
  }

  #unserve(name: string): void {
    const old = this.served.delete(name);
    if (!old) return;
    for (const v of old.versions.keys()) this.server.resources.remove(old.group, v, old.plural);
    this.server.caches.remove(ResourceRegistry.storagePrefix({ group: old.group, resource: old.plural }));
    this.#log.info({ crd: name }, 'CRD no longer served');
    // A name this CRD held may be what another CRD of the group was waiting for.
    for (const o of this.#cache.objects.values()) if (o.json.includes('"NamesAccepted","status":"False"')) this.enqueue(o.name);
  }

  /** Delete every custom resource, then let the CRD go. Returns a delay while some remain. */
  async #terminate(crd: CustomResourceDefinition): Promise<number | void> {
    const name = crd.metadata.name!;
    const existing = this.served.byName.get(name);
    if (existing) existing.terminating = true;
    await this.#writeStatus(name, (cur) => ({
      ...cur.status,
      conditions: setCondition(cur.status?.conditions, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }),
    }));
    const rt = existing?.versions.get(existing.storageVersion)?.rt ?? existing?.versions.values().next().value?.rt ?? this.#storageType(crd);
    const prefix = ResourceRegistry.storagePrefix(rt);
    if (rt && crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) {
      const cache = await this.server.caches.add(prefix);
      for (const o of [...cache.objects.values()]) {
        if (o.json.includes('"deletionTimestamp"')) continue;
        try {
          await this.server.registry.delete({ rt, namespace: o.namespace, name: o.name, subresource: '' }, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
        }
      }
      await this.server.caches.fresh();
      if (cache.objects.size > 0) {
        const n = this.#polls.get(name) ?? 0;
        this.#polls.set(name, n + 1);
        return terminatingPoll(n);
      }
      this.#polls.delete(name);
      await this.#writeStatus(name, (cur) => ({
        ...cur.status,
        conditions: setCondition(cur.status?.conditions, { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' }),
      }));
      try {
        await this.server.registry.update(
          { rt: this.crdType, namespace: '', name, subresource: '' },
          (cur: CustomResourceDefinition) => {
            cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
            delete cur.metadata.resourceVersion;
            return cur;
          },
          {},
        );
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    this.#unserve(name);
    this.server.caches.remove(prefix);
  }

  /** Where a CRD's objects live, even if it was never served (names never accepted). */
  #storageType(crd: CustomResourceDefinition): ResourceType {
    const v = crd.spec.versions?.find((x) => x.storage) ?? crd.spec.versions?.[0] ?? { name: 'v1' };
    const names = crd.status?.acceptedNames?.plural ? crd.status.acceptedNames : crd.spec.names ?? {};
    return resourceTypeFor(crd, v, { ...names, kind: names.kind || crd.spec.names?.kind || 'Unknown', plural: names.plural || crd.spec.names?.plural });
  }
}

/** Set a condition, keeping lastTransitionTime (and position) when its status did not change. */
export function setCondition(conds: CRDCondition[] | undefined, c: CRDCondition, now = nowRFC3339()): CRDCondition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: CRDCondition = { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now, reason: c.reason, message: c.message };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}
