/**
 * toTable: a meta.k8s.io/v1 Table of objects, as kube-apiserver answers
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
 */
import type { ColumnDefinition, Printer, TableRowCondition } from './types.js';

export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata';

export interface ToTableOptions {
  /** What each row's `object` holds (the includeObject parameter); PartialObjectMetadata by default. */
  includeObject?: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** TableOptions.noHeaders: leave out the column definitions. */
  noHeaders?: boolean;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: Record<string, unknown>;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: ColumnDefinition[];
  rows: TableRow[];
}

/** The PartialObjectMetadata kube puts in a row by default. */
export function partialObjectMetadata(obj: any): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj?.metadata ?? {} };
}

/** Builds the Table of `objects` (one row each, in order) with `printer`. */
export function toTable(printer: Printer, objects: readonly any[], now: Date, opts: ToTableOptions = {}): Table {
  const include = opts.includeObject ?? 'PartialObjectMetadata';
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined && opts.remainingItemCount !== null) metadata.remainingItemCount = opts.remainingItemCount;

  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    if (include === 'Object') row.object = obj;
    else if (include === 'PartialObjectMetadata') row.object = partialObjectMetadata(obj);
    return row;
  });

  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    ...(opts.noHeaders ? {} : { columnDefinitions: printer.columns.map((c) => ({ ...c })) }),
    rows,
  };
}
