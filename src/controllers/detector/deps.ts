/**
 * The dependencies distributor: for each ResourceBinding with propagateDeps, keeps one attached
 * binding per dependency of its template (see dependencies.ts), follows the parent's clusters,
 * and releases the attached bindings when the parent goes or stops asking (a finalizer on the
 * parent makes sure that happens even if the parent is deleted while this controller is down).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ResourceBinding } from '../../api/index.js';
import { bindingName } from '../../api/names.js';
import { isAlreadyExists, isNotFound, type KubeClient, type ResourceRef } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Informer } from '../../client/informer.js';
import { R } from '../../client/resources.js';
import type { DependencyRef, ResolvedInterpreter } from '../../interpreter/index.js';
import type { Template } from './build.js';
import { attachParent, dependedByLabel, dependenciesAnnotation, detachParent, parseDependencies } from './dependencies.js';
import { involvedOf, type EventRecorder } from './events.js';
import { DEPENDED_BY_LABEL_PREFIX, DEPENDENCIES_ANNOTATION, DEPENDENCIES_FINALIZER } from './keys.js';
import { REFS } from './refs.js';
import { templateKey, type TemplateWatchers } from './templates.js';

/** The kinds built-in interpreters report as dependencies. */
const DEPENDENCY_REFS: Record<string, ResourceRef> = {
  ConfigMap: R.configmaps,
  Secret: R.secrets,
  ServiceAccount: R.serviceaccounts,
  PersistentVolumeClaim: R.persistentvolumeclaims,
};

const depKey = (kind: string, namespace: string, name: string) => `${kind}|${namespace}|${name}`;
const rbKey = (b: { metadata: { namespace?: string; name?: string } }) => `${b.metadata.namespace}/${b.metadata.name}`;

export interface DepsOptions {
  client: KubeClient;
  factory: InformerFactory;
  rbs: Informer<ResourceBinding>;
  watchers: TemplateWatchers;
  interpreter: (apiVersion: string, kind: string) => ResolvedInterpreter;
  events: EventRecorder;
  enqueue: (bindingKey: string) => void;
  log: Logger;
}

export class DependencyDistributor {
  /** dependency → parent bindings that list it (from their dependencies annotation). */
  readonly #parents = new Map<string, Set<string>>();
  readonly #depInformers = new Map<string, Informer<Template>>();
  /** `namespace|depended-by label key` → attached bindings carrying that label. */
  readonly #attached = new Map<string, Set<string>>();

  constructor(readonly o: DepsOptions) {}

  register(): void {
    this.o.rbs.on({
      add: (b) => {
        this.#index(undefined, b);
        if (b.spec.propagateDeps) this.o.enqueue(rbKey(b));
      },
      update: (a, b) => {
        this.#index(a, b);
        const relevant = a.spec.propagateDeps || b.spec.propagateDeps;
        if (relevant && (a.metadata.generation !== b.metadata.generation || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp)) this.o.enqueue(rbKey(b));
      },
      delete: (b) => {
        this.#index(b, undefined);
        if (b.spec.propagateDeps || b.metadata.finalizers?.includes(DEPENDENCIES_FINALIZER)) this.o.enqueue(rbKey(b));
      },
    });
  }

  #index(before: ResourceBinding | undefined, after: ResourceBinding | undefined): void {
    const key = rbKey((after ?? before)!);
    const labelKeys = (b: ResourceBinding | undefined) => Object.keys(b?.metadata.labels ?? {}).filter((k) => k.startsWith(DEPENDED_BY_LABEL_PREFIX));
    for (const l of labelKeys(before)) this.#attached.get(`${before!.metadata.namespace}|${l}`)?.delete(key);
    for (const l of labelKeys(after)) {
      const k = `${after!.metadata.namespace}|${l}`;
      let set = this.#attached.get(k);
      if (!set) this.#attached.set(k, (set = new Set()));
      set.add(key);
    }
    for (const d of parseDependencies(before?.metadata.annotations?.[DEPENDENCIES_ANNOTATION])) this.#parents.get(depKey(d.kind, d.namespace, d.name))?.delete(key);
    for (const d of parseDependencies(after?.metadata.annotations?.[DEPENDENCIES_ANNOTATION])) {
      const k = depKey(d.kind, d.namespace, d.name);
      let set = this.#parents.get(k);
      if (!set) this.#parents.set(k, (set = new Set()));
      set.add(key);
    }
    if (after?.spec.propagateDeps) this.#watchDependencies();
  }

  /** Dependency objects are watched only once some binding asks for propagateDeps. */
  #watchDependencies(): void {
    for (const [kind, ref] of Object.entries(DEPENDENCY_REFS)) {
      if (this.#depInformers.has(kind)) continue;
      const inf = this.o.factory.for<Template>(ref);
      this.#depInformers.set(kind, inf);
      const poke = (o: Template) => {
        for (const parent of this.#parents.get(depKey(kind, o.metadata.namespace ?? '', o.metadata.name)) ?? []) this.o.enqueue(parent);
      };
      inf.on({ add: poke, update: poke, delete: poke });
    }
  }

  async #dependency(d: DependencyRef): Promise<Template | undefined> {
    const ref = DEPENDENCY_REFS[d.kind];
    if (!ref) return undefined;
    const inf = this.#depInformers.get(d.kind);
    const cached = inf?.getByName(d.namespace, d.name);
    if (cached || inf?.hasSynced) return cached;
    try {
      return await this.o.client.get<Template>(ref, d.name, d.namespace);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const parent = this.o.rbs.getByName(namespace, name);
    if (!parent || parent.metadata.deletionTimestamp || !parent.spec.propagateDeps) {
      await this.#release(namespace, name);
      if (parent?.metadata.finalizers?.includes(DEPENDENCIES_FINALIZER)) await this.#setFinalizer(parent, false);
      return;
    }
    if (!parent.metadata.finalizers?.includes(DEPENDENCIES_FINALIZER)) await this.#setFinalizer(parent, true);
    const r = parent.spec.resource;
    const template = this.o.watchers.template(templateKey(r.apiVersion, r.kind, r.namespace, r.name));
    if (!template) return;
    let deps: DependencyRef[];
    try {
      deps = this.o.interpreter(template.apiVersion, template.kind).getDependencies(template);
    } catch (e) {
      this.o.events.event(involvedOf(template), 'Warning', 'GetDependenciesFailed', (e as Error).message);
      throw e;
    }
    const annotation = dependenciesAnnotation(deps);
    if (parent.metadata.annotations?.[DEPENDENCIES_ANNOTATION] !== annotation) {
      await this.o.client.patch(REFS.resourceBindings, name, { metadata: { annotations: { [DEPENDENCIES_ANNOTATION]: annotation } } }, 'merge', { namespace });
    }
    const wanted = new Set(deps.map((d) => bindingName(d.kind, d.name)));
    await this.#release(namespace, name, wanted);
    for (const d of deps) {
      const dep = await this.#dependency(d);
      if (!dep) continue; // not created yet: its informer event brings us back
      const existing = this.o.rbs.getByName(namespace, bindingName(d.kind, d.name));
      const { binding, changed } = attachParent(parent, dep, existing, randomUUID);
      if (!changed) continue;
      try {
        if (existing) await this.o.client.update(REFS.resourceBindings, binding);
        else await this.o.client.create(REFS.resourceBindings, binding);
      } catch (e) {
        // Created meanwhile (e.g. a policy claimed the dependency): the next pass updates it.
        if (isAlreadyExists(e)) throw new Error(`attached binding ${namespace}/${binding.metadata.name} appeared meanwhile; retrying`);
        throw e;
      }
    }
  }

  /** Removes the parent from attached bindings it labels, except those in `keep`. */
  async #release(namespace: string, parentName: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
    const label = dependedByLabel(namespace, parentName);
    for (const key of [...(this.#attached.get(`${namespace}|${label.key}`) ?? [])]) {
      const b = this.o.rbs.get(key);
      if (!b || b.metadata.labels?.[label.key] === undefined || keep.has(b.metadata.name ?? '')) continue;
      const next = detachParent(b, namespace, parentName);
      if (next === 'delete') await this.o.client.delete(REFS.resourceBindings, b.metadata.name!, { namespace, preconditions: { resourceVersion: b.metadata.resourceVersion } }).catch(ignoreNotFound);
      else if (next) await this.o.client.update(REFS.resourceBindings, next);
    }
  }

  async #setFinalizer(b: ResourceBinding, present: boolean): Promise<void> {
    const list = (b.metadata.finalizers ?? []).filter((f) => f !== DEPENDENCIES_FINALIZER);
    if (present) list.push(DEPENDENCIES_FINALIZER);
    await this.o.client
      .patch(REFS.resourceBindings, b.metadata.name!, { metadata: { resourceVersion: b.metadata.resourceVersion, finalizers: list } }, 'merge', { namespace: b.metadata.namespace })
      .catch(ignoreNotFound);
  }
}

function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}
