/**
 * Test helpers: a tiny in-memory "server" that keeps one object and runs applies and updates
 * through the same functions the API server uses, with a controllable clock.
 */
import { BUILTIN_RESOURCES } from '../../resources/builtin.js';
import type { ResourceType } from '../../resources/types.js';
import { serverSideApply, type SsaContext } from './apply.js';
import { recordManagedFields } from './admission.js';
import { FieldSet } from './fieldset.js';
import { defaultListTypes } from './listtypes.js';

export const T0 = Date.parse('2026-01-02T03:04:05Z');

export function builtin(resource: string, group?: string): ResourceType {
  const rt = BUILTIN_RESOURCES.find((r) => r.resource === resource && (group === undefined || r.group === group));
  if (!rt) throw new Error(`no built-in ${resource}`);
  return rt;
}

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

export class Sim {
  obj: any = null;
  t = T0;
  readonly ctx: SsaContext = { listTypes: defaultListTypes, now: () => this.t };
  constructor(readonly rt: ResourceType) {}

  tick(seconds = 1): this {
    this.t += seconds * 1000;
    return this;
  }

  apply(manager: string, cfg: unknown, force = false): any {
    this.obj = serverSideApply(this.rt, this.obj, deepFreeze(structuredClone(cfg)), { fieldManager: manager, force }, this.ctx);
    return this.obj;
  }

  /** A non-apply write (PUT/PATCH/POST) by `manager`, as the registry's admission sees it. */
  update(manager: string | undefined, mutate: (o: any) => void, subresource = ''): any {
    const next = structuredClone(this.obj);
    mutate(next);
    recordManagedFields(this.rt, next, this.obj ?? undefined, { fieldManager: manager, subresource }, this.ctx);
    this.obj = next;
    return next;
  }

  create(manager: string | undefined, obj: unknown): any {
    const next = structuredClone(obj) as any;
    recordManagedFields(this.rt, next, undefined, { fieldManager: manager, subresource: '' }, this.ctx);
    this.obj = next;
    return next;
  }

  /** "manager/Operation[/subresource]" in managedFields order. */
  managers(): string[] {
    return (this.obj?.metadata?.managedFields ?? []).map((e: any) => [e.manager, e.operation, ...(e.subresource ? [e.subresource] : [])].join('/'));
  }

  entry(manager: string, operation = 'Apply'): any {
    return (this.obj?.metadata?.managedFields ?? []).find((e: any) => e.manager === manager && e.operation === operation);
  }

  /** The paths `manager` owns, one per line. */
  owned(manager: string, operation = 'Apply'): string {
    const e = this.entry(manager, operation);
    return e ? FieldSet.fromFieldsV1(e.fieldsV1).toString() : '';
  }

  /** Whether `manager` owns the printed path `path`. */
  owns(manager: string, path: string, operation = 'Apply'): boolean {
    return this.owned(manager, operation).split('\n').includes(path);
  }
}

export const deployment = (o: { replicas?: number; containers?: any[]; labels?: Record<string, string>; extra?: Record<string, unknown> } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', ...(o.labels ? { labels: o.labels } : {}) },
  spec: {
    ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: o.containers ?? [{ name: 'web', image: 'nginx:1.27' }] } },
    ...(o.extra ?? {}),
  },
});
