/**
 * The small declarative layer the built-in printers are written in: a printer is a list of
 * columns, each with its definition and a function producing its cell.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { age } from './age.js';
import { containerCells } from './format.js';
import type { ColumnDefinition, Printer, TableRowCondition } from './types.js';

export interface Column<T, D> {
  def: ColumnDefinition;
  cell: (obj: T, now: Date, derived: D) => unknown;
}

export interface PrinterOptions<T, D> {
  /** Computed once per row and handed to every cell (e.g. a pod's status summary). */
  derive?: (obj: T, now: Date) => D;
  conditions?: (obj: T) => TableRowCondition[] | undefined;
}

/** Builds a Printer from column declarations. */
export function printer<T, D = undefined>(columns: Column<T, D>[], opts: PrinterOptions<T, D> = {}): Printer {
  const defs = columns.map((c) => c.def);
  const p: Printer = {
    columns: defs,
    cells(obj: unknown, now: Date): unknown[] {
      const o = (obj ?? {}) as T;
      const d = (opts.derive ? opts.derive(o, now) : undefined) as D;
      return columns.map((c) => c.cell(o, now, d));
    },
  };
  if (opts.conditions) {
    const cond = opts.conditions;
    p.conditions = (obj: unknown) => cond((obj ?? {}) as T);
  }
  return p;
}

type Cell<T, D> = (obj: T, now: Date, derived: D) => unknown;

function column<T, D>(type: ColumnDefinition['type'], name: string, description: string, cell: Cell<T, D>): Column<T, D> {
  return { def: { name, type, format: '', description, priority: 0 }, cell };
}

/** A string column. */
export const str = <T, D = undefined>(name: string, description: string, cell: Cell<T, D>) =>
  column<T, D>('string', name, description, cell);
/** An integer column. */
export const integer = <T, D = undefined>(name: string, description: string, cell: Cell<T, D>) =>
  column<T, D>('integer', name, description, cell);
/** A boolean column. */
export const bool = <T, D = undefined>(name: string, description: string, cell: Cell<T, D>) =>
  column<T, D>('boolean', name, description, cell);

/** Marks a column as wide-only (priority 1). */
export function wide<T, D>(c: Column<T, D>): Column<T, D> {
  return { def: { ...c.def, priority: 1 }, cell: c.cell };
}

// Descriptions kube takes from the ObjectMeta swagger docs.
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

type WithMeta = { metadata?: ObjectMeta };

/** The definition of a NAME column (format "name"). */
export function nameColumnDef(): ColumnDefinition {
  return { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };
}

/** The NAME column; `cell` overrides the plain metadata.name (storage classes append " (default)"). */
export function nameCol<T extends WithMeta, D = undefined>(cell?: Cell<T, D>): Column<T, D> {
  return { def: nameColumnDef(), cell: cell ?? ((o: T) => o.metadata?.name ?? '') };
}

/** The AGE column: HumanDuration since metadata.creationTimestamp. */
export function ageCol<T extends WithMeta, D = undefined>(): Column<T, D> {
  return str<T, D>('Age', CREATION_TIMESTAMP_DESCRIPTION, (o, now) => age(o.metadata?.creationTimestamp, now));
}

type PodTemplateOwner = { spec?: { template?: { spec?: { containers?: { name: string; image?: string }[] } } } };

/** The wide CONTAINERS and IMAGES columns of a pod-template-bearing workload. */
export function containerCols<T, D = undefined>(
  containers: (o: T) => readonly { name: string; image?: string }[] | undefined = (o) =>
    (o as PodTemplateOwner).spec?.template?.spec?.containers,
): Column<T, D>[] {
  return [
    wide(str<T, D>('Containers', 'Names of each container in the template.', (o) => containerCells(containers(o))[0])),
    wide(str<T, D>('Images', 'Images referenced by each container in the template.', (o) => containerCells(containers(o))[1])),
  ];
}
