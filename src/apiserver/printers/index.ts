export type { ColumnDefinition, Printer, TableRowCondition } from './types.js';
export { age, humanDuration, shortHumanDuration } from './age.js';
export { defaultPrinter, hasBuiltinPrinter, printerFor } from './builtin.js';
export { DEFAULT_CRD_COLUMNS, printerFromCRDColumns, validateCRDColumnPath } from './crd.js';
export type { CRDColumn } from './crd.js';
export { partialObjectMetadata, toTable } from './table.js';
export type { IncludeObject, Table, TableRow, ToTableOptions } from './table.js';
