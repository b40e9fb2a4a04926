/**
 * Printers for custom resources from their CRD version's additionalPrinterColumns, as the
 * apiextensions-apiserver table convertor builds them.
 */
import { humanDuration, parseTime } from './age.js';
import { CREATION_TIMESTAMP_DESCRIPTION, nameColumnDef } from './define.js';
import { evaluateJSONPath, JSONPathError, parseJSONPath } from './jsonpath.js';
import type { JSONPath } from './jsonpath.js';
import type { ColumnDefinition, Printer } from './types.js';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface CRDColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** The column kube serves for a CRD version that declares no additionalPrinterColumns. */
export const DEFAULT_CRD_COLUMNS: readonly CRDColumn[] = [
  { name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Go's fmt %v of a JSON number: whole numbers (int64 once decoded) plainly, other floats as %g. */
export function goNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const exp = Number.parseInt(e, 10);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** encoding/json output: object keys sorted, <, >, & and U+2028/U+2029 escaped. */
export function goJSON(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortKeys(o[k]);
      return out;
    }
    return v;
  };
  return (JSON.stringify(sortKeys(value)) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** How kube's jsonpath printer renders one value for a string column. */
function printValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return goJSON(value);
  if (typeof value === 'number') return goNumber(value);
  return String(value);
}

/** The cell of a typed column (cellForJSONValue); null when the value does not fit the type. */
function typedCell(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return printValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (!RFC3339.test(value)) return '<invalid>';
      const t = parseTime(value);
      if (t === undefined) return '<unknown>';
      if (Number.isNaN(t)) return '<invalid>';
      return humanDuration(now.getTime() - t);
    }
    default:
      return null;
  }
}

const asType = (t: string): ColumnDefinition['type'] =>
  (['string', 'integer', 'number', 'boolean', 'date'].includes(t) ? t : 'string') as ColumnDefinition['type'];

/**
 * The printer for a custom resource version: NAME, then one column per additionalPrinterColumn
 * (type/format/priority as declared; priority > 0 is wide). An empty list serves the default Age
 * column, as kube does. A column whose jsonPath does not parse ends the list there (kube keeps the
 * columns before it).
 */
export function printerFromCRDColumns(additionalPrinterColumns: readonly CRDColumn[] | null | undefined): Printer {
  const cols = additionalPrinterColumns && additionalPrinterColumns.length > 0 ? additionalPrinterColumns : DEFAULT_CRD_COLUMNS;
  const columns: ColumnDefinition[] = [nameColumnDef()];
  const paths: { path: JSONPath; type: string }[] = [];
  for (const col of cols) {
    let path: JSONPath;
    try {
      path = parseJSONPath(col.jsonPath);
    } catch (e) {
      if (e instanceof JSONPathError) break;
      throw e;
    }
    paths.push({ path, type: col.type });
    columns.push({
      name: col.name,
      type: asType(col.type),
      format: col.format ?? '',
      description: col.description || `Custom resource definition column (in JSONPath format): ${col.jsonPath}`,
      priority: (col.priority ?? 0) > 0 ? 1 : 0,
    });
  }
  return {
    columns,
    cells(obj: any, now: Date): unknown[] {
      const cells: unknown[] = [obj?.metadata?.name ?? ''];
      for (const { path, type } of paths) {
        const results = evaluateJSONPath(path, obj ?? {});
        // Only simple paths are meant here: the first value is the cell.
        cells.push(results && results.length > 0 ? typedCell(type, results[0], now) : null);
      }
      return cells;
    },
  };
}

/** Validates a CRD column's jsonPath; returns the parse error message, or undefined when valid. */
export function validateCRDColumnPath(jsonPath: string): string | undefined {
  try {
    parseJSONPath(jsonPath);
    return undefined;
  } catch (e) {
    if (e instanceof JSONPathError) return e.message;
    throw e;
  }
}
