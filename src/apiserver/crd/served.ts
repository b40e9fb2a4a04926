/**
 * The CRDs the server currently serves, indexed for the request path: by CRD name (the
 * controller) and by group/resource (admission of custom resources). A served CRD is replaced
 * as a whole when its generation or accepted names change, so its compiled schemas live exactly
 * as long as that generation.
 */
import type { ResourceType } from '../resources/types.js';
import type { CRDNames, CRDVersion, CustomResourceDefinition } from './types.js';
import { compileSchema, type CompiledSchema } from './schema.js';

export class ServedVersion {
  #schema?: CompiledSchema;
  constructor(
    readonly version: CRDVersion,
    readonly rt: ResourceType,
  ) {}

  /** Compiled on first use, then kept for this CRD generation. */
  get schema(): CompiledSchema {
    return (this.#schema ??= compileSchema(this.version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, { resourceRoot: true }));
  }
}

export interface ServedCRD {
  name: string;
  group: string;
  plural: string;
  crd: CustomResourceDefinition;
  accepted: CRDNames;
  storageVersion: string;
  /** Served versions only. */
  versions: Map<string, ServedVersion>;
  /** Changes when anything a ResourceType is built from changes. */
  signature: string;
  terminating: boolean;
}

export class ServedCRDs {
  readonly byName = new Map<string, ServedCRD>();
  readonly #byGR = new Map<string, ServedCRD>();

  set(s: ServedCRD): void {
    const old = this.byName.get(s.name);
    if (old) this.#byGR.delete(`${old.group}/${old.plural}`);
    this.byName.set(s.name, s);
    this.#byGR.set(`${s.group}/${s.plural}`, s);
  }

  delete(name: string): ServedCRD | undefined {
    const old = this.byName.get(name);
    if (!old) return undefined;
    this.byName.delete(name);
    this.#byGR.delete(`${old.group}/${old.plural}`);
    return old;
  }

  lookup(rt: { group: string; resource: string; version: string }): { crd: ServedCRD; version: ServedVersion } | undefined {
    const crd = this.#byGR.get(`${rt.group}/${rt.resource}`);
    const version = crd?.versions.get(rt.version);
    return crd && version ? { crd, version } : undefined;
  }
}
