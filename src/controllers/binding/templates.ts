/**
 * Resource templates as the binding controller reads them: from the shared informer of their
 * kind (the same one the detector runs, through the informer factory), or with a GET while that
 * informer is still filling.
 */
import { isNotFound, type KubeClient } from '../../client/client.js';
import type { InformerFactory } from '../../client/factory.js';
import type { Discovery, Template } from '../detector/index.js';

export interface ResourceRefLike {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export class TemplateSource {
  constructor(
    readonly client: KubeClient,
    readonly factory: InformerFactory,
    readonly discovery: Discovery,
  ) {}

  /** The template, or undefined when it (or its kind) does not exist. */
  async get(r: ResourceRefLike): Promise<Template | undefined> {
    const ref = this.discovery.cached(r.apiVersion, r.kind) ?? (await this.discovery.resolve(r.apiVersion, r.kind));
    if (!ref) return undefined;
    const inf = this.factory.for<Template>(ref);
    const cached = inf.hasSynced ? inf.getByName(r.namespace || undefined, r.name) : undefined;
    if (cached) return cached;
    // Not filled yet, or behind a template created a moment ago: ask the server.
    try {
      return await this.client.get<Template>(ref, r.name, r.namespace || undefined);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
