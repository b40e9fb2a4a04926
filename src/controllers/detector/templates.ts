/**
 * Resource templates of every kind some policy selects: one shared informer per kind, started
 * when a policy first names the kind (resolved through discovery, so CRDs work once installed).
 * Events are filtered like Karmada's detector: an update that changes only status, the
 * resourceVersion or managedFields is not a template change.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { ResourceRef } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Informer } from '../../client/informer.js';
import type { Discovery } from './discovery.js';
import type { Template } from './build.js';
import { claimOf } from './match.js';

export interface WatchedKind {
  apiVersion: string;
  kind: string;
  ref: ResourceRef;
  informer: Informer<Template>;
}

/** `apiVersion|kind|namespace|name`: the detector's work-queue key for a template. */
export const templateKey = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;

export function parseTemplateKey(key: string): { apiVersion: string; kind: string; namespace: string; name: string } {
  const [apiVersion = '', kind = '', namespace = '', ...rest] = key.split('|');
  return { apiVersion, kind, namespace, name: rest.join('|') };
}

const IGNORED_META = new Set(['resourceVersion', 'managedFields']);

/**
 * Kinds never propagated, whatever a policy selects (Karmada's default skipped resources):
 * Flotilla's own Karmada APIs, which would feed back into themselves, and Events.
 */
export function isSkippedKind(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group.endsWith('.karmada.io') || (kind === 'Event' && (group === '' || group === 'events.k8s.io'));
}

/** Whether an update changed anything but status and bookkeeping metadata. */
export function templateChanged(a: Template, b: Template): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'status' || k === 'metadata') continue;
    if (!isDeepStrictEqual(a[k], b[k])) return true;
  }
  const ma = a.metadata as Record<string, unknown>;
  const mb = b.metadata as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
    if (IGNORED_META.has(k)) continue;
    if (!isDeepStrictEqual(ma[k], mb[k])) return true;
  }
  return false;
}

/** `kind|namespace|name` of the policy a template's claim names (the detector's policy key). */
const claimKeyOf = (t: Template | undefined): string | undefined => {
  const c = t && claimOf(t);
  return c ? `${c.kind}|${c.kind === 'PropagationPolicy' ? (c.namespace ?? '') : ''}|${c.name}` : undefined;
};

export class TemplateWatchers {
  readonly #kinds = new Map<string, WatchedKind>();
  /** Policy key → templates that policy has claimed, so a policy change finds them without a scan. */
  readonly #claimed = new Map<string, Set<string>>();

  constructor(
    readonly factory: InformerFactory,
    readonly discovery: Discovery,
    readonly onTemplate: (key: string) => void,
    readonly log?: Logger,
  ) {}

  get(apiVersion: string, kind: string): WatchedKind | undefined {
    return this.#kinds.get(`${apiVersion}|${kind}`);
  }

  all(): WatchedKind[] {
    return [...this.#kinds.values()];
  }

  /** Starts watching the kind; undefined when the server does not serve it (yet). Skipped kinds are never watched. */
  async ensure(apiVersion: string, kind: string): Promise<WatchedKind | undefined> {
    if (isSkippedKind(apiVersion, kind)) return undefined;
    const id = `${apiVersion}|${kind}`;
    const have = this.#kinds.get(id);
    if (have) return have;
    const ref = await this.discovery.resolve(apiVersion, kind);
    if (!ref) return undefined;
    // Another caller may have finished first while discovery was in flight.
    const raced = this.#kinds.get(id);
    if (raced) return raced;
    const informer = this.factory.for<Template>(ref);
    const w: WatchedKind = { apiVersion, kind, ref, informer };
    this.#kinds.set(id, w);
    const keyOf = (o: Template) => templateKey(apiVersion, kind, o.metadata?.namespace, o.metadata?.name ?? '');
    const index = (before: Template | undefined, after: Template | undefined) => {
      const from = claimKeyOf(before);
      const to = claimKeyOf(after);
      if (from === to) return;
      const key = keyOf((after ?? before)!);
      if (from) this.#claimed.get(from)?.delete(key);
      if (to) {
        let set = this.#claimed.get(to);
        if (!set) this.#claimed.set(to, (set = new Set()));
        set.add(key);
      }
    };
    informer.on({
      add: (o) => {
        index(undefined, o);
        this.onTemplate(keyOf(o));
      },
      update: (a, b) => {
        index(a, b);
        if (templateChanged(a, b)) this.onTemplate(keyOf(b));
      },
      delete: (o) => {
        index(o, undefined);
        this.onTemplate(keyOf(o));
      },
    });
    this.log?.info({ apiVersion, kind, resource: ref.resource }, 'watching resource templates');
    return w;
  }

  /** Keys of the templates a policy (its detector policy key) has claimed. */
  claimedBy(policyKey: string): string[] {
    return [...(this.#claimed.get(policyKey) ?? [])];
  }

  /** The cached template for a key (undefined when its kind is not watched or it does not exist). */
  template(key: string): Template | undefined {
    const k = parseTemplateKey(key);
    return this.get(k.apiVersion, k.kind)?.informer.getByName(k.namespace || undefined, k.name);
  }
}
