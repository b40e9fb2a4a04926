/**
 * OpenAPI v3: the index (/openapi/v3) and one document per group-version. kubectl reads the
 * PATCH operation of a kind to learn that the server validates fields itself
 * (fieldValidation), which is what lets `kubectl create -f` and `apply -f` run without
 * --validate=false; `kubectl explain` reads components.schemas and follows their $refs.
 * Schemas are pluggable per resource (schemaFor): built-in kinds get the generated upstream
 * schemas (./openapi/builtins.json, see scripts/gen-openapi.ts), CRDs plug in their own.
 *
 * Documents are built on first request and cached until the served resources change; the
 * index's hashes come from a fingerprint of what goes into each document (the generated file's
 * digest, the kinds, the plugged-in schemas), so listing the index builds no document.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './resources/registry.js';
import { apiVersionOf, type ResourceType } from './resources/types.js';
import { builtinSchemas, closure, type Schema } from './openapi/builtins.js';

export type SchemaProvider = (rt: ResourceType) => { name: string; schemas: Record<string, object> } | undefined;

export class OpenAPI {
  #gen = -1;
  #provider?: SchemaProvider;
  #docs = new Map<string, { body: string; hash: string }>();
  #hashes = new Map<string, string>();

  constructor(
    readonly resources: ResourceRegistry,
    schemaFor: SchemaProvider = builtinSchema,
  ) {
    this.schemaFor = schemaFor;
  }

  get schemaFor(): SchemaProvider {
    return this.#provider!;
  }

  /** Replacing the provider (as the CRD support does) drops the cached documents. */
  set schemaFor(p: SchemaProvider) {
    this.#provider = p;
    this.#gen = -1;
  }

  #refresh(): void {
    if (this.#gen === this.resources.generation) return;
    this.#docs.clear();
    this.#hashes.clear();
    this.#gen = this.resources.generation;
  }

  #schemasOf(rts: ResourceType[]): { name: string; schemas: Record<string, object> }[] {
    return rts.map((rt) => this.schemaFor(rt) ?? minimalSchema(rt)!);
  }

  /** The hash of a group-version's document, without building it. */
  #hash(group: string, version: string, rts: ResourceType[]): string {
    const k = `${group}/${version}`;
    let h = this.#hashes.get(k);
    if (h) return h;
    const fp = createHash('sha512').update(builtinSchemas().digest).update(k);
    const provided = this.#schemasOf(rts);
    rts.forEach((rt, i) => fp.update(JSON.stringify([rt.kind, rt.resource, rt.namespaced, provided[i]])));
    h = fp.digest('hex').slice(0, 128).toUpperCase();
    this.#hashes.set(k, h);
    return h;
  }

  static pathOf(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  index(): string {
    this.#refresh();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { group, version } of this.resources.groupVersions()) {
      const rts = this.resources.resourcesIn(group, version);
      if (!rts.length) continue;
      const p = OpenAPI.pathOf(group, version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${this.#hash(group, version, rts)}` };
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
    d = { body, hash: this.#hash(group, version, rts) };
    this.#docs.set(k, d);
    return d;
  }

  #build(group: string, version: string, rts: ResourceType[]) {
    const paths: Record<string, object> = {};
    const schemas: Record<string, object> = {};
    const provided = this.#schemasOf(rts);
    for (const s of provided) Object.assign(schemas, s.schemas);
    // Built-in component schemas the kinds name or reference, followed transitively.
    const builtins = builtinSchemas().schemas;
    const roots: Schema[] = [...provided.map((s) => ({ $ref: `#/components/schemas/${s.name}` })), ...(Object.values(schemas) as Schema[])];
    for (const [name, s] of closure(roots, (n) => (Object.hasOwn(schemas, n) ? undefined : builtins.get(n)))) schemas[name] = s;
    const sorted = Object.fromEntries(Object.keys(schemas).sort().map((n) => [n, schemas[n]!]));
    for (const [i, rt] of rts.entries()) {
      const s = provided[i]!;
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
    return { openapi: '3.0.0', info: { title: 'Flotilla', version: apiVersionOf({ group, version }) }, paths, components: { schemas: sorted } };
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

/** Built-in kinds: the generated upstream schema (components are added when the document is built). */
export const builtinSchema: SchemaProvider = (rt) => {
  const name = rt.custom ? undefined : builtinSchemas().byGVK.get(`${rt.group}/${rt.version}/${rt.kind}`);
  return name ? { name, schemas: {} } : minimalSchema(rt);
};

/** A kind nothing is known about: apiVersion, kind, metadata, and spec/status of any shape. */
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
