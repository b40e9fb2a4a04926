/**
 * The two admission plugins CRD support adds to the registry:
 *  - on customresourcedefinitions: Kubernetes' defaults, the cleanup finalizer, storedVersions
 *    kept up to date, and full validation (./structural.ts) plus name conflicts in the group, so
 *    a bad CRD is refused with 422 before anything is written;
 *  - on custom resources: unknown apiVersions refused, nulls dropped, unknown fields pruned
 *    (400 under fieldValidation=Strict, as kube's strict decoder does), defaults applied, then
 *    the version's schema validated. Objects are stored in the storage version's apiVersion.
 */
import type { Admission, WriteOptions } from '../registry/rest.js';
import type { ResourceType } from '../resources/types.js';
import { apiVersionOf } from '../resources/types.js';
import type { Subresource } from '../registry/strategy.js';
import { errors, StatusError } from '../errors.js';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, isObject, type CustomResourceDefinition } from './types.js';
import { defaultCRD, storageVersionOf, validateCRD } from './structural.js';
import { stripUnknownSchemaKeywords, unknownSchemaKeywords } from './schema-rules.js';
import { acceptNames, type TakenNames } from './names.js';
import { toStatusCauses } from './causes.js';
import type { ServedCRDs } from './served.js';

type Opts = WriteOptions & { subresource: Subresource };

export const isCRDType = (rt: ResourceType) => rt.group === CRD_GROUP && rt.resource === CRD_RESOURCE;

function strictError(kind: string, version: string, fields: string[]): StatusError {
  return errors.badRequest(
    `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`,
  );
}

/** `takenNames(group, except)`: the names others hold in the group (other CRDs' accepted names, built-ins). */
export function crdAdmission(takenNames: (group: string, except: string) => TakenNames): Admission {
  return {
    mutate(rt, obj: CustomResourceDefinition, old: CustomResourceDefinition | undefined, o: Opts) {
      if (!isCRDType(rt) || o.subresource === 'status') return;
      if (!isObject(obj.spec)) return;
      defaultCRD(obj);
      const unknown = (obj.spec.versions ?? []).flatMap((v, i) => (isObject(v) ? unknownSchemaKeywords(v.schema?.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`) : []));
      if (unknown.length && o.fieldValidation === 'Strict') throw strictError(rt.kind, rt.version, unknown);
      for (const v of obj.spec.versions ?? []) if (isObject(v)) stripUnknownSchemaKeywords(v.schema?.openAPIV3Schema);
      const storage = storageVersionOf(obj);
      if (!old) {
        const fin = (obj.metadata.finalizers ??= []);
        if (!fin.includes(CLEANUP_FINALIZER)) fin.push(CLEANUP_FINALIZER);
        obj.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage ? [storage] : [] };
      } else if (storage) {
        // Every version ever used for storage stays listed: objects may still be stored in it.
        const stored = (obj.status ??= {}).storedVersions ?? [];
        if (!stored.includes(storage)) obj.status.storedVersions = [...stored, storage];
      }
    },
    validate(rt, obj: CustomResourceDefinition, old: CustomResourceDefinition | undefined) {
      if (!isCRDType(rt)) return [];
      // A write that leaves spec alone (status, finalizers) was validated when spec was written.
      if (old && JSON.stringify(obj.spec) === JSON.stringify(old.spec)) return [];
      const causes = validateCRD(obj, old);
      if (!causes.length && obj.spec.group && obj.spec.names) {
        const { conflicts } = acceptNames(obj.spec.names, old?.status?.acceptedNames, takenNames(obj.spec.group, obj.metadata.name ?? ''));
        causes.push(...conflicts);
      }
      return toStatusCauses(causes);
    },
  };
}

export function customResourceAdmission(served: ServedCRDs): Admission {
  return {
    mutate(rt, obj, old, o: Opts) {
      if (!rt.custom) return;
      const found = served.lookup(rt);
      if (!found) return;
      const { crd, version } = found;
      if (!old) {
        if (crd.terminating) throw new StatusError('MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
        const av = String(obj.apiVersion);
        if (!crd.versions.has(av.startsWith(`${crd.group}/`) ? av.slice(crd.group.length + 1) : ''))
          throw errors.badRequest(
            `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(rt)}): served versions are ${[...crd.versions.keys()].map((v) => `${crd.group}/${v}`).join(', ')}`,
          );
      }
      const pruned = version.schema.admit(obj);
      if (pruned.length && o.fieldValidation === 'Strict') {
        // Fields the stored object already had (a schema that shrank) are not the client's doing.
        const inherited = old ? new Set(version.schema.prune(structuredClone(old))) : new Set<string>();
        const fresh = pruned.filter((p) => !inherited.has(p));
        if (fresh.length) throw strictError(rt.kind, rt.version, fresh);
      }
      obj.apiVersion = `${crd.group}/${crd.storageVersion}`;
    },
    validate(rt, obj, old) {
      if (!rt.custom) return [];
      const found = served.lookup(rt);
      if (!found) return [];
      return toStatusCauses(found.version.schema.validate(obj, old));
    },
  };
}
