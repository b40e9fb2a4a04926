/**
 * Member clusters' own Table answers (meta.k8s.io/v1, what `kubectl get` prints) merged into one
 * table with a CLUSTER column first, like karmadactl get. Members of different versions may
 * print different columns: the merged header is the union, by name, in order of first sight.
 */

export interface ColumnDefinition {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; creationTimestamp?: string } };
}

export interface Table {
  kind: 'Table';
  columnDefinitions?: ColumnDefinition[];
  rows?: TableRow[];
  metadata?: { continue?: string };
}

export interface MemberTable {
  cluster: string;
  table: Table;
}

/** A cell as kubectl prints it: nothing becomes <none>, lists and objects their JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

export interface MergeOptions {
  /** Show columns of priority > 0 (kubectl -o wide). */
  wide: boolean;
  /** Add NAMESPACE after CLUSTER (all namespaces of a namespaced kind). */
  namespace: boolean;
}

export function mergeTables(tables: readonly MemberTable[], o: MergeOptions): { headers: string[]; rows: string[][] } {
  const columns: string[] = [];
  for (const { table } of tables) {
    for (const c of table.columnDefinitions ?? []) {
      if (!o.wide && (c.priority ?? 0) > 0) continue;
      if (!columns.includes(c.name)) columns.push(c.name);
    }
  }
  const rows: string[][] = [];
  for (const { cluster, table } of tables) {
    const index = new Map((table.columnDefinitions ?? []).map((c, i) => [c.name, i] as const));
    for (const row of table.rows ?? []) {
      const cells = columns.map((name) => {
        const i = index.get(name);
        // A column this member does not print is left empty rather than <none> (it is not a value).
        return i === undefined ? '' : cellText(row.cells[i]);
      });
      const lead = o.namespace ? [cluster, row.object?.metadata?.namespace ?? ''] : [cluster];
      rows.push([...lead, ...cells]);
    }
  }
  const headers = [...(o.namespace ? ['CLUSTER', 'NAMESPACE'] : ['CLUSTER']), ...columns.map((c) => c.toUpperCase())];
  return { headers, rows };
}
