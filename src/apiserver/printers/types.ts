/**
 * Server-side printing: the per-kind column definitions and row cells that the API server
 * returns for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get` renders).
 */

/** A meta.k8s.io/v1 TableColumnDefinition. */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** 'name' for the column that holds the object name, '' otherwise (CRD columns may carry others). */
  format: string;
  description: string;
  /** 0: shown by default; 1: only with `-o wide`. */
  priority: 0 | 1;
}

/** A meta.k8s.io/v1 TableRowCondition (kube sets `Completed` on succeeded/failed pods). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface Printer {
  columns: ColumnDefinition[];
  /** One cell per column, in column order (wide columns included, as the server always prints wide). */
  cells(obj: any, now: Date): unknown[];
  /** Optional per-row conditions. */
  conditions?(obj: any): TableRowCondition[] | undefined;
}
