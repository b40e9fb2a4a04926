/** Content negotiation for kubectl's Table and metadata-only views. */
import type { ResourceType } from '../resources/types.js';
import { printerFor } from '../printers/builtin.js';
import { toTable } from '../printers/table.js';
import type { Printer } from '../printers/types.js';

export interface TableOptions {
  includeObject?: 'None' | 'Object' | 'PartialObjectMetadata';
  resourceVersion?: string;
  continue?: string;
  noHeaders?: boolean;
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=Table') && firstAcceptable(accept)?.includes('as=Table') === true;
}

export function wantsPartialMetadata(accept: string | undefined): boolean {
  const first = accept ? firstAcceptable(accept) : undefined;
  return !!first && (first.includes('as=PartialObjectMetadata;') || first.endsWith('as=PartialObjectMetadata') || first.includes('as=PartialObjectMetadataList'));
}

/** The first media range we can serve: Table and metadata views, then plain JSON. */
function firstAcceptable(accept: string): string | undefined {
  for (const part of accept.split(',')) {
    const p = part.trim();
    if (p.includes('as=Table') && p.includes('g=meta.k8s.io') && (p.includes('v=v1;') || p.endsWith('v=v1') || p.includes('v=v1beta1'))) return p;
    if (p.includes('as=PartialObjectMetadata') && p.includes('g=meta.k8s.io')) return p;
    if (p.startsWith('application/json') && !p.includes('as=')) return p;
    if (p.startsWith('*/*')) return p;
  }
  return undefined;
}

/** Printers for custom resources are attached to their ResourceType by the CRD machinery. */
export const customPrinters = new WeakMap<ResourceType, Printer>();

export function tableFor(rt: ResourceType, objects: any[], o: TableOptions): object {
  const printer = customPrinters.get(rt) ?? printerFor(rt.group, rt.resource);
  return toTable(printer, objects, new Date(), o);
}
