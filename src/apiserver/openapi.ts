/**
 * OpenAPI v3: the index (/openapi/v3) and one document per group-version. kubectl reads the
 * PATCH operation of a kind to learn that the server validates fields itself
 * (fieldValidation), which is what lets `kubectl create -f` and `apply -f` run without
 * --validate=false; `kubectl explain` reads components.schemas. Schemas are pluggable per
 * resource (schemaFor), so full built-in and CRD schemas slot in without touching this file.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './resources/registry.js';
import { apiVersionOf, type ResourceType } from './resources/types.js';

export type SchemaProvider = (rt: ResourceType) => { name: string; schemas: Record<string, object> } | undefined;

export class OpenAPI {
  #gen = -1;
  #docs = new Map<string, { body: string; hash: string }>();

  constructor(
    readonly resources: ResourceRegistry,
    public schemaFor: SchemaProvider = minimalSchema,
  ) {}

  #refresh(): void {
    if (this.#gen === this.resources.generation) return;
    this.#docs.clear();
    this.#gen = this.resources.generation;
  }

  static pathOf(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  index(): string {
    this.#refresh();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { group, version } of this.resources.groupVersions()) {
      const p = OpenAPI.pathOf(group, version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${this.document(group, version)!.hash}` };
    }
    return JSON.stringify({ paths });
  }

  document(group: string, version: string): { body: string; hash: string } | undefined {
    this.#refresh();
    const k = `${group}/${version}`;
    let d = this.#docs.get(k);
    if (d) return d;
    const rts = this.resources.resourcesIn(group, version);
    if (!rts.length) return undefined;
    const body = JSON.stringify(this.#build(group, version, rts));
    d = { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() };
    this.#docs.set(k, d);
    return d;
  }

  #build(group: string, version: string, rts: ResourceType[]) {
    const paths: Record<string, object> = {};
    const schemas: Record<string, object> = {};
    for (const rt of rts) {
      const s = this.schemaFor(rt) ?? minimalSchema(rt)!;
      Object.assign(schemas, s.schemas);
      const base = `/${OpenAPI.pathOf(group, version)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.resource}/{name}`;
      const gvk = { group, version, kind: rt.kind };
      const ref = { $ref: `#/components/schemas/${s.name}` };
      const params = [
        { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
        ...(rt.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
        { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      ];
      const response = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
      paths[base] = {
        get: { operationId: `read${rt.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: response },
        put: {
          operationId: `replace${rt.kind}`,
          'x-kubernetes-action': 'put',
          'x-kubernetes-group-version-kind': gvk,
          requestBody: { content: { '*/*': { schema: ref } }, required: true },
          responses: response,
        },
        patch: {
          operationId: `patch${rt.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': gvk,
          parameters: [...params, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
          requestBody: {
            content: {
              'application/json-patch+json': { schema: { type: 'object' } },
              'application/merge-patch+json': { schema: { type: 'object' } },
              'application/apply-patch+yaml': { schema: { type: 'object' } },
            },
            required: true,
          },
          responses: response,
        },
        delete: { operationId: `delete${rt.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: response },
      };
    }
    return { openapi: '3.0.0', info: { title: 'Flotilla', version: apiVersionOf({ group, version }) }, paths, components: { schemas } };
  }
}

/** Kubernetes' schema name for a kind: io.k8s.api.apps.v1.Deployment, or the reversed group for others. */
export function schemaName(rt: { group: string; version: string; kind: string }): string {
  const g = rt.group;
  if (g === '' ) return `io.k8s.api.core.${rt.version}.${rt.kind}`;
  if (g === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${rt.version}.${rt.kind}`;
  if (g.endsWith('.k8s.io') || !g.includes('.')) return `io.k8s.api.${g.replace(/\.k8s\.io$/, '').replace(/\./g, '')}.${rt.version}.${rt.kind}`;
  return `${g.split('.').reverse().join('.')}.${rt.version}.${rt.kind}`;
}

export const minimalSchema: SchemaProvider = (rt) => {
  const name = schemaName(rt);
  return {
    name,
    schemas: {
      [name]: {
        type: 'object',
        description: `${rt.kind} (${apiVersionOf(rt)}).`,
        properties: {
          apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
          kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
          metadata: { type: 'object', description: "Standard object's metadata." },
          spec: { type: 'object', description: 'Specification of the desired behavior.', 'x-kubernetes-preserve-unknown-fields': true },
          status: { type: 'object', description: 'Most recently observed status.', 'x-kubernetes-preserve-unknown-fields': true },
        },
        'x-kubernetes-group-version-kind': [{ group: rt.group, version: rt.version, kind: rt.kind }],
      },
    },
  };
};
