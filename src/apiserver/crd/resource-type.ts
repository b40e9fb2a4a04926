/**
 * What a served CRD version becomes inside the server: a ResourceType (discovery, routing, the
 * watch cache and OpenAPI all read those), a Table printer from its additionalPrinterColumns,
 * and the OpenAPI schema `kubectl explain` reads.
 */
import { STANDARD_VERBS, type ResourceType } from '../resources/types.js';
import { schemaName } from '../openapi.js';
import { printerFromCRDColumns, type CRDColumn } from '../printers/crd.js';
import type { Printer } from '../printers/types.js';
import type { CRDNames, CRDVersion, CustomResourceDefinition, JSONSchemaProps } from './types.js';
import { storageVersionOf } from './structural.js';

/** The ResourceType of one served version, named by the CRD's accepted names. */
export function resourceTypeFor(crd: CustomResourceDefinition, v: CRDVersion, names: CRDNames): ResourceType {
  const scale = v.subresources?.scale;
  return {
    group: crd.spec.group!,
    version: v.name!,
    kind: names.kind!,
    listKind: names.listKind ?? `${names.kind}List`,
    resource: names.plural!,
    singular: names.singular ?? names.kind!.toLowerCase(),
    namespaced: crd.spec.scope === 'Namespaced',
    shortNames: [...(names.shortNames ?? [])],
    categories: [...(names.categories ?? [])],
    verbs: STANDARD_VERBS,
    subresources: {
      ...(v.subresources?.status ? { status: true } : {}),
      ...(scale?.specReplicasPath && scale.statusReplicasPath
        ? { scale: { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, ...(scale.labelSelectorPath ? { labelSelectorPath: scale.labelSelectorPath } : {}) } }
        : {}),
    },
    hasGeneration: true,
    nameRule: 'subdomain',
    fields: selectableFields(v),
    custom: true,
    storageVersion: storageVersionOf(crd),
  };
}

/** selectableFields (".spec.color") as field-selector getters ("spec.color"). */
function selectableFields(v: CRDVersion): ResourceType['fields'] {
  const fs = (v.selectableFields ?? []).map((f) => f.jsonPath).filter((p): p is string => !!p);
  if (!fs.length) return undefined;
  return Object.fromEntries(
    fs.map((jp) => {
      const parts = jp.replace(/^\./, '').split('.');
      const get = (obj: any) => {
        let cur = obj;
        for (const p of parts) cur = cur?.[p];
        return cur === undefined || cur === null || typeof cur === 'object' ? undefined : String(cur);
      };
      return [parts.join('.'), get];
    }),
  );
}

export function printerFor(v: CRDVersion): Printer {
  const cols = (v.additionalPrinterColumns ?? []).filter((c): c is CRDColumn => !!c?.name && !!c.type && !!c.jsonPath);
  return printerFromCRDColumns(cols);
}

/** The version's schema as OpenAPI v3 for explain: TypeMeta/ObjectMeta described, GVK attached. */
export function openAPISchemaFor(rt: ResourceType, v: CRDVersion): { name: string; schemas: Record<string, object> } {
  const name = schemaName(rt);
  const s: JSONSchemaProps = structuredClone(v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  s.type ??= 'object';
  s.properties = {
    ...(s.properties ?? {}),
    apiVersion: {
      type: 'string',
      description:
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
    },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.' },
    metadata: { type: 'object', description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
  };
  s['x-kubernetes-group-version-kind'] = [{ group: rt.group, version: rt.version, kind: rt.kind }];
  return { name, schemas: { [name]: s } };
}
